// Masks credentials (tokens, passwords, keys, JWTs) in text before it is stored, logged or posted.
//
// Every pattern here runs on whole container logs and on every log line, text that workloads control, so each one
// is linear: a match can only start where a run of its characters starts (a lookbehind), and no two repetitions
// can trade characters. A crafted line like "token-token-token-…" must not stall a triage.

/**
 * Credentials inside URLs: scheme://user:password@host. The scheme starts a run, or every letter of a long word
 * would be tried as one.
 */
const URL_CREDENTIALS = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi;

/**
 * A command-line flag naming a secret and its value after a space: `--password X`, `-auth "two words"`. A flag
 * starts a run (the lookbehind), and its name is at most 40 characters before the secret word.
 */
const SECRET_FLAG =
  /(?<![\w-])(--?[A-Za-z0-9_-]{0,40}?(?:password|passwd|pass|pwd|secret|token|auth))[ \t]+(?!-)(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)/gi;

const PATTERNS: readonly [RegExp, string][] = [
  // JSON Web Tokens: three base64url segments, the first two starting with '{"' encoded.
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '[REDACTED:jwt]'],
  [/\bxox[abposre]-[A-Za-z0-9-]{10,}/g, '[REDACTED:slack-token]'],
  [/\bsk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}/g, '[REDACTED:api-key]'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/g, '[REDACTED:gitlab-token]'],
  [/\bnpm_[A-Za-z0-9]{30,}/g, '[REDACTED:npm-token]'],
  // The AWS CLI's config and credentials files, and `aws configure list`: the key name, spaces, the value.
  [/\b((?:aws_)?secret_access_key)([ \t]+)[A-Za-z0-9/+=]{16,}/gi, '$1$2[REDACTED]'],
  [/\bxapp-[A-Za-z0-9-]{10,}/g, '[REDACTED:slack-token]'],
  [/(https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/g, '$1[REDACTED]'],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, '[REDACTED:aws-key-id]'],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, '[REDACTED:github-token]'],
  [/\bgithub_pat_[A-Za-z0-9_]{30,}/g, '[REDACTED:github-token]'],
  [/\bAIza[A-Za-z0-9_-]{35}/g, '[REDACTED:google-api-key]'],
  [/\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}/g, '[REDACTED:stripe-key]'],
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    '[REDACTED:private-key]',
  ],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]'],
  [URL_CREDENTIALS, '$1[REDACTED]@'],
  [SECRET_FLAG, '$1 [REDACTED]'],
];

/** key=value, key: value, "key": "value", 'key': 'value', and their JSON-escaped forms inside a log line. */
const KEY_AND_SEPARATOR =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,200})(\\?["']?\s*[=:]\s*\\?["']?)(?:(?<=["'])(?=[^"'\\\n])|(?=[^\s"'\\,;&]{3}))/g;
const SECRET_NAME =
  /password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|(?:^|[_.-])(?:pass|auth)(?:$|[_.-])/i;
/** What a text needs for a key of SECRET_NAME to be in it (its segment anchors only hold on a key alone). */
const MAY_NAME_SECRET =
  /password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|pass|auth/i;
const VALUE_END = /[\s"'\\,;&]/;

/** Where a quoted value ends: its closing quote (escaped as it was opened), or the end of the line. */
function quotedEnd(text: string, start: number, quote: string): number {
  const close = text.indexOf(quote, start);
  const line = text.indexOf('\n', start);
  const stop =
    close === -1 ? (line === -1 ? text.length : line) : line === -1 ? close : Math.min(close, line);
  return stop;
}

/**
 * After an unquoted "key:" the text is as often prose ("failed to fetch oauth token: unexpected status … 401") as a
 * setting, so only a value that looks generated (letters and digits, 6 or more) is masked there. After "key=",
 * "key": or key: "value" (quotes mean a setting) every value is.
 */
const looksGenerated = (value: string) => value.length >= 6 && /\d/.test(value) && /[a-z]/i.test(value);

/** Masks the value after every key that names a secret; a value may itself hold a key (a=password=x). */
function maskKeyValues(text: string): string {
  // Only a key that names a secret is masked, and a key is part of the text: no secret name, nothing to mask.
  if (!MAY_NAME_SECRET.test(text)) return text;
  let out = '';
  let copied = 0;
  KEY_AND_SEPARATOR.lastIndex = 0;
  for (let m = KEY_AND_SEPARATOR.exec(text); m; m = KEY_AND_SEPARATOR.exec(text)) {
    const [whole, key = '', separator = ''] = m;
    if (!SECRET_NAME.test(key)) continue; // lastIndex is at the value, which is searched as text in turn
    const start = m.index + whole.length;
    // A quoted value ("correct horse battery") is masked whole, up to its closing quote.
    const quote = /\\?["']$/.exec(separator)?.[0];
    let end = start;
    if (quote) end = quotedEnd(text, start, quote);
    else while (end < text.length && !VALUE_END.test(text[end] as string)) end += 1;
    // Unquoted `key:` is prose as often as a setting; so is a quoted name, a space and an unquoted word, the
    // Kubernetes message shape `volume "db-credentials" : secret "db-credentials" not found`.
    const prose = !/[="']/.test(separator) || /^\\?["']\s+:\s*$/.test(separator);
    if (prose && !looksGenerated(text.slice(start, end))) continue;
    out += `${text.slice(copied, start)}[REDACTED]`;
    copied = end;
    KEY_AND_SEPARATOR.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Every literal that some pattern above (or a secret key name) needs, matched case-insensitively: a text with none
 * of them cannot hold anything to mask. One scan instead of thirteen for the identifiers and messages that make up
 * most texts. Keep it in step with PATTERNS and SECRET_NAME: a pattern whose literal is missing here would be
 * skipped (the redact tests cover every pattern through this filter).
 */
const MAY_HOLD_SECRET =
  /eyJ|xox|xapp-|sk-|glpat-|npm_|hooks\.slack\.com|AKIA|ASIA|gh[pousr]_|github_pat_|AIza|[rs]k_(?:live|test)_|-----BEGIN|bearer|basic|@|pass|pwd|secret|token|auth|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;

export function redact(text: string): string {
  if (!MAY_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [pattern, replacement] of PATTERNS) {
    // Most texts hold no secret: a test is several times cheaper than a replace that finds nothing to replace.
    // Credentials in a URL need "@"; most texts hold none, and that scan is the costliest here.
    if (pattern === URL_CREDENTIALS && !out.includes('@')) continue;
    pattern.lastIndex = 0;
    if (pattern.test(out)) out = out.replace(pattern, replacement);
  }
  return maskKeyValues(out);
}
