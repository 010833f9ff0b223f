// fast-check arbitraries for property tests: triage contexts (healthy, hostile and half-read) and valid signatures.
import fc from 'fast-check';
import type { Alert } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import {
  type ContainerSnapshot,
  type EventSnapshot,
  type MetricValues,
  type NodePortSnapshot,
  type NodeSnapshot,
  ok,
  type PeerPod,
  type Piece,
  type PodSnapshot,
  type ProbeSpec,
  skipped,
  type Target,
  type TerminatedState,
  type TriageContext,
  unavailable,
} from '../../src/domain/context.js';
import type { Condition, Signature } from '../../src/domain/signature.js';
import { KNOWN_FACTS } from '../../src/domain/signature-schema.js';

/** Texts the catalog looks for, so random contexts also prove things, not only fail to. */
const REAL_TEXTS = [
  'OOMKilled',
  'Error',
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'Unhealthy',
  'BackOff',
  'FailedScheduling',
  'Evicted',
  'Liveness probe failed: Get "http://10.1.2.3:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  'Container checkout-api failed liveness probe, will be restarted',
  'nf_conntrack: table full, dropping packet',
  'System OOM encountered, victim process: java, pid: 4242',
  '0/3 nodes are available: 3 Insufficient memory.',
  'Failed to pull image "registry.example.com/a:1": rpc error: code = NotFound desc = manifest unknown',
  'exec /app/run: exec format error',
  'write /var/log/app.log: no space left on device',
  'dial tcp: lookup db.payments.svc on 10.96.0.10:53: read udp 10.1.2.3:5353->10.96.0.10:53: i/o timeout',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  'too many open files',
  'KUBE-MARK-DROP: no such file or directory',
  'Kubelet stopped posting node status.',
  'True',
  'False',
  'Unknown',
];

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '\n\n', '{{pod}}', '$1 $& $`', '\u0000', '\ud800', 'x'.repeat(5000)),
);
export const text = fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...REAL_TEXTS) }, hostileString);
const nonEmptyText = text.filter((t) => t.length > 0);

export const weirdNumber = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.double(),
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    137,
    143,
    2 ** 53,
    Number.MAX_VALUE,
    1e21,
    5e-324,
  ),
);

const timestamp = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom('not a date', '', '0001-01-01T00:00:00Z'),
);

export function piece<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Piece<T>> {
  return fc.oneof(
    { weight: 4, arbitrary: value.map((v) => ok(v)) },
    { weight: 1, arbitrary: nonEmptyText.map((r) => unavailable<T>(r)) },
    { weight: 1, arbitrary: nonEmptyText.map((r) => skipped<T>(r)) },
  );
}

const terminated: fc.Arbitrary<TerminatedState> = fc.record(
  {
    exitCode: weirdNumber,
    reason: text,
    message: text,
    signal: weirdNumber,
    startedAt: timestamp,
    finishedAt: timestamp,
  },
  { requiredKeys: ['exitCode'] },
);

