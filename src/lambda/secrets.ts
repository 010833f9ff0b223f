// Reads the credentials secret once per cold start and lays its keys over the environment.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretKey } from '../secret-keys.js';

/** Only `keys` are taken from the secret (the function's own credentials); anything else in it is ignored. */
export async function withSecrets(
  env: Readonly<Record<string, string | undefined>>,
  keys: readonly SecretKey[],
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
  for (const key of keys) {
    const value = values[key];
    if (typeof value === 'string' && value.trim() !== '') merged[key] = value;
  }
  return merged;
}
