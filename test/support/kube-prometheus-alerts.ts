// The reference table of every alert a default kube-prometheus cluster fires (test/fixtures/kube-prometheus/alerts.md),
// as label sets with plausible object names in place of its placeholders.
import { readFileSync } from 'node:fs';

/** Rows of the reference table: alert name and its label set, `<placeholder>` values as written there. */
export function referenceAlerts(): { alertname: string; labels: Record<string, string> }[] {
  const table = readFileSync(new URL('../fixtures/kube-prometheus/alerts.md', import.meta.url), 'utf8');
  return table
    .split('\n')
    .filter((line) => /^\| [A-Za-z]+ \| (warning|critical|info|none) \|/.test(line))
    .map((line) => {
      const cells = line.split('|').map((c) => c.trim());
      const alertname = cells[1] ?? '';
      const labels: Record<string, string> = { alertname };
      for (const pair of (cells[4] ?? '').split(', ')) {
        const [name, value] = pair.split('=');
        if (name && value !== undefined) labels[name] = value;
      }
      return { alertname, labels };
    });
}

/** Plausible object names for the table's placeholders, as a real cluster would send them. */
export const NAMES: Record<string, string> = {
  '<namespace>': 'payments',
  '<pod>': 'checkout-api-7d9f8c6b5-x2x7q',
  '<container>': 'api',
  '<instance>': '10.244.1.23:8443',
  '<uid>': '3b6f8e52-1c1a-4f5e-9a43-2b7f1c0d9e11',
  '<deployment>': 'checkout-api',
  '<statefulset>': 'ledger-db',
  '<daemonset>': 'log-shipper',
  '<job_name>': 'nightly-report-29410560',
  '<horizontalpodautoscaler>': 'checkout-api',
  '<poddisruptionbudget>': 'checkout-api',
  '<resource>': 'requests.cpu',
  '<resourcequota>': 'payments-quota',
  '<node>': 'ip-10-20-3-41.eu-west-1.compute.internal',
  '<persistentvolumeclaim>': 'data-ledger-db-0',
  '<persistentvolume>': 'pvc-0c5e2f7a-2d8b-4a4c-9d7e-1f0b4a3c2e19',
  '<phase>': 'Failed',
  '<device>': 'nvme0n1p1',
  '<fstype>': 'ext4',
  '<mountpoint>': '/var/lib/containerd',
  '<effect>': 'NoSchedule',
  '<key>': 'node.kubernetes.io/unreachable',
  '<eviction_signal>': 'memory.available',
  '<quantile>': '0.99',
  '<long>': '1h',
  '<short>': '5m',
};

/** A reference alert with its placeholders filled in. */
export function filledLabels(raw: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, NAMES[v] ?? v]));
}
