// The adapter reads where a container is told to listen, and never the values of other env entries (credentials).
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { podSnapshot } from '../../src/adapters/kubernetes/snapshots.js';

const pod = (container: Record<string, unknown>): V1Pod =>
  ({
    metadata: { name: 'kepler-9fk2d', namespace: 'power-monitor', uid: 'u1' },
    spec: {
      containers: [
        { name: 'kepler', image: 'quay.io/sustainable_computing_io/kepler:v0.10.0', ...container },
      ],
    },
    status: { phase: 'Running' },
  }) as V1Pod;

describe('podSnapshot launch', () => {
  it('keeps command, args and listen-related env entries with literal values', () => {
    const snapshot = podSnapshot(
      pod({
        command: ['/usr/bin/kepler'],
        args: ['--web.listen-address=127.0.0.1:28282'],
        env: [
          { name: 'BIND_ADDR', value: '127.0.0.1' },
          { name: 'POSTGRES_PASSWORD', value: 'hunter2' },
          { name: 'LISTEN_HOST', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        ],
      }),
    );
    expect(snapshot.containers[0]?.launch).toEqual([
      '/usr/bin/kepler',
      '--web.listen-address=127.0.0.1:28282',
      'BIND_ADDR=127.0.0.1',
    ]);
    expect(JSON.stringify(snapshot)).not.toContain('hunter2');
  });

  it('is absent when the image defaults are used', () => {
    expect(podSnapshot(pod({})).containers[0]?.launch).toBeUndefined();
  });
});
