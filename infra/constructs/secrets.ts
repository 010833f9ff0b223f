// Two Secrets Manager secrets, one per Lambda function: each reads only its own credentials once at cold start.
import { SecretValue, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { API_SECRET_KEYS, WORKER_SECRET_KEYS } from '../../src/secret-keys.js';

export const API_SECRET_NAME = 'alert-triage/api-credentials';
export const WORKER_SECRET_NAME = 'alert-triage/worker-credentials';
export { API_SECRET_KEYS, WORKER_SECRET_KEYS };

/** CloudFormation generates exactly one key per secret (GenerateSecretString has a single GenerateStringKey). */
export const GENERATED_SECRET_KEY = 'WEBHOOK_TOKEN';

const ROTATION =
  'Slack issues SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and the cluster side issues CLUSTER_PROXY_TOKEN; ' +
  'no rotation Lambda can re-issue them, and rotating WEBHOOK_TOKEN/API_TOKEN/PLAYBOOK_TOKEN needs the ' +
  'Alertmanager config and API clients updated in step. Rotation is a documented manual runbook (docs/deploy.md).';

/**
 * The api function faces the internet: it gets the bearer tokens and the Slack signing secret, never the cluster
 * or Slack bot tokens, which only the worker's secret holds. Keys the operator fills in start empty: src/config.ts
 * treats '' as unset, so a Lambda with an empty API_TOKEN refuses to start instead of accepting a placeholder.
 */
export class Secrets extends Construct {
  readonly apiSecret: Secret;
  readonly workerSecret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const empty = (keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, '']));

    this.apiSecret = new Secret(this, 'ApiCredentials', {
      secretName: API_SECRET_NAME,
      description:
        'alert-triage api credentials: WEBHOOK_TOKEN (generated), API_TOKEN, PLAYBOOK_TOKEN, SLACK_SIGNING_SECRET',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(
          empty(API_SECRET_KEYS.filter((k) => k !== GENERATED_SECRET_KEY)),
        ),
        generateStringKey: GENERATED_SECRET_KEY,
        // Bearer tokens end up in Alertmanager YAML and shell commands: keep them free of quoting trouble.
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });

    // Every worker credential is issued elsewhere (Slack, the cluster): the secret starts with empty values only.
    this.workerSecret = new Secret(this, 'WorkerCredentials', {
      secretName: WORKER_SECRET_NAME,
      description: 'alert-triage worker credentials: SLACK_BOT_TOKEN, CLUSTER_PROXY_TOKEN',
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(empty(WORKER_SECRET_KEYS))),
    });

    for (const secret of [this.apiSecret, this.workerSecret])
      Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: ROTATION });
  }
}
