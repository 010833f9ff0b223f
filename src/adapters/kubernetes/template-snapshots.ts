// Shared mapping for workload snapshots: times, compact objects, conditions, metadata, selectors, pod templates.
import type { V1Container, V1LabelSelector, V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { ConditionSnapshot } from '../../domain/context.js';
import type { LabelSelector, TemplateContainer, TemplateSummary } from '../../domain/workload/types.js';
import { compact, iso } from './snapshots.js';

type Time = Date | string | undefined | null;

export function conditions(
  list:
    | readonly {
        type: string;
        status: string;
        reason?: string;
        message?: string;
        lastTransitionTime?: Time;
      }[]
    | undefined,
): ConditionSnapshot[] {
  return (list ?? []).map((c) =>
    compact({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      lastTransitionTime: iso(c.lastTransitionTime),
    }),
  );
}

export function labelSelector(s: V1LabelSelector | undefined): LabelSelector | undefined {
  if (!s) return undefined;
  return compact({
    matchLabels: s.matchLabels,
    matchExpressions: s.matchExpressions?.map((e) =>
      compact({ key: e.key, operator: e.operator, values: e.values }),
    ),
  });
}

function templateContainer(c: V1Container): TemplateContainer {
  const env = (c.env ?? []).map((e) => {
    const ref = e.valueFrom;
    if (ref?.secretKeyRef) return `${e.name} from secret/${ref.secretKeyRef.name}.${ref.secretKeyRef.key}`;
    if (ref?.configMapKeyRef)
      return `${e.name} from configMap/${ref.configMapKeyRef.name}.${ref.configMapKeyRef.key}`;
    if (ref?.fieldRef) return `${e.name} from field ${ref.fieldRef.fieldPath}`;
    if (ref?.resourceFieldRef) return `${e.name} from resource ${ref.resourceFieldRef.resource}`;
    // Plain values are kept (they are what changed most often); redaction masks credential-looking ones later.
    return `${e.name}=${e.value ?? ''}`;
  });
  const envFrom = (c.envFrom ?? []).flatMap((f) => [
    ...(f.configMapRef ? [`configMap/${f.configMapRef.name}`] : []),
    ...(f.secretRef ? [`secret/${f.secretRef.name}`] : []),
  ]);
  const resources = [
    ...Object.entries(c.resources?.requests ?? {}).map(([k, v]) => `requests.${k}=${v}`),
    ...Object.entries(c.resources?.limits ?? {}).map(([k, v]) => `limits.${k}=${v}`),
  ].sort();
  return compact({
    name: c.name,
    image: c.image ?? '',
    command: c.command,
    args: c.args,
    env,
    envFrom,
    resources,
  });
}

export function templateSummary(t: V1PodTemplateSpec | undefined): TemplateSummary {
  const spec = t?.spec;
  const volumes = (spec?.volumes ?? []).map((v) => {
    if (v.configMap) return `configMap/${v.configMap.name}`;
    if (v.secret) return `secret/${v.secret.secretName}`;
    if (v.persistentVolumeClaim) return `persistentVolumeClaim/${v.persistentVolumeClaim.claimName}`;
    if (v.emptyDir) return `emptyDir/${v.name}`;
    if (v.hostPath) return `hostPath/${v.hostPath.path}`;
    if (v.projected) return `projected/${v.name}`;
    return `volume/${v.name}`;
  });
  return {
    containers: (spec?.containers ?? []).map(templateContainer),
    initContainers: (spec?.initContainers ?? []).map(templateContainer),
    volumes,
    nodeSelector: spec?.nodeSelector ?? {},
    tolerations: (spec?.tolerations ?? []).map((t) =>
      compact({ key: t.key, operator: t.operator, value: t.value, effect: t.effect }),
    ),
  };
}

export function meta(m: V1ObjectMeta | undefined) {
  return compact({
    namespace: m?.namespace ?? '',
    name: m?.name ?? '',
    uid: m?.uid,
    createdAt: iso(m?.creationTimestamp),
    generation: m?.generation,
  });
}
