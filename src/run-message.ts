// runMessage(message, deps): the worker's one entry, for Lambda and local mode: an alert is triaged, a command answered.
import type { QueueMessage } from './ports.js';
import { type CommandDeps, runCommand } from './slack/run-command.js';
import { type TriageDeps, triage } from './triage/triage.js';

export interface WorkerDeps {
  readonly triage: TriageDeps;
  readonly commands: CommandDeps;
}

export function runMessage(message: QueueMessage, deps: WorkerDeps): Promise<unknown> {
  return message.kind === 'alert'
    ? triage(message.envelope, deps.triage)
    : runCommand(message.job, deps.commands);
}
