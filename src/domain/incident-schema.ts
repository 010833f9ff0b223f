// The Incident record as a zod schema: what the history API documents (http/openapi.ts), held to the Incident type
// by the compiler both ways, so neither can change without the other.
import * as z from 'zod';
import type { Acknowledgement, SilenceRecord, Verdict } from './actions.js';
import type { SubjectKind, Target, WorkloadKind } from './context.js';
import {
  IncidentIdSchema,
  InstantSchema,
  type Mismatches,
  NamespaceSchema,
  ObjectNameSchema,
  type SchemasMatch,
  SignatureIdSchema,
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

/** tsc fails here, naming the shape, when a schema and its domain type stop describing the same thing. */
export type IncidentSchemasMatch = SchemasMatch<
  Mismatches<{
    Incident: [typeof IncidentSchema, Incident];
    Target: [typeof TargetSchema, Target];
    Finding: [typeof FindingSchema, Finding];
    Notification: [typeof NotificationSchema, Notification];
    Delivery: [typeof DeliverySchema, Delivery];
    TimelineEvent: [typeof TimelineEventSchema, TimelineEvent];
    Acknowledgement: [typeof AcknowledgementSchema, Acknowledgement];
    SilenceRecord: [typeof SilenceRecordSchema, SilenceRecord];
    Verdict: [typeof VerdictSchema, Verdict];
    SubjectKind: [z.ZodEnum<{ [K in SubjectKind]: K }>, (typeof SUBJECT_KINDS)[number]];
    WorkloadKind: [z.ZodEnum<{ [K in WorkloadKind]: K }>, (typeof WORKLOAD_KINDS)[number]];
    EvidenceSource: [z.ZodEnum<{ [K in EvidenceSource]: K }>, (typeof EVIDENCE_SOURCES)[number]];
    Confidence: [z.ZodEnum<{ [K in Confidence]: K }>, (typeof CONFIDENCES)[number]];
  }>
>;
