// From a verified slash-command form to the job the worker runs: the form's fields, then the parsed command queued.
import * as z from 'zod';
import { type CommandJob, CommandJobSchema, type QueuedCommand } from '../domain/command-job.js';
import { parseCommand } from './parse-command.js';

/** The fields of a slash command the service uses, as Slack posts them; `text` is parsed before anything is queued. */
export interface SlashForm {
  /** The command as invoked, e.g. `/triage`. */
  readonly command: string;
  readonly text: string;
  readonly responseUrl: string;
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string;
  readonly receivedAt: string;
}

const SlashFormSchema = z.object({
  command: z.string().min(1).max(64),
  text: z.string().max(4000),
  responseUrl: z.string().min(1).max(2048),
  userId: z.string().max(64),
  channelId: z.string().max(64),
  teamId: z.string().max(64),
  receivedAt: z.iso.datetime({ offset: true }),
});

/** The form fields of a slash command; undefined when a required one is missing or oversized. */
export function slashForm(form: URLSearchParams, receivedAt: string): SlashForm | undefined {
  const command = form.get('command');
  const responseUrl = form.get('response_url');
  if (!command || !responseUrl) return undefined;
  const fields: SlashForm = {
    command,
    text: form.get('text') ?? '',
    responseUrl,
    userId: form.get('user_id') ?? '',
    channelId: form.get('channel_id') ?? '',
    teamId: form.get('team_id') ?? '',
    receivedAt,
  };
  return SlashFormSchema.safeParse(fields).success ? fields : undefined;
}

/** What the api queues: the form without its text, and the command parsed from it. */
export function commandJob(form: SlashForm, request: QueuedCommand): CommandJob {
  const { text: _, ...rest } = form;
  return { ...rest, request };
}

/**
 * A command queued before commands were queued parsed: the form with its raw text. Parsed here as the api would
 * have; undefined for text that the api would have answered itself (help, bad input). Remove once no api of the
 * earlier release can be queueing (docs/decisions.md, "Slash commands").
 */
export function fromEarlierJob(raw: unknown): CommandJob | undefined {
  const fields = SlashFormSchema.strict().safeParse(raw);
  if (!fields.success) return undefined;
  const request = parseCommand(fields.data.text);
  if (request.kind === 'help' || request.kind === 'invalid') return undefined;
  const job = commandJob(fields.data, request);
  return CommandJobSchema.safeParse(job).success ? job : undefined;
}
