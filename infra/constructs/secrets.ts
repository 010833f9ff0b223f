// The one Secrets Manager secret holding every credential the Lambdas read once at cold start (SECRETS_ARN).
import { Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export const SECRET_NAME = 'alert-triage/credentials';

/** Keys of the secret's JSON value; the names match the environment contract in DESIGN.md. */
export const SECRET_KEYS = [
  'WEBHOOK_TOKEN',
  'API_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'CLUSTER_PROXY_TOKEN',
] as const;

/** CloudFormation generates exactly one key per secret (GenerateSecretString has a single GenerateStringKey). */
export const GENERATED_SECRET_KEY = 'WEBHOOK_TOKEN';

export class Secrets extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Keys the operator fills in start empty: src/config.ts treats '' as unset, so a Lambda with an empty
    // API_TOKEN refuses to start instead of accepting a guessable placeholder.
    const template = Object.fromEntries(
      SECRET_KEYS.filter((key) => key !== GENERATED_SECRET_KEY).map((key) => [key, '']),
    );

    this.secret = new Secret(this, 'Credentials', {
      secretName: SECRET_NAME,
      description:
        'alert-triage credentials: WEBHOOK_TOKEN (generated), API_TOKEN, Slack and cluster proxy tokens',
      generateSecretString: {
        secretStringTemplate: JSON.stringify(template),
        generateStringKey: GENERATED_SECRET_KEY,
        // Bearer tokens end up in Alertmanager YAML and shell commands: keep them free of quoting trouble.
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });

    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Slack issues SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET and the cluster side issues CLUSTER_PROXY_TOKEN; ' +
        'no rotation Lambda can re-issue them, and rotating WEBHOOK_TOKEN/API_TOKEN needs the Alertmanager ' +
        'config and API clients updated in step. Rotation is a documented manual runbook (docs/deploy.md).',
    });
  }
}
