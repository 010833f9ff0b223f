// Facts from the queries the alert asked for: its filesystem, claim, network device and clock.
import type { Alert } from '../alert.js';
import type { MetricValues, TriageContext } from '../context.js';
import { formatBytes, formatNumber } from '../format.js';
import { addCapacityFacts, CAPACITY_FACTS } from './capacity-facts.js';
import { type FactSheet, nodeNameOf } from './fact-sheet.js';
import { claimOf } from './subject-facts.js';

export const ALERT_METRIC_FACTS = [
  'metrics.fsAvailableBytes',
  'metrics.fsSizeBytes',
  'metrics.fsUsedRatio',
  'metrics.fsHourlyGrowthBytes',
  'metrics.fsHoursToFull',
  'metrics.fsTimeToFull',
  'metrics.fsFilesUsedRatio',
  'metrics.fsFilesFree',
  'metrics.pvcAvailableBytes',
  'metrics.pvcCapacityBytes',
  'metrics.pvcUsedRatio',
  'metrics.pvcHourlyGrowthBytes',
  'metrics.pvcHoursToFull',
  'metrics.pvcTimeToFull',
  'metrics.pvcInodesUsedRatio',
  'metrics.pvcInodesFree',
  'metrics.netReceiveErrorRate',
  'metrics.netTransmitErrorRate',
  'metrics.netErrorRatio',
  'metrics.netReceiveDropRate',
  'metrics.netMtu',
  'metrics.clockOffsetSeconds',
  'metrics.clockMaxErrorSeconds',
  'metrics.clockSynchronised',
];

const pct = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

function read(m: MetricValues, key: string): number | undefined {
  const value = m[key];
  return value === null || value === undefined ? undefined : value;
}

