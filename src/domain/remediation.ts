// Renders signature templates with the incident's real names: namespace, pod, container, node, workload, facts.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { type Facts, focusContainer } from './facts.js';
import { formatBytes, formatNumber } from './format.js';
import { kubectlName } from './workload/state.js';

/** The controller that owns a pod, as `kubectl` names it: deployment/x, statefulset/x, daemonset/x, or pod/x. */
export function workloadOf(context: TriageContext): string | undefined {
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  const w = context.target.workload;
  if (!pod && w) return kubectlName(w.kind, w.name);
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

export type TemplateVars = (name: string) => string | undefined;

/** Names resolve on demand: a template uses a handful of the facts, so formatting all of them is wasted work. */
export function templateVars(alert: Alert, context: TriageContext, facts: Facts): TemplateVars {
  const pod = context.pod.status === 'ok' ? context.pod.value : undefined;
  const names: Record<string, () => string | undefined> = {
    alertname: () => alert.labels.alertname,
    // Names of the object read win over the alert's labels (which are validated, but are the rule author's words).
    namespace: () => pod?.namespace ?? context.target.namespace,
    pod: () => pod?.name ?? context.target.pod,
    container: () => focusContainer(context)?.name ?? context.target.container,
    node: () =>
      pod?.nodeName ??
      context.target.node ??
      (context.node.status === 'ok' ? context.node.value.name : undefined),
    workload: () => workloadOf(context),
  };
  const memo = new Map<string, string | undefined>();
  return (name) => {
    if (memo.has(name)) return memo.get(name);
    let value = names[name]?.();
    if (value === '') value = undefined;
    if (value === undefined && !(name in names)) {
      const fact = facts.get(name);
      if (fact?.kind === 'value') value = factText(name, fact.value);
    }
    memo.set(name, value);
    return value;
  };
}

/** `{{name}}`, or `{{name|fallback}}` whose fallback text stands in when the fact is not known. */
const PLACEHOLDER = /\{\{\s*([a-zA-Z0-9_.]+)\s*(?:\|([^{}]*))?\}\}/;

/**
 * Templates split once into [text, name, fallback, text, name, fallback, …, text]: every finding renders a signature's templates again,
 * and scanning a kilobyte of remediation text for placeholders cost more than filling them in. Cleared when full, as
 * operators' edits would otherwise grow it without bound.
 */
const splitTemplates = new Map<string, readonly string[]>();
function split(template: string): readonly string[] {
  let parts = splitTemplates.get(template);
  if (!parts) {
    if (splitTemplates.size >= 2000) splitTemplates.clear();
    parts = template.split(PLACEHOLDER);
    splitTemplates.set(template, parts);
  }
  return parts;
}

/**
 * `{{name}}` placeholders; an unknown name renders as its fallback, else as `<name>` so a reader sees what to fill
 * in.
 */
export function renderTemplate(
  template: string,
  vars: TemplateVars | Readonly<Record<string, string>>,
): string {
  const lookup = typeof vars === 'function' ? vars : (name: string) => vars[name];
  const parts = split(template);
  let out = parts[0] ?? '';
  let inCode = oddBackticks(out);
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i] ?? '';
    const fallback = parts[i + 1];
    const value = lookup(name);
    // A value inside a `command` is pasted into a shell: anything beyond a plain word is quoted as one argument.
    out += value === undefined ? (fallback ?? `<${name}>`) : inCode ? shellWord(value) : value;
    const text = parts[i + 2] ?? '';
    out += text;
    if (oddBackticks(text)) inCode = !inCode;
  }
  return out;
}

const oddBackticks = (text: string): boolean => (text.split('`').length - 1) % 2 === 1;

/** Characters a shell never treats specially: names, paths, image references, numbers, sizes. */
const PLAIN_WORD = /^[A-Za-z0-9@%+=:,./_-]+$/;

/**
 * A value as one shell word: kept as is when plain, else single-quoted. Backticks and control characters are
 * dropped first: a backtick would end the code span in Slack, a newline would end the command.
 */
export function shellWord(value: string): string {
  if (PLAIN_WORD.test(value)) return value;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
  const cleaned = value.replace(/[`\u0000-\u001f\u007f]/g, '');
  return `'${cleaned.replaceAll("'", `'\\''`)}'`;
}
