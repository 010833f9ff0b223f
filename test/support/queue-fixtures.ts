// One alert envelope and one slash-command job, as the api queues them: shared by the queue format and SQS tests.

import type { AlertEnvelope } from '../../src/domain/alert.js';
import type { CommandJob } from '../../src/domain/command-job.js';
import { alert } from './contexts.js';

export function queuedEnvelope(overrides: Partial<AlertEnvelope['alert']> = {}): AlertEnvelope {
  return {
    alert: { ...alert(), ...overrides },
    groupKey: '{}:{namespace="payments"}',
    receiver: 'alert-triage',
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    groupSize: 1,
    receivedAt: '2026-11-23T08:24:00.000Z',
  };
}

export const queuedJob: CommandJob = {
  command: '/triage',
  request: { kind: 'pod', namespace: 'payments', pod: 'checkout-api-7d9f8c6b5-x2x7q' },
  responseUrl: 'https://hooks.slack.com/commands/T0EXAMPLE1/8123456789012/AbCdEfGhIjKlMnOpQrStUvWx',
  userId: 'U0ONCALL01',
  channelId: 'C0ALERTS01',
  teamId: 'T0EXAMPLE1',
  receivedAt: '2026-11-23T08:24:00.000Z',
};
