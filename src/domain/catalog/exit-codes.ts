// Built-in signatures for exit codes other than 137: application errors, bad commands, signals, start failures.
import type { Signature } from '../signature.js';

/** Log lines that usually carry the reason an application gave up. */
const ERROR_LINE =
  '\\b(errors?|exceptions?|fatal|panic|traceback|failed|failure|critical|unable to|cannot|could not)\\b|\\w(Error|Exception)\\b|\\bE\\d{4} \\d{2}:\\d{2}';
/** The runtime could not execute the entrypoint it found. */
const NOT_EXECUTABLE = 'exec[: ].*permission denied';
/** The runtime could not find the entrypoint at all. */
const NOT_FOUND =
  'executable file not found|exec: "[^"]*": stat [^ ]+: no such file or directory|exec [^ :]+: no such file or directory';
/** Events about the container itself, not the exec command of a probe. */
const notAProbe = (pattern: string): string => `^(?!.*probe).*(?:${pattern})`;
/** Startup logs naming a missing file, a missing setting or a configuration that does not parse. */
const CONFIG_PROBLEM = [
  'no such file or directory|file not found|could not (open|read|load|find) (the )?(config|configuration|file)',
  'failed to (open|read|load) (config|configuration)',
  'environment variable|env var|is not set|must be set|is required|missing required|KeyError: ',
  'parse error|failed to parse|unable to parse|cannot parse|could not parse|error parsing|yaml: line \\d+',
  'json: cannot unmarshal|invalid (yaml|json|toml|config|configuration|syntax)|unexpected token|syntax error',
].join('|');

const appErrorExit: Signature = {
  id: 'app-error-exit',
  title: 'Application exited with an error',
  targets: ['pod'],
  all: [{ fact: 'container.exitCode', op: 'gte', value: 1 }],
  none: [
    { fact: 'container.signal', op: 'exists' },
    { fact: 'container.exitCode', op: 'in', values: [126, 127, 128] },
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    // A child killed at the memory limit makes its parent exit 1: that is container-oom-killed.
    { fact: 'memory.oomScope', op: 'exists' },
    { fact: 'logs.previous', op: 'matches', pattern: 'exec format error' },
  ],
  support: [
    { fact: 'logs.previous', op: 'matches', pattern: ERROR_LINE },
    { fact: 'container.terminationMessage', op: 'exists' },
    { fact: 'container.restartCount', op: 'gte', value: 3 },
  ],
  confidence: 'medium',
  specificity: 20,
  mechanism: true,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} exited on its own with code {{container.exitCode}}: the application reported a failure (1 is the catch-all error, 255 usually `exit(-1)`). The last error lines of its previous log say why.',
  remediation: [
    'Read the end of the crashed instance: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=200`; the quoted line is the newest error-looking one.',
    'If the crashes began with a rollout, compare and roll back: `kubectl rollout history {{workload}} -n {{namespace}}`, then `kubectl rollout undo {{workload}} -n {{namespace}}`.',
    'Check what the application depends on at start (configuration, Secrets, databases, other Services): `kubectl describe pod {{pod}} -n {{namespace}}` and `kubectl get events -n {{namespace}} --field-selector involvedObject.name={{pod}}`.',
    'Reproduce with a shell in a copy of the pod: `kubectl debug {{pod}} -n {{namespace}} -it --copy-to={{pod}}-debug --container={{container}} -- sh`, then run the entrypoint by hand.',
  ],
};

/**
 * Exit 0 and restarts: the process finished and said all is well, but the pod's restartPolicy is Always (every
 * Deployment, StatefulSet and DaemonSet pod), so the kubelet starts it again and backs off. Story 002: 0 is a
 * normal exit; CrashLoopBackOff restarts anything unless restartPolicy is Never.
 */