const probe: fc.Arbitrary<ProbeSpec> = fc.record(
  {
    kind: fc.constantFrom('httpGet', 'tcpSocket', 'exec', 'grpc'),
    port: text,
    path: text,
    initialDelaySeconds: weirdNumber,
    timeoutSeconds: weirdNumber,
    periodSeconds: weirdNumber,
    failureThreshold: weirdNumber,
  },
  { requiredKeys: ['kind', 'initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'failureThreshold'] },
);

const containerName = fc.oneof(fc.constantFrom('checkout-api', 'sidecar'), text);

const container: fc.Arbitrary<ContainerSnapshot> = fc.record(
  {
    name: containerName,
    image: text,
    ready: fc.boolean(),
    restartCount: weirdNumber,
    waiting: fc.record({ reason: text, message: text }, { requiredKeys: ['reason'] }),
    running: fc.record({ startedAt: timestamp }, { requiredKeys: [] }),
    terminated,
    lastTerminated: terminated,
    memoryLimitBytes: weirdNumber,
    memoryLimit: text,
    subPathConfigMounts: weirdNumber,
    livenessProbe: probe,
    readinessProbe: probe,
    startupProbe: probe,
  },
  { requiredKeys: ['name', 'image', 'ready', 'restartCount'] },
);

const condition = fc.record(
  {
    type: fc.constantFrom(
      'Ready',
      'MemoryPressure',
      'DiskPressure',
      'PIDPressure',
      'NetworkUnavailable',
      'PodScheduled',
    ),
    status: fc.constantFrom('True', 'False', 'Unknown', ''),
    reason: text,
    message: text,
    lastTransitionTime: timestamp,
  },
  { requiredKeys: ['type', 'status'] },
);

const pod: fc.Arbitrary<PodSnapshot> = fc.record(
  {
    namespace: text,
    name: text,
    uid: text,
    nodeName: text,
    phase: fc.oneof(fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'), text),
    reason: text,
    message: text,
    conditions: fc.array(condition, { maxLength: 4 }),
    containers: fc.array(container, { maxLength: 3 }),
    initContainers: fc.array(container, { maxLength: 2 }),
    ownerKind: fc.oneof(fc.constantFrom('ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'), text),
    ownerName: text,
    createdAt: timestamp,
    deletionTimestamp: timestamp,
    finalizers: fc.array(text, { maxLength: 3 }),
  },
  {
    requiredKeys: [
      'namespace',
      'name',
      'uid',
      'phase',
      'conditions',
      'containers',
      'initContainers',
      'finalizers',
    ],
  },
);

const event: fc.Arbitrary<EventSnapshot> = fc.record(
  {
    type: fc.constantFrom('Warning', 'Normal'),
    reason: text,
    message: text,
    count: weirdNumber,
    lastSeen: timestamp,
    involvedKind: fc.constantFrom('Pod', 'Node'),
    involvedName: text,
    source: text,
  },
  { requiredKeys: ['type', 'reason', 'message', 'count', 'involvedKind', 'involvedName'] },
);

const node: fc.Arbitrary<NodeSnapshot> = fc.record(
  {
    name: text,
    conditions: fc.array(condition, { maxLength: 5 }),
    taints: fc.array(
      fc.record(
        {
          key: fc.oneof(
            fc.constantFrom('node.kubernetes.io/disk-pressure', 'node.kubernetes.io/unreachable'),
            text,
          ),
          value: text,
          effect: fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule'),
        },
        { requiredKeys: ['key', 'effect'] },
      ),
      { maxLength: 3 },
    ),
    unschedulable: fc.boolean(),
    allocatableMemoryBytes: weirdNumber,
    allocatableCpuMillis: weirdNumber,
    kubeletVersion: text,
  },
  { requiredKeys: ['name', 'conditions', 'taints', 'unschedulable'] },
);

const peer: fc.Arbitrary<PeerPod> = fc.record(
  {
    namespace: text,
    name: text,
    phase: fc.constantFrom('Running', 'Pending', 'Succeeded', 'Failed'),
    ready: fc.boolean(),
    restarts: weirdNumber,
    waitingReason: fc.oneof(fc.constantFrom('CrashLoopBackOff', 'Error', 'ImagePullBackOff'), text),
    lastExitCode: weirdNumber,
    lastReason: text,
  },
  { requiredKeys: ['namespace', 'name', 'phase', 'ready', 'restarts'] },
);

const nodePort: fc.Arbitrary<NodePortSnapshot> = fc.record({
  namespace: text,
  name: text,
  port: weirdNumber,
  nodePort: fc.oneof(fc.integer({ min: 0, max: 70000 }), weirdNumber),
});

const METRIC_KEYS = [
  'conntrackDropRate',
  'conntrackEntries',
  'conntrackInsertFailedRate',
  'conntrackLimit',
  'cpuCores',
  'filefdAllocated',
  'filefdMaximum',
  'iowaitRatio',
  'listenDropRate',
  'listenOverflowRate',
  'load1',
  'memoryAvailableBytes',
  'memoryLimitBytes',
  'memoryTotalBytes',
  'oomKillsRecent',
  'rootFsAvailableBytes',
  'rootFsSizeBytes',
  'workingSetBytes',
];
const metrics: fc.Arbitrary<MetricValues> = fc.dictionary(
  fc.oneof(fc.constantFrom(...METRIC_KEYS), fc.string({ maxLength: 8 })),
  fc.oneof(weirdNumber, fc.constant(null)),
  { maxKeys: 12 },
);

const logText = fc.oneof(
  fc.array(text, { maxLength: 12 }).map((lines) => lines.join('\n')),
  hostileString,
);

export const target: fc.Arbitrary<Target> = fc.oneof(
  fc.record(
    { kind: fc.constant('pod' as const), namespace: text, pod: text, container: containerName, node: text },
    { requiredKeys: ['kind', 'namespace', 'pod'] },
  ),
  fc.record({ kind: fc.constant('node' as const), node: text }),
  fc.record({ kind: fc.constant('none' as const) }),
);

export const context: fc.Arbitrary<TriageContext> = fc.record({
  target,
  pod: piece(pod),
  podEvents: piece(fc.array(event, { maxLength: 5 })),
  node: piece(node),
  nodeEvents: piece(fc.array(event, { maxLength: 5 })),
  peers: piece(fc.array(peer, { maxLength: 4 })),
  previousLog: piece(logText),
  metrics: piece(metrics),
  nodePorts: piece(fc.array(nodePort, { maxLength: 4 })),
  nodeLog: piece(logText),
  gatheredAt: timestamp,
});

/** Alert names seen in kube-prometheus, and any name the built-in catalog restricts itself to. */
const ALERT_NAMES = [
  ...new Set([
    'KubePodCrashLooping',
    'KubePodNotReady',
    'KubeContainerWaiting',
    'KubeNodeNotReady',
    'NodeFilesystemSpaceFillingUp',
    'NodeHighNumberConntrackEntriesUsed',
    ...BUILT_IN_SIGNATURES.flatMap((s) => s.alerts ?? []),
  ]),
];

export const alertname = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ALERT_NAMES) },
  fc.string({ minLength: 1, maxLength: 20 }),
);

