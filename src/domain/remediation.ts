// Renders signature templates with the incident's real names: namespace, pod, container, node, workload, facts.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { type Facts, focusContainer } from './facts.js';
import { formatBytes, formatNumber } from './format.js';

/** The controller that owns a pod, as `kubectl` names it: deployment/x, statefulset/x, daemonset/x, or pod/x. */
export function workloadOf(context: TriageContext): string | undefined {
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  if (!pod) return context.target.pod ? `pod/${context.target.pod}` : undefined;
  const { ownerKind, ownerName } = pod;
  if (ownerKind === 'ReplicaSet' && ownerName) {
    // A Deployment's ReplicaSet is named <deployment>-<pod-template-hash>.
    const deployment = ownerName.replace(/-[a-z0-9]{5,10}$/, '');
    return deployment !== ownerName ? `deployment/${deployment}` : `replicaset/${ownerName}`;
  }
  if (ownerKind && ownerName) return `${ownerKind.toLowerCase()}/${ownerName}`;
  return `pod/${pod.name}`;
}

function factText(name: string, value: string | number | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (name.endsWith('Bytes')) return formatBytes(value);
  if (name.endsWith('Ratio')) return `${(value * 100).toFixed(1)}%`;
  return formatNumber(value);
}

export function templateVars(alert: Alert, context: TriageContext, facts: Facts): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, fact] of facts) {
    if (fact.kind === 'value') vars[name] = factText(name, fact.value);
  }
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  const node =
    pod?.nodeName ??
    context.target.node ??
    (context.node.status === 'ok' ? context.node.value.name : undefined);
  const assign = (key: string, value: string | undefined) => {
    if (value) vars[key] = value;
  };
  assign('alertname', alert.labels.alertname);
  assign('namespace', context.target.namespace);
  assign('pod', context.target.pod);
  assign('container', focusContainer(context)?.name ?? context.target.container);
  assign('node', node);
  assign('workload', workloadOf(context));
  return vars;
}

/** `{{name}}` placeholders; an unknown name renders as `<name>` so a reader sees what to fill in. */
export function renderTemplate(template: string, vars: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_.]+)\s*\}\}/g, (_, name: string) => vars[name] ?? `<${name}>`);
}
