// A verified slash command waiting for its full answer: what the api hands the worker through the queue.
import * as z from 'zod';

export interface CommandJob {
  /** The command as invoked, e.g. `/triage`. */
  readonly command: string;
  readonly text: string;
  /** Where the answer goes; checked against the allow-list before anything is posted. */
  readonly responseUrl: string;
  readonly userId: string;
  readonly channelId: string;
  readonly teamId: string;
  /** When the api accepted it: Slack honours a response_url for 30 minutes. */
  readonly receivedAt: string;
}

export const CommandJobSchema = z.object({
  command: z.string().min(1).max(64),
  text: z.string().max(4000),
  responseUrl: z.string().min(1).max(2048),
  userId: z.string().max(64),
  channelId: z.string().max(64),
  teamId: z.string().max(64),
  receivedAt: z.iso.datetime({ offset: true }),
});

/** The form fields of a slash command, as Slack posts them; undefined when a required one is missing. */
export function commandJobFromForm(form: URLSearchParams, receivedAt: string): CommandJob | undefined {
  const command = form.get('command');
  const responseUrl = form.get('response_url');
  if (!command || !responseUrl) return undefined;
  const job: CommandJob = {
    command,
    text: form.get('text') ?? '',
    responseUrl,
    userId: form.get('user_id') ?? '',
    channelId: form.get('channel_id') ?? '',
    teamId: form.get('team_id') ?? '',
    receivedAt,
  };
  return CommandJobSchema.safeParse(job).success ? job : undefined;
}
