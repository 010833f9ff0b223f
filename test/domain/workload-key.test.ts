// Workload keys group pods of one controller across restarts and rollouts.
import { describe, expect, it } from 'vitest';
import { workloadKey } from '../../src/triage/recurrence.js';

describe('workloadKey', () => {
  it.each([
    ['checkout-api-7d9f8c6b5-x2x7q', 'checkout-api'],
    ['checkout-api-5c8d7b9f4-qk4mz', 'checkout-api'],
    ['calico-node-b8w2b', 'calico-node'],
    ['postgres-0', 'postgres'],
    ['standalone', 'standalone'],
  ])('%s belongs to %s', (pod, key) => {
    expect(workloadKey(pod)).toBe(key);
  });
});
