// Test helpers for the infra suites: apps built with cdk.json's feature flags and known context.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';

export type Json = Record<string, unknown>;

// The same feature flags `cdk synth` uses, so the template under test is the one that deploys.
const CDK_JSON_CONTEXT = (
  JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context: Json }
).context;

export const DEPLOY_CONTEXT = {
  clusterProxyUrl: 'https://k8s-proxy.example.com',
  slackChannel: 'C0123456789',
};

/** Skips esbuild for tests that only look at wiring. */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export function newApp(context: Json): App {
  return new App({ context: { ...CDK_JSON_CONTEXT, ...context } });
}
