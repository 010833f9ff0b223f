// Flattens an alert and its gathered context into named facts that signature conditions test and quote.
import type { Alert } from './alert.js';
import type { TriageContext } from './context.js';
import { ALERT_FACTS, addAlertFacts, isAlertLabelFact } from './facts/alert-facts.js';
import { ALERT_METRIC_FACTS, addAlertMetricFacts } from './facts/alert-metric-facts.js';
import { CAPACITY_FACTS } from './facts/capacity-facts.js';
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
import { addSubjectFacts, SUBJECT_FACTS } from './facts/subject-facts.js';
import { addWorkloadFacts, POD_FACTS } from './facts/workload-facts.js';
import { addWorkloadObjectFacts, WORKLOAD_OBJECT_FACTS } from './facts/workload-object-facts.js';

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
  ...ALERT_METRIC_FACTS,
  ...CAPACITY_FACTS,
  ...SUBJECT_FACTS,
];

/** A fact a condition may name: a listed one, or any label or annotation of the alert (`alert.label.mountpoint`). */
export const isKnownFact = (name: string): boolean => FACT_NAMES.includes(name) || isAlertLabelFact(name);

export type { Fact, Facts, TextItem } from './facts/fact-sheet.js';
export { focusContainer } from './facts/fact-sheet.js';

export function extractFacts(alert: Alert, context: TriageContext): Facts {
  const sheet = new FactSheet();
  addAlertFacts(sheet, alert);
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
  addAlertMetricFacts(sheet, alert, context);
  addSubjectFacts(sheet, alert, context);
  return sheet.facts;
}
