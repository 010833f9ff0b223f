// The termination catalog on plain objects: which exit tells which story, what is quoted, and what must not match.
import { describe, expect, it } from 'vitest';
import { ok, unavailable } from '../../src/domain/context.js';
import {
  crashed,
  details,
  expectRealNames,
  findings,
  ids,
  NODE,
  podContext,
  WORKLOAD,
} from '../support/catalog-fixtures.js';
import { alert, event, node } from '../support/contexts.js';

const systemOom = event('SystemOOM', 'System OOM encountered, victim process: java, pid: 418822');
const probeKill = event(
  'Killing',
  'Container checkout-api failed liveness probe, will be restarted',
  'Normal',
  4,
);
const probeFailed = event(
  'Unhealthy',
  'Liveness probe failed: Get "http://10.20.3.117:8080/healthz": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
  'Warning',
  12,
);

describe('exit 137', () => {
  it('OOMKilled is a cgroup OOM, even when probes failed and the node had a system OOM', () => {
    const ctx = podContext(crashed({ exitCode: 137, reason: 'OOMKilled' }), {
      podEvents: [probeFailed, probeKill],
      nodeEvents: [systemOom],
      metrics: ok({ workingSetBytes: 533725184, memoryLimitBytes: 536870912 }),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('container-oom-killed');
    expect(ids(all)).not.toContain('external-sigkill');
    expect(ids(all)).not.toContain('node-oom-kill');
    expect(ids(all)).not.toContain('liveness-probe-kill');
    expect(details(all[0])).toEqual(expect.arrayContaining([expect.stringContaining('(reason OOMKilled)')]));
    expectRealNames(all[0], { node: true });
  });

  it('without OOMKilled but with a system OOM on the node it is node-oom-kill, quoting the kernel event', () => {
    const ctx = podContext(crashed({ exitCode: 137 }), {
      nodeEvents: [systemOom],
      metrics: ok({ oomKillsRecent: 3, memoryAvailableBytes: 2e8, memoryTotalBytes: 16e9 }),
    });
    const [top] = findings(alert(), ctx);
    expect(top?.signatureId).toBe('node-oom-kill');
    expect(top?.confidence).toBe('high');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        'Warning SystemOOM: System OOM encountered, victim process: java, pid: 418822',
        expect.stringContaining('exit code 137'),
      ]),
    );
    expect(top?.remediation.join('\n')).toContain(`journalctl -k`);
    expectRealNames(top, { node: true });
  });

  it('node memory pressure alone also points at the node, and a kernel "Out of memory: Killed process" line does too', () => {
    const pressure = podContext(crashed({ exitCode: 137 }), { node: ok(node({ MemoryPressure: 'True' })) });
    expect(findings(alert(), pressure)[0]?.signatureId).toBe('node-oom-kill');
    const kernel = podContext(crashed({ exitCode: 137 }), {
      nodeEvents: [event('OOMKilling', 'Out of memory: Killed process 2114907 (java) total-vm:7340032kB')],
    });
    expect(findings(alert(), kernel)[0]?.signatureId).toBe('node-oom-kill');
  });

  it('a cgroup OOM line on the node is not a system OOM', () => {
    const ctx = podContext(crashed({ exitCode: 137 }), {
      nodeEvents: [event('OOMKilling', 'Memory cgroup out of memory: Killed process 9912 (worker)')],
    });
    expect(ids(findings(alert(), ctx))).not.toContain('node-oom-kill');
  });

  it('killed by the liveness probe is liveness-probe-kill, not an unexplained SIGKILL', () => {
    const all = findings(
      alert(),
      podContext(crashed({ exitCode: 137 }), { podEvents: [probeKill, probeFailed] }),
    );
    expect(all[0]?.signatureId).toBe('liveness-probe-kill');
    expect(ids(all)).not.toContain('external-sigkill');
    expect(ids(all)).not.toContain('node-oom-kill');
  });

  it('with nothing to explain it, external-sigkill answers with low confidence and says what to check', () => {
    const all = findings(alert(), podContext(crashed({ exitCode: 137 })));
    expect(all[0]?.signatureId).toBe('external-sigkill');
    expect(all[0]?.confidence).toBe('low');
    expect(all[0]?.remediation.join('\n')).toMatch(/journalctl -u kubelet/);
    expectRealNames(all[0], { node: true });
  });

  it('says which evidence it could not read instead of claiming the node had no OOM', () => {
    const ctx = podContext(crashed({ exitCode: 137 }));
    const [top] = findings(alert(), { ...ctx, nodeEvents: unavailable('HTTP 403') });
    expect(top?.signatureId).toBe('external-sigkill');
    expect(top?.confidence).toBe('low');
    expect(top?.unchecked?.join('\n')).toMatch(/node events unavailable: HTTP 403/);
  });

  it('probe failures without the kill event make a probe kill too likely to call the SIGKILL unexplained', () => {
    expect(findings(alert(), podContext(crashed({ exitCode: 137 }), { podEvents: [probeFailed] }))).toEqual(
      [],
    );
  });

  it('a pod killed after its grace period while being deleted is not an unexplained SIGKILL', () => {
    const ctx = podContext(crashed({ exitCode: 137 }), {
      podOverrides: { deletionTimestamp: '2026-11-23T08:38:00.000Z' },
    });
    expect(ids(findings(alert(), ctx))).not.toContain('external-sigkill');
  });
});