const cleanExitRestartLoop: Signature = {
  id: 'clean-exit-restart-loop',
  title: 'Container exits successfully and is restarted: a finite task under restartPolicy Always',
  targets: ['pod'],
  all: [
    { fact: 'container.exitCode', op: 'eq', value: 0 },
    { fact: 'container.restartCount', op: 'gte', value: 1 },
  ],
  // The kubelet's kill events outrank the exit code: a process that exits 0 on its SIGTERM did not finish a task.
  none: [
    { fact: 'container.signal', op: 'exists' },
    { fact: 'container.exitedOnItsOwn', op: 'eq', value: false },
  ],
  support: [
    { fact: 'container.waitingReason', op: 'eq', value: 'CrashLoopBackOff' },
    { fact: 'container.runSeconds', op: 'lte', value: 60 },
    { fact: 'events.pod', op: 'matches', pattern: 'Back-off restarting failed container' },
  ],
  confidence: 'high',
  specificity: 60,
  mechanism: true,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} ends with exit code 0 (it finished, it did not fail) and has been started again {{container.restartCount}} times: pods of {{workload}} restart every container that stops, so a program that runs to completion lands in CrashLoopBackOff.',
  remediation: [
    'See how the last run ended: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=50`; a clean finish ("done", "no change", a summary line) means the program is a one-shot task.',
    'Run a one-shot task as a Job (or a CronJob, or an init container before the server starts) instead of in {{workload}}: `kubectl create job {{container}}-run -n {{namespace}} --image={{container.image}}` as a start, then move it into your manifests.',
    'If {{container}} should keep running (a server or a worker), find why its main process returns: an entrypoint script that starts the real process in the background (`&`, a daemonizing flag such as `daemon off` missing), a command or args that only print and exit, or a loop that ends when its queue is empty. Check `kubectl get {{workload}} -n {{namespace}} -o jsonpath=\'{.spec.template.spec.containers[?(@.name=="{{container}}")].command}\'`.',
  ],
};

