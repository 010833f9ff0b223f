// Built-in signatures for the node's network stack: probes, conntrack, DNS and kube-proxy's iptables rules.
import type { Signature } from '../signature.js';
import { aboutAnotherPart } from './alert-scope.js';
import { DNS_FAILURE, DNS_TIMEOUT, PROBE_TIMEOUT } from './probe-patterns.js';
import { PROBE_SIGNATURES } from './probes.js';

/** A table this full drops new flows; the field-guide story alerts from 0.7 to get ahead of it. */
const CONNTRACK_FULL = { fact: 'metrics.conntrackRatio', op: 'gte', value: 0.9 } as const;

const conntrackTableFull: Signature = {
  id: 'conntrack-table-full',
  title: 'Node conntrack table full: new connections are dropped',
  targets: ['pod', 'node'],
  // The metric or the kernel's own "table full" line (node log query, node-problem-detector) proves it.
  all: [],
  any: [
    CONNTRACK_FULL,
    { fact: 'logs.node', op: 'matches', pattern: 'nf_conntrack: table full' },
    { fact: 'events.node', op: 'matches', pattern: 'nf_conntrack: table full' },
  ],
  none: aboutAnotherPart('conntrack'),
  support: [
    { fact: 'metrics.conntrackDropRate', op: 'gt', value: 0 },
    { fact: 'peers.failing', op: 'gte', value: 1 },
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern: 'no such host|i/o timeout|connection timed out|dial tcp',
    },
    { fact: 'events.pod', op: 'matches', pattern: PROBE_TIMEOUT },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    'The connection-tracking table on {{node}} is at {{metrics.conntrackRatio}} of its {{metrics.conntrackLimit}} entries, so the kernel drops new connections: DNS lookups, probes and API calls of every pod on the node fail, whatever the pod.',
  remediation: [
    'Confirm on the node: `sysctl net.netfilter.nf_conntrack_count net.netfilter.nf_conntrack_max` and `journalctl -k | grep "nf_conntrack: table full"` on {{node}}.',
    'Find who holds the entries: `conntrack -L 2>/dev/null | grep -oE "src=[0-9a-f.:]+" | sort | uniq -c | sort -rn | head` on {{node}}, then match the addresses to pods with `kubectl get pods -A -o wide --field-selector spec.nodeName={{node}}`.',
    'Fix the leak at its source: a client created per request or per reconcile loop that never closes idle connections is the usual culprit; reuse one client and set idle-connection timeouts.',
    'Buy headroom meanwhile: `sysctl -w net.netfilter.nf_conntrack_max=<about twice {{metrics.conntrackLimit}}>` and persist it under /etc/sysctl.d/ (kube-proxy `--conntrack-max-per-core` may set it again at restart).',
    'Relieve the node now: `kubectl cordon {{node}}` and delete the failing pods so their controllers recreate them on healthy nodes.',
  ],
};

const dnsResolutionFailure: Signature = {
  id: 'dns-resolution-failure',
  title: 'Name resolution failing in the pod',
  targets: ['pod'],
  all: [{ fact: 'logs.previous', op: 'matches', pattern: DNS_FAILURE }],
  // A full conntrack table breaks DNS as one symptom among many; conntrack-table-full names the cause.
  none: [CONNTRACK_FULL],
  support: [{ fact: 'peers.failing', op: 'gte', value: 1 }],
  confidence: 'high',
  specificity: 55,
  summary:
    '{{container}} in {{namespace}}/{{pod}} could not resolve host names before it stopped, so it never reached the services it depends on. Either the name is wrong (no such host) or the pod cannot get answers from cluster DNS (timeouts, server misbehaving).',
  remediation: [
    "Resolve the name from the log in the pod's network: `kubectl debug -n {{namespace}} {{pod}} -it --image=busybox:1.36 -- nslookup <name from the log>`, and a name that must work: `nslookup kubernetes.default.svc.cluster.local`.",
    'Check cluster DNS: `kubectl -n kube-system get pods -l k8s-app=kube-dns -o wide`, `kubectl -n kube-system get endpoints kube-dns` and `kubectl -n kube-system logs -l k8s-app=kube-dns --tail=50`.',
    "Check the pod's resolver settings: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.dnsPolicy}'`, and `/etc/resolv.conf` in the pod (nameserver = the kube-dns ClusterIP, search domains, ndots).",
    'NetworkPolicies must allow egress to DNS on port 53 over UDP and TCP: `kubectl get networkpolicy -n {{namespace}}`.',
    '"no such host" for an in-cluster name: the Service must exist where the name points (`<service>.<namespace>.svc.cluster.local`); a short name only resolves inside the namespace of {{pod}}.',
  ],
};

