// Facts about a claim and its volume, a ResourceQuota, and who runs the cluster (the managed provider).
import type { Alert } from '../alert.js';
import type { TriageContext } from '../context.js';
import { parseQuantity } from '../format.js';
import type { ClaimContext } from '../subject-context.js';

/** Twice the size, in whole Gi: a step that buys time without a second resize next week. */
export function doubled(capacity: string | undefined): string | undefined {
  const bytes = capacity === undefined ? undefined : parseQuantity(capacity);
  return bytes === undefined || bytes <= 0 ? undefined : `${Math.ceil((bytes * 2) / 2 ** 30)}Gi`;
}

import { eventText, type FactSheet } from './fact-sheet.js';

export const SUBJECT_FACTS = [
  'pvc.claimRef',
  'pvc.claimName',
  'pvc.name',
  'pvc.phase',
  'pvc.storageClass',
  'pvc.capacity',
  'pvc.volumeName',
  'pvc.expandable',
  'pvc.resizing',
  'pvc.mountedBy',
  'pvc.mountedByCount',
  'pvc.mountingPod',
  'pvc.mountingContainer',
  'pvc.mountPath',
  'pvc.suggestedSize',
  'pvc.events',
  'pv.phase',
  'pv.message',
  'pv.driver',
  'quota.name',
  'quota.resource',
  'quota.used',
  'quota.hard',
  'quota.usedRatio',
  'quota.exhausted',
  'quota.refusals',
  'cluster.provider',
  'cluster.controlPlaneNodes',
];

/** The claim the answer is about: the alert's own, or the one a pod that ran out of space mounts (triage read it). */
export function claimOf(context: TriageContext): { namespace: string; name: string } | undefined {
  const { namespace, pvc } = context.target;
  if (namespace && pvc) return { namespace, name: pvc };
  const read = context.claim?.status === 'ok' ? context.claim.value.claim : undefined;
  return read ? { namespace: read.namespace, name: read.name } : undefined;
}

function addClaim(sheet: FactSheet, context: TriageContext): void {
  const ref = claimOf(context);
  if (ref) {
    const quote = () =>
      context.target.pvc
        ? `the alert names claim ${ref.namespace}/${ref.name}`
        : `${context.target.pod ?? 'the pod'} mounts claim ${ref.namespace}/${ref.name}`;
    sheet.value('pvc.claimRef', `${ref.namespace}/${ref.name}`, 'volume', quote);
    sheet.value('pvc.claimName', ref.name, 'volume', quote);
  }
  const piece = context.claim;
  if (!ref && piece && piece.status !== 'ok')
    sheet.unknown(['pvc.claimRef', 'pvc.claimName'], piece, 'claim');
  if (
    !piece ||
    sheet.unknown(
      SUBJECT_FACTS.filter((f) => /^pvc?\./.test(f) && !f.startsWith('pvc.claim')),
      piece,
      'claim',
    )
  )
    return;
  if (piece.status !== 'ok') return;
  const { claim, volume, storageClass } = piece.value;
  if (claim) {
    const name = `${claim.namespace}/${claim.name}`;
    sheet.value('pvc.name', claim.name, 'volume', () => `claim ${name}`);
    sheet.value('pvc.phase', claim.phase, 'volume', () => `claim ${name} is ${claim.phase}`);
    sheet.value(
      'pvc.storageClass',
      claim.storageClass,
      'volume',
      () => `claim ${name} uses StorageClass ${claim.storageClass}`,
    );
    sheet.value(
      'pvc.capacity',
      claim.capacity ?? claim.requested,
      'volume',
      () => `claim ${name} has ${claim.capacity ?? '?'} (requested ${claim.requested ?? '?'})`,
    );
    const bigger = doubled(claim.capacity ?? claim.requested);
    sheet.value(
      'pvc.suggestedSize',
      bigger,
      'volume',
      () => `twice ${claim.capacity ?? claim.requested} is ${bigger}`,
    );
    sheet.value(
      'pvc.volumeName',
      claim.volumeName,
      'volume',
      () => `claim ${name} is bound to ${claim.volumeName}`,
    );
    const resizing = claim.conditions.find((c) => /Resiz/.test(c.type) && c.status === 'True');
    sheet.value('pvc.resizing', resizing !== undefined, 'volume', () =>
      resizing
        ? `claim ${name} condition ${resizing.type}=True${resizing.message ? `: ${resizing.message}` : ''}`
        : `claim ${name} is not being resized`,
    );
  }
  if (storageClass) {
    sheet.value(
      'pvc.expandable',
      storageClass.allowVolumeExpansion,
      'volume',
      () =>
        `StorageClass ${storageClass.name} (${storageClass.provisioner}) ${storageClass.allowVolumeExpansion ? 'allows' : 'does not allow'} volume expansion`,
    );
  }
  if (volume) {
    sheet.value(
      'pv.phase',
      volume.phase,
      'volume',
      () => `PersistentVolume ${volume.name} is ${volume.phase}${volume.reason ? ` (${volume.reason})` : ''}`,
    );
    sheet.value(
      'pv.message',
      volume.message,
      'volume',
      () => `PersistentVolume ${volume.name}: ${volume.message}`,
    );
    sheet.value(
      'pv.driver',
      volume.driver,
      'volume',
      () => `PersistentVolume ${volume.name} is provided by ${volume.driver}`,
    );
  }
  addMounts(sheet, piece.value);
}

