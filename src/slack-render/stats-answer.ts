// The answer to `/triage stats`: per signature and per alert name, incidents led, marked right and wrong, precision.
import type { SignatureStats, VerdictCount } from '../domain/verdict-stats.js';
import { lineSections, message, type SlackMessage } from './blocks.js';
import { code } from './text.js';

const percent = (p: number | null) => (p === null ? 'no verdicts yet' : `precision ${Math.round(p * 100)}%`);

const line = (c: VerdictCount) =>
  `• ${code(c.key)}: ${c.incidents} incident(s), ${c.right} right, ${c.wrong} wrong, ${percent(c.precision)}`;

/** At most this many rows per table: the busiest first. */
const ROWS = 20;

export function statsAnswer(stats: SignatureStats, days: number): SlackMessage {
  const judged = stats.bySignature.reduce((n, c) => n + c.right + c.wrong, 0);
  const title = `*Verdicts from the messages, last ${days} days*: ${stats.incidents} incident(s), ${judged} judged${
    stats.partial ? ' (more incidents than could be read: a lower bound)' : ''
  }`;
  const blocks = [
    ...lineSections(title, ['*By signature*', ...stats.bySignature.slice(0, ROWS).map(line)], 20),
    ...lineSections('*By alert name*', stats.byAlertname.slice(0, ROWS).map(line), 20),
  ];
  const text = [
    `Verdicts, last ${days} days: ${stats.incidents} incidents, ${judged} judged`,
    ...stats.bySignature
      .slice(0, ROWS)
      .map(
        (c) =>
          `${c.key}: ${c.incidents} incidents, ${c.right} right, ${c.wrong} wrong, ${percent(c.precision)}`,
      ),
  ].join('\n');
  return message(text, blocks);
}
