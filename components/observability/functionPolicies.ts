/**
 * What every platform Lambda (the Teams notifier, Graylog's provisioning functions, the log shipper)
 * shares, as plain data: the policy document shape, the trust for Lambda on this account's behalf,
 * its own log group, the dead-letter queue's grants and TLS-only policy, and how long failed events
 * are kept. Each function's policy file adds what is its own.
 */

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

export const policyDocument = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Partition, region and account of the provider a function runs under. */
export interface FunctionScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** SQS keeps a message at most 14 days (MessageRetentionPeriod 60..1,209,600 seconds). */
export const DEAD_LETTER_RETENTION_SECONDS = 1_209_600;
/** Lambda's own retries of a failed asynchronous invocation (0-2), after the handler's. */
export const ASYNC_RETRIES = 2;

/** The log group Lambda writes `functionName`'s logs to, and its streams. */
export function functionLogArns(s: FunctionScope, functionName: string): [string, string] {
  const group = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:/aws/lambda/${functionName}`;
  return [group, `${group}:log-stream:*`];
}

/** Trust for Lambda, only on behalf of this account (confused-deputy guard). */
export function lambdaTrust(accountId: string): PolicyDocument {
  return policyDocument({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}

/**
 * Writing the function's own log group (created by its component with retention, so no
 * logs:CreateLogGroup).
 */
export function ownLogsStatement(s: FunctionScope, functionName: string): Record<string, unknown> {
  return { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: functionLogArns(s, functionName) };
}

/**
 * Lambda sends a failed event to the KMS-encrypted dead-letter queue with the execution role, which
 * needs kms:GenerateDataKey and kms:Decrypt on the queue's key, through SQS only.
 */
export function deadLetterStatements(s: FunctionScope, queueArn: string, keyArn: string): Record<string, unknown>[] {
  return [
    { Sid: "DeadLetter", Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArn },
    { Sid: "EncryptDeadLetters", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": `sqs.${s.region}.amazonaws.com` } } },
  ];
}

/** The dead-letter queue's policy: nothing reaches it, or is read from it, without TLS. */
export function queueTlsOnlyPolicy(queueArn: string): PolicyDocument {
  return policyDocument({ Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } });
}
