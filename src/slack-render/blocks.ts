// The Block Kit builders every Slack message is made of, each held within Slack's limits (text.ts).
import { escapeMrkdwn, HEADER_LIMIT, MAX_BLOCKS, SECTION_LIMIT, TEXT_LIMIT, truncate } from './text.js';

export type Block = Record<string, unknown>;

/** A message as chat.postMessage, chat.update and a response_url take it. */
export interface SlackMessage {
  /** Always sent: notifications and screen readers use it, and it stands in when blocks fail. */
  readonly text: string;
  readonly blocks: readonly Block[];
}

export function section(mrkdwn: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, SECTION_LIMIT) } };
}

export function header(plain: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(plain, HEADER_LIMIT), emoji: true } };
}

export function context(mrkdwn: string): Block {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, SECTION_LIMIT) }] };
}

/** A titled list of lines, each escaped and bulleted. */
export function bulletSections(title: string, lines: readonly string[], maxSections = 2): Block[] {
  return lineSections(
    title,
    lines.map((line) => `• ${escapeMrkdwn(line)}`),
    maxSections,
  );
}

/**
 * Packs lines (already mrkdwn) into as few sections as fit, at most `maxSections`; lines that do not fit are
 * counted in a closing note rather than dropped silently.
 */
export function lineSections(title: string, lines: readonly string[], maxSections = 40): Block[] {
  const texts: string[] = [];
  let current = title;
  let shown = 0;
  for (const raw of lines) {
    const line = truncate(raw, SECTION_LIMIT - title.length - 2);
    if (current.length + 1 + line.length > SECTION_LIMIT) {
      if (texts.length + 1 >= maxSections) break;
      texts.push(current);
      current = line;
    } else {
      current = current === '' ? line : `${current}\n${line}`;
    }
    shown += 1;
  }
  if (current !== '') texts.push(current);
  const blocks = texts.map(section);
  if (shown < lines.length) blocks.push(context(`… and ${lines.length - shown} more not shown.`));
  return blocks;
}

/**
 * A whole message within the limits. `text` is plain: it is escaped here, since Slack parses &, < and > in it too.
 * `kept` blocks (buttons, what was done with them) always survive the block limit, after the others.
 */
export function message(text: string, blocks: readonly Block[], kept: readonly Block[] = []): SlackMessage {
  const room = MAX_BLOCKS - kept.length;
  const body = blocks.length <= room ? blocks : [...blocks.slice(0, room - 1), context('… (truncated)')];
  return { text: truncate(escapeMrkdwn(text), TEXT_LIMIT), blocks: [...body, ...kept] };
}
