// What a no-match incident shows: abnormal signals only, newest warnings and log lines, secrets masked.
import { describe, expect, it } from 'vitest';
import { emptyContext, ok } from '../../src/domain/context.js';

const NOW = '2026-11-23T08:45:00Z';

import { observedContext } from '../../src/domain/observed.js';
import { alert, container, context, event, node, pod } from '../support/contexts.js';

describe('observedContext', () => {
  it('always says what fired, about which subject, with its problem labels, and what was checked', () => {
    const fired = alert({
      alertname: 'KubeCPUOvercommit',
      severity: 'warning',
      namespace: '',
      pod: '',
      container: '',
    });
    const labels = { alertname: 'KubeCPUOvercommit', severity: 'warning', prometheus: 'monitoring/k8s' };
    const lines = observedContext(
      { ...fired, labels, annotations: {} },
      emptyContext({ kind: 'cluster' }, 'nothing to read', NOW),
    );
    expect(lines[0]).toBe('fired: KubeCPUOvercommit (warning) about cluster');
    expect(lines[1]).toBe('checked: nothing could be read for this subject (see "Context not available")');

    const fs = {
      alertname: 'NodeFilesystemAlmostOutOfSpace',
      severity: 'critical',
      mountpoint: '/var/lib/containerd',
      device: '/dev/nvme1n1',
      job: 'node-exporter',
      instance: 'ip-10-20-3-41',
    };
    const node = observedContext(
      { ...fired, labels: fs, annotations: { summary: 'Filesystem has less than 3% space left.' } },
      context({ target: { kind: 'node', node: 'ip-10-20-3-41' } }),
    );
    expect(node[0]).toBe(
      'fired: NodeFilesystemAlmostOutOfSpace (critical) about node/ip-10-20-3-41 [mountpoint=/var/lib/containerd, device=/dev/nvme1n1]: Filesystem has less than 3% space left.',
    );
    expect(node[1]).toMatch(/^checked: /);
  });

  it('says when the alert names an invalid subject, and that nothing was read for it', () => {
    const target = { kind: 'none' as const, invalid: 'the alert names an invalid pod: "a;b"' };
    const lines = observedContext(alert(), emptyContext(target, 'invalid subject', NOW));
    expect(lines[0]).toContain('the alert names an invalid pod');
  });

  it('shows the container state, warnings first, the last log lines, and masks secrets', () => {
    const lines = observedContext(
      alert(),
      context({
        pod: ok(pod([container({ restartCount: 4, lastTerminated: { exitCode: 0, reason: 'Completed' } })])),
        podEvents: [
          event('Pulled', 'image already present', 'Normal'),
          event('BackOff', 'Back-off restarting failed container'),
        ],
        previousLog: ok('connecting with password=hunter2 to db\nschema is up to date\n'),
      }),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('exit code 0 (reason Completed)'),
        expect.stringContaining('restarted 4 times'),
      ]),
    );
    const events = lines.filter((l) => l.startsWith('event: '));
    expect(events[0]).toContain('Warning BackOff');
    expect(lines.filter((l) => l.startsWith('previous log: '))[0]).toContain('schema is up to date');
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('leaves out what is healthy: ready node, no pressure, no restarts', () => {
    const lines = observedContext(
      alert(),
      context({ pod: ok(pod([container({ restartCount: 0 })])), node: ok(node()) }),
    );
    expect(lines.join('\n')).not.toMatch(/restarted|MemoryPressure|condition Ready/);
  });

  it('names a node that is not ready', () => {
    const lines = observedContext(alert(), context({ node: ok(node({ Ready: 'Unknown' })) }));
    expect(lines.join('\n')).toContain('Ready=Unknown');
  });
});
