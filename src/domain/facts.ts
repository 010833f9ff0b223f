// Flattens an alert and its gathered context into named facts that signature conditions test and quote.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { FactSheet, type Facts } from './facts/fact-sheet.js';
import { addMetricFacts } from './facts/metric-facts.js';
import {
  addEventFacts,
  addLogFacts,
  addNodeFacts,
  addNodeLogFacts,
  addPeerFacts,
  addServiceFacts,
} from './facts/node-facts.js';
import { addWorkloadFacts } from './facts/workload-facts.js';

export type { Fact, Facts, TextItem } from './facts/fact-sheet.js';
export { focusContainer } from './facts/fact-sheet.js';

export function extractFacts(alert: Alert, context: TriageContext): Facts {
  const sheet = new FactSheet();
  sheet.value('alert.name', alert.labels.alertname ?? '', 'alert', () => `alert ${alert.labels.alertname}`);
  sheet.value(
    'alert.severity',
    alert.labels.severity ?? '',
    'alert',
    () => `severity ${alert.labels.severity ?? 'none'}`,
  );
  addWorkloadFacts(sheet, context);
  addEventFacts(sheet, context);
  addNodeFacts(sheet, context);
  addPeerFacts(sheet, context);
  addServiceFacts(sheet, context);
  addLogFacts(sheet, context);
  addNodeLogFacts(sheet, context);
  addMetricFacts(sheet, context);
  return sheet.facts;
}