const commandNotExecutable: Signature = {
  id: 'command-not-executable',
  title: 'Container command cannot be executed (exit 126, permission denied)',
  targets: ['pod'],
  all: [{ fact: 'container.exitCode', op: 'exists' }],
  any: [
    { fact: 'container.exitCode', op: 'eq', value: 126 },
    { fact: 'container.terminationMessage', op: 'matches', pattern: NOT_EXECUTABLE },
    { fact: 'container.waitingMessage', op: 'matches', pattern: NOT_EXECUTABLE },
    { fact: 'events.pod', op: 'matches', pattern: notAProbe(NOT_EXECUTABLE) },
  ],
  // A binary for another CPU architecture is image-platform-mismatch.
  none: [{ fact: 'logs.previous', op: 'matches', pattern: 'exec format error' }],
  support: [
    { fact: 'logs.previous', op: 'matches', pattern: 'permission denied|cannot execute|bad interpreter' },
    { fact: 'container.restartCount', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 75,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} cannot run its command: the file is there but may not be executed (exit {{container.exitCode}}). Usual causes: no execute bit in the image, a script mounted from a ConfigMap or Secret with the default 0644 mode, or a `noexec` volume.',
  remediation: [
    'See exactly what the container runs: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.containers[?(@.name=="{{container}}")].command}{"\\n"}{.spec.containers[?(@.name=="{{container}}")].args}\'` and the image defaults: `crane config {{container.image}} | jq \'.config.Entrypoint, .config.Cmd\'`.',
    'In the image, set the mode when copying the file: `COPY --chmod=0755 entrypoint.sh /` (or `RUN chmod +x`), rebuild and roll out.',
    'For a script mounted from a ConfigMap or Secret, give the volume `defaultMode: 0755` (or run it as `sh /path/script.sh`): `kubectl edit {{workload}} -n {{namespace}}`.',
    'For a volume mounted `noexec`, check the mount on {{node}}: `findmnt -o TARGET,OPTIONS | grep noexec`, and run the file through its interpreter instead.',
  ],
};

const commandNotFound: Signature = {
  id: 'command-not-found',
  title: 'Container command not found (exit 127)',
  targets: ['pod'],
  all: [{ fact: 'container.exitCode', op: 'exists' }],
  any: [
    { fact: 'container.exitCode', op: 'eq', value: 127 },
    { fact: 'container.terminationMessage', op: 'matches', pattern: NOT_FOUND },
    { fact: 'container.waitingMessage', op: 'matches', pattern: NOT_FOUND },
    { fact: 'events.pod', op: 'matches', pattern: notAProbe(NOT_FOUND) },
  ],
  support: [
    { fact: 'logs.previous', op: 'matches', pattern: 'not found|no such file or directory' },
    { fact: 'container.restartCount', op: 'gte', value: 1 },
  ],
  confidence: 'high',
  specificity: 75,
  summary:
    'The command container {{container}} of {{namespace}}/{{pod}} is told to run does not exist in image {{container.image}} (exit {{container.exitCode}}): a typo in `command`/`args`, a binary that is not on `$PATH`, a build stage that forgot to copy it, or a script whose interpreter (say `#!/bin/bash` on Alpine or distroless) is missing.',
  remediation: [
    'See exactly what the container runs: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{.spec.containers[?(@.name=="{{container}}")].command}{"\\n"}{.spec.containers[?(@.name=="{{container}}")].args}\'` and the image defaults: `crane config {{container.image}} | jq \'.config.Entrypoint, .config.Cmd, .config.Env\'`.',
    'List what the image really contains: `crane export {{container.image}} - | tar -tvf - | grep -E "bin/|<command name>"`.',
    'Fix the command or the image: correct the path in the Deployment (`kubectl edit {{workload}} -n {{namespace}}`), or copy the binary (and its interpreter) into the final build stage.',
    'If the crashes started with a new image tag, roll back while you fix it: `kubectl rollout undo {{workload}} -n {{namespace}}`.',
  ],
};

const signalExit: Signature = {
  id: 'signal-exit',
  title: 'Container terminated by a signal',
  targets: ['pod'],
  all: [
    { fact: 'container.signal', op: 'exists' },
    { fact: 'container.exitCode', op: 'neq', value: 137 },
  ],
  none: [
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'events.pod', op: 'matches', pattern: 'failed (liveness|startup) probe, will be restarted' },
    { fact: 'pod.deletionAgeSeconds', op: 'exists' },
  ],
  support: [
    {
      fact: 'logs.previous',
      op: 'matches',
      pattern:
        'segfault|segmentation fault|sigsegv|sigabrt|sigbus|core dumped|abort|assertion|double free|corrupted|stack smashing|fatal|panic|caught signal|received signal|shutting down',
    },
    { fact: 'container.restartCount', op: 'gte', value: 1 },
  ],
  confidence: 'medium',
  specificity: 40,
  mechanism: true,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} ended by {{container.signal}} (exit {{container.exitCode}} = 128 + signal number), and neither a probe nor a deletion explains it. SIGSEGV/SIGBUS/SIGILL mean a crash in native code, SIGABRT that the process aborted itself, SIGTERM/SIGINT/SIGHUP that something asked it to stop.',
  remediation: [
    'Read the last words before {{container.signal}}: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=200` (a stack trace, "core dumped", a failed assertion or "double free" usually precedes it).',
    "SIGSEGV, SIGBUS or SIGILL: suspect native code: a C extension or JNI library, a base-image change (`kubectl rollout history {{workload}} -n {{namespace}}`), or a binary built for CPU features the node lacks (`kubectl get node {{node}} -o jsonpath='{.metadata.labels.node\\.kubernetes\\.io/instance-type}'`); JVMs leave an `hs_err_pid*.log` in the working directory.",
    'SIGABRT: the runtime or a library gave up on purpose (glibc heap corruption check, uncaught C++ exception, Go `fatal error`, JVM crash); the log line just before the abort names the check that failed.',
    'SIGTERM, SIGINT or SIGHUP with no deletion: find who sent it: a wrapper script or `timeout`, an init process (tini, dumb-init) passing on a signal, a sidecar sharing the process namespace, or the node: `journalctl -u kubelet --since "-1h" | grep {{pod}}` on {{node}}.',
  ],
};

