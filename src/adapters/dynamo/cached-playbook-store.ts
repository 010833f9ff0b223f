// The playbook, read once per short while instead of once per alert; a change made through this process is seen at once.
import type { PlaybookEntry } from '../../domain/playbook.js';
import type { PlaybookStore } from '../../ports.js';

/**
 * How long a read of the playbook serves. A change made through another process (the api function, when the worker
 * runs apart) is seen by this one within this long.
 */
export const PLAYBOOK_CACHE_MS = 30_000;

export class CachedPlaybookStore implements PlaybookStore {
  private cached: { at: number; entries: Promise<PlaybookEntry[]> } | undefined;

  constructor(
    private readonly inner: PlaybookStore,
    private readonly ttlMs = PLAYBOOK_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  entries(): Promise<PlaybookEntry[]> {
    const at = this.now();
    if (this.cached && at - this.cached.at < this.ttlMs) return this.cached.entries;
    const entries = this.inner.entries();
    const cached = { at, entries };
    this.cached = cached;
    // A failed read is not kept: the next alert tries again.
    entries.catch(() => {
      if (this.cached === cached) this.cached = undefined;
    });
    return entries;
  }

  async put(entry: PlaybookEntry): Promise<void> {
    this.cached = undefined;
    await this.inner.put(entry);
    this.cached = undefined;
  }

  async remove(id: string): Promise<boolean> {
    this.cached = undefined;
    const removed = await this.inner.remove(id);
    this.cached = undefined;
    return removed;
  }
}
