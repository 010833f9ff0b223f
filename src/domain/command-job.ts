// A `/triage` command as the api parsed it and the worker answers it: the queued job's shape, one zod schema for both.
import * as z from 'zod';

/** Lines an incident listing shows at most (and by default). */
export const MAX_LISTED = 10;

/**
 * Bounds only: the api's parser (commands/parse-command.ts) has already held each name to its Kubernetes grammar;
 * the worker re-checks the shape and the sizes, so a message it did not expect is refused, not half-run.
 */
const Name = z.string().min(1).max(253);

export const IncidentFiltersSchema = z
  .object({
    status: z.enum(['firing', 'resolved']).exactOptional(),
    namespace: Name.exactOptional(),
    node: Name.exactOptional(),
    signature: z.string().min(1).max(100).exactOptional(),
  })
  .strict();
export type IncidentFilters = z.infer<typeof IncidentFiltersSchema>;

/** The commands that need the worker (help and bad input are answered by the api at once). */
export const QueuedCommandSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pod'), namespace: Name, pod: Name }).strict(),
  z.object({ kind: z.literal('node'), node: Name }).strict(),
  z
    .object({
      kind: z.literal('incidents'),
      filters: IncidentFiltersSchema,
      limit: z.number().int().min(1).max(MAX_LISTED),
    })
    .strict(),
  z.object({ kind: z.literal('incident'), id: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('playbooks') }).strict(),
  z.object({ kind: z.literal('stats'), days: z.number().int().min(1).max(90) }).strict(),
]);
export type QueuedCommand = z.infer<typeof QueuedCommandSchema>;

export const CommandJobSchema = z
  .object({
    /** The command as invoked, e.g. `/triage`. */
    command: z.string().min(1).max(64),
    /** What was asked, parsed by the api. */
    request: QueuedCommandSchema,
    /** Where the answer goes; checked against the allow-list before anything is posted. */
    responseUrl: z.string().min(1).max(2048),
    userId: z.string().max(64),
    channelId: z.string().max(64),
    teamId: z.string().max(64),
    /** When the api accepted it: Slack honours a response_url for 30 minutes. */
    receivedAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type CommandJob = z.infer<typeof CommandJobSchema>;