/** "31 hours", "2.5 days"; growth at or below zero never fills the disk. */
export function timeToFull(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return 'not filling at the current rate';
  if (hours < 1) return `about ${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `about ${Math.round(hours)} hours`;
  return `about ${formatNumber(Math.round((hours / 24) * 10) / 10)} days`;
}

interface Fill {
  readonly prefix: 'fs' | 'pvc';
  readonly what: string;
  readonly avail: number | undefined;
  readonly size: number | undefined;
  readonly growthPerSecond: number | undefined;
}

/** Usage, growth per hour and time to full of one filesystem (a node's mountpoint or a claim's volume). */
function addFill(sheet: FactSheet, f: Fill): void {
  const { prefix, what, avail, size } = f;
  sheet.value(
    `metrics.${prefix}AvailableBytes`,
    avail,
    'metrics',
    () => `${what}: ${formatBytes(avail ?? 0)} free`,
  );
  // The kubelet calls a volume's size its capacity; node-exporter calls a filesystem's its size.
  sheet.value(
    prefix === 'pvc' ? 'metrics.pvcCapacityBytes' : 'metrics.fsSizeBytes',
    size,
    'metrics',
    () => `${what}: ${formatBytes(size ?? 0)} in all`,
  );
  if (avail === undefined || size === undefined || size <= 0) return;
  const used = 1 - avail / size;
  sheet.value(
    `metrics.${prefix}UsedRatio`,
    used,
    'metrics',
    () => `${what} is ${pct(used)} full: ${formatBytes(avail)} free of ${formatBytes(size)}`,
  );
  if (f.growthPerSecond === undefined) return;
  const perHour = f.growthPerSecond * 3600;
  const hours = perHour > 0 ? avail / perHour : undefined;
  const growth = () =>
    perHour > 0
      ? `${what} grew by ${formatBytes(perHour)}/h over the last 6h: full in ${timeToFull(hours)}`
      : `${what} did not grow over the last 6h`;
  sheet.value(`metrics.${prefix}HourlyGrowthBytes`, perHour, 'metrics', growth);
  sheet.value(`metrics.${prefix}HoursToFull`, hours, 'metrics', growth);
  sheet.value(`metrics.${prefix}TimeToFull`, timeToFull(hours), 'metrics', growth);
}

function addFilesystem(sheet: FactSheet, m: MetricValues, alert: Alert, node: string): void {
  const mountpoint = alert.labels.mountpoint;
  if (!mountpoint) return;
  const device = alert.labels.device ? ` (${alert.labels.device})` : '';
  const what = `${mountpoint}${device} on ${node}`;
  addFill(sheet, {
    prefix: 'fs',
    what,
    avail: read(m, 'fsAvailBytes'),
    size: read(m, 'fsSizeBytes'),
    growthPerSecond: read(m, 'fsFillBytesPerSecond'),
  });
  const free = read(m, 'fsFilesFree');
  const files = read(m, 'fsFiles');
  sheet.value(
    'metrics.fsFilesFree',
    free,
    'metrics',
    () => `${what}: ${formatNumber(free ?? 0)} inodes free`,
  );
  if (free !== undefined && files !== undefined && files > 0) {
    const used = 1 - free / files;
    sheet.value(
      'metrics.fsFilesUsedRatio',
      used,
      'metrics',
      () => `inodes of ${what}: ${pct(used)} used, ${formatNumber(free)} free of ${formatNumber(files)}`,
    );
  }
}

function addClaim(sheet: FactSheet, m: MetricValues, context: TriageContext): void {
  const claim = claimOf(context);
  if (!claim) return;
  const what = `volume of claim ${claim.namespace}/${claim.name}`;
  addFill(sheet, {
    prefix: 'pvc',
    what,
    avail: read(m, 'pvcAvailableBytes'),
    size: read(m, 'pvcCapacityBytes'),
    growthPerSecond: read(m, 'pvcFillBytesPerSecond'),
  });
  const free = read(m, 'pvcInodesFree');
  const inodes = read(m, 'pvcInodes');
  sheet.value(
    'metrics.pvcInodesFree',
    free,
    'metrics',
    () => `${what}: ${formatNumber(free ?? 0)} inodes free`,
  );
  if (free !== undefined && inodes !== undefined && inodes > 0) {
    const used = 1 - free / inodes;
    sheet.value(
      'metrics.pvcInodesUsedRatio',
      used,
      'metrics',
      () => `inodes of ${what}: ${pct(used)} used, ${formatNumber(free)} free of ${formatNumber(inodes)}`,
    );
  }
}

function addNetwork(sheet: FactSheet, m: MetricValues, alert: Alert, node: string): void {
  const device = alert.labels.device;
  if (!device || alert.labels.mountpoint) return;
  const rx = read(m, 'netReceiveErrsRate');
  const tx = read(m, 'netTransmitErrsRate');
  const rxPackets = read(m, 'netReceivePacketsRate');
  const txPackets = read(m, 'netTransmitPacketsRate');
  const on = `${device} on ${node}`;
  sheet.value(
    'metrics.netReceiveErrorRate',
    rx,
    'metrics',
    () => `receive errors on ${on}: ${formatNumber(rx ?? 0)}/s over 5m`,
  );
  sheet.value(
    'metrics.netTransmitErrorRate',
    tx,
    'metrics',
    () => `transmit errors on ${on}: ${formatNumber(tx ?? 0)}/s over 5m`,
  );
  const ratios = [
    rx !== undefined && rxPackets ? ['received', rx / rxPackets] : undefined,
    tx !== undefined && txPackets ? ['sent', tx / txPackets] : undefined,
  ].filter((r): r is [string, number] => r !== undefined);
  const worst = ratios.sort((a, b) => b[1] - a[1])[0];
  if (worst) {
    sheet.value(
      'metrics.netErrorRatio',
      worst[1],
      'metrics',
      () => `${pct(worst[1])} of the packets ${worst[0]} on ${on} have errors`,
    );
  }
  const drops = read(m, 'netReceiveDropRate');
  sheet.value(
    'metrics.netReceiveDropRate',
    drops,
    'metrics',
    () => `receive drops on ${on}: ${formatNumber(drops ?? 0)}/s over 5m`,
  );
  const mtu = read(m, 'netMtuBytes');
  sheet.value('metrics.netMtu', mtu, 'metrics', () => `MTU of ${on}: ${formatNumber(mtu ?? 0)}`);
}

function addClock(sheet: FactSheet, m: MetricValues, node: string): void {
  const offset = read(m, 'clockOffsetSeconds');
  const maxError = read(m, 'clockMaxErrorSeconds');
  const sync = read(m, 'clockSyncStatus');
  const ms = (s: number) => `${formatNumber(s * 1000)} ms`;
  sheet.value(
    'metrics.clockOffsetSeconds',
    offset,
    'metrics',
    () => `clock offset on ${node}: ${ms(offset ?? 0)} (node_timex_offset_seconds)`,
  );
  sheet.value(
    'metrics.clockMaxErrorSeconds',
    maxError,
    'metrics',
    () =>
      `estimated maximum clock error on ${node}: ${formatNumber(maxError ?? 0)} s (node_timex_maxerror_seconds)`,
  );
  if (sync !== undefined) {
    sheet.value('metrics.clockSynchronised', sync >= 1, 'metrics', () =>
      sync >= 1
        ? `the kernel reports the clock of ${node} synchronised (node_timex_sync_status=1)`
        : `the kernel reports the clock of ${node} not synchronised for the last 5m (node_timex_sync_status=0)`,
    );
  }
}

export function addAlertMetricFacts(sheet: FactSheet, alert: Alert, context: TriageContext): void {
  if (sheet.unknown([...ALERT_METRIC_FACTS, ...CAPACITY_FACTS], context.metrics, 'Prometheus')) return;
  if (context.metrics.status !== 'ok') return;
  const m = context.metrics.value;
  const node = nodeNameOf(context);
  addFilesystem(sheet, m, alert, node);
  addClaim(sheet, m, context);
  addNetwork(sheet, m, alert, node);
  addClock(sheet, m, node);
  addCapacityFacts(sheet, m, context, node);
}
