// The alert as evidence: every label and annotation it carries becomes a fact (`alert.label.mountpoint`).
import type { Alert } from '../alert.js';
import type { FactSheet } from './fact-sheet.js';

/** Prometheus label names ([a-zA-Z_][a-zA-Z0-9_]*); annotations follow the same rule in practice. */
const LABEL_FACT = /^alert\.(label|annotation)\.[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,99}$/;

/** Facts named after the alert's own labels and annotations: any name a rule can give is valid in a signature. */
export const isAlertLabelFact = (name: string): boolean => LABEL_FACT.test(name);

/** Facts drawn from the alert beyond its raw labels. */
export const ALERT_FACTS = ['alert.name', 'alert.severity', 'alert.mountpointHolds'];

/** What a node filesystem holds, by where it is mounted (the kubelet and runtime defaults). */
const MOUNTPOINTS: readonly (readonly [RegExp, string])[] = [
  [
    /^\/var\/lib\/(containerd|docker|containers)(\/|$)/,
    'container images and the writable layers of running containers (the image filesystem)',
  ],
  [
    /^\/var\/lib\/kubelet(\/|$)/,
    "the kubelet's pod directories: emptyDir volumes and pod state (the node filesystem)",
  ],
  [/^\/var\/log(\/|$)/, 'container and system logs'],
  [
    /^\/$/,
    'the operating system and, unless they have disks of their own, logs, images, containers and emptyDir volumes',
  ],
];

export function mountpointHolds(mountpoint: string): string {
  return MOUNTPOINTS.find(([re]) => re.test(mountpoint))?.[1] ?? `what is stored under ${mountpoint}`;
}

export function addAlertFacts(sheet: FactSheet, alert: Alert): void {
  sheet.value('alert.name', alert.labels.alertname ?? '', 'alert', () => `alert ${alert.labels.alertname}`);
  sheet.value(
    'alert.severity',
    alert.labels.severity ?? '',
    'alert',
    () => `severity ${alert.labels.severity ?? 'none'}`,
  );
  const mountpoint = alert.labels.mountpoint;
  if (mountpoint) {
    const holds = mountpointHolds(mountpoint);
    sheet.value('alert.mountpointHolds', holds, 'alert', () => `${mountpoint} holds ${holds}`);
  }
  for (const [name, value] of Object.entries(alert.labels)) {
    if (NAME.test(name))
      sheet.value(`alert.label.${name}`, value, 'alert', () => `alert label ${name}="${value}"`);
  }
  // Annotations are prose for humans (description, summary, runbook_url), quoted as the rule wrote them.
  for (const [name, value] of Object.entries(alert.annotations)) {
    if (NAME.test(name) && value.trim() !== '')
      sheet.value(`alert.annotation.${name}`, value, 'alert', () => `alert ${name}: ${value.trim()}`);
  }
}
