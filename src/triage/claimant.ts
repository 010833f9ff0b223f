// Who holds a claim (to notify an incident, to report a storm): unique to one attempt, never shared.
import { randomUUID } from 'node:crypto';

/**
 * A process id is not an identity: Lambda execution environments all run the handler under the same small pid,
 * and one local process runs several messages at once. A claim held "by pid" would let two deliveries of one
 * alert both pass the conditional write and post twice. Each attempt gets its own id; `workerId` only labels it.
 */
export function claimantId(workerId = 'worker'): string {
  return `${workerId}-${randomUUID()}`;
}
