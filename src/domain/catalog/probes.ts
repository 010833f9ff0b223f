// Built-in signatures for failing probes: why the kubelet's check of a container timed out or was refused.
import type { Signature } from '../signature.js';
import {
  LIVENESS_KILL,
  PROBE_ANSWERED,
  PROBE_REFUSED,
  PROBE_TIMEOUT,
  PROBE_TIMEOUT_OR_RESET,
  SERVER_STARTED,
} from './probe-patterns.js';

const listenBacklog: Signature = {
  id: 'probe-timeout-listen-backlog',
  title: "Probe timeouts: the node's TCP listen queues overflow",
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: PROBE_TIMEOUT }],
  any: [
    { fact: 'metrics.listenOverflowRate', op: 'gt', value: 0 },
    { fact: 'metrics.listenDropRate', op: 'gt', value: 0 },
  ],
  support: [
    { fact: 'events.pod', op: 'matches', pattern: LIVENESS_KILL },
    { fact: 'events.node', op: 'matches', pattern: 'SYN flooding' },
    { fact: 'logs.node', op: 'matches', pattern: 'SYN flooding' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 85,
  summary:
    'Probes of {{container}} in {{namespace}}/{{pod}} time out while listen sockets on {{node}} overflow ({{metrics.listenOverflowRate}} accept-queue overflows/s). New connections wait in a full SYN or accept queue, so the kubelet gives up before the handshake completes even though the process itself may be fine.',
  remediation: [
    'Confirm on {{node}}: run `nstat -az TcpExtListenOverflows TcpExtListenDrops` twice a few seconds apart (the counters must grow), and `ss -lnt`: a listener whose Recv-Q reaches its Send-Q (the backlog it got) is the one overflowing.',
    'Read the limits: `sysctl net.core.somaxconn net.ipv4.tcp_max_syn_backlog`. Raise both: `sysctl -w net.core.somaxconn=32768 net.ipv4.tcp_max_syn_backlog=32768`, and persist them in a file under /etc/sysctl.d/ and in the node bootstrap so replacement nodes get them too.',
    'These are per network namespace: the host values cover hostNetwork pods only. For a pod with its own network, set `net.core.somaxconn` in the pod `securityContext.sysctls` (the kubelet must allow it with `--allowed-unsafe-sysctls=net.core.somaxconn`) and check inside with `nsenter -t <pid> -n nstat -az TcpExtListenOverflows`.',
    'somaxconn only caps what the program asks for: raise the backlog {{container}} passes to listen() too (nginx `listen ... backlog=`, Tomcat `server.tomcat.accept-count`, Node.js `server.listen({ backlog })`; Go asks for somaxconn by itself), then `kubectl rollout restart {{workload}} -n {{namespace}}`.',
    "Find what floods the node with connections: `ss -tan state syn-recv | wc -l` and `ss -tan | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -rn | head` on {{node}}; a burst of short connections from one workload is the usual trigger.",
  ],
};

const fdExhaustion: Signature = {
  id: 'probe-timeout-fd-exhaustion',
  title: 'Probe timeouts: the process ran out of file descriptors',
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: PROBE_TIMEOUT }],
  any: [
    { fact: 'logs.previous', op: 'matches', pattern: 'too many open files|EMFILE' },
    { fact: 'metrics.filefdRatio', op: 'gte', value: 0.8 },
  ],
  support: [
    { fact: 'metrics.listenOverflowRate', op: 'gt', value: 0 },
    { fact: 'events.pod', op: 'matches', pattern: LIVENESS_KILL },
    { fact: 'peers.failing', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 88,
  summary:
    'Probes of {{container}} in {{namespace}}/{{pod}} time out because file descriptors ran out (the process hit its `nofile` limit, or {{node}} its `fs.file-max`). Without a free descriptor the server cannot accept a new connection: probes and new clients hang while established connections keep working.',
  remediation: [
    'Compare limit and usage inside the container: `kubectl exec -n {{namespace}} {{pod}} -c {{container}} -- sh -c "ulimit -n; ls /proc/1/fd | wc -l"` (if PID 1 is a wrapper script, use the server\'s PID).',
    'On {{node}}, per process: get the PID with `crictl ps --name {{container}}` and `crictl inspect <container-id> | jq .info.pid`, then `grep "open files" /proc/<pid>/limits`, `ls /proc/<pid>/fd | wc -l`, and `ls -l /proc/<pid>/fd | grep -c socket` (mostly sockets means connections, not files).',
    'Raise the limit containers inherit: `systemctl show containerd -p LimitNOFILE`; set `LimitNOFILE=65535` (or higher) with `systemctl edit containerd`, restart containerd, then `kubectl rollout restart {{workload}} -n {{namespace}}`. A soft limit of 1024 is far too low for a server holding thousands of sockets.',
    'If the count keeps climbing after the raise, it is a leak: sample `ls /proc/<pid>/fd | wc -l` over time, list the peers with `nsenter -t <pid> -n ss -tanp`, and fix clients created per request or never closed.',
    'When many processes are affected, check the whole node: `cat /proc/sys/fs/file-nr` against `sysctl fs.file-max` on {{node}}.',
  ],
};

const portRangeOverlap: Signature = {
  id: 'probe-rst-port-range-overlap',
  title: "Intermittent probe failures: NodePorts overlap the nodes' ephemeral port range",
  targets: ['pod'],
  all: [
    { fact: 'events.pod', op: 'matches', pattern: PROBE_TIMEOUT_OR_RESET },
    { fact: 'services.nodePortsOutsideDefaultRange', op: 'gt', value: 0 },
  ],
  support: [
    { fact: 'services.nodePortsInEphemeralRange', op: 'gt', value: 0 },
    // Quotes one Service whose NodePort lies inside the Linux default ephemeral range 32768-60999.
    {
      fact: 'services.nodePorts',
      op: 'matches',
      pattern: '→(3276[89]|327[7-9]\\d|32[89]\\d{2}|3[3-9]\\d{3}|[45]\\d{4}|60\\d{3})$',
    },
  ],
  // Medium: the node's ip_local_port_range and the probe's source port are not visible, only the precondition.
  confidence: 'medium',
  specificity: 70,
  summary:
    "Probes of {{container}} in {{namespace}}/{{pod}} fail now and then while the cluster exposes {{services.nodePortsOutsideDefaultRange}} NodePort(s) outside the default 30000-32767 range. Where such a port also lies in a node's ephemeral range (`net.ipv4.ip_local_port_range`), the kubelet can use it as the source port of a probe; kube-proxy then takes the pod's SYN-ACK for NodePort traffic and resets it, and the probe times out.",
  remediation: [
    'Compare the ranges on {{node}}: `sysctl net.ipv4.ip_local_port_range net.ipv4.ip_local_reserved_ports` against the API server flag `--service-node-port-range`, and list the NodePorts in use: `kubectl get svc -A -o wide | grep NodePort` (LoadBalancer Services hold NodePorts too: `kubectl get svc -A | grep LoadBalancer`).',
    'Confirm a collision: capture on {{node}} while a probe fails, e.g. `tcpdump -ni any "tcp[tcpflags] & tcp-rst != 0"`, and check whether the RST follows a SYN-ACK whose destination port is one of those NodePorts.',
    'Reserve the NodePort range on every node so local connections never pick it: `sysctl -w net.ipv4.ip_local_reserved_ports=<service-node-port-range, e.g. 20000-40000>`, persisted under /etc/sysctl.d/ and in the node bootstrap.',
    'Or move the ephemeral range clear of it (for a 20000-40000 NodePort range: `sysctl -w net.ipv4.ip_local_port_range="40001 65000"`), or return service-node-port-range to the default.',
    "Reduce the port churn that makes collisions frequent: `ss -tan state time-wait | awk '{print $4}' | cut -d: -f1 | sort | uniq -c | sort -rn | head` on {{node}} shows who opens many short connections (in the field case, node-local-dns health-checking itself every second).",
  ],
};

const nodeOverload: Signature = {
  id: 'probe-timeout-node-overload',
  title: 'Probe timeouts on an overloaded node (CPU load or I/O wait)',
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: PROBE_TIMEOUT }],
  any: [
    { fact: 'metrics.loadPerCore', op: 'gt', value: 2 },
    { fact: 'metrics.iowaitRatio', op: 'gt', value: 0.3 },
  ],
  support: [
    { fact: 'events.node', op: 'matches', pattern: 'TaskHung|blocked for more than \\d+ seconds' },
    { fact: 'peers.failing', op: 'gte', value: 1 },
    { fact: 'metrics.memoryAvailableRatio', op: 'lt', value: 0.1 },
  ],
  confidence: 'high',
  specificity: 78,
  summary:
    'Probes of {{container}} in {{namespace}}/{{pod}} time out while {{node}} is saturated: processes there queue for CPU or wait on the disk, so the application (and the kubelet) answer too late for the probe deadline.',
  remediation: [
    'Find the load on {{node}}: `top` (load average against the CPU count, the `wa` column for iowait; press 1 for each CPU) and `pidstat -u -d 1 5` for CPU and disk per process; `iostat -x 1 5` shows a device near 100% util.',
    'Map busy processes to pods: `crictl ps` and `crictl stats` on the node, `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`; busy processes outside any container are host services (backups, agents, a database installed on the node).',
    'Relieve the node: CPU requests and limits for the hog, spread replicas with topology spread constraints, move I/O-heavy work to its own volume or node pool; meanwhile `kubectl cordon {{node}}` and delete the failing pods so they start elsewhere.',
    'Give the probe headroom: raise `timeoutSeconds` and `failureThreshold` on {{workload}} (`kubectl edit {{workload}} -n {{namespace}}`) and keep the health handler free of slow dependencies.',
    'Keep the kubelet responsive under load: reserve CPU for it and the runtime with kubelet `systemReserved` and `kubeReserved`.',
  ],
};

