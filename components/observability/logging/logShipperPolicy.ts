/**
 * The log shipper's IAM documents, as plain data (pure, unit-tested): its role reads exactly the
 * log objects of the buckets it is given (under the prefix each log service writes to), decrypts
 * with a bucket's key only through S3 and only for that bucket, writes its own log group, and sends
 * to its dead-letter queue; its key lets CloudWatch Logs encrypt that one log group. No wildcard
 * action, no resource wider than a bucket's log prefix.
 */

import { FunctionScope, PolicyDocument, deadLetterStatements, functionLogArns, ownLogsStatement, policyDocument } from "../functionPolicies";

export type ShipperScope = FunctionScope;

export interface SourceBucketAccess {
  readonly bucketArn: string;
  /** Key prefix the log service writes under (`AWSLogs/`, `<alb>/AWSLogs/`). */
  readonly prefix: string;
  /** The bucket's SSE-KMS key, when it has one (SSE-S3 buckets need no key permission). */
  readonly kmsKeyArn?: string;
}

export interface ShipperResources {
  readonly functionName: string;
  readonly queueArn: string;
  /** The key of the queue and the log group. */
  readonly keyArn: string;
  readonly buckets: readonly SourceBucketAccess[];
}

/** The function's log group (created by the component, so the role has no logs:CreateLogGroup). */
export function shipperLogGroupArn(s: ShipperScope, functionName: string): string {
  return functionLogArns(s, functionName)[0];
}

/**
 * The role's inline policy. S3 decrypts an SSE-KMS object with the caller's kms:Decrypt, naming
 * itself as kms:ViaService and the bucket (with S3 Bucket Keys) or the object as the
 * `aws:s3:arn` encryption context; Lambda sends a failed event to the KMS-encrypted queue with the
 * execution role, which needs kms:GenerateDataKey and kms:Decrypt through SQS.
 */
export function shipperPolicy(s: ShipperScope, r: ShipperResources): PolicyDocument {
  const statements: Record<string, unknown>[] = [
    ownLogsStatement(s, r.functionName),
    { Sid: "ReadLogObjects", Effect: "Allow", Action: "s3:GetObject", Resource: r.buckets.map((b) => `${b.bucketArn}/${b.prefix}*`) },
  ];
  r.buckets.forEach((b, i) => {
    if (b.kmsKeyArn === undefined) return;
    statements.push({
      Sid: `DecryptLogObjects${i}`,
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: b.kmsKeyArn,
      Condition: {
        StringEquals: { "kms:ViaService": `s3.${s.region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [b.bucketArn, `${b.bucketArn}/${b.prefix}*`] },
      },
    });
  });
  statements.push(...deadLetterStatements(s, r.queueArn, r.keyArn));
  return policyDocument(...statements);
}

/**
 * The shipper's key: the account administers it through IAM (the queue's users get it from their
 * roles); CloudWatch Logs may use it for the function's log group only (its ARN as the
 * `aws:logs:arn` encryption context).
 */
export function shipperKeyPolicy(s: ShipperScope, functionName: string): PolicyDocument {
  return policyDocument(
    { Sid: "AccountAdministersKeyThroughIam", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "CloudWatchLogsEncryptsShipperLogs",
      Effect: "Allow",
      Principal: { Service: `logs.${s.region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": shipperLogGroupArn(s, functionName) } },
    },
  );
}
