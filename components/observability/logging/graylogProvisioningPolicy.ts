/**
 * The IAM and key policies of Graylog's provisioning (GraylogProvisioning.ts), as plain documents
 * (pure, unit-tested). Each function's role reaches exactly what it uses: its own log group, the
 * admin secret (decrypted through Secrets Manager only, for that secret only), its dead-letter
 * queue; the provisioner also the search domain's HTTP API and passing the snapshot role when the
 * archive is on; the relay also publishing to the two alert topics (their key through SNS only)
 * and its watermark table's items. No wildcard action, no `*` resource.
 */
import { FunctionScope, PolicyDocument, deadLetterStatements, lambdaTrust, ownLogsStatement, policyDocument } from "../functionPolicies";

export { lambdaTrust };
export type { PolicyDocument };

export type Scope = FunctionScope;

export interface CommonGrants {
  readonly functionName: string;
  readonly adminSecretArn: string;
  /** The key of Graylog's secrets. */
  readonly secretsKeyArn: string;
  readonly queueArn: string;
  /** The provisioning's own key (log groups, dead-letter queue). */
  readonly keyArn: string;
}

/** `extraSecretArns`: further secrets under the same key (the search domain's master user, for the provisioner). */
function common(s: Scope, g: CommonGrants, extraSecretArns: readonly string[] = []): Record<string, unknown>[] {
  const secrets = [g.adminSecretArn, ...extraSecretArns];
  const one = <T>(list: T[]): T | T[] => (list.length === 1 ? list[0]! : list);
  return [
    ownLogsStatement(s, g.functionName),
    { Sid: "ReadGraylogAdmin", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: one(secrets) },
    {
      Sid: "DecryptGraylogAdmin",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: g.secretsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${s.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": one(secrets) } },
    },
    ...deadLetterStatements(s, g.queueArn, g.keyArn),
  ];
}

export interface ProvisionerGrants extends CommonGrants {
  /** With the archive: the domain (its HTTP API) and the role OpenSearch Service assumes to write snapshots. */
  readonly archive?: {
    readonly domainArn: string;
    readonly snapshotRoleArn: string;
    /** The domain's master user secret (same key as Graylog's secrets): maps the role to manage_snapshots. */
    readonly masterSecretArn?: string;
  };
}

/**
 * The provisioner. Registering a snapshot repository with `role_arn` is a signed PUT by a principal
 * allowed iam:PassRole on that role (OpenSearch Service developer guide, "Registering a manual
 * snapshot repository"); the policies are the _plugins/_sm API (GET, POST, PUT).
 */
export function provisionerPolicy(s: Scope, g: ProvisionerGrants): PolicyDocument {
  const statements = common(s, g, g.archive?.masterSecretArn ? [g.archive.masterSecretArn] : []);
  if (g.archive) {
    statements.push(
      { Sid: "SnapshotApi", Effect: "Allow", Action: ["es:ESHttpGet", "es:ESHttpPut", "es:ESHttpPost"], Resource: `${g.archive.domainArn}/*` },
      { Sid: "PassSnapshotRole", Effect: "Allow", Action: "iam:PassRole", Resource: g.archive.snapshotRoleArn },
    );
  }
  return policyDocument(...statements);
}

export interface RelayGrants extends CommonGrants {
  readonly topicArns: readonly string[];
  /** The alert topics' key: SNS encrypts with the publisher's kms:GenerateDataKey and kms:Decrypt. */
  readonly topicsKeyArn: string;
  readonly tableArn: string;
}

export function relayPolicy(s: Scope, g: RelayGrants): PolicyDocument {
  return policyDocument(
    ...common(s, g),
    { Sid: "PublishAlerts", Effect: "Allow", Action: "sns:Publish", Resource: [...g.topicArns].sort() },
    { Sid: "EncryptAlerts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: g.topicsKeyArn, Condition: { StringEquals: { "kms:ViaService": `sns.${s.region}.amazonaws.com` } } },
    { Sid: "Watermark", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: g.tableArn },
  );
}

/**
 * The provisioning's key: the account administers it through IAM; CloudWatch Logs may use it only
 * for the two functions' log groups (the encryption context names the group).
 */
export function provisioningKeyPolicy(s: Scope, logGroupNames: readonly string[]): PolicyDocument {
  return policyDocument(
    { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "CloudWatchLogsEncryptsFunctionLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${s.region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((n) => `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:${n}`) } },
    },
  );
}
