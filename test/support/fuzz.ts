// Fuzzing settings shared by every property test: a fixed, printed seed by default, so a CI failure reproduces.
import fc from 'fast-check';

/** The suite's default seed; `FUZZ_SEED=<n>` explores another, `FUZZ_SEED=random` draws one (printed). */
const DEFAULT_SEED = 20_261_203;

function chosenSeed(): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_SEED;
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31) * (Math.random() < 0.5 ? -1 : 1);
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${raw}`);
  return seed;
}

/** `FUZZ_RUNS=<n>` runs every property n times (a long campaign); unset: each property's own count. */
function runsOverride(): number | undefined {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return undefined;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer, got ${raw}`);
  return runs;
}

export const FUZZ_SEED = chosenSeed();
const override = runsOverride();

/** How many cases a property runs: its own count, or FUZZ_RUNS when set. */
export const runs = (count: number): number => override ?? count;

fc.configureGlobal({ seed: FUZZ_SEED });
console.info(
  `fast-check seed ${FUZZ_SEED}${override ? `, ${override} runs per property` : ''} (FUZZ_SEED / FUZZ_RUNS to change)`,
);
