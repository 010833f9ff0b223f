// The Incident record as a zod schema: what the history API documents (http/openapi.ts), held to the Incident type
// by the compiler both ways, so neither can change without the other.
import * as z from 'zod';
import type { Acknowledgement, SilenceRecord, Verdict } from './actions.js';
import type { SubjectKind, Target, WorkloadKind } from './context.js';
import {
  type Fits,
  IncidentIdSchema,
  InstantSchema,
  NamespaceSchema,
  ObjectNameSchema,
  SignatureIdSchema,
  type Writable,
} from './identifiers.js';
import type { Delivery, Incident, Notification, TimelineEvent } from './incident.js';
import type { Confidence, EvidenceSource, Finding } from './signature.js';

const text = z.string();
const texts = z.array(text);

const SUBJECT_KINDS = ['pod', 'workload', 'pvc', 'node', 'namespace', 'cluster', 'none'] as const;
const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
] as const;
const EVIDENCE_SOURCES = [
  'alert',
  'pod.status',
  'events',
  'node',
  'peers',
  'metrics',
  'logs',
  'services',
  'workload',
  'volume',
  'quota',
  'cluster',
] as const;
const CONFIDENCES = ['high', 'medium', 'low'] as const;
const TIMELINE_EVENTS = [
  'fired',
  'diagnosed',
  'notified',
  'delivery-failed',
  'resolved',
  'acknowledged',
  'silenced',
  'unsilenced',
  'rerun',
  'verdict',
] as const;

export const TargetSchema = z.strictObject({
  kind: z.enum(SUBJECT_KINDS),
  namespace: NamespaceSchema.exactOptional(),
  pod: ObjectNameSchema.exactOptional(),
  container: text.exactOptional(),
  node: ObjectNameSchema.exactOptional(),
  nodeAddress: text.exactOptional(),
  workload: z.strictObject({ kind: z.enum(WORKLOAD_KINDS), name: ObjectNameSchema }).exactOptional(),
  pvc: ObjectNameSchema.exactOptional(),
  volume: ObjectNameSchema.exactOptional(),
  quota: ObjectNameSchema.exactOptional(),
  invalid: text.exactOptional().describe('why the subject is none although the alert names one'),
});

export const FindingSchema = z.strictObject({
  signatureId: SignatureIdSchema,
  title: text,
  confidence: z.enum(CONFIDENCES),
  summary: text,
  evidence: z.array(z.strictObject({ source: z.enum(EVIDENCE_SOURCES), detail: text })),
  remediation: texts,
  unchecked: texts.exactOptional().describe('what the signature wanted to check but could not'),
  correlation: z.strictObject({ node: text, affectedPods: texts }).exactOptional(),
  shownAs: texts.exactOptional().describe('mechanisms that matched too, as the way the cause showed'),
  recurrence: z.strictObject({ count: z.number().int(), lastAt: InstantSchema }).exactOptional(),
});

const NotificationSchema = z.strictObject({
  channel: text,
  ts: text,
  threadTs: text.exactOptional(),
  stormId: text.exactOptional(),
});
const DeliverySchema = z.strictObject({
  status: z.enum(['delivered', 'failed']),
  attempts: z.number().int(),
  at: InstantSchema,
  lastError: text.exactOptional(),
});
const TimelineEventSchema = z.strictObject({
  at: InstantSchema,
  event: z.enum(TIMELINE_EVENTS),
  detail: text.exactOptional(),
});
const AcknowledgementSchema = z.strictObject({ by: text, at: InstantSchema });
const SilenceRecordSchema = z.strictObject({
  id: text,
  by: text,
  at: InstantSchema,
  endsAt: InstantSchema,
  matchers: z.array(
    z.strictObject({ name: text, value: text, isRegex: z.literal(false), isEqual: z.literal(true) }),
  ),
  expiredAt: InstantSchema.exactOptional(),
  expiredBy: text.exactOptional(),
});
const VerdictSchema = z.strictObject({
  verdict: z.enum(['right', 'wrong']),
  by: text,
  at: InstantSchema,
  actual: z.strictObject({ signatureId: text.exactOptional(), text: text.exactOptional() }).exactOptional(),
});

export const IncidentSchema = z.strictObject({
  id: IncidentIdSchema,
  fingerprint: text,
  alertname: text,
  severity: text,
  status: z.enum(['firing', 'resolved']),
  startsAt: InstantSchema,
  endsAt: InstantSchema.nullable(),
  labels: z.record(text, text),
  annotations: z.record(text, text),
  target: TargetSchema,
  findings: z.array(FindingSchema),
  unavailable: texts.describe('pieces of context that could not be read, with the reason'),
  observed: texts.exactOptional().describe('only when nothing matched: what fired, was checked and was seen'),
  groupKey: text,
  generatorURL: text,
  notifications: z.array(NotificationSchema),
  delivery: DeliverySchema.exactOptional(),
  timeline: z.array(TimelineEventSchema).exactOptional(),
  acknowledged: AcknowledgementSchema.exactOptional(),
  silence: SilenceRecordSchema.exactOptional(),
  verdict: VerdictSchema.exactOptional(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

/** tsc fails here when a schema and its domain type stop describing the same thing. */
export type IncidentSchemaMatches = [
  Fits<z.output<typeof IncidentSchema>, Writable<Incident>>,
  Fits<Writable<Incident>, z.output<typeof IncidentSchema>>,
  Fits<z.output<typeof TargetSchema>, Writable<Target>>,
  Fits<Writable<Target>, z.output<typeof TargetSchema>>,
  Fits<z.output<typeof FindingSchema>, Writable<Finding>>,
  Fits<Writable<Finding>, z.output<typeof FindingSchema>>,
  Fits<z.output<typeof NotificationSchema>, Writable<Notification>>,
  Fits<Writable<Notification>, z.output<typeof NotificationSchema>>,
  Fits<z.output<typeof DeliverySchema>, Writable<Delivery>>,
  Fits<Writable<Delivery>, z.output<typeof DeliverySchema>>,
  Fits<z.output<typeof TimelineEventSchema>, Writable<TimelineEvent>>,
  Fits<Writable<TimelineEvent>, z.output<typeof TimelineEventSchema>>,
  Fits<z.output<typeof AcknowledgementSchema>, Writable<Acknowledgement>>,
  Fits<Writable<Acknowledgement>, z.output<typeof AcknowledgementSchema>>,
  Fits<z.output<typeof SilenceRecordSchema>, Writable<SilenceRecord>>,
  Fits<Writable<SilenceRecord>, z.output<typeof SilenceRecordSchema>>,
  Fits<z.output<typeof VerdictSchema>, Writable<Verdict>>,
  Fits<Writable<Verdict>, z.output<typeof VerdictSchema>>,
  Fits<(typeof SUBJECT_KINDS)[number], SubjectKind>,
  Fits<SubjectKind, (typeof SUBJECT_KINDS)[number]>,
  Fits<(typeof WORKLOAD_KINDS)[number], WorkloadKind>,
  Fits<WorkloadKind, (typeof WORKLOAD_KINDS)[number]>,
  Fits<(typeof EVIDENCE_SOURCES)[number], EvidenceSource>,
  Fits<EvidenceSource, (typeof EVIDENCE_SOURCES)[number]>,
  Fits<(typeof CONFIDENCES)[number], Confidence>,
];
