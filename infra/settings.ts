// Deploy-time settings from CDK context (`-c key=value`), validated, with placeholders that keep offline synth working.
import type { Node } from 'constructs';
import { parseIds, parseNamespaceGrants } from '../src/commands/access.js';

export interface AlertTriageSettings {
  /** Base URL serving Kubernetes API paths; becomes CLUSTER_PROXY_URL. */
  readonly clusterProxyUrl: string;
  /** `namespace/name:port` for the API server's service proxy; '' turns Prometheus evidence off. */
  readonly prometheusService: string;
  /** Direct Prometheus base URL; overrides the service proxy when set. */
  readonly prometheusUrl: string | undefined;
  /** Slack channel id the worker posts to. */
  readonly slackChannel: string;
  /**
   * Optional runtime settings passed through as they are, validated here with the runtime's own parsers:
   * ALERTMANAGER_URL (silences from the buttons) and who may use /triage and the buttons (SLACK_TEAM_IDS,
   * SLACK_USER_IDS, SLACK_NAMESPACES).
   */
  readonly passthrough: Readonly<Record<string, string>>;
  /** Context keys that were not given and fell back to a placeholder. */
  readonly placeholders: readonly string[];
}

/** `.invalid` never resolves (RFC 2606), so a forgotten setting fails loudly instead of reaching a stranger's host. */
export const PLACEHOLDER_CLUSTER_PROXY_URL = 'https://cluster-proxy.invalid';
/** Well-formed but nonexistent: Slack answers channel_not_found, the message lands in the DLQ and its alarm fires. */
export const PLACEHOLDER_SLACK_CHANNEL = 'C0000000000';
export const DEFAULT_PROMETHEUS_SERVICE = 'monitoring/prometheus-k8s:9090';

// Mirrors the runtime check in src/config.ts so a typo fails at synth rather than at the first cold start.
const PROMETHEUS_SERVICE =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/(https?:)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9-]+)?$/;
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

export class SettingsError extends Error {
  readonly code = 'invalid_settings';
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

function readString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new SettingsError(`context ${key} must be a string, got ${typeof value}`);
  return value.trim();
}

function parseUrl(key: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new SettingsError(`context ${key} must be an absolute URL, got "${value}"`);
  }
}

export function readSettings(node: Node): AlertTriageSettings {
  const placeholders: string[] = [];

  const givenProxyUrl = readString(node, 'clusterProxyUrl');
  if (!givenProxyUrl) placeholders.push('clusterProxyUrl');
  const clusterProxyUrl = givenProxyUrl || PLACEHOLDER_CLUSTER_PROXY_URL;
  // The Lambdas run outside any VPC and send CLUSTER_PROXY_TOKEN as a bearer token: plain HTTP would leak it.
  if (parseUrl('clusterProxyUrl', clusterProxyUrl).protocol !== 'https:') {
    throw new SettingsError(`context clusterProxyUrl must use https, got "${clusterProxyUrl}"`);
  }

  const prometheusService = readString(node, 'prometheusService') ?? DEFAULT_PROMETHEUS_SERVICE;
  if (prometheusService !== '' && !PROMETHEUS_SERVICE.test(prometheusService)) {
    throw new SettingsError(
      `context prometheusService must look like namespace/name:port (or be empty), got "${prometheusService}"`,
    );
  }

  const prometheusUrl = readString(node, 'prometheusUrl') || undefined;
  if (prometheusUrl !== undefined && !/^https?:$/.test(parseUrl('prometheusUrl', prometheusUrl).protocol)) {
    throw new SettingsError(`context prometheusUrl must be an http(s) URL, got "${prometheusUrl}"`);
  }

  const givenChannel = readString(node, 'slackChannel');
  if (!givenChannel) placeholders.push('slackChannel');
  const slackChannel = givenChannel || PLACEHOLDER_SLACK_CHANNEL;
  if (!SLACK_CHANNEL_ID.test(slackChannel)) {
    throw new SettingsError(
      `context slackChannel must be a channel id like C0123456789, got "${slackChannel}"`,
    );
  }

  const passthrough: Record<string, string> = {};
  const alertmanagerUrl = readString(node, 'alertmanagerUrl') || undefined;
  if (alertmanagerUrl !== undefined) {
    if (!/^https?:$/.test(parseUrl('alertmanagerUrl', alertmanagerUrl).protocol))
      throw new SettingsError(`context alertmanagerUrl must be an http(s) URL, got "${alertmanagerUrl}"`);
    passthrough.ALERTMANAGER_URL = alertmanagerUrl;
  }
  for (const [key, variable, check] of [
    ['slackTeamIds', 'SLACK_TEAM_IDS', (v: string) => parseIds(v, 'slackTeamIds')],
    ['slackUserIds', 'SLACK_USER_IDS', (v: string) => parseIds(v, 'slackUserIds')],
    ['slackNamespaces', 'SLACK_NAMESPACES', (v: string) => parseNamespaceGrants(v)],
  ] as const) {
    const value = readString(node, key) || undefined;
    if (value === undefined) continue;
    try {
      check(value);
    } catch (error) {
      throw new SettingsError(`context ${key}: ${(error as Error).message}`);
    }
    passthrough[variable] = value;
  }

  return { clusterProxyUrl, prometheusService, prometheusUrl, slackChannel, passthrough, placeholders };
}