export const alert: fc.Arbitrary<Alert> = fc.record({
  status: fc.constantFrom('firing' as const, 'resolved' as const),
  labels: fc
    .tuple(fc.dictionary(fc.string({ maxLength: 10 }), text, { maxKeys: 4 }), alertname, fc.option(text))
    .map(([labels, name, severity]) => ({
      ...labels,
      alertname: name,
      ...(severity === null ? {} : { severity }),
    })),
  annotations: fc.dictionary(fc.string({ maxLength: 10 }), text, { maxKeys: 2 }),
  startsAt: fc.constant('2026-11-23T08:23:36.014Z'),
  endsAt: fc.constant('0001-01-01T00:00:00Z'),
  generatorURL: fc.constant(''),
  fingerprint: fc.constant('b709ea564d7a1c55'),
});

// ---- signatures, shaped like SignatureSchema ----

export const FACTS = [...KNOWN_FACTS];

/** Patterns that pass the schema's safety screen, with and without matches in REAL_TEXTS. */
export const SAFE_PATTERNS = [
  'OOMKilled',
  'probe failed',
  '(liveness|readiness) probe',
  'exit code \\d+',
  '\\d+\\.\\d+',
  'timeout',
  '.*',
  '^Warning',
  'error:\\s+\\w+',
  '[^:]*: no such',
  'no space left|ENOSPC',
  'é',
  '^$',
  'x{3}',
  'table full',
  'Insufficient \\w+',
  'i/o timeout$',
];

