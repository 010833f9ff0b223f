// Incidents and findings for tests of what is shown (messages, answers): one OOM finding, an incident from an alert.
import type { Alert } from '../../src/domain/alert.js';
import type { TriageContext } from '../../src/domain/context.js';
import { type Incident, newIncident } from '../../src/domain/incident.js';
import type { Finding } from '../../src/domain/signature.js';

export const oomFinding = (overrides: Partial<Finding> = {}): Finding => ({
  signatureId: 'container-oom-killed',
  title: 'Container OOM-killed',
  confidence: 'high',
  summary: 'checkout-api used more than its 512Mi limit.',
  evidence: [{ source: 'pod.status', detail: 'last terminated: OOMKilled, exit code 137' }],
  remediation: [
    'Raise the limit: `kubectl set resources deployment/checkout-api -n payments --limits=memory=1Gi`',
  ],
  ...overrides,
});

/** The incident triage would record for `alert` (delivered alone in its group) with these findings. */
export function incidentOf(
  alert: Alert,
  context: TriageContext,
  findings: readonly Finding[],
  at: string,
  receivedAt = '',
): Incident {
  const envelope = {
    alert,
    groupKey: '{}',
    receiver: 'r',
    externalURL: '',
    truncatedAlerts: 0,
    groupSize: 1,
    receivedAt,
  };
  return newIncident(envelope, context, findings, at);
}
