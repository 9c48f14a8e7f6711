/**
 * The Teams notifier's IAM and resource policies, as plain documents (pure, unit-tested): the
 * function's role may write its own log group, read exactly the webhook secret (decrypting through
 * Secrets Manager only, for that secret only), and send to exactly its dead-letter queue (with the
 * data key SQS needs for an encrypted queue, through SQS only). Nothing else, no wildcard actions.
 */

import { FunctionScope, PolicyDocument, deadLetterStatements, ownLogsStatement, policyDocument } from "./functionPolicies";

export type NotifierScope = FunctionScope;

export interface NotifierResources {
  readonly functionName: string;
  readonly secretArn: string;
  readonly queueArn: string;
  /** The key that encrypts the secret and the queue. */
  readonly keyArn: string;
}

/**
 * The function's role. The group itself is created by the component (with its retention), so the
 * role has no logs:CreateLogGroup. Secrets Manager decrypts a secret's data key with the caller's
 * kms:Decrypt, with the secret's ARN as encryption context; Lambda sends to the dead-letter queue and
 * the on-failure destination with the execution role, which for a KMS-encrypted queue needs
 * kms:GenerateDataKey and kms:Decrypt on the queue's key.
 */
export function notifierPolicy(s: NotifierScope, r: NotifierResources): PolicyDocument {
  return policyDocument(
    ownLogsStatement(s, r.functionName),
    { Sid: "ReadWebhookSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: r.secretArn },
    {
      Sid: "DecryptWebhookSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: r.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${s.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": r.secretArn } },
    },
    ...deadLetterStatements(s, r.queueArn, r.keyArn),
  );
}
