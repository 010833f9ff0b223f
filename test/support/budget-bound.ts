// The token-bucket bound a log of request times must satisfy: in every window of t seconds, at most burst + qps*t.

export interface WorstWindow {
  /** Requests in the window beyond burst + qps * t; at most 0 when the bound holds. */
  readonly excess: number;
  readonly requests: number;
  readonly seconds: number;
}

/** The window (between two requests, both counted) that comes closest to, or furthest over, the bound. */
export function worstWindow(times: readonly number[], qps: number, burst: number): WorstWindow {
  const sorted = [...times].sort((a, b) => a - b);
  let worst: WorstWindow = { excess: Number.NEGATIVE_INFINITY, requests: 0, seconds: 0 };
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i; j < sorted.length; j += 1) {
      const seconds = ((sorted[j] as number) - (sorted[i] as number)) / 1000;
      const requests = j - i + 1;
      const excess = requests - (burst + qps * seconds);
      if (excess > worst.excess) worst = { excess, requests, seconds };
    }
  }
  return worst;
}

/** mulberry32: a small seeded generator, so a run's choices are reproduced from its printed seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