const slowStart: Signature = {
  id: 'probe-misconfigured-slow-start',
  title: 'Liveness probe kills the container before it finishes starting',
  targets: ['pod'],
  all: [
    { fact: 'events.pod', op: 'matches', pattern: LIVENESS_KILL },
    // 0: a server that handles SIGTERM exits cleanly when the kubelet stops it.
    { fact: 'container.exitCode', op: 'in', values: [0, 137, 143] },
    { fact: 'container.hasStartupProbe', op: 'eq', value: false },
    // Killed at the first chance liveness had: it never got to finish starting and pass a probe.
    { fact: 'container.killedWithinLivenessBudget', op: 'eq', value: true },
    { fact: 'container.restartCount', op: 'gte', value: 2 },
  ],
  none: [
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'logs.previous', op: 'matches', pattern: SERVER_STARTED },
    // Refused for the whole run, not only while starting: nothing will ever listen where the kubelet connects.
    { fact: 'container.listensOnLoopback', op: 'exists' },
    // An HTTP status is an answer: the server was up, and the probe's path or the handler is the problem.
    { fact: 'events.pod', op: 'matches', pattern: PROBE_ANSWERED },
  ],
  support: [
    { fact: 'container.livenessInitialDelaySeconds', op: 'lte', value: 30 },
    { fact: 'logs.previous', op: 'matches', pattern: 'starting|initiali[sz]|migrat|loading|warm' },
    { fact: 'events.pod', op: 'matches', pattern: PROBE_REFUSED },
  ],
  confidence: 'high',
  specificity: 75,
  summary:
    'The kubelet kills {{container}} of {{namespace}}/{{pod}} while it is still starting: the last instance ran only {{container.runSeconds}}s, while liveness may kill it {{container.livenessBudgetSeconds}}s after a start (checks begin after {{container.livenessInitialDelaySeconds}}s) and there is no startup probe, so a slow start is treated as a hang ({{container.restartCount}} restarts so far).',
  remediation: [
    'Measure the real start time: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous` shows how far the killed instance got; time a start without the liveness probe until the health endpoint answers.',
    'Add a startupProbe on the same endpoint that covers the slowest start, e.g. `periodSeconds: 10` and `failureThreshold: 30` (up to 300 s); liveness checks only begin once it succeeds: `kubectl edit {{workload}} -n {{namespace}}`.',
    'Keep the liveness probe for hangs after start-up: a cheap endpoint, a timeout of a few seconds, no checks of downstream services.',
    'If start-up got slower recently, find out why: CPU throttling during warm-up (a low CPU limit), schema migrations or cache loading at boot; more CPU at start or moving that work out of the start path shortens it.',
  ],
};