const dns5sRace: Signature = {
  id: 'dns-5s-latency-conntrack-race',
  title: 'DNS lookups stall for 5 s: conntrack race on parallel UDP queries',
  targets: ['pod'],
  all: [
    { fact: 'logs.previous', op: 'matches', pattern: DNS_TIMEOUT },
    { fact: 'metrics.conntrackInsertFailedRate', op: 'gt', value: 0 },
  ],
  none: [CONNTRACK_FULL],
  support: [{ fact: 'peers.failing', op: 'gte', value: 1 }],
  confidence: 'high',
  specificity: 80,
  summary:
    'DNS lookups of {{container}} in {{namespace}}/{{pod}} time out while {{node}} counts {{metrics.conntrackInsertFailedRate}} conntrack insert failures/s. glibc and musl send the A and AAAA queries in parallel from one socket; when both race through the DNAT to the DNS Service, the kernel drops one, and the resolver waits its 5 s timeout before it retries.',
  remediation: [
    'Confirm on {{node}}: `conntrack -S` shows `insert_failed` growing, and lookups from the pod take about 5 s now and then: `kubectl exec -n {{namespace}} {{pod}} -c {{container}} -- sh -c "for i in 1 2 3 4 5 6; do time nslookup <name from the log>; done"`.',
    'For this workload: make glibc use separate sockets for A and AAAA by adding `dnsConfig: {options: [{name: single-request-reopen}]}` to the pod template of {{workload}} (musl, in Alpine images, ignores the option: use the node-local cache there).',
    'For the cluster: deploy NodeLocal DNSCache, so pods query a cache on their own node over a link-local address without DNAT and conntrack, and it forwards to CoreDNS over TCP.',
    'Send fewer queries: `ndots: 2` in dnsConfig, or fully qualified names with a trailing dot, avoids the search-domain expansion that multiplies every lookup.',
  ],
};

const KUBE_MARK_DROP_MISSING = 'load target .?KUBE-MARK-DROP|KUBE-MARK-DROP.{0,40}no such file or directory';

const kubeProxyIptablesMismatch: Signature = {
  id: 'kube-proxy-iptables-mismatch',
  title: 'kube-proxy cannot sync rules: iptables backend mismatch (KUBE-MARK-DROP missing)',
  targets: ['pod'],
  all: [{ fact: 'logs.previous', op: 'matches', pattern: KUBE_MARK_DROP_MISSING }],
  support: [
    { fact: 'logs.previous', op: 'matches', pattern: 'iptables-restore v[0-9.]+ \\((legacy|nf_tables)\\)' },
    { fact: 'container.image', op: 'matches', pattern: 'kube-proxy' },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    '{{container}} in {{namespace}}/{{pod}} cannot write its iptables rules: the KUBE-MARK-DROP chain its rules jump to does not exist in the iptables backend it uses. The node (its OS tools and kubelet) runs one backend, nf_tables, and this kube-proxy image the other, legacy, so Service rules on {{node}} go stale.',
  remediation: [
    'See which backend each side uses: on {{node}} `iptables -V` prints `(nf_tables)` or `(legacy)`; the failing log line names the one kube-proxy uses. Where the chain lives: `iptables-legacy-save | grep -c KUBE-MARK-DROP` and `iptables-nft-save | grep -c KUBE-MARK-DROP`.',
    "Upgrade kube-proxy to the release matching the control plane: current releases detect the node's backend and create the chains they need. `kubectl -n kube-system get ds kube-proxy -o jsonpath='{.spec.template.spec.containers[0].image}'` shows the running image; on managed clusters update the kube-proxy add-on.",
    'Until then keep node OS and kube-proxy on one backend: do not run an old kube-proxy image (legacy only) on OS releases that default to nf_tables (Ubuntu 20.04+, RHEL/CentOS 8+), or switch the node to legacy with `update-alternatives --set iptables /usr/sbin/iptables-legacy` where the distribution supports it.',
    'After the fix, `kubectl -n {{namespace}} logs {{pod}} -c {{container}} --tail=50` must show no `Failed to execute iptables-restore`, and Service ClusterIPs must answer from {{node}} again.',
  ],
};

const XTABLES_LOCK = 'Another app is currently holding the xtables lock';

const kubeProxyXtablesLock: Signature = {
  id: 'kube-proxy-xtables-lock',
  title: 'iptables updates blocked: another process holds the xtables lock',
  targets: ['pod'],
  all: [{ fact: 'logs.previous', op: 'matches', pattern: XTABLES_LOCK }],
  support: [
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern: 'Failed to (execute iptables-restore|ensure that .* chain)',
    },
    { fact: 'events.pod', op: 'matches', pattern: 'probe failed:.*statuscode: 5\\d\\d' },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    '{{container}} in {{namespace}}/{{pod}} cannot apply its iptables rules on {{node}}: another process holds the xtables lock (/run/xtables.lock) longer than it waits, so rule syncs fail or lag and Service and policy changes reach the node late.',
  remediation: [
    'Find the holder on {{node}}: `fuser -v /run/xtables.lock` (or `lsof /run/xtables.lock`), and list what writes iptables there: kube-proxy, CNI and network-policy agents (calico, kube-router), firewalld.',
    'Every pod that runs iptables must share the host lock file: mount `/run/xtables.lock` as a hostPath volume (`type: FileOrCreate`); a pod without it has a private lock and writes concurrently. Check: `kubectl get pod {{pod}} -n {{namespace}} -o yaml | grep -B2 -A3 xtables`.',
    'An old iptables-restore without `-w` gives up at once instead of waiting: upgrade kube-proxy (or the node OS where kube-proxy runs as a binary) so it waits for the lock.',
    'Shorten how long the lock is held: upgrade or reconfigure the agent that holds it longest (full rewrites of large rule sets, very frequent syncs); with thousands of Services consider kube-proxy in IPVS or nftables mode.',
  ],
};

export const NETWORK_SIGNATURES: readonly Signature[] = [
  conntrackTableFull,
  ...PROBE_SIGNATURES,
  dnsResolutionFailure,
  dns5sRace,
  kubeProxyIptablesMismatch,
  kubeProxyXtablesLock,
];
