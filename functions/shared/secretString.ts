/**
 * Reads a Secrets Manager secret's string for a provisioning Lambda (mysql-users,
 * opensearch-users). The SDK is loaded and its client created on first use, once per container,
 * so tests that inject their own `readSecret` never load it.
 */
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

let client: SecretsManagerClient | undefined;

/** The `SecretString` of `secretId`; throws when the secret holds binary data only. */
export async function readSecretString(secretId: string): Promise<string> {
  const sdk = await import("@aws-sdk/client-secrets-manager");
  client ??= new sdk.SecretsManagerClient({});
  const out = await client.send(new sdk.GetSecretValueCommand({ SecretId: secretId }));
  if (out.SecretString === undefined) throw new Error(`secret ${secretId} has no SecretString`);
  return out.SecretString;
}
