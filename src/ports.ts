// Ports: the small interfaces triage needs from the outside world; real adapters live in src/adapters.

import type { SilenceMatcher } from './domain/actions.js';
import type { AlertEnvelope } from './domain/alert.js';
import type { CommandJob } from './domain/command-job.js';
import type {
  EventSnapshot,
  MetricValues,
  NodePortSnapshot,
  NodeSnapshot,
  PeerPod,
  PodSnapshot,
  WorkloadKind,
} from './domain/context.js';
import type { Incident, Notification } from './domain/incident.js';
import type { MetricQuery } from './domain/metric-queries.js';
import type { PlaybookEntry } from './domain/playbook.js';
import type { StormMember, StormSummary } from './domain/storm.js';
import type {
  ClaimSnapshot,
  ClusterNode,
  MountingPod,
  QuotaSnapshot,
  StorageClassSnapshot,
  VolumeSnapshot,
} from './domain/subject-context.js';
import type {
  NodePlacementSnapshot,
  RevisionSnapshot,
  WorkloadPod,
  WorkloadSnapshot,
} from './domain/workload/types.js';

/** Refuses a signed Slack request seen before (commands/replay-guard.ts in one process, DynamoDB across them). */
export interface ReplayGuard {
  /** true the first time `key` is seen before `expiresAt`; false for every later use. */
  firstUse(key: string, expiresAt: Date): Promise<boolean>;
}

import type { InteractionJob } from './domain/interaction-job.js';
import type { SlackMessage } from './slack-render/blocks.js';

/** Reads for subjects that are not pods: claims and volumes, quotas, the node list. undefined = not found. */
export interface SubjectInspector {
  persistentVolumeClaim(namespace: string, name: string): Promise<ClaimSnapshot | undefined>;
  persistentVolume(name: string): Promise<VolumeSnapshot | undefined>;
  storageClass(name: string): Promise<StorageClassSnapshot | undefined>;
  /** Pods of the namespace whose volumes reference the claim (one list call). */
  podsMountingClaim(namespace: string, claim: string): Promise<MountingPod[]>;
  claimEvents(namespace: string, claim: string): Promise<EventSnapshot[]>;
  resourceQuota(namespace: string, name: string): Promise<QuotaSnapshot | undefined>;
  /** FailedCreate events of the namespace (controllers refused by admission, quotas among them). */
  failedCreateEvents(namespace: string): Promise<EventSnapshot[]>;
  /** Every node, reduced to its addresses, providerID and labels (one list call). */
  clusterNodes(): Promise<ClusterNode[]>;
}

/** Read-only view of the cluster. Methods throw DependencyError when the cluster refuses or fails. */
export interface ClusterInspector extends SubjectInspector {
  /** undefined when the pod does not exist (any more). */
  pod(namespace: string, name: string): Promise<PodSnapshot | undefined>;
  podEvents(namespace: string, name: string): Promise<EventSnapshot[]>;
  node(name: string): Promise<NodeSnapshot | undefined>;
  nodeEvents(name: string): Promise<EventSnapshot[]>;
  podsOnNode(name: string): Promise<PeerPod[]>;
  /** The last terminated instance's log tail; undefined when there is no previous instance. */
  previousLog(
    namespace: string,
    pod: string,
    container: string,
    tailLines: number,
  ): Promise<string | undefined>;
  /** The node log query (kubelet `/logs/`, through the API server's node proxy) for one service or file. */
  nodeLog(node: string, query: string, tailLines: number): Promise<string | undefined>;
  /** NodePorts of every Service in the cluster (one list call). */
  nodePorts(): Promise<NodePortSnapshot[]>;
  /** Instant queries; throws when Prometheus cannot be reached. */
  metrics(queries: readonly MetricQuery[]): Promise<MetricValues>;
  /** A workload object (a Job with its CronJob's schedule); undefined when it does not exist. */
  workload(namespace: string, kind: WorkloadKind, name: string): Promise<WorkloadSnapshot | undefined>;
  /** ReplicaSets matching `selector` (query syntax) and owned by the object with `ownerUid`, in one list call. */
  replicaSets(namespace: string, selector: string, ownerUid: string | undefined): Promise<RevisionSnapshot[]>;
  /** A StatefulSet's or DaemonSet's ControllerRevisions: matching `selector`, owned by `ownerUid`, one list call. */
  controllerRevisions(
    namespace: string,
    selector: string,
    ownerUid: string | undefined,
  ): Promise<RevisionSnapshot[]>;
  /** Pods matching `selector` (query syntax), in one list call. */
  podsMatching(namespace: string, selector: string): Promise<WorkloadPod[]>;
  /** Every node's labels and taints (one list call), for DaemonSet placement. */
  nodePlacements(): Promise<NodePlacementSnapshot[]>;
}

