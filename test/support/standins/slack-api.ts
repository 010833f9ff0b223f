// Local Slack Web API stand-in (chat.postMessage, chat.update, auth.test, response_url) for tests and demos.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  /** Parsed arguments (query string and body); JSON-string fields `blocks`, `attachments`, `metadata` decoded. */
  body: Record<string, unknown>;
  authorization?: string;
  at: number;
  /** HTTP status the stand-in answered with; absent while a scripted `hang` is pending. */
  answeredStatus?: number;
  /** The `error` of an `ok: false` answer (HTTP 200 or 429). */
  answeredError?: string;
}

export type ScriptedAnswer =
  | { status: 429; retryAfter: number }
  | { status: 500 | 502 | 503; applied?: true }
  | { ok: false; error: string }
  | { hang: true; applied?: true }
  /** Answered normally: lets a script fail the second call but not the first. */
  | { pass: true };

export interface StoredMessage {
  ts: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown;
  metadata?: unknown;
}

export interface SlackStandIn {
  /** Base URL for WebClient's `slackApiUrl`; ends with `/api/`. */
  url: string;
  calls: SlackCall[];
  /** JSON bodies posted to response URLs, in arrival order. */
  responses: { id: string; body: Record<string, unknown> }[];
  responseUrl(id?: string): string;
  /** The next calls of `method` get these answers in order; later calls are handled normally. */
  script(method: string, ...answers: ScriptedAnswer[]): void;
  waitForCalls(n: number, timeoutMs?: number): Promise<SlackCall[]>;
  waitForResponses(n: number, timeoutMs?: number): Promise<{ id: string; body: Record<string, unknown> }[]>;
  /** Messages in the channel as they stand now (updates applied), in posting order, thread replies included. */
  messages(channel: string): StoredMessage[];
  close(): Promise<void>;
}

type Args = Record<string, unknown>;
type Answer = { status: number; body: Args | string; headers?: Record<string, string> };

const JSON_FIELDS = ['blocks', 'attachments', 'metadata'] as const;
const BOT = { user: 'U0TRIAGEBOT', bot_id: 'B0TRIAGE01', app_id: 'A0TRIAGE01', team: 'T0STANDIN1' };

const AUTH_TEST = {
  url: 'https://standin.slack.com/',
  team: 'Stand-in',
  user: 'triage-bot',
  team_id: BOT.team,
};

const ok = (body: Args): Answer => ({ status: 200, body: { ok: true, ...body } });
const fail = (error: string, extra: Args = {}): Answer => ({
  status: 200,
  body: { ok: false, error, ...extra },
});

/** Slack's Block Kit message limits; returns one message per problem, naming a json-pointer as Slack does. */
function blockErrors(blocks: unknown[]): string[] {
  const errors: string[] = [];
  const at = (message: string, pointer: string) => errors.push(`${message} [json-pointer:${pointer}]`);
  if (blocks.length > 50) at('no more than 50 items allowed', '/blocks');
  const blockIds = new Set<string>();
  for (const [i, raw] of blocks.entries()) {
    const p = `/blocks/${i}`;
    const block = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof block.type !== 'string') {
      at('missing required field: type', p);
      continue;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255) at('must be less than 256 characters', `${p}/block_id`);
      if (blockIds.has(block.block_id)) at('duplicate block_id', `${p}/block_id`);
      blockIds.add(block.block_id);
    }
    const text = block.text as { type?: unknown; text?: unknown } | undefined;
    const textLength = typeof text?.text === 'string' ? text.text.length : -1;
    const list = (key: string) => (Array.isArray(block[key]) ? (block[key] as unknown[]) : undefined);
    if (block.type === 'section') {
      const fields = list('fields');
      if (text === undefined && fields === undefined) at('must provide either text or fields', p);
      if (text !== undefined && (textLength < 1 || textLength > 3000))
        at('must be between 1 and 3000 characters', `${p}/text/text`);
      if (fields !== undefined && fields.length > 10) at('no more than 10 items allowed', `${p}/fields`);
      fields?.forEach((field, j) => {
        const fieldText = (field as { text?: unknown } | null)?.text;
        if (typeof fieldText !== 'string' || fieldText.length > 2000)
          at('must be less than 2001 characters', `${p}/fields/${j}/text`);
      });
    } else if (block.type === 'header') {
      if (text?.type !== 'plain_text') at('must be plain_text', `${p}/text/type`);
      if (textLength < 1 || textLength > 150) at('must be between 1 and 150 characters', `${p}/text/text`);
    } else if (block.type === 'context' && (list('elements')?.length ?? 0) > 10) {
      at('no more than 10 items allowed', `${p}/elements`);
    } else if (block.type === 'actions' && (list('elements')?.length ?? 0) > 25) {
      at('no more than 25 items allowed', `${p}/elements`);
    }
  }
  return errors;
}