const connectionRefused: Signature = {
  id: 'probe-connection-refused',
  title: 'Probe connection refused: nothing listens on the probed port',
  targets: ['pod'],
  all: [{ fact: 'events.pod', op: 'matches', pattern: PROBE_REFUSED }],
  none: [
    // An application that exits on its own refuses probes as a consequence, not as the cause; one the kubelet
    // stopped (exit 137, 143, or 0 from a clean SIGTERM handler) does not.
    { fact: 'container.exitedOnItsOwn', op: 'eq', value: true },
  ],
  support: [
    { fact: 'container.listensOnLoopback', op: 'exists' },
    { fact: 'events.pod', op: 'matches', pattern: LIVENESS_KILL },
    { fact: 'logs.previous', op: 'matches', pattern: SERVER_STARTED },
  ],
  confidence: 'high',
  specificity: 65,
  summary:
    'Probes of {{container}} in {{namespace}}/{{pod}} get "connection refused": nothing in the pod listens on the probed port at that moment. The probe points at the wrong port, the server listens on another port or only on 127.0.0.1, or its listener died while the process lived on.',
  remediation: [
    'Compare the probe with what the container really listens on: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.containers[?(@.name=="{{container}}")].livenessProbe}\'` and `kubectl exec -n {{namespace}} {{pod}} -c {{container}} -- ss -tln` (for images without tools: `nsenter -t <pid> -n ss -tlnp` on {{node}}).',
    'A server bound to 127.0.0.1 refuses the kubelet, which connects to the pod IP: make it listen on 0.0.0.0.',
    'Make probe and server agree, preferably with a named container port (`port: http`) in the probe so both follow one definition: `kubectl edit {{workload}} -n {{namespace}}`.',
    'For hostNetwork pods, two pods on {{node}} wanting the same host port leave one without a listener: `ss -tlnp | grep <port>` on the node.',
    'If the port was open earlier, the listener failed while the process kept running: read why in `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous`.',
  ],
};

export const PROBE_SIGNATURES: readonly Signature[] = [
  listenBacklog,
  fdExhaustion,
  portRangeOverlap,
  nodeOverload,
  slowStart,
  connectionRefused,
];