describe('liveness-probe-kill', () => {
  it('exit 143 after "failed liveness probe" is the probe, not a generic SIGTERM', () => {
    const all = findings(alert(), podContext(crashed({ exitCode: 143 }), { podEvents: [probeKill] }));
    expect(all[0]?.signatureId).toBe('liveness-probe-kill');
    expect(ids(all)).not.toContain('signal-exit');
    expect(details(all[0])).toContain(
      'Normal Killing (x4): Container checkout-api failed liveness probe, will be restarted',
    );
    expectRealNames(all[0], { node: true });
  });
});

describe('app-error-exit', () => {
  const log = [
    'INFO worker: settling batch 77120',
    'ERROR worker: batch 77120 failed, giving up',
    'Traceback (most recent call last):',
    '  File "/app/worker/settle.py", line 88, in settle_batch',
    'psycopg2.errors.UndefinedColumn: column "settled_currency" does not exist',
  ].join('\n');

  it('exit 1 quotes the newest error line of the previous log, with medium confidence', () => {
    const [top] = findings(alert(), podContext(crashed({ exitCode: 1 }), { previousLog: ok(log) }));
    expect(top?.signatureId).toBe('app-error-exit');
    expect(top?.confidence).toBe('medium');
    expect(details(top)).toContain(
      'psycopg2.errors.UndefinedColumn: column "settled_currency" does not exist',
    );
    expect(top?.summary).toContain('code 1');
    expect(top?.remediation.join('\n')).toContain(`kubectl rollout undo ${WORKLOAD} -n payments`);
    expectRealNames(top);
  });

  it('exit 255 is an application error too', () => {
    const [top] = findings(
      alert(),
      podContext(crashed({ exitCode: 255 }), { previousLog: ok('PHP Fatal error:  Uncaught Error') }),
    );
    expect(top?.signatureId).toBe('app-error-exit');
    expect(details(top)).toContain('PHP Fatal error:  Uncaught Error');
  });

  it('still answers when the log could not be read', () => {
    const [top] = findings(
      alert(),
      podContext(crashed({ exitCode: 1 }), { previousLog: unavailable('HTTP 403') }),
    );
    expect(top?.signatureId).toBe('app-error-exit');
  });
});