function addMounts(sheet: FactSheet, value: ClaimContext): void {
  const { mountedBy, events, unread } = value;
  const why = (what: string) => unread.find((u) => u.startsWith(what)) ?? `${what} not read`;
  if (!mountedBy) {
    for (const f of [
      'pvc.mountedBy',
      'pvc.mountedByCount',
      'pvc.mountingPod',
      'pvc.mountingContainer',
      'pvc.mountPath',
    ])
      sheet.facts.set(f, { kind: 'unknown', reason: why('pods mounting the claim') });
  } else {
    const first = mountedBy.find((p) => p.phase === 'Running') ?? mountedBy[0];
    if (first) {
      const quote = () =>
        `${first.namespace}/${first.name} mounts the claim${first.mountPath ? ` at ${first.mountPath}` : ''}`;
      sheet.value('pvc.mountingPod', first.name, 'volume', quote);
      sheet.value('pvc.mountingContainer', first.container, 'volume', quote);
      sheet.value('pvc.mountPath', first.mountPath, 'volume', quote);
    }
    sheet.value('pvc.mountedByCount', mountedBy.length, 'volume', () =>
      mountedBy.length === 0
        ? 'no pod mounts the claim'
        : `mounted by ${mountedBy.map((p) => `${p.name}${p.nodeName ? ` on ${p.nodeName}` : ''}`).join(', ')}`,
    );
    sheet.texts(
      'pvc.mountedBy',
      mountedBy.map((p) => ({
        text: `${p.namespace}/${p.name} ${p.phase}${p.ready ? ', ready' : ', not ready'}${p.nodeName ? ` on ${p.nodeName}` : ''}`,
        source: 'volume' as const,
      })),
      'volume',
    );
  }
  if (!events) sheet.facts.set('pvc.events', { kind: 'unknown', reason: why('events of the claim') });
  else
    sheet.texts(
      'pvc.events',
      events.map((e) => ({ text: eventText(e), source: 'events' as const })),
      'events',
    );
}

/** Quantities compare as numbers ("1500m" of "2"); a resource Kubernetes counts (pods, services) is a plain number. */
function usedRatio(used: string | undefined, hard: string | undefined): number | undefined {
  const u = used === undefined ? undefined : parseQuantity(used);
  const h = hard === undefined ? undefined : parseQuantity(hard);
  if (u === undefined || h === undefined) return undefined;
  if (h === 0) return u > 0 ? Number.POSITIVE_INFINITY : 1;
  return u / h;
}

function addQuota(sheet: FactSheet, alert: Alert, context: TriageContext): void {
  const piece = context.quota;
  if (
    !piece ||
    sheet.unknown(
      SUBJECT_FACTS.filter((f) => f.startsWith('quota.')),
      piece,
      'ResourceQuota',
    )
  )
    return;
  if (piece.status !== 'ok') return;
  const { quota, refusals } = piece.value;
  const name = `${quota.namespace}/${quota.name}`;
  sheet.value('quota.name', quota.name, 'quota', () => `ResourceQuota ${name}`);
  const resource = alert.labels.resource;
  if (resource) {
    const used = quota.used[resource];
    const hard = quota.hard[resource];
    const quote = () => `ResourceQuota ${name}: ${resource} used ${used ?? '?'} of ${hard ?? '?'}`;
    sheet.value('quota.resource', resource, 'quota', quote);
    sheet.value('quota.used', used, 'quota', quote);
    sheet.value('quota.hard', hard, 'quota', quote);
    const ratio = usedRatio(used, hard);
    if (ratio !== undefined) sheet.value('quota.usedRatio', ratio, 'quota', quote);
  }
  const exhausted = Object.keys(quota.hard).filter(
    (r) => (usedRatio(quota.used[r], quota.hard[r]) ?? 0) >= 1,
  );
  sheet.texts(
    'quota.exhausted',
    exhausted.map((r) => ({
      text: `ResourceQuota ${name}: ${r} used ${quota.used[r]} of ${quota.hard[r]}`,
      source: 'quota' as const,
    })),
    'quota',
  );
  sheet.texts(
    'quota.refusals',
    refusals.map((e) => ({
      text: `${e.involvedKind}/${e.involvedName}: ${eventText(e)}`,
      source: 'events' as const,
    })),
    'events',
  );
}

function addProvider(sheet: FactSheet, context: TriageContext): void {
  const piece = context.provider;
  if (!piece || sheet.unknown(['cluster.provider', 'cluster.controlPlaneNodes'], piece, 'nodes')) return;
  if (piece.status !== 'ok') return;
  const { provider, evidence, controlPlaneNodes, nodes } = piece.value;
  sheet.value('cluster.provider', provider, 'cluster', () => `${provider}: ${evidence}`);
  sheet.value('cluster.controlPlaneNodes', controlPlaneNodes, 'cluster', () =>
    controlPlaneNodes === 0
      ? `none of the ${nodes} nodes is a control-plane node: the control plane runs outside the cluster`
      : `${controlPlaneNodes} of ${nodes} nodes are control-plane nodes`,
  );
}

export function addSubjectFacts(sheet: FactSheet, alert: Alert, context: TriageContext): void {
  addClaim(sheet, context);
  addQuota(sheet, alert, context);
  addProvider(sheet, context);
}
