/**
 * The Teams notifier's IAM and resource policies, as plain documents (pure, unit-tested): the
 * function's role may write its own log group, read exactly the webhook secret (decrypting through
 * Secrets Manager only, for that secret only), and send to exactly its dead-letter queue (with the
 * data key SQS needs for an encrypted queue, through SQS only). Nothing else, no wildcard actions.
 */

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

export interface NotifierScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

export interface NotifierResources {
  readonly functionName: string;
  readonly secretArn: string;
  readonly queueArn: string;
  /** The key that encrypts the secret and the queue. */
  readonly keyArn: string;
}

/** The log group Lambda writes `functionName`'s logs to, and its streams. */
export function functionLogArns(s: NotifierScope, functionName: string): [string, string] {
  const group = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:/aws/lambda/${functionName}`;
  return [group, `${group}:log-stream:*`];
}

/** Trust for Lambda, only on behalf of this account (confused-deputy guard). */
export function lambdaTrust(accountId: string): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}

/**
 * The function's role. The group itself is created by the component (with its retention), so the
 * role has no logs:CreateLogGroup. Secrets Manager decrypts a secret's data key with the caller's
 * kms:Decrypt, with the secret's ARN as encryption context; Lambda sends to the dead-letter queue and
 * the on-failure destination with the execution role, which for a KMS-encrypted queue needs
 * kms:GenerateDataKey and kms:Decrypt on the queue's key.
 */
export function notifierPolicy(s: NotifierScope, r: NotifierResources): PolicyDocument {
  return doc(
    { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: functionLogArns(s, r.functionName) },
    { Sid: "ReadWebhookSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: r.secretArn },
    {
      Sid: "DecryptWebhookSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: r.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${s.region}.amazonaws.com`, "kms:EncryptionContext:SecretARN": r.secretArn } },
    },
    { Sid: "DeadLetter", Effect: "Allow", Action: "sqs:SendMessage", Resource: r.queueArn },
    {
      Sid: "EncryptDeadLetters",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: r.keyArn,
      Condition: { StringEquals: { "kms:ViaService": `sqs.${s.region}.amazonaws.com` } },
    },
  );
}

/** The dead-letter queue's policy: nothing reaches it, or is read from it, without TLS. */
export function queueTlsOnlyPolicy(queueArn: string): PolicyDocument {
  return doc({ Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } });
}
