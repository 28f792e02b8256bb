// Secrets Manager values read at cold start, once per container, instead of riding in the
// function's environment (which anyone allowed to read the function's configuration can see).
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;
const cache = new Map<string, Promise<string>>();

/** The secret's string; a failed read is forgotten so that the next request tries again. */
export function secretString(secretId: string): Promise<string> {
  let value = cache.get(secretId);
  if (!value) {
    client ??= new SecretsManagerClient({});
    value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then((out) => {
      if (out.SecretString === undefined) throw new Error(`secret ${secretId} has no string value`);
      return out.SecretString;
    });
    value.catch(() => cache.delete(secretId));
    cache.set(secretId, value);
  }
  return value;
}

/** A secret holding a JSON object (RDS credentials, the operator's app secret). */
export async function secretJson(secretId: string): Promise<Record<string, string>> {
  return JSON.parse(await secretString(secretId)) as Record<string, string>;
}
