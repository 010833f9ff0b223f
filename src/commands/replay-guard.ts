// Refuses a signed slash-command request seen before: a signature is valid for 5 minutes, so it could be replayed.
import { createHash } from 'node:crypto';
import type { ReplayGuard } from '../ports.js';

export type { ReplayGuard };

/** The request's identity: Slack's signature covers timestamp and body, so it names one request. */
export const replayKey = (timestamp: string, signature: string): string =>
  createHash('sha256').update(`${timestamp}:${signature}`).digest('hex');

/** One process (local mode, one api function instance): keys kept until they expire. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async firstUse(key: string, expiresAt: Date): Promise<boolean> {
    const now = this.now().getTime();
    // Pruned as it goes, so the map holds at most one signature window of requests.
    for (const [k, until] of this.seen) if (until <= now) this.seen.delete(k);
    if (this.seen.has(key)) return false;
    this.seen.set(key, expiresAt.getTime());
    return true;
  }
}
