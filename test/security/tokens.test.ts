// Finding 8 of issue 16: token hygiene. Lambda refuses short or shared tokens, the logger masks secrets in their
// JSON-escaped form, and playbook writes take their own token.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, MIN_TOKEN_LENGTH } from '../../src/config.js';
import { BUILT_IN_SIGNATURES } from '../../src/domain/catalog/index.js';
import { createApp } from '../../src/http/app.js';
import { memoryLogger } from '../support/memory-logger.js';
import { emptyStore, MemoryPlaybookStore, RecordingQueue } from '../support/minimal-app.js';

const LONG_WEBHOOK = 'webhook-token-0123456789abcdefghijklmn';
const LONG_API = 'api-token-0123456789abcdefghijklmnopqrs';
const LONG_PLAYBOOK = 'playbook-token-0123456789abcdefghijklm';
const CLUSTER = { CLUSTER_PROXY_URL: 'https://proxy.example.com' };

const problems = (env: Record<string, string>, role?: 'api' | 'worker') => {
  try {
    loadConfig(env, 'lambda', role);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('Lambda refuses weak tokens at start-up', () => {
  it(`refuses a token shorter than ${MIN_TOKEN_LENGTH} characters`, () => {
    expect(problems({ ...CLUSTER, WEBHOOK_TOKEN: 'x', API_TOKEN: LONG_API })).toEqual([
      `WEBHOOK_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters (got 1)`,
    ]);
    expect(
      problems({ ...CLUSTER, WEBHOOK_TOKEN: LONG_WEBHOOK, API_TOKEN: LONG_API, PLAYBOOK_TOKEN: 'short' }),
    ).toHaveLength(1);
  });

  it('refuses one value for two roles', () => {
    expect(problems({ ...CLUSTER, WEBHOOK_TOKEN: LONG_API, API_TOKEN: LONG_API })).toEqual([
      'WEBHOOK_TOKEN and API_TOKEN must differ: one token would open both roles',
    ]);
    expect(
      problems({ ...CLUSTER, WEBHOOK_TOKEN: LONG_WEBHOOK, API_TOKEN: LONG_API, PLAYBOOK_TOKEN: LONG_API }),
    ).toEqual(['API_TOKEN and PLAYBOOK_TOKEN must differ: one token would open both roles']);
  });

  it('accepts long, distinct tokens, and says when PLAYBOOK_TOKEN is unset', () => {
    expect(problems({ ...CLUSTER, WEBHOOK_TOKEN: LONG_WEBHOOK, API_TOKEN: LONG_API })).toEqual([]);
    const config = loadConfig({ ...CLUSTER, WEBHOOK_TOKEN: LONG_WEBHOOK, API_TOKEN: LONG_API }, 'lambda');
    expect(config.substitutions.join('\n')).toMatch(/PLAYBOOK_TOKEN is unset/);
  });

  it('each function needs only its own credentials', () => {
    expect(problems({ WEBHOOK_TOKEN: LONG_WEBHOOK, API_TOKEN: LONG_API }, 'api')).toEqual([]);
    expect(problems({ ...CLUSTER }, 'worker')).toEqual([]);
    expect(problems({}, 'worker')).toEqual(['CLUSTER_PROXY_URL (or KUBECONFIG) is required in Lambda']);
  });

  it('local mode also refuses a token shared by two roles', () => {
    expect(() => loadConfig({ WEBHOOK_TOKEN: 'same-token', API_TOKEN: 'same-token' }, 'local')).toThrow(
      ConfigError,
    );
  });
});

describe('the logger masks configured secrets as JSON writes them', () => {
  it.each([
    ['a quote', 'quote"in-the-secret-0123456789'],
    ['a backslash', 'back\\slash-secret-0123456789'],
    ['a control character', 'tab\there-secret-0123456789'],
  ])('a secret holding %s', (_, secret) => {
    const { log, lines } = memoryLogger([secret]);
    log.info('request', { header: `Bearer ${secret}`, nested: { value: secret } });
    log.info(`message ${secret}`);
    const text = lines.join('\n');
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(text).not.toContain(secret);
    expect(text).toContain('[REDACTED]');
  });
});

describe('playbook writes take PLAYBOOK_TOKEN; API_TOKEN reads', () => {
  const app = (playbookToken?: string) =>
    createApp({
      webhookToken: LONG_WEBHOOK,
      apiToken: LONG_API,
      playbookToken,
      queue: new RecordingQueue(),
      store: emptyStore,
      playbooks: new MemoryPlaybookStore(),
      builtIns: BUILT_IN_SIGNATURES,
      log: memoryLogger().log,
    });
  const disable = (token: string, playbookToken?: string) =>
    app(playbookToken).request('/playbooks/oom-killed', {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    });
  const id = BUILT_IN_SIGNATURES[0]?.id ?? '';

  it('refuses a write with API_TOKEN once PLAYBOOK_TOKEN is set', async () => {
    const res = await app(LONG_PLAYBOOK).request(`/playbooks/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${LONG_API}` },
    });
    expect(res.status).toBe(401);
  });

  it('accepts the write with PLAYBOOK_TOKEN', async () => {
    const res = await app(LONG_PLAYBOOK).request(`/playbooks/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${LONG_PLAYBOOK}` },
    });
    expect(res.status).toBeLessThan(300);
  });

  it('reads with either token, and never with the webhook token', async () => {
    for (const token of [LONG_API, LONG_PLAYBOOK]) {
      const res = await app(LONG_PLAYBOOK).request('/playbooks', {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
    const res = await app(LONG_PLAYBOOK).request('/playbooks', {
      headers: { authorization: `Bearer ${LONG_WEBHOOK}` },
    });
    expect(res.status).toBe(401);
  });

  it('without PLAYBOOK_TOKEN, API_TOKEN writes as before the split', async () => {
    expect((await disable(LONG_API)).status).toBeLessThan(500);
    expect((await disable(LONG_API)).status).not.toBe(401);
  });
});
