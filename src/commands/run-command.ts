// runCommand(job, deps): works out the full answer to a parsed slash command and posts it to its response_url.
import { fieldStats } from '../actions/field-stats.js';
import type { CommandJob, IncidentFilters, QueuedCommand } from '../domain/command-job.js';
import { effectivePlaybook } from '../domain/playbook.js';
import type { Signature } from '../domain/signature.js';
import type { Logger } from '../log.js';
import type { ResponsePoster } from '../ports.js';
import { type ClusterInspector, DependencyError, type IncidentStore, type PlaybookStore } from '../ports.js';
import type { SlackMessage } from '../slack-render/blocks.js';
import {
  errorAnswer,
  incidentAnswer,
  incidentsAnswer,
  inspectionAnswer,
  playbooksAnswer,
} from '../slack-render/command-answers.js';
import { statsAnswer } from '../slack-render/stats-answer.js';
import { inspectTarget } from '../triage/inspect-target.js';
import { grantOf, mayInspect, OPEN_ACCESS, type SlackAccess } from './access.js';
import { hostOf } from './response-url.js';

export interface CommandDeps {
  readonly inspector: ClusterInspector;
  /** The signatures in force, read afresh for each command. */
  readonly signatures: () => Promise<readonly Signature[]>;
  readonly store: IncidentStore;
  readonly playbooks: PlaybookStore;
  readonly builtIns: readonly Signature[];
  readonly respond: ResponsePoster;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Namespaces the command's channel and user may inspect (slack/access.ts); absent: every namespace. */
  readonly access?: SlackAccess;
}

export type CommandOutcome = 'answered' | 'expired' | 'refused-url' | 'rejected-by-slack';

/** Slack honours a response_url for 30 minutes; an answer after that has nowhere to go. */
const RESPONSE_URL_TTL_MS = 30 * 60_000;
/**
 * Incidents read for "N incidents match": one page. Beyond it the answer says "more than N"; an exact count would
 * read every match (the history has no counter), which the answer does not need.
 */
const COUNT_LIMIT = 25;

async function listing(filters: IncidentFilters, limit: number, store: IncidentStore): Promise<SlackMessage> {
  const page = await store.list({ ...filters, limit: COUNT_LIMIT });
  return incidentsAnswer(page.items.slice(0, limit), page.items.length, page.nextCursor !== null, filters);
}

async function answerFor(command: QueuedCommand, job: CommandJob, deps: CommandDeps): Promise<SlackMessage> {
  switch (command.kind) {
    case 'pod':
    case 'node': {
      const target =
        command.kind === 'pod'
          ? ({ kind: 'pod', namespace: command.namespace, pod: command.pod } as const)
          : ({ kind: 'node', node: command.node } as const);
      const inspectDeps = { inspector: deps.inspector, signatures: deps.signatures };
      return inspectionAnswer(
        await inspectTarget(target, deps.now ? { ...inspectDeps, now: deps.now } : inspectDeps),
      );
    }
    case 'incidents':
      return listing(command.filters, command.limit, deps.store);
    case 'incident': {
      const incident = await deps.store.get(command.id);
      // An incident outside the granted namespaces is answered exactly as a missing one: its id says nothing.
      const grant = grantOf(deps.access ?? OPEN_ACCESS, job.channelId, job.userId);
      const namespace = incident?.target.namespace ?? incident?.labels.namespace;
      if (!incident || !mayInspect(grant, namespace))
        return errorAnswer(
          `There is no incident ${command.id}. \`${job.command} incidents\` lists recent ones.`,
        );
      return incidentAnswer(incident);
    }
    case 'playbooks':
      return playbooksAnswer(effectivePlaybook(deps.builtIns, await deps.playbooks.entries()));
    case 'stats': {
      const now = (deps.now ?? (() => new Date()))();
      const since = new Date(now.getTime() - command.days * 86_400_000).toISOString();
      return statsAnswer(
        await fieldStats(deps.store, { since, until: now.toISOString() }, now),
        command.days,
      );
    }
  }
}

const DEPENDENCY_NAMES: Record<DependencyError['dependency'], string> = {
  cluster: 'The cluster',
  prometheus: 'Prometheus',
  store: 'The incident store',
  slack: 'Slack',
  queue: 'The queue',
  alertmanager: 'Alertmanager',
};

/** Failures become a short answer for the user; the details (and any stack) go to the log only. */
function failureAnswer(error: unknown, log: Logger): SlackMessage {
  if (error instanceof DependencyError) {
    log.warn('command answered with a dependency failure', {
      dependency: error.dependency,
      code: error.code,
      error,
    });
    return errorAnswer(
      `${DEPENDENCY_NAMES[error.dependency]} could not be read just now (${error.code}). Try again in a minute; if it keeps failing, the service's logs say why.`,
    );
  }
  log.error('command failed', { error });
  return errorAnswer('Something went wrong while answering; it has been logged. Try again in a minute.');
}

/**
 * Answers one command. Throws only when posting the answer failed in a way a retry may fix (the queue then
 * redelivers); a refused or rejected response_url, or one that expired, is logged and dropped.
 */
export async function runCommand(job: CommandJob, deps: CommandDeps): Promise<CommandOutcome> {
  const now = deps.now ?? (() => new Date());
  const command = job.request;
  const log = deps.log.child({
    command: job.command,
    kind: command.kind,
    user: job.userId,
    channel: job.channelId,
  });
  if (now().getTime() - Date.parse(job.receivedAt) > RESPONSE_URL_TTL_MS) {
    log.warn('command dropped: its response_url expired before an answer was ready', {
      receivedAt: job.receivedAt,
    });
    return 'expired';
  }
  let reply: SlackMessage;
  try {
    reply = await answerFor(command, job, deps);
  } catch (error) {
    reply = failureAnswer(error, log);
  }
  const posted = await deps.respond(job.responseUrl, reply);
  if (posted === 'refused') {
    log.warn('command not answered: its response_url is not on Slack', { host: hostOf(job.responseUrl) });
    return 'refused-url';
  }
  if (posted === 'rejected') {
    log.warn('command not answered: Slack rejected the response_url (expired or used up)');
    return 'rejected-by-slack';
  }
  log.info('command answered');
  return 'answered';
}
