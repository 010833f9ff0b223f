// Configuration: fails closed in Lambda, logs every local default, rejects malformed values.
import { describe, expect, it } from 'vitest';
import { ConfigError, configSecrets, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('refuses to start in Lambda without tokens and a cluster', () => {
    expect(() => loadConfig({}, 'lambda')).toThrow(ConfigError);
    try {
      loadConfig({}, 'lambda');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'WEBHOOK_TOKEN is required in Lambda',
        'API_TOKEN is required in Lambda',
        'CLUSTER_PROXY_URL (or KUBECONFIG) is required in Lambda',
      ]);
    }
  });

  it('accepts a complete Lambda configuration', () => {
    const config = loadConfig(
      {
        WEBHOOK_TOKEN: 'w-token-0123456789abcdefghijklmnopqrstuv',
        API_TOKEN: 'a-token-0123456789abcdefghijklmnopqrstuv',
        CLUSTER_PROXY_URL: 'https://proxy.example.com',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_CHANNEL: 'C0ALERTS01',
      },
      'lambda',
    );
    expect(config.cluster).toEqual({ mode: 'proxy', url: 'https://proxy.example.com', token: undefined });
    expect(config.prometheus).toEqual({
      mode: 'service',
      namespace: 'monitoring',
      service: 'prometheus-k8s:9090',
    });
    expect(config.slack.mode).toBe('api');
  });

  it('runs locally on embedded defaults and says so', () => {
    const config = loadConfig({}, 'local');
    expect(config.cluster.mode).toBe('demo');
    expect(config.slack.mode).toBe('console');
    expect(config.substitutions.join('\n')).toMatch(/WEBHOOK_TOKEN is unset/);
    expect(config.substitutions.join('\n')).toMatch(/demo cluster/);
    expect(config.substitutions.join('\n')).toMatch(/embedded in-process DynamoDB/);
  });

  it('requires tokens when bound beyond loopback', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' }, 'local')).toThrow(/WEBHOOK_TOKEN is required when HOST/);
  });

  it('rejects malformed values with a clear message', () => {
    expect(() => loadConfig({ PROMETHEUS_SERVICE: 'prometheus' }, 'local')).toThrow(/namespace\/name:port/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'local')).toThrow(/SLACK_CHANNEL is required/);
    expect(() => loadConfig({ PORT: 'eighty' }, 'local')).toThrow(/PORT/);
    expect(loadConfig({ PROMETHEUS_SERVICE: '' }, 'local').prometheus).toEqual({ mode: 'off' });
  });

  it('reads where silences go and who may act from Slack', () => {
    const proxy = { CLUSTER_PROXY_URL: 'https://k8s.example:6443' };
    expect(loadConfig(proxy, 'local').alertmanager).toEqual({
      mode: 'service',
      namespace: 'monitoring',
      service: 'alertmanager-main:9093',
    });
    expect(
      loadConfig({ ...proxy, ALERTMANAGER_URL: 'http://am.example:9093' }, 'local').alertmanager,
    ).toEqual({
      mode: 'url',
      url: 'http://am.example:9093',
    });
    expect(loadConfig({ ...proxy, ALERTMANAGER_SERVICE: '' }, 'local').alertmanager).toEqual({ mode: 'off' });
    // The demo cluster has no Alertmanager behind its service proxy.
    expect(loadConfig({}, 'local').alertmanager).toEqual({ mode: 'off' });
    expect(() => loadConfig({ ALERTMANAGER_SERVICE: 'alertmanager' }, 'local')).toThrow(
      /ALERTMANAGER_SERVICE must look like/,
    );
    expect(() => loadConfig({ SLACK_TEAM_IDS: 'T0AAA,bad id' }, 'local')).toThrow(
      /SLACK_TEAM_IDS: "bad id" is not a Slack id/,
    );
    const access = loadConfig({ SLACK_TEAM_IDS: ' T0AAA, T0BBB ,', SLACK_USER_IDS: '' }, 'local').slackAccess;
    expect([...(access.teams ?? [])]).toEqual(['T0AAA', 'T0BBB']);
    expect(access.users).toBeUndefined();
  });
});

describe('configSecrets', () => {
  it('lists every credential of the configuration, the cluster proxy token included', () => {
    const config = loadConfig(
      {
        WEBHOOK_TOKEN: 'w-token-0123456789abcdefghijklmnopqrstuv',
        API_TOKEN: 'a-token-0123456789abcdefghijklmnopqrstuv',
        CLUSTER_PROXY_URL: 'https://proxy.example.com',
        CLUSTER_PROXY_TOKEN: 'cluster-token',
        SLACK_BOT_TOKEN: 'xoxb-1',
        SLACK_CHANNEL: 'C0ALERTS01',
        SLACK_SIGNING_SECRET: 'signing',
      },
      'lambda',
    );
    expect(configSecrets(config).sort()).toEqual([
      'a-token-0123456789abcdefghijklmnopqrstuv',
      'cluster-token',
      'signing',
      'w-token-0123456789abcdefghijklmnopqrstuv',
      'xoxb-1',
    ]);
  });
});
