// Deploy settings from CDK context: validation at synth time and the placeholders used when context is missing.
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { configureApp } from './alert-triage-app.js';
import { DEFAULT_PROMETHEUS_SERVICE, readSettings, SettingsError } from './settings.js';
import { DEPLOY_CONTEXT, type Json, NO_BUNDLING, newApp } from './testing.js';

const settingsFor = (context: Json) => readSettings(newApp(context).node);

describe('readSettings', () => {
  it('takes every value from context and reports no placeholders', () => {
    expect(settingsFor({ ...DEPLOY_CONTEXT, prometheusService: 'obs/prometheus:web' })).toEqual({
      clusterProxyUrl: 'https://k8s-proxy.example.com',
      prometheusService: 'obs/prometheus:web',
      prometheusUrl: undefined,
      passthrough: {},
      slackChannel: 'C0123456789',
      placeholders: [],
    });
  });

  it('falls back to placeholders and the kube-prometheus service when context is missing', () => {
    const settings = settingsFor({});
    expect(settings.placeholders).toEqual(['clusterProxyUrl', 'slackChannel']);
    expect(settings.prometheusService).toBe(DEFAULT_PROMETHEUS_SERVICE);
    expect(new URL(settings.clusterProxyUrl).hostname.endsWith('.invalid')).toBe(true);
  });

  it('accepts an empty prometheusService, which turns Prometheus evidence off', () => {
    expect(settingsFor({ ...DEPLOY_CONTEXT, prometheusService: '' }).prometheusService).toBe('');
  });

  it.each([
    [{ clusterProxyUrl: 'http://k8s-proxy.example.com' }, /must use https/],
    [{ clusterProxyUrl: 'k8s-proxy.example.com' }, /absolute URL/],
    [{ prometheusService: 'prometheus-k8s:9090' }, /namespace\/name:port/],
    [{ prometheusUrl: 'prometheus.example.com:9090' }, /http\(s\) URL/],
    [{ prometheusUrl: '/api/v1' }, /absolute URL/],
    [{ slackChannel: '#alerts' }, /channel id/],
    [{ slackChannel: 42 }, /must be a string/],
  ])('rejects %j at synth', (bad, message) => {
    expect(() => settingsFor({ ...DEPLOY_CONTEXT, ...bad })).toThrow(SettingsError);
    expect(() => settingsFor({ ...DEPLOY_CONTEXT, ...bad })).toThrow(message);
  });
});

describe('settings in the stack', () => {
  it('missing context deploys placeholders and warns at synth', () => {
    const app = newApp(NO_BUNDLING);
    const template = Template.fromStack(configureApp(app));
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Environment: {
          Variables: Match.objectLike({
            CLUSTER_PROXY_URL: 'https://cluster-proxy.invalid',
            SLACK_CHANNEL: 'C0000000000',
          }),
        },
      },
      2,
    );
    const warnings = app.synth().stacks[0]?.messages.filter((m) => m.level === 'warning') ?? [];
    expect(warnings.map((m) => String(m.entry.data))).toEqual([
      expect.stringContaining('context clusterProxyUrl not set'),
      expect.stringContaining('context slackChannel not set'),
    ]);
  });

  it('passes Alertmanager and the Slack allow-lists to both functions, refusing what the runtime would refuse', () => {
    const app = newApp({
      ...DEPLOY_CONTEXT,
      ...NO_BUNDLING,
      alertmanagerUrl: 'https://alertmanager.example.com',
      slackTeamIds: 'T0EXAMPLE1',
      slackNamespaces: 'C0ALERTS01=shop,payments;U0SRE00001=*',
    });
    const template = Template.fromStack(configureApp(app));
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      {
        Environment: {
          Variables: Match.objectLike({
            ALERTMANAGER_URL: 'https://alertmanager.example.com',
            SLACK_TEAM_IDS: 'T0EXAMPLE1',
            SLACK_NAMESPACES: 'C0ALERTS01=shop,payments;U0SRE00001=*',
          }),
        },
      },
      2,
    );
    expect(() =>
      configureApp(newApp({ ...DEPLOY_CONTEXT, ...NO_BUNDLING, slackTeamIds: 'not an id' })),
    ).toThrow(/context slackTeamIds: .*"not an id" is not a Slack id/);
    expect(() =>
      configureApp(newApp({ ...DEPLOY_CONTEXT, ...NO_BUNDLING, slackNamespaces: 'C0ALERTS01=Shop' })),
    ).toThrow(/context slackNamespaces: .*not a namespace/);
  });

  it('prometheusUrl context adds PROMETHEUS_URL to both functions', () => {
    const app = newApp({
      ...DEPLOY_CONTEXT,
      ...NO_BUNDLING,
      prometheusUrl: 'https://prometheus.example.com',
    });
    const template = Template.fromStack(configureApp(app));
    template.resourcePropertiesCountIs(
      'AWS::Lambda::Function',
      { Environment: { Variables: Match.objectLike({ PROMETHEUS_URL: 'https://prometheus.example.com' }) } },
      2,
    );
  });
});