const orUnknown = fc.option(fc.boolean(), { nil: undefined });
const withOrUnknown = <T extends object>(c: T, o: boolean | undefined): T =>
  o === undefined ? c : { ...c, orUnknown: o };

export function conditionOn(facts: readonly string[]): fc.Arbitrary<Condition> {
  const fact = fc.constantFrom(...facts);
  const scalar = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(...REAL_TEXTS),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer({ min: -2, max: 200 }),
    fc.boolean(),
  );
  const listValue = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom(...REAL_TEXTS),
    fc.integer({ min: -2, max: 200 }),
  );
  return fc.oneof(
    fc
      .tuple(fact, fc.constantFrom('eq' as const, 'neq' as const), scalar, orUnknown)
      .map(([f, op, value, o]) => withOrUnknown({ fact: f, op, value }, o)),
    fc
      .tuple(
        fact,
        fc.constantFrom('in' as const, 'notIn' as const),
        fc.array(listValue, { minLength: 1, maxLength: 5 }),
        orUnknown,
      )
      .map(([f, op, values, o]) => withOrUnknown({ fact: f, op, values }, o)),
    fc
      .tuple(
        fact,
        fc.constantFrom('gte' as const, 'gt' as const, 'lte' as const, 'lt' as const),
        fc.oneof(fc.integer({ min: -2, max: 200 }), fc.double({ noNaN: true, noDefaultInfinity: true })),
        orUnknown,
      )
      .map(([f, op, value, o]) => withOrUnknown({ fact: f, op, value }, o)),
    fc
      .tuple(
        fact,
        fc.constantFrom('matches' as const, 'notMatches' as const),
        fc.constantFrom(...SAFE_PATTERNS),
        orUnknown,
      )
      .map(([f, op, pattern, o]) => withOrUnknown({ fact: f, op, pattern }, o)),
    fc
      .tuple(fact, fc.constantFrom('exists' as const, 'absent' as const), orUnknown)
      .map(([f, op, o]) => withOrUnknown({ fact: f, op }, o)),
  );
}

const PLACEHOLDERS = [
  '{{namespace}}',
  '{{pod}}',
  '{{container}}',
  '{{node}}',
  '{{workload}}',
  '{{alertname}}',
  '{{ not.a.fact }}',
  ...FACTS.map((f) => `{{${f}}}`),
];
const template = fc
  .array(fc.oneof(fc.constantFrom(...PLACEHOLDERS), fc.string({ maxLength: 12 })), {
    minLength: 1,
    maxLength: 4,
  })
  .map((parts) => parts.join(' '))
  .filter((t) => t.length > 0 && t.length <= 2000);

export function signatureOn(facts: readonly string[]): fc.Arbitrary<Signature> {
  const conditions = (max: number) => fc.array(conditionOn(facts), { maxLength: max });
  return fc
    .record(
      {
        id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}$/),
        title: fc.string({ minLength: 1, maxLength: 40 }),
        alerts: fc.array(alertname, { minLength: 1, maxLength: 3 }),
        targets: fc.subarray(['pod', 'node'] as ('pod' | 'node')[], { minLength: 1 }),
        all: conditions(4),
        any: conditions(3),
        none: conditions(2),
        support: conditions(2),
        confidence: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
        specificity: fc.integer({ min: 1, max: 100 }),
        summary: template,
        remediation: fc.array(template, { minLength: 1, maxLength: 3 }),
      },
      {
        requiredKeys: [
          'id',
          'title',
          'targets',
          'all',
          'confidence',
          'specificity',
          'summary',
          'remediation',
        ],
      },
    )
    .filter((s) => s.all.length > 0 || (s.any?.length ?? 0) > 0);
}

export const signature = signatureOn(FACTS);

/** Signatures with distinct ids, as a playbook holds them. */
export const signatures = fc.uniqueArray(signature, { maxLength: 6, selector: (s) => s.id });