/** Checks `blocks` if present; returns the failing answer or undefined. */
function checkBlocks(blocks: unknown): Answer | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) return fail('invalid_blocks_format');
  const errors = blockErrors(blocks);
  if (errors.length === 0) return undefined;
  return fail('invalid_blocks', {
    errors,
    response_metadata: { messages: errors.map((e) => `[ERROR] ${e}`) },
  });
}

/** Slack fills in a generated block_id on blocks sent without one. */
const withBlockIds = (blocks: unknown[]): unknown[] =>
  blocks.map((b) =>
    typeof b === 'object' && b !== null && !('block_id' in b)
      ? { ...b, block_id: randomBytes(3).toString('base64url') }
      : b,
  );

function jsonObject(raw: string): Args | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Args)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseArgs(req: IncomingMessage, raw: string, query: URLSearchParams): Args | undefined {
  const args: Args = Object.fromEntries(query);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const body = type.startsWith('application/json')
    ? jsonObject(raw || '{}')
    : Object.fromEntries(new URLSearchParams(raw));
  if (body === undefined) return undefined;
  Object.assign(args, body);
  for (const field of JSON_FIELDS) {
    const value = args[field];
    if (typeof value !== 'string') continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      // Left as the string; the method answers invalid_blocks_format / invalid_arguments.
    }
  }
  return args;
}

export interface SlackStandInOptions {
  /** When set, calls must carry `Authorization: Bearer <token>`. */
  token?: string;
  port?: number;
  /** Answer every Web API call this long after it arrived, as Slack's own answers take (benchmarks only). */
  latencyMs?: number;
}

