// The queue's wire format: an alert envelope (kind "alert", or no kind: messages from before commands existed)
// a parsed slash command (kind "command") or a button press (kind "interaction"), as one JSON object per message.
import * as z from 'zod';
import { fromEarlierJob } from '../../commands/command-job.js';
import { type AlertEnvelope, AlertSchema } from '../../domain/alert.js';
import { CommandJobSchema } from '../../domain/command-job.js';
import { type InteractionJob, InteractionJobSchema } from '../../domain/interaction-job.js';
import type { QueueMessage } from '../../ports.js';

const EnvelopeSchema = z.object({
  kind: z.literal('alert').optional(),
  alert: AlertSchema,
  groupKey: z.string(),
  receiver: z.string(),
  externalURL: z.string(),
  truncatedAlerts: z.number(),
  groupSize: z.number(),
  receivedAt: z.string(),
  storm: z.object({ id: z.string(), size: z.number() }).optional(),
});

const CommandMessageSchema = CommandJobSchema.extend({ kind: z.literal('command') });
const InteractionMessageSchema = InteractionJobSchema.extend({ kind: z.literal('interaction') });

export class PoisonMessageError extends Error {
  readonly code = 'poison_message';
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

/** Log fields that say which message this is; a command's response_url stays out (a credential for 30 minutes). */
export function messageLogFields(message: QueueMessage): Record<string, unknown> {
  if (message.kind === 'interaction')
    return { kind: 'interaction', action: message.job.action, user: message.job.userId };
  return message.kind === 'alert'
    ? { kind: 'alert', fingerprint: message.envelope.alert.fingerprint }
    : {
        kind: 'command',
        command: message.job.command,
        request: message.job.request.kind,
        user: message.job.userId,
      };
}

/** Fields sit at the top level, so an alert message is exactly the envelope JSON it always was, plus `kind`. */
/**
 * SQS refuses a body with a character outside #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
 * JSON.stringify already escapes C0 controls and lone surrogates; U+FFFE and U+FFFF it writes raw, so they are
 * written as \u escapes too: the JSON decodes to the same text, and a label holding them cannot make every delivery
 * of its group fail (answered 503, re-sent forever).
 */
const OUTSIDE_SQS = /[\uFFFE\uFFFF]/g;

export function encodeMessage(message: QueueMessage): string {
  const json =
    message.kind === 'interaction'
      ? JSON.stringify({ kind: 'interaction', ...message.job })
      : message.kind === 'alert'
        ? JSON.stringify({ kind: 'alert', ...message.envelope })
        : JSON.stringify({ kind: 'command', ...message.job });
  return json.replace(OUTSIDE_SQS, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function decodeMessage(body: string): QueueMessage {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  if (kind === undefined || kind === 'alert') {
    const parsed = EnvelopeSchema.safeParse(json);
    if (!parsed.success) throw new PoisonMessageError(`not an alert envelope: ${parsed.error.message}`);
    const { kind: _, ...envelope } = parsed.data;
    return { kind: 'alert', envelope: envelope as AlertEnvelope };
  }
  if (kind === 'command') {
    const parsed = CommandMessageSchema.safeParse(json);
    if (parsed.success) {
      const { kind: _, ...job } = parsed.data;
      return { kind: 'command', job };
    }
    // Queued by an api of the earlier release, with the raw text: parsed here, once.
    const { kind: _, ...earlier } = json as Record<string, unknown>;
    const job = 'request' in earlier ? undefined : fromEarlierJob(earlier);
    if (!job) throw new PoisonMessageError(`not a command: ${parsed.error.message}`);
    return { kind: 'command', job };
  }
  if (kind === 'interaction') {
    const parsed = InteractionMessageSchema.safeParse(json);
    if (!parsed.success) throw new PoisonMessageError(`not an interaction: ${parsed.error.message}`);
    const { kind: _, ...job } = parsed.data;
    return { kind: 'interaction', job: job as InteractionJob };
  }
  throw new PoisonMessageError(`unknown message kind ${JSON.stringify(kind).slice(0, 40)}`);
}
