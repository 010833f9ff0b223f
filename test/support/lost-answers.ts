// The ways the Slack stand-in can lose an answer, for the tests that prove nothing is posted twice or lost.
import type { ScriptedAnswer } from './standins/slack-api.js';

/** Each way the stand-in can lose an answer: a 5xx status, or no answer at all (the client times out). */
export const LOST: readonly { name: string; lost: (applied: boolean) => ScriptedAnswer }[] = [
  { name: '500', lost: (applied) => ({ status: 500, ...(applied ? { applied: true } : {}) }) },
  { name: '502', lost: (applied) => ({ status: 502, ...(applied ? { applied: true } : {}) }) },
  { name: '503', lost: (applied) => ({ status: 503, ...(applied ? { applied: true } : {}) }) },
  { name: 'hang', lost: (applied) => ({ hang: true, ...(applied ? { applied: true } : {}) }) },
];

/** Every try of the first delivery fails (the client's 4 tries); the last one had in fact landed. */
export const lastTryLanded = (way: (typeof LOST)[number]) => [
  way.lost(false),
  way.lost(false),
  way.lost(false),
  way.lost(true),
];
