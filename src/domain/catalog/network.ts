// Built-in signatures for probes and the node's network stack: listen backlog, fds, port ranges, conntrack, DNS.
import type { Signature } from '../signature.js';

const conntrackTableFull: Signature = {
  id: 'conntrack-table-full',
  title: 'Node conntrack table full: new connections are dropped',
  targets: ['pod', 'node'],
  all: [{ fact: 'metrics.conntrackRatio', op: 'gte', value: 0.9 }],
  support: [
    { fact: 'metrics.conntrackDropRate', op: 'gt', value: 0 },
    { fact: 'peers.failing', op: 'gte', value: 1 },
    { fact: 'events.node', op: 'matches', pattern: 'nf_conntrack: table full' },
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern: 'no such host|i/o timeout|connection timed out|dial tcp',
    },
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

export const NETWORK_SIGNATURES: readonly Signature[] = [conntrackTableFull];
