// A request budget for the cluster (client-go's QPS and burst): a token bucket every read of one worker draws from.
import { wrapInspector } from './wrap-inspector.js';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Admits `burst` requests at once, then `ratePerSec` per second. A request that finds the bucket empty reserves
 * the next token and waits for it, so concurrent callers queue in order and the rate holds under any concurrency:
 * over any window of T seconds at most burst + rate * T requests go out.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSec: number,
    private readonly burst: number,
    private readonly clock: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = realSleep,
  ) {
    this.tokens = burst;
    this.last = clock();
  }

  take(cost = 1): Promise<void> {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSec) / 1000);
    this.last = now;
    this.tokens -= cost;
    if (this.tokens >= 0) return Promise.resolve();
    return this.sleep(Math.ceil((-this.tokens * 1000) / this.ratePerSec));
  }
}

/** What one call costs in requests, by method name (default 1): `metrics` sends one request per query. */
export type Costs = Readonly<Record<string, (...args: never[]) => number>>;

/** Every method of `inner` takes its cost from `bucket` before it runs, methods added to the port later too. */
export function budgeted<T extends object>(inner: T, bucket: TokenBucket, costs: Costs = {}): T {
  return wrapInspector(inner, async (method, args, call) => {
    const cost = costs[method] as ((...a: readonly unknown[]) => number) | undefined;
    await bucket.take(Math.max(1, cost ? cost(...args) : 1));
    return call();
  });
}

/** The inspector's costs: one request per method call, one per Prometheus query. */
export const INSPECTOR_COSTS: Costs = { metrics: (queries: readonly unknown[]) => queries.length };