export async function startSlackStandIn(options: SlackStandInOptions = {}): Promise<SlackStandIn> {
  const calls: SlackCall[] = [];
  const responses: { id: string; body: Record<string, unknown> }[] = [];
  const channels = new Map<string, StoredMessage[]>();
  const scripts = new Map<string, ScriptedAnswer[]>();
  const hanging = new Set<ServerResponse>();
  const waiters = new Set<{ check: () => boolean; fail: (e: Error) => void }>();
  let lastMicros = 0;

  const nextTs = (): string => {
    lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
    return `${Math.floor(lastMicros / 1e6)}.${String(lastMicros % 1e6).padStart(6, '0')}`;
  };
  const notify = () => {
    for (const waiter of waiters) if (waiter.check()) waiters.delete(waiter);
  };

  const postMessage = (args: Args, warnings: string[]): Answer => {
    const channel = args.channel;
    if (typeof channel !== 'string' || channel === '') return fail('channel_not_found');
    const text = typeof args.text === 'string' ? args.text : '';
    if (text === '' && args.blocks === undefined && args.attachments === undefined) return fail('no_text');
    const invalid = checkBlocks(args.blocks);
    if (invalid) return invalid;
    if (text === '' && args.blocks !== undefined) warnings.push('missing_text_fallback');
    const messages = channels.get(channel) ?? [];
    const threadTs = args.thread_ts === undefined ? undefined : String(args.thread_ts);
    // Only a parent (top-level) message opens a thread; a reply's ts is rejected so that bug shows in tests.
    const parent = messages.find((m) => m.ts === threadTs && m.thread_ts === undefined);
    if (threadTs !== undefined && !parent) return fail('thread_not_found');
    const stored: StoredMessage = { ts: nextTs(), text };
    if (threadTs !== undefined) stored.thread_ts = threadTs;
    if (Array.isArray(args.blocks)) stored.blocks = withBlockIds(args.blocks);
    if (typeof args.metadata === 'object' && args.metadata !== null) stored.metadata = args.metadata;
    channels.set(channel, [...messages, stored]);
    return ok({ channel, ts: stored.ts, message: { type: 'message', ...BOT, ...stored } });
  };

  const update = (args: Args): Answer => {
    const channel = String(args.channel ?? '');
    const message = channels.get(channel)?.find((m) => m.ts === String(args.ts ?? ''));
    if (!message) return fail(channels.has(channel) ? 'message_not_found' : 'channel_not_found');
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined)
      return fail('no_text');
    const invalid = checkBlocks(args.blocks);
    if (invalid) return invalid;
    if (typeof args.text === 'string') message.text = args.text;
    // Slack: leaving blocks out keeps them, `blocks: []` removes them.
    if (Array.isArray(args.blocks)) {
      if (args.blocks.length === 0) delete message.blocks;
      else message.blocks = withBlockIds(args.blocks);
    }
    const edited = { user: BOT.user, ts: nextTs() };
    return ok({
      channel,
      ts: message.ts,
      text: message.text,
      message: { type: 'message', ...message, edited },
    });
  };

  /** A message as the read methods show it: metadata only when asked for, as Slack does. */
  const shown = (m: StoredMessage, withMetadata: boolean) => {
    const { metadata, ...rest } = m;
    return { type: 'message', ...BOT, ...rest, ...(withMetadata && metadata ? { metadata } : {}) };
  };

  /** conversations.history: top-level messages newest first, from `oldest`, paged by `limit` and a cursor. */
  const history = (args: Args): Answer => {
    const channel = String(args.channel ?? '');
    const messages = channels.get(channel);
    if (!messages) return fail('channel_not_found');
    const oldest = Number(args.oldest ?? 0);
    const withMetadata = String(args.include_all_metadata) === 'true';
    const listed = messages
      .filter((m) => m.thread_ts === undefined && Number(m.ts) >= oldest)
      .reverse()
      .map((m) => shown(m, withMetadata));
    return page(listed, args);
  };

  /** conversations.replies: the parent, then its replies, oldest first. */
  const replies = (args: Args): Answer => {
    const channel = String(args.channel ?? '');
    const messages = channels.get(channel);
    if (!messages) return fail('channel_not_found');
    const ts = String(args.ts ?? '');
    const parent = messages.find((m) => m.ts === ts);
    if (!parent) return fail('thread_not_found');
    const withMetadata = String(args.include_all_metadata) === 'true';
    const thread = [parent, ...messages.filter((m) => m.thread_ts === ts)].map((m) => shown(m, withMetadata));
    return page(thread, args);
  };

  const page = (items: unknown[], args: Args): Answer => {
    const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 1000);
    const start = Number(String(args.cursor ?? '').replace(/^next:/, '') || 0);
    const slice = items.slice(start, start + limit);
    const more = start + limit < items.length;
    return ok({
      messages: slice,
      has_more: more,
      response_metadata: { next_cursor: more ? `next:${start + limit}` : '' },
    });
  };

  const answerFor = (method: string, args: Args, req: IncomingMessage): Answer => {
    const next = scripts.get(method)?.shift();
    const scripted = next && 'pass' in next ? undefined : next;
    // `applied`: Slack did the work but the answer is lost (a hang) or an error: the case retries must survive.
    if (scripted && 'applied' in scripted && scripted.applied) answerNormally(method, args, req);
    if (scripted && 'hang' in scripted) return { status: 0, body: '' };
    if (scripted && 'retryAfter' in scripted)
      return {
        status: 429,
        body: { ok: false, error: 'ratelimited' },
        headers: { 'Retry-After': String(scripted.retryAfter) },
      };
    if (scripted && 'status' in scripted)
      return { status: scripted.status, body: `stand-in scripted ${scripted.status}` };
    if (scripted) return fail(scripted.error);
    return answerNormally(method, args, req);
  };

  const METHODS = [
    'chat.postMessage',
    'chat.update',
    'auth.test',
    'conversations.history',
    'conversations.replies',
  ];
  const answerNormally = (method: string, args: Args, req: IncomingMessage): Answer => {
    if (!METHODS.includes(method)) return fail('unknown_method');
    if (options.token !== undefined) {
      const auth = req.headers.authorization;
      if (auth === undefined) return fail('not_authed');
      if (auth !== `Bearer ${options.token}`) return fail('invalid_auth');
    }
    const warnings: string[] = [];
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('application/json') && !/charset=utf-8/i.test(contentType))
      warnings.push('missing_charset');
    let answer: Answer;
    if (method === 'chat.postMessage') answer = postMessage(args, warnings);
    else if (method === 'chat.update') answer = update(args);
    else if (method === 'conversations.history') answer = history(args);
    else if (method === 'conversations.replies') answer = replies(args);
    else answer = ok({ ...AUTH_TEST, user_id: BOT.user, bot_id: BOT.bot_id });
    if (warnings.length > 0 && typeof answer.body === 'object' && answer.body.ok === true)
      answer.body = { ...answer.body, warning: warnings.join(','), response_metadata: { warnings } };
    return answer;
  };

  const send = (res: ServerResponse, answer: Answer) => {
    const isJson = typeof answer.body === 'object';
    res.writeHead(answer.status, {
      'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      ...answer.headers,
    });
    res.end(isJson ? JSON.stringify(answer.body) : answer.body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const responseMatch = /^\/response\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && responseMatch?.[1]) {
      const body = jsonObject(raw);
      if (body === undefined) return send(res, { status: 400, body: 'invalid_payload' });
      responses.push({ id: decodeURIComponent(responseMatch[1]), body });
      send(res, { status: 200, body: 'ok' });
      return notify();
    }
    if (!url.pathname.startsWith('/api/')) return send(res, { status: 404, body: 'not found' });
    const method = url.pathname.slice('/api/'.length);
    const args = parseArgs(req, raw, url.searchParams);
    const answer = args ? answerFor(method, args, req) : fail('invalid_json');
    const call: SlackCall = { method, body: args ?? { raw }, at: Date.now() };
    if (req.headers.authorization !== undefined) call.authorization = req.headers.authorization;
    if (answer.status !== 0) call.answeredStatus = answer.status;
    if (typeof answer.body === 'object' && answer.body.ok === false)
      call.answeredError = String(answer.body.error);
    calls.push(call);
    if (answer.status === 0) hanging.add(res);
    else if (options.latencyMs) setTimeout(() => send(res, answer), options.latencyMs);
    else send(res, answer);
    notify();
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function waitFor<T>(what: string, list: T[], n: number, timeoutMs: number): Promise<T[]> {
    return new Promise<T[]>((resolve, reject) => {
      const waiter = {
        check: () => {
          if (list.length < n) return false;
          clearTimeout(timer);
          resolve(list.slice());
          return true;
        },
        fail: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`Slack stand-in: expected ${n} ${what} within ${timeoutMs} ms, got ${list.length}`));
      }, timeoutMs);
      if (!waiter.check()) waiters.add(waiter);
    });
  }

  return {
    url: `${base}/api/`,
    calls,
    responses,
    responseUrl: (id = randomBytes(6).toString('hex')) => `${base}/response/${encodeURIComponent(id)}`,
    script: (method, ...answers) => scripts.set(method, [...(scripts.get(method) ?? []), ...answers]),
    waitForCalls: (n, timeoutMs = 5000) => waitFor('calls', calls, n, timeoutMs),
    waitForResponses: (n, timeoutMs = 5000) => waitFor('responses', responses, n, timeoutMs),
    messages: (channel) => (channels.get(channel) ?? []).map((m) => structuredClone(m)),
    close: async () => {
      for (const waiter of waiters) waiter.fail(new Error('Slack stand-in closed'));
      waiters.clear();
      for (const res of hanging) res.destroy();
      hanging.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
