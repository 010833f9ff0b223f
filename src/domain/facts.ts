// Flattens an alert and its gathered context into named facts that signature conditions test and quote.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { addDerivedFacts, DERIVED_FACTS } from './facts/derived-facts.js';
import { FactSheet, type Facts } from './facts/fact-sheet.js';
import { addMetricFacts, METRIC_FACTS } from './facts/metric-facts.js';
import {
  addEventFacts,
  addLogFacts,
  addNodeFacts,
  addNodeLogFacts,
  addPeerFacts,
  addServiceFacts,
  EVENT_FACTS,
  LOG_FACTS,
  NODE_FACTS,
  PEER_FACTS,
  SERVICE_FACTS,
} from './facts/node-facts.js';
import { addWorkloadFacts, POD_FACTS } from './facts/workload-facts.js';
import { addWorkloadObjectFacts, WORKLOAD_OBJECT_FACTS } from './facts/workload-object-facts.js';

const ALERT_FACTS = ['alert.name', 'alert.severity'] as const;

/** Every fact extractFacts can produce: what a signature condition may name. */
export const FACT_NAMES: readonly string[] = [
  ...ALERT_FACTS,
  ...POD_FACTS,
  ...NODE_FACTS,
  ...EVENT_FACTS,
  ...PEER_FACTS,
  ...SERVICE_FACTS,
  ...LOG_FACTS,
  ...METRIC_FACTS,
  ...DERIVED_FACTS,
  ...WORKLOAD_OBJECT_FACTS,
];

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
  addDerivedFacts(sheet, context);
  addWorkloadObjectFacts(sheet, context);
  return sheet.facts;
}
