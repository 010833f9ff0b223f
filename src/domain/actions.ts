// What on-call did from the message: acknowledgement, a silence in Alertmanager, a verdict on the diagnosis.
import type { Target } from './context.js';

export interface Acknowledgement {
  /** Slack user id. */
  readonly by: string;
  readonly at: string;
}

export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: false;
  readonly isEqual: true;
}

export interface SilenceRecord {
  /** Alertmanager's silence id. */
  readonly id: string;
  readonly by: string;
  readonly at: string;
  readonly endsAt: string;
  readonly matchers: readonly SilenceMatcher[];
  /** Set once expired from Slack (Unsilence). */
  readonly expiredAt?: string;
  readonly expiredBy?: string;
}

export interface Verdict {
  readonly verdict: 'right' | 'wrong';
  readonly by: string;
  readonly at: string;
  /** What it really was, when on-call said so: a signature id from the menu, or free text. */
  readonly actual?: { readonly signatureId?: string; readonly text?: string };
}

/** The durations offered on the message, in hours. */
export const SILENCE_HOURS = [1, 4, 24] as const;
export type SilenceHours = (typeof SILENCE_HOURS)[number];

const eq = (name: string, value: string): SilenceMatcher => ({ name, value, isRegex: false, isEqual: true });

/** The labels that name a workload, in the order subject.ts reads them. */
const WORKLOAD_LABELS = [
  'deployment',
  'statefulset',
  'daemonset',
  'job_name',
  'horizontalpodautoscaler',
  'poddisruptionbudget',
];

/**
 * Exact matchers for this alert's subject and nothing wider: alertname plus the labels that identify the subject
 * (namespace and pod, the node label, the workload label...). When no subject label identifies it (cluster-wide
 * alerts, an invalid subject), every label of the alert is matched, which silences exactly this alert.
 */
export function silenceMatchers(labels: Readonly<Record<string, string>>, target: Target): SilenceMatcher[] {
  const pick = (names: readonly string[]): SilenceMatcher[] | undefined => {
    const out: SilenceMatcher[] = [];
    for (const name of names) {
      const value = labels[name];
      if (value === undefined || value === '') return undefined;
      out.push(eq(name, value));
    }
    return out;
  };
  const alertname = labels.alertname ?? '';
  let subject: SilenceMatcher[] | undefined;
  switch (target.kind) {
    case 'pod':
      subject = pick(['namespace', 'pod']);
      break;
    case 'node':
      subject = pick(labels.node ? ['node'] : ['instance']);
      break;
    case 'workload': {
      const label = WORKLOAD_LABELS.find((name) => labels[name] === target.workload?.name);
      subject = label ? pick(['namespace', label]) : undefined;
      break;
    }
    case 'pvc':
      subject = target.pvc ? pick(['namespace', 'persistentvolumeclaim']) : pick(['persistentvolume']);
      break;
    case 'namespace':
      subject = pick(target.quota ? ['namespace', 'resourcequota'] : ['namespace']);
      break;
    default:
      subject = undefined;
  }
  if (!subject) {
    return Object.keys(labels)
      .sort()
      .filter((name) => labels[name] !== '')
      .map((name) => eq(name, labels[name] ?? ''));
  }
  return [eq('alertname', alertname), ...subject];
}

/** `alertname="X", namespace="y"` as Alertmanager's UI writes matchers. */
export function matchersText(matchers: readonly SilenceMatcher[]): string {
  return matchers.map((m) => `${m.name}=${JSON.stringify(m.value)}`).join(', ');
}

/** A silence is in force until its end, unless expired from Slack. */
export function silenceActive(silence: SilenceRecord | undefined, now: Date): boolean {
  return !!silence && !silence.expiredAt && Date.parse(silence.endsAt) > now.getTime();
}

/** `14:05 UTC` when on the same day as `now`, else `2026-12-04 14:05 UTC`. */
export function utcTime(iso: string, now: Date): string {
  const t = new Date(iso);
  const hm = t.toISOString().slice(11, 16);
  return t.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)
    ? `${hm} UTC`
    : `${t.toISOString().slice(0, 10)} ${hm} UTC`;
}
