// Slack's Block Kit limits and the mrkdwn text helpers every message is written with: escaping, links, inline code.

/** Characters in a section's or context element's mrkdwn text. */
export const SECTION_LIMIT = 3000;
/** Characters in a header's plain text. */
export const HEADER_LIMIT = 150;
/** Blocks in one message. */
export const MAX_BLOCKS = 50;
/** Options in a static select. */
export const MAX_OPTIONS = 100;
/** Characters in an option's plain text. */
export const OPTION_TEXT_LIMIT = 75;
/** Characters in a block id. */
export const BLOCK_ID_LIMIT = 255;
/** Well below Slack's 40,000: the fallback text is for notifications and screen readers. */
export const TEXT_LIMIT = 3900;

const TRUNCATED = '… (truncated)';

export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - TRUNCATED.length)}${TRUNCATED}`;
}

/** mrkdwn treats &, < and > as control characters; user-supplied text must be escaped. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code of user-supplied text: escaped, and without backticks that would end it early. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, "'")}\``;
}

/** Text whose `inline code` spans are kept as code (remediation steps); everything else escaped. */
export function withCodeSpans(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) =>
      part.startsWith('`') && part.endsWith('`') && part.length > 1
        ? code(part.slice(1, -1))
        : escapeMrkdwn(part),
    )
    .join('');
}

/**
 * A link for mrkdwn: only http(s) URLs become links (a `javascript:` or `slack://` one is shown as text), with
 * the characters that end a link or its label encoded, and the label escaped.
 */
export function slackLink(url: string, label: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href
    .replaceAll('|', '%7C')
    .replaceAll('<', '%3C')
    .replaceAll('>', '%3E')
    .replaceAll('&', '&amp;');
  return `<${href}|${escapeMrkdwn(label)}>`;
}

/** `1 alert`, `3 alerts`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
