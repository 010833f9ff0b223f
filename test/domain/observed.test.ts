// What a no-match incident shows: abnormal signals only, newest warnings and log lines, secrets masked.
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/domain/context.js';
import { observedContext } from '../../src/domain/observed.js';
import { alert, container, context, event, node, pod } from '../support/contexts.js';

describe('observedContext', () => {
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
