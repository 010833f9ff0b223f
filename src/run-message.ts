// runMessage(message, deps): the worker's one entry, for Lambda and local mode: an alert is triaged, a command answered, a button acted on.
import { type InteractionDeps, runInteraction } from './actions/run-interaction.js';
import { type CommandDeps, runCommand } from './commands/run-command.js';
import type { QueueMessage } from './ports.js';
import { type TriageDeps, triage } from './triage/triage.js';

export interface WorkerDeps {
  readonly triage: TriageDeps;
  readonly commands: CommandDeps;
  readonly interactions: InteractionDeps;
}

export function runMessage(message: QueueMessage, deps: WorkerDeps): Promise<unknown> {
  if (message.kind === 'interaction') return runInteraction(message.job, deps.interactions);
  return message.kind === 'alert'
    ? triage(message.envelope, deps.triage)
    : runCommand(message.job, deps.commands);
}
