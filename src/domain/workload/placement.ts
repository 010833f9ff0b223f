// DaemonSet placement: which nodes lack the daemon pod, or run one they should not, and why (taints, selector).
import type { TaintSnapshot } from '../context.js';
import type { NodePlacementSnapshot, TemplateSummary, Toleration } from './types.js';

/** Tolerations the DaemonSet controller adds to every daemon pod (network-unavailable only with hostNetwork). */
const AUTOMATIC: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

export function tolerates(t: Toleration, taint: TaintSnapshot): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export const taintText = (t: TaintSnapshot) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`;

function untolerated(template: TemplateSummary, node: NodePlacementSnapshot): TaintSnapshot[] {
  const tolerations = [...template.tolerations, ...AUTOMATIC];
  return node.taints
    .filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
    .filter((taint) => !tolerations.some((t) => tolerates(t, taint)));
}

/** Why the daemon pod may not run on `node`; empty when it may. */
export function placementBlockers(template: TemplateSummary, node: NodePlacementSnapshot): string[] {
  const blockers = untolerated(template, node).map((taint) => `taint ${taintText(taint)} is not tolerated`);
  for (const [k, v] of Object.entries(template.nodeSelector)) {
    if (node.labels[k] !== v)
      blockers.push(
        `nodeSelector ${k}=${v} does not match (node has ${node.labels[k] === undefined ? 'no such label' : `${k}=${node.labels[k]}`})`,
      );
  }
  return blockers;
}

export interface PlacementGap {
  readonly node: string;
  /** `missing`: the node should run a daemon pod and has none; `excluded`: it may not run one; `misscheduled`: it runs one it may not. */
  readonly kind: 'missing' | 'excluded' | 'misscheduled';
  readonly why: string;
  /** The first taint that keeps the daemon pod off the node, if a taint does. */
  readonly taint?: TaintSnapshot;
}

/** Every node whose daemon pod is missing, excluded or misplaced, with the reason; nodes that are fine are left out. */
export function placementGaps(
  template: TemplateSummary,
  nodes: readonly NodePlacementSnapshot[],
  nodesWithPod: ReadonlySet<string>,
): PlacementGap[] {
  const gaps: PlacementGap[] = [];
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const blockers = placementBlockers(template, node);
    const has = nodesWithPod.has(node.name);
    if (blockers.length > 0) {
      const taint = untolerated(template, node)[0];
      gaps.push({
        node: node.name,
        kind: has ? 'misscheduled' : 'excluded',
        why: blockers.join('; '),
        ...(taint ? { taint } : {}),
      });
    } else if (!has)
      gaps.push({ node: node.name, kind: 'missing', why: 'eligible, but no daemon pod was created there' });
  }
  return gaps;
}

export function gapText(g: PlacementGap): string {
  const what =
    g.kind === 'missing'
      ? 'has no daemon pod'
      : g.kind === 'excluded'
        ? 'gets no daemon pod'
        : 'runs a daemon pod it may no longer run';
  return `node ${g.node} ${what}: ${g.why}`;
}
