// The real createApp with in-memory ports and no servers: for tests that send thousands of requests.
import type { AlertEnvelope } from '../../src/domain/alert.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import type { PlaybookEntry } from '../../src/domain/playbook.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log.js';
import type { AlertQueue, IncidentStore, PlaybookStore } from '../../src/ports.js';

export const WEBHOOK_TOKEN = 'fuzz-webhook-token-0123456789abcdef';
export const API_TOKEN = 'fuzz-api-token-0123456789abcdef';

/** Keeps every batch it is given, so a test can count exactly what a request queued. */
export class RecordingQueue implements AlertQueue {
  readonly batches: AlertEnvelope[][] = [];
  get count(): number {
    return this.batches.reduce((n, b) => n + b.length, 0);
  }
  async enqueue(envelopes: readonly AlertEnvelope[]): Promise<void> {
    this.batches.push([...envelopes]);
  }
}

export class MemoryPlaybookStore implements PlaybookStore {
  readonly items = new Map<string, PlaybookEntry>();
  async entries(): Promise<PlaybookEntry[]> {
    return [...this.items.values()];
  }
  async put(entry: PlaybookEntry): Promise<void> {
    this.items.set(entry.id, entry);
  }
  async remove(id: string): Promise<boolean> {
    return this.items.delete(id);
  }
}

/**
 * An incident store with nothing in it; enough for the read routes' auth and validation. Complete, with no cast:
 * a method added to the port fails to compile here rather than failing at run time in a test that reaches it.
 */
export const emptyStore: IncidentStore = {
  get: async () => undefined,
  create: async () => 'created',
  resolve: async () => undefined,
  claimNotification: async () => undefined,
  releaseNotification: async () => {},
  recordNotification: async () => {},
  recordDeliveryFailure: async () => {},
  claimResolveNotice: async () => undefined,
  releaseResolveNotice: async () => {},
  markResolveNoticed: async () => {},
  list: async () => ({ items: [], nextCursor: null }),
  update: async () => undefined,
};

export function minimalApp(store: IncidentStore = emptyStore) {
  const queue = new RecordingQueue();
  const playbooks = new MemoryPlaybookStore();
  const logs: string[] = [];
  const app = createApp({
    webhookToken: WEBHOOK_TOKEN,
    apiToken: API_TOKEN,
    queue,
    store,
    playbooks,
    builtIns: BUILT_IN_SIGNATURES,
    log: createLogger({
      level: 'warn',
      sink: (line) => logs.push(line),
      secrets: [WEBHOOK_TOKEN, API_TOKEN],
    }),
  });
  return { app, queue, playbooks, logs };
}
