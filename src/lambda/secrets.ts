// Reads the credentials secret once per cold start and lays its keys over the environment.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Only these keys may come from the secret; anything else in it is ignored. */
const SECRET_KEYS = [
  'WEBHOOK_TOKEN',
  'API_TOKEN',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'CLUSTER_PROXY_TOKEN',
] as const;

export async function withSecrets(
  env: Readonly<Record<string, string | undefined>>,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): Promise<Record<string, string | undefined>> {
  const arn = env.SECRETS_ARN;
  if (!arn) return { ...env };
  const answer = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  let values: Record<string, unknown>;
  try {
    values = JSON.parse(answer.SecretString ?? '{}') as Record<string, unknown>;
  } catch {
    throw new Error(`secret ${arn} is not a JSON object`);
  }
  const merged: Record<string, string | undefined> = { ...env };
  for (const key of SECRET_KEYS) {
    const value = values[key];
    if (typeof value === 'string' && value.trim() !== '') merged[key] = value;
  }
  return merged;
}
