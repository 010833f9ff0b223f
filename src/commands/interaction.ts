// A Slack block_actions payload (a button, menu or text input on a triage message) parsed into the job the worker runs.
import * as z from 'zod';
import { SILENCE_HOURS } from '../domain/actions.js';
import { type InteractionJob, InteractionJobSchema } from '../domain/interaction-job.js';
import { ACTION_IDS, VERDICT_BLOCK_PREFIX } from '../slack-render/action-ids.js';

const Action = z.object({
  action_id: z.string().max(255),
  block_id: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
  selected_option: z.object({ value: z.string().max(150) }).optional(),
});

const Payload = z.object({
  type: z.string().max(64),
  team: z
    .object({ id: z.string().max(64) })
    .nullable()
    .optional(),
  user: z.object({
    id: z.string().max(64),
    username: z.string().max(128).optional(),
    name: z.string().max(128).optional(),
    team_id: z.string().max(64).optional(),
  }),
  channel: z.object({ id: z.string().max(64) }).optional(),
  container: z.object({ message_ts: z.string().max(64).optional() }).optional(),
  message: z.object({ ts: z.string().max(64) }).optional(),
  response_url: z.string().max(2048).optional(),
  actions: z.array(Action).max(10),
});

export type InteractionParse =
  | { readonly ok: true; readonly job: InteractionJob }
  | {
      readonly ok: false;
      readonly reason: 'not_json' | 'unsupported_type' | 'malformed' | 'unknown_action';
      readonly detail: string;
      /** Where to say so, when the payload got that far. */
      readonly responseUrl?: string;
    };

const fail = (
  reason: Exclude<InteractionParse, { ok: true }>['reason'],
  detail: string,
): InteractionParse => ({
  ok: false,
  reason,
  detail,
});

type ActionPart = Pick<
  InteractionJob,
  'action' | 'incidentId' | 'stormId' | 'hours' | 'signatureId' | 'text'
>;

function actionOf(action: z.infer<typeof Action>): ActionPart | undefined {
  const value = action.value ?? '';
  const buttons: Record<string, ActionPart> = {
    [ACTION_IDS.ack]: { action: 'ack', incidentId: value },
    [ACTION_IDS.unsilence]: { action: 'unsilence', incidentId: value },
    [ACTION_IDS.rerun]: { action: 'rerun', incidentId: value },
    [ACTION_IDS.right]: { action: 'right', incidentId: value },
    [ACTION_IDS.wrong]: { action: 'wrong', incidentId: value },
    [ACTION_IDS.stormAck]: { action: 'storm-ack', stormId: value },
  };
  for (const hours of SILENCE_HOURS)
    buttons[ACTION_IDS.silence(hours)] = { action: 'silence', hours, incidentId: value };
  const button = Object.hasOwn(buttons, action.action_id) ? buttons[action.action_id] : undefined;
  if (button) return button;
  const fromBlock = action.block_id?.startsWith(VERDICT_BLOCK_PREFIX)
    ? action.block_id.slice(VERDICT_BLOCK_PREFIX.length).split(':')[0]
    : undefined;
  if (action.action_id === ACTION_IDS.actualSignature && fromBlock !== undefined)
    return { action: 'actual', incidentId: fromBlock, signatureId: action.selected_option?.value ?? '' };
  if (action.action_id === ACTION_IDS.actualText && fromBlock !== undefined)
    return { action: 'actual', incidentId: fromBlock, text: value.trim() };
  return undefined;
}

/** The interaction in a verified form body (`payload=<JSON>`). Only the first action counts: Slack sends one. */
export function parseInteraction(form: URLSearchParams, receivedAt: string): InteractionParse {
  const raw = form.get('payload');
  if (raw === null) return fail('malformed', 'the form has no payload field');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return fail('not_json', 'payload is not JSON');
  }
  const payload = Payload.safeParse(json);
  if (!payload.success) {
    const type = (json as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && type !== 'block_actions')
      return fail('unsupported_type', `interactions of type ${type.slice(0, 40)} are not handled`);
    return fail('malformed', 'payload is not a block_actions interaction');
  }
  const p = payload.data;
  if (p.type !== 'block_actions')
    return fail('unsupported_type', `interactions of type ${p.type} are not handled`);
  const first = p.actions[0];
  if (!first) return fail('malformed', 'the interaction carries no action');
  const action = actionOf(first);
  if (!action)
    return {
      ...fail('unknown_action', `unknown action ${JSON.stringify(first.action_id.slice(0, 60))}`),
      ...(p.response_url ? { responseUrl: p.response_url } : {}),
    } as InteractionParse;
  const job = {
    ...Object.fromEntries(Object.entries(action).filter(([, v]) => v !== undefined)),
    userId: p.user.id,
    userName: p.user.username ?? p.user.name ?? '',
    teamId: p.team?.id ?? p.user.team_id ?? '',
    channelId: p.channel?.id ?? '',
    messageTs: p.container?.message_ts ?? p.message?.ts ?? '',
    responseUrl: p.response_url ?? '',
    receivedAt,
  };
  const checked = InteractionJobSchema.safeParse(job);
  if (!checked.success)
    return fail(
      'malformed',
      `the interaction is missing or has invalid ${[...new Set(checked.error.issues.map((i) => i.path.join('.')))].join(', ')}`,
    );
  if (checked.data.action === 'actual' && !checked.data.signatureId && !checked.data.text)
    return fail('malformed', 'say what it was: pick a signature or type a few words');
  return { ok: true, job: checked.data as InteractionJob };
}