describe('command-not-executable and command-not-found', () => {
  it('exit 126 with "Permission denied" is a command that cannot be executed', () => {
    const ctx = podContext(crashed({ exitCode: 126, startedAt: '2026-11-23T08:35:00.000Z' }), {
      previousLog: ok('/bin/sh: 1: /scripts/entrypoint.sh: Permission denied'),
    });
    const [top] = findings(alert(), ctx);
    expect(top?.signatureId).toBe('command-not-executable');
    expect(details(top)).toContain('/bin/sh: 1: /scripts/entrypoint.sh: Permission denied');
    expect(top?.remediation.join('\n')).toContain('defaultMode: 0755');
    expectRealNames(top);
  });

  it('"exec format error" under exit 255 is an image for another CPU architecture, not a generic error', () => {
    const ctx = podContext(crashed({ exitCode: 255 }), {
      previousLog: ok('exec /usr/local/bin/ledger-sync: exec format error'),
    });
    const all = findings(alert(), ctx);
    expect(all[0]?.signatureId).toBe('image-platform-mismatch');
    expect(all[0]?.confidence).toBe('high');
    expect(details(all[0])).toContain('exec /usr/local/bin/ledger-sync: exec format error');
    expect(all[0]?.remediation.join('\n')).toContain('kubernetes.io/arch');
    expect(ids(all)).not.toContain('command-not-executable');
    expect(ids(all)).not.toContain('app-error-exit');
    expectRealNames(all[0], { node: true });
  });

  it('an exec probe that is not executable does not make the container command unexecutable', () => {
    const ctx = podContext(crashed({ exitCode: 137 }), {
      podEvents: [
        event(
          'Unhealthy',
          'Liveness probe errored: rpc error: code = Unknown desc = failed to exec in container: exec: "/healthcheck.sh": permission denied',
        ),
        probeKill,
      ],
    });
    expect(ids(findings(alert(), ctx))).not.toContain('command-not-executable');
  });

  it('exit 127 with "not found" in the log is a missing command', () => {
    const [top] = findings(
      alert(),
      podContext(crashed({ exitCode: 127 }), { previousLog: ok('sh: 1: migrate: not found') }),
    );
    expect(top?.signatureId).toBe('command-not-found');
    expect(details(top)).toContain('sh: 1: migrate: not found');
    expectRealNames(top);
  });

  it('StartError 128 "executable file not found in $PATH" is a missing command, quoted from the termination message', () => {
    const message =
      'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown';
    const c = crashed({ exitCode: 128, reason: 'StartError', message });
    const [top] = findings(
      alert(),
      podContext(c, { podEvents: [event('Failed', `Error: ${message}`, 'Warning', 7)] }),
    );
    expect(top?.signatureId).toBe('command-not-found');
    expect(details(top)).toContain(`termination message: ${message}`);
  });
});

describe('signal-exit', () => {
  it('names SIGSEGV for exit 139 and quotes the crash line', () => {
    const ctx = podContext(crashed({ exitCode: 139 }), {
      previousLog: ok('resize job 5fa1c started\nFatal Python error: Segmentation fault'),
    });
    const [top] = findings(alert(), ctx);
    expect(top?.signatureId).toBe('signal-exit');
    expect(top?.summary).toContain('SIGSEGV');
    expect(details(top)).toContain('Fatal Python error: Segmentation fault');
    expectRealNames(top, { node: true });
  });

  it('names SIGABRT for exit 134', () => {
    const [top] = findings(alert(), podContext(crashed({ exitCode: 134 })));
    expect(top?.signatureId).toBe('signal-exit');
    expect(top?.summary).toContain('SIGABRT (exit 134');
  });

  it('never claims exit 137, which has its own four explanations', () => {
    expect(ids(findings(alert(), podContext(crashed({ exitCode: 137 }))))).not.toContain('signal-exit');
  });
});

