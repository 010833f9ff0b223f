// The job a button press becomes: parsed once by the api, queued parsed, checked again where the worker decodes it.
import * as z from 'zod';
import type { SilenceHours } from './actions.js';
import { IncidentIdSchema, SignatureIdSchema } from './identifiers.js';

export type InteractionAction =
  | 'ack'
  | 'silence'
  | 'unsilence'
  | 'rerun'
  | 'right'
  | 'wrong'
  | 'actual'
  | 'storm-ack';

/** What the api hands the worker: parsed once, queued parsed. */
export interface InteractionJob {
  readonly action: InteractionAction;
  /** The incident acted on (every action but storm-ack). */
  readonly incidentId?: string;
  /** The storm whose summary was acted on (storm-ack). */
  readonly stormId?: string;
  readonly hours?: SilenceHours;
  /** `actual`: a signature id picked from the menu, or free text typed in. */
  readonly signatureId?: string;
  readonly text?: string;
  readonly userId: string;
  readonly userName: string;
  readonly teamId: string;
  readonly channelId: string;
  /** The message the button sits on. */
  readonly messageTs: string;
  readonly responseUrl: string;
  readonly receivedAt: string;
}

const SlackId = z.string().regex(/^[A-Z0-9]{1,32}$/);
const Ts = z.string().regex(/^[0-9]{1,12}\.[0-9]{1,8}$/);

export const InteractionJobSchema = z
  .object({
    action: z.enum(['ack', 'silence', 'unsilence', 'rerun', 'right', 'wrong', 'actual', 'storm-ack']),
    incidentId: IncidentIdSchema.optional(),
    stormId: z
      .string()
      .regex(/^[0-9a-f]{1,64}$/)
      .optional(),
    hours: z.union([z.literal(1), z.literal(4), z.literal(24)]).optional(),
    signatureId: SignatureIdSchema.optional(),
    text: z.string().min(1).max(500).optional(),
    userId: SlackId,
    userName: z.string().max(128),
    teamId: SlackId,
    channelId: SlackId,
    messageTs: Ts,
    responseUrl: z.string().min(1).max(2048),
    receivedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