export interface IncidentQuery {
  readonly status?: 'firing' | 'resolved';
  readonly namespace?: string;
  readonly node?: string;
  readonly alertname?: string;
  readonly signature?: string;
  /** true: only incidents acknowledged from Slack; false: only those not acknowledged. */
  readonly acknowledged?: boolean;
  readonly since?: string;
  readonly until?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface IncidentPage {
  readonly items: Incident[];
  readonly nextCursor: string | null;
}

export interface RecurrenceQuery {
  readonly signature: string;
  readonly namespace: string;
  /** The workload key (src/domain/recurrence-subject.ts). */
  readonly subject: string;
  readonly since: string;
  /** Only incidents that started strictly before this. */
  readonly before: string;
  readonly limit: number;
}

export interface Recurrence {
  readonly count: number;
  readonly lastAt: string;
}

export interface IncidentStore {
  get(id: string): Promise<Incident | undefined>;
  /** Conditional create: 'exists' when an incident with this id is already stored. */
  create(incident: Incident): Promise<'created' | 'exists'>;
  /** Marks a firing incident resolved; undefined when it was not firing (already resolved or unknown). */
  resolve(id: string, endsAt: string | null, now: string): Promise<Incident | undefined>;
  /**
   * Takes the right to notify for a lease: the attempt's number (1 for the first; more means an earlier attempt
   * may have posted), or undefined when the incident is notified already or another worker holds the lease.
   */
  claimNotification(id: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined>;
  releaseNotification(id: string, claimant: string): Promise<void>;
  recordNotification(id: string, notification: Notification, now: string): Promise<void>;
  /** Notes a failed delivery attempt (the alert is retried by the queue). */
  recordDeliveryFailure(id: string, reason: string, now: string): Promise<void>;
  /**
   * Takes the right to tell the incident's thread it resolved, for a lease (its own, apart from the notify lease):
   * the attempt's number, or undefined when told already or held by another worker.
   */
  claimResolveNotice(id: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined>;
  releaseResolveNotice(id: string, claimant: string): Promise<void>;
  markResolveNoticed(id: string, at: Date): Promise<void>;
  list(query: IncidentQuery): Promise<IncidentPage>;
  /**
   * How often this signature hit this workload before `before` (at most 50 counted), from a slim index rather than
   * whole incidents. Optional: without it, recurrence is read through `list`.
   */
  recurrence?(query: RecurrenceQuery): Promise<Recurrence | undefined>;
  /**
   * Applies `change` to the stored incident (read, change, conditional write; retried on contention). undefined
   * when the incident does not exist or `change` declined (returned undefined): nothing written then.
   */
  update(id: string, change: (incident: Incident) => Incident | undefined): Promise<Incident | undefined>;
}

/** Operators' signatures (custom and overrides) and tombstones for disabled built-ins. */
export interface PlaybookStore {
  entries(): Promise<PlaybookEntry[]>;
  put(entry: PlaybookEntry): Promise<void>;
  /** false when nothing was stored for the id. */
  remove(id: string): Promise<boolean>;
}

/** Where an incident's messages went, by key: the alert's fingerprint (re-fires) or a node-wide fault. */
export interface ThreadRef {
  readonly channel: string;
  readonly ts: string;
  readonly incidentId: string;
  readonly at: string;
  readonly resolvedAt?: string;
}

export interface ThreadIndex {
  find(key: string): Promise<ThreadRef | undefined>;
  remember(key: string, ref: ThreadRef, ttlSeconds: number): Promise<void>;
}

/** Storm bookkeeping: which alerts of a storm have been triaged, and who reports it. */
export interface StormStore {
  /**
   * Records a member (idempotent) and answers how many members have checked in: exact once it reaches `size`
   * (the storm's size), a counter below that.
   */
  checkIn(stormId: string, member: StormMember, size: number): Promise<number>;
  members(stormId: string): Promise<StormMember[]>;
  /**
   * Takes the right to report the storm for a lease: the attempt's number (more than 1: an earlier attempt may
   * have posted part of it), or undefined when reported already or claimed by another worker.
   */
  claimReport(stormId: string, claimant: string, now: Date, leaseMs: number): Promise<number | undefined>;
  releaseReport(stormId: string, claimant: string): Promise<void>;
  /** `truncated`: alerts Alertmanager left out of the delivery, kept for the resolved summary. */
  markReported(stormId: string, parent: Notification, truncated?: number): Promise<void>;
  /** Marks a member resolved (idempotent); answers how many members are resolved, of how many. */
  resolveMember(
    stormId: string,
    incidentId: string,
    at: string,
  ): Promise<{ resolved: number; total: number }>;
  /**
   * Takes the right to say the whole storm resolved, for a lease: where the storm was posted and the attempt's
   * number, or undefined when told already or held by another worker.
   */
  claimResolvedReport(
    stormId: string,
    claimant: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ parent: Notification; truncated: number; attempt: number } | undefined>;
  releaseResolvedReport(stormId: string, claimant: string): Promise<void>;
  markResolvedReported(stormId: string, at: Date): Promise<void>;
}

export interface Notifier {
  /** Posts the parent message; returns where it landed. */
  notify(incident: Incident): Promise<Notification>;
  /** Posts the incident into an existing thread; `broadcast` also shows it in the channel. */
  reply(
    incident: Incident,
    parent: { channel: string; ts: string },
    broadcast: boolean,
    /** Why it joins the thread; by default a broadcast reply is a re-fire, a quiet one a node-wide cause. */
    why?: 'refire' | 'node',
  ): Promise<Notification>;
  /** A storm: one summary message (or a reply in `thread`), then one thread reply per diagnosis group. */
  storm(
    summary: StormSummary,
    group: string,
    thread: { channel: string; ts: string } | undefined,
    report: { readonly stormId: string; readonly attempt: number },
  ): Promise<Notification>;
  /** Tells the incident's thread that it resolved; `attempt` > 1: an earlier attempt's reply may have landed. */
  resolved(incident: Incident, attempt?: number): Promise<void>;
  /** The incident's message if an earlier attempt posted it (at the top level, or in `thread`), else undefined. */
  findPosted(
    incident: Incident,
    thread: { channel: string; ts: string } | undefined,
  ): Promise<Notification | undefined>;
  /** Re-renders the incident's own message in place (acknowledged, silenced, verdict): chat.update. */
  refresh(incident: Incident): Promise<void>;
  /** A line in the incident's thread (what someone did from the message, a re-run's result). */
  note(incident: Incident, text: string): Promise<void>;
  /** A line in the thread of a message given by channel and ts (a storm summary). */
  noteAt(parent: { channel: string; ts: string }, text: string): Promise<void>;
  /** Marks a storm's summary resolved and tells its thread, once every alert in it resolved (the last at `lastAt`). */
  /** `report`: keys the reply, so a retried attempt (attempt > 1) finds a reply that landed instead of posting it. */
  stormResolved(
    parent: Notification,
    summary: StormSummary,
    group: string,
    lastAt: string,
    report?: { readonly stormId: string; readonly attempt: number },
  ): Promise<void>;
}

export interface AlertQueue {
  /** Resolves once every envelope is durably queued; throws otherwise (the webhook then answers 5xx). */
  enqueue(envelopes: readonly AlertEnvelope[]): Promise<void>;
}

/** Slash commands travel on the alert queue: the api answers Slack at once and the worker does the work. */
export interface CommandQueue {
  /** Resolves once the command is durably queued; throws otherwise. */
  enqueueCommand(job: CommandJob): Promise<void>;
}

/** Button presses on triage messages travel on the same queue, parsed and verified by the api. */
export interface InteractionQueue {
  enqueueInteraction(job: InteractionJob): Promise<void>;
}

/** Alertmanager's silences API (v2). Methods throw DependencyError when Alertmanager cannot be reached or refuses. */
export interface SilenceApi {
  /** Creates a silence; answers its id. */
  create(silence: {
    matchers: readonly SilenceMatcher[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string>;
  /**
   * The id of a silence still in force with exactly these matchers whose comment starts with `commentPrefix`:
   * one an earlier attempt created before it could record it.
   */
  findActive(matchers: readonly SilenceMatcher[], commentPrefix: string): Promise<string | undefined>;
  expire(id: string): Promise<void>;
}

/** What the worker takes off the queue. */
export type QueueMessage =
  | { readonly kind: 'alert'; readonly envelope: AlertEnvelope }
  | { readonly kind: 'command'; readonly job: CommandJob }
  | { readonly kind: 'interaction'; readonly job: InteractionJob };

/** Operational counts (alerts, diagnoses per signature, Slack posts, context failures); EMF in Lambda. */
export interface TriageMetrics {
  count(name: string, value?: number, dimension?: { name: string; value: string }): void;
  /** A phase's duration in milliseconds (gather, diagnose, store, notify). */
  duration(name: string, ms: number): void;
  flush(): void;
}

export const NO_METRICS: TriageMetrics = { count: () => {}, duration: () => {}, flush: () => {} };

/** `IncidentStore.list` was given a cursor it did not issue for this query (edited, or from another filter). */
export class InvalidCursorError extends Error {
  readonly code = 'invalid_cursor';
}

/**
 * A one-time job (a post, a report, a resolve notice) another attempt is doing right now. Not done yet, so not
 * success: the caller fails the delivery and the queue brings it back after `retryAfterMs` at the earliest, when the
 * job is either done or its holder's lease has run out.
 */
export class LeaseHeldError extends Error {
  constructor(
    what: string,
    readonly retryAfterMs: number,
  ) {
    super(`${what} is held by another attempt for ${Math.ceil(retryAfterMs / 1000)} s more`);
    this.name = 'LeaseHeldError';
  }
}

export class DependencyError extends Error {
  constructor(
    readonly dependency: 'cluster' | 'prometheus' | 'store' | 'slack' | 'queue' | 'alertmanager',
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyError';
  }
}

/**
 * A request that got no HTTP answer (refused, reset, timed out) as a DependencyError naming where it went:
 * `Prometheus (service monitoring/prometheus-k8s:9090): timed out after 3000 ms`.
 */
export function unreachable(
  dependency: DependencyError['dependency'],
  where: string,
  error: unknown,
  timeoutMs: number,
): DependencyError {
  const e = error as { name?: string; message?: string };
  const reason =
    e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${timeoutMs} ms` : e.message;
  return new DependencyError(dependency, 'unreachable', `${where}: ${reason}`, { cause: error });
}

/** Answers to a Slack response_url (commands and buttons). */
export type PostOutcome = 'posted' | 'refused' | 'rejected';

/** Posts an answer; throws DependencyError when a retry could succeed (network, timeout, 429, 5xx). */
export type ResponsePoster = (
  responseUrl: string,
  answer: SlackMessage,
  /** Extra fields, e.g. `replace_original: false` so an answer to a button never replaces the message. */
  extra?: Readonly<Record<string, unknown>>,
) => Promise<PostOutcome>;