describe('subpath-configmap-exit-128', () => {
  const message =
    'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error mounting "/var/lib/kubelet/pods/211d53f4/volume-subpaths/manage-config-volume/manage/0" to rootfs at "/app/resources/application.properties": no such file or directory: unknown';

  it('a StartError naming volume-subpaths on a container with a subPath ConfigMap mount', () => {
    const c = crashed({ exitCode: 128, reason: 'StartError', message }, { subPathConfigMounts: 1 });
    const all = findings(alert(), podContext(c));
    expect(all[0]?.signatureId).toBe('subpath-configmap-exit-128');
    expect(details(all[0])).toEqual(
      expect.arrayContaining([
        'container checkout-api mounts 1 ConfigMap/Secret volume(s) with subPath',
        `termination message: ${message}`,
      ]),
    );
    expect(ids(all)).not.toContain('command-not-found');
    expect(all[0]?.remediation.join('\n')).toContain(
      'kubectl delete pod checkout-api-7d9f8c6b5-x2x7q -n payments',
    );
    expectRealNames(all[0], { node: true });
  });

  it('needs a subPath mount of a ConfigMap or Secret', () => {
    const c = crashed({ exitCode: 128, reason: 'StartError', message });
    expect(ids(findings(alert(), podContext(c)))).not.toContain('subpath-configmap-exit-128');
  });
});

describe('config-error', () => {
  const keyError =
    'Traceback (most recent call last):\n  File "/app/settings.py", line 14\nKeyError: \'DATABASE_URL\'';

  it('a fast exit whose log names a missing setting is a configuration error, ahead of the generic error', () => {
    const c = crashed({
      exitCode: 1,
      startedAt: '2026-11-23T08:34:58.000Z',
      finishedAt: '2026-11-23T08:35:00.000Z',
    });
    const all = findings(alert(), podContext(c, { previousLog: ok(keyError) }));
    expect(all[0]?.signatureId).toBe('config-error');
    expect(ids(all)).toContain('app-error-exit');
    expect(details(all[0])).toEqual(
      expect.arrayContaining(["KeyError: 'DATABASE_URL'", 'the terminated instance of checkout-api ran 2s']),
    );
    expect(all[0]?.summary).toContain('2s after starting');
    expectRealNames(all[0]);
  });

  it('a YAML parse error at start-up is a configuration error', () => {
    const c = crashed({ exitCode: 1, startedAt: '2026-11-23T08:35:00.000Z' });
    const log =
      '{"level":"fatal","msg":"failed to load config","error":"yaml: line 14: did not find expected key"}';
    expect(findings(alert(), podContext(c, { previousLog: ok(log) }))[0]?.signatureId).toBe('config-error');
  });

  it('the same words after ten minutes of running are an application error, not start-up configuration', () => {
    const c = crashed({ exitCode: 1, startedAt: '2026-11-23T08:25:00.000Z' });
    expect(findings(alert(), podContext(c, { previousLog: ok(keyError) }))[0]?.signatureId).toBe(
      'app-error-exit',
    );
  });
});

describe('clean-exit-restart-loop', () => {
  it('exit 0 with restarts: a finite task restarted by restartPolicy Always, quoted and named', () => {
    const c = crashed({ exitCode: 0, reason: 'Completed' });
    const [top] = findings(alert(), podContext(c, { previousLog: ok('no change: schema is up to date') }));
    expect(top?.signatureId).toBe('clean-exit-restart-loop');
    expect(top?.confidence).toBe('high');
    expect(details(top)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('exit code 0 (reason Completed)'),
        expect.stringContaining('restarted 6 times'),
      ]),
    );
    expect(top?.remediation.join('\n')).toContain(`kubectl create job checkout-api-run -n payments`);
    expectRealNames(top);
  });
});

describe('exits that are not failures', () => {
  it('exit 0 without restarts (a completed Job pod) yields no finding', () => {
    const c = crashed({ exitCode: 0, reason: 'Completed' }, { restartCount: 0 });
    expect(findings(alert(), podContext(c, { previousLog: ok('no change: schema is up to date') }))).toEqual(
      [],
    );
  });

  it('an unreadable pod status yields no termination finding', () => {
    const ctx = podContext(crashed({ exitCode: 1 }));
    const all = findings(alert(), { ...ctx, pod: unavailable('HTTP 500') });
    expect(ids(all)).toEqual([]);
  });

  it('the demo node name is what remediation names', () => {
    const [top] = findings(alert(), podContext(crashed({ exitCode: 137 })));
    expect(top?.remediation.join('\n')).toContain(NODE);
  });
});