const subpathConfigmapExit128: Signature = {
  id: 'subpath-configmap-exit-128',
  title: 'Container cannot start: subPath mount of a ConfigMap/Secret fails (exit 128)',
  targets: ['pod'],
  all: [{ fact: 'container.subPathConfigMounts', op: 'gte', value: 1 }],
  any: [
    { fact: 'container.terminationMessage', op: 'matches', pattern: 'subpath' },
    { fact: 'container.waitingMessage', op: 'matches', pattern: 'subpath' },
    { fact: 'events.pod', op: 'matches', pattern: 'subpath' },
  ],
  support: [
    { fact: 'container.exitCode', op: 'eq', value: 128 },
    { fact: 'container.terminationReason', op: 'in', values: ['StartError', 'ContainerCannotRun'] },
    { fact: 'container.waitingReason', op: 'in', values: ['RunContainerError', 'CrashLoopBackOff'] },
  ],
  confidence: 'high',
  specificity: 90,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} fails at start (exit 128) because the runtime cannot bind-mount a file it takes from a ConfigMap or Secret with `subPath`. After the ConfigMap/Secret changes, an in-place restart of the container (a probe kill, a crash) reuses a subPath source that no longer exists: a known kubelet bug (kubernetes/kubernetes#82784). The container loops until the pod is recreated.',
  remediation: [
    'List the subPath mounts of the pod: `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath=\'{range .spec.containers[*].volumeMounts[?(@.subPath)]}{.name}{" -> "}{.mountPath}{" ("}{.subPath}{")"}{"\\n"}{end}\'`.',
    'Recover now by recreating the pod, which prepares fresh subPath sources: `kubectl delete pod {{pod}} -n {{namespace}}` (or `kubectl rollout restart {{workload}} -n {{namespace}}`).',
    'Remove the trap: mount the ConfigMap as a directory (no `subPath`, optionally `items` to pick keys) and point the application at the file there; subPath files never receive ConfigMap updates anyway.',
    "Check the kubelet on {{node}}: `kubectl get node {{node}} -o jsonpath='{.status.nodeInfo.kubeletVersion}'`; kubelets without the upstream fix hit this on every in-place restart after a ConfigMap change, so upgrade them.",
  ],
};

const configError: Signature = {
  id: 'config-error',
  title: 'Application exits at start-up on a configuration error',
  targets: ['pod'],
  all: [
    { fact: 'container.exitCode', op: 'gte', value: 1 },
    { fact: 'container.runSeconds', op: 'lte', value: 30 },
    { fact: 'logs.previous', op: 'matches', pattern: CONFIG_PROBLEM },
  ],
  none: [
    { fact: 'container.signal', op: 'exists' },
    { fact: 'container.exitCode', op: 'in', values: [126, 127, 128] },
    { fact: 'container.terminationReason', op: 'eq', value: 'OOMKilled' },
    { fact: 'memory.oomScope', op: 'exists' },
  ],
  support: [
    { fact: 'container.restartCount', op: 'gte', value: 3 },
    { fact: 'container.terminationMessage', op: 'matches', pattern: CONFIG_PROBLEM },
  ],
  confidence: 'medium',
  specificity: 70,
  summary:
    'Container {{container}} of {{namespace}}/{{pod}} gives up {{container.runSeconds}}s after starting (exit {{container.exitCode}}), and its log names a configuration problem: a missing file, a missing setting or environment variable, or a file that does not parse. Restarting will not help; the configuration must change.',
  remediation: [
    'Read the complaint in full: `kubectl logs {{pod}} -n {{namespace}} -c {{container}} --previous --tail=50`.',
    "Compare what the pod gets with what the application expects: `kubectl set env {{workload}} -n {{namespace}} --list --resolve` for variables, `kubectl get pod {{pod}} -n {{namespace}} -o jsonpath='{.spec.volumes}'` for mounted files.",
    'Check the ConfigMaps and Secrets it reads exist and hold the keys: `kubectl get configmap,secret -n {{namespace}}` and `kubectl get configmap <name> -n {{namespace}} -o yaml`; validate a YAML/JSON file before applying it (`yq . file.yaml`).',
    'If the configuration changed with the last rollout, roll back first: `kubectl rollout undo {{workload}} -n {{namespace}}`.',
  ],
};

export const EXIT_CODE_SIGNATURES: readonly Signature[] = [
  appErrorExit,
  cleanExitRestartLoop,
  commandNotExecutable,
  commandNotFound,
  signalExit,
  subpathConfigmapExit128,
  configError,
];
