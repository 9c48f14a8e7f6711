/**
 * The IAM and resource policies of incident response and audit reports, as plain documents (pure,
 * unit-tested): each Lambda role gets exactly the calls its handler makes, scoped to this account
 * and region, with `Resource: "*"` only where the Service Authorization Reference lists no resource
 * type (EC2 Describe*, Inspector ListFindings, the IAM credential report).
 */

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

export interface Scope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Trust for a service principal, only on behalf of this account (confused-deputy guard). */
export function serviceTrust(service: string, accountId: string): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } });
}

function logWrite(s: Scope, functionName: string): Record<string, unknown> {
  const group = `arn:${s.partition}:logs:${s.region}:${s.accountId}:log-group:/aws/lambda/${functionName}`;
  return { Sid: "OwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [group, `${group}:log-stream:*`] };
}

function topicPublish(topicArn: string, topicKeyArn: string): Record<string, unknown>[] {
  return [
    { Sid: "PublishToSecurityTopic", Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
    // Publishing to a KMS-encrypted topic needs a data key from the topic's key, through SNS only.
    {
      Sid: "EncryptForSecurityTopic",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: topicKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `sns.${topicArn.split(":")[3]}.amazonaws.com` } },
    },
  ];
}

/** The isolation Lambda: read the instance or task, snapshot, swap groups, tag, stop, publish. */
export function isolationPolicy(s: Scope, a: { functionName: string; topicArn: string; topicKeyArn: string }): PolicyDocument {
  const ec2 = (type: string, account = s.accountId) => `arn:${s.partition}:ec2:${s.region}:${account}:${type}/*`;
  return doc(
    logWrite(s, a.functionName),
    ...topicPublish(a.topicArn, a.topicKeyArn),
    { Sid: "ReadInstancesAndSnapshots", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeSnapshots"], Resource: "*" },
    // CreateSnapshot authorizes the volume and the new snapshot (snapshot ARNs carry no account).
    { Sid: "SnapshotVolumes", Effect: "Allow", Action: "ec2:CreateSnapshot", Resource: [ec2("volume"), ec2("snapshot", "")] },
    {
      Sid: "TagNewSnapshots",
      Effect: "Allow",
      Action: "ec2:CreateTags",
      Resource: ec2("snapshot", ""),
      Condition: { StringEquals: { "ec2:CreateAction": "CreateSnapshot" } },
    },
    { Sid: "TagInstances", Effect: "Allow", Action: "ec2:CreateTags", Resource: ec2("instance") },
    // Moving an interface into the quarantine group authorizes the interface and the group(s) it gets.
    { Sid: "QuarantineInterfaces", Effect: "Allow", Action: "ec2:ModifyNetworkInterfaceAttribute", Resource: [ec2("network-interface"), ec2("security-group")] },
    {
      Sid: "StopTasks",
      Effect: "Allow",
      Action: ["ecs:DescribeTasks", "ecs:TagResource", "ecs:StopTask"],
      Resource: `arn:${s.partition}:ecs:${s.region}:${s.accountId}:task/*`,
    },
  );
}

/** The audit-report Lambda: read findings and the credential report, write its prefix, publish. */
export function auditReportPolicy(
  s: Scope,
  a: { functionName: string; topicArn: string; topicKeyArn: string; bucketName: string; prefix: string; bucketKeyArn?: string },
): PolicyDocument {
  const statements: Record<string, unknown>[] = [
    logWrite(s, a.functionName),
    ...topicPublish(a.topicArn, a.topicKeyArn),
    { Sid: "ReadVulnerabilities", Effect: "Allow", Action: ["inspector2:ListFindings", "iam:GenerateCredentialReport", "iam:GetCredentialReport"], Resource: "*" },
    { Sid: "ReadFailedControls", Effect: "Allow", Action: "securityhub:GetFindings", Resource: `arn:${s.partition}:securityhub:${s.region}:${s.accountId}:hub/default` },
    { Sid: "WriteOwnReports", Effect: "Allow", Action: "s3:PutObject", Resource: `arn:${s.partition}:s3:::${a.bucketName}/${a.prefix}/*` },
  ];
  if (a.bucketKeyArn) {
    statements.push({
      Sid: "EncryptReports",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: a.bucketKeyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${s.region}.amazonaws.com` } },
    });
  }
  return doc(...statements);
}

/** Scheduler's role: invoke the one function. */
export function schedulerInvokePolicy(functionArn: string): PolicyDocument {
  return doc({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn });
}

/**
 * The topic key: the account administers it (IAM policies decide who else), EventBridge may
 * encrypt for the topic on this account's rules only. Without the EventBridge grant, rules
 * targeting an encrypted topic fail silently (FailedInvocations).
 */
export function topicKeyPolicy(s: Scope): PolicyDocument {
  return doc(
    { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "EventBridgePublishes",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": s.accountId } },
    },
  );
}

/** The topic: this account's EventBridge rules may publish; nobody publishes without TLS. */
export function topicPolicy(s: Scope, topicArn: string): PolicyDocument {
  return doc(
    {
      Sid: "EventBridgePublishes",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": s.accountId } },
    },
    { Sid: "AccountManages", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` }, Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"], Resource: topicArn },
    { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
  );
}

/** The role name an account's audit-report Lambda runs as: fixed, so management's bucket policy can name it before it exists. */
export function auditReportRoleName(stack: string): string {
  return `tila-${stack}-audit-report`;
}

/** Where a stack's reports go in the log-archive bucket. */
export function auditReportPrefix(stack: string, accountId: string): string {
  return `audit-reports/${stack}/${accountId}`;
}

export interface ReportWriter {
  readonly stack: string;
  readonly accountId: string;
}

/**
 * What the log-archive bucket's policy must add (SecurityBaseline owns that policy): each stack's
 * audit-report role may put objects under its own prefix only. The principal is the account with
 * an `aws:PrincipalArn` condition, because a role ARN in a bucket policy must exist when the policy
 * is written, and environment roles are created after management.
 */
export function auditReportBucketStatements(partition: string, bucketArn: string, writers: readonly ReportWriter[]): Record<string, unknown>[] {
  return writers.map((w) => ({
    Sid: `AuditReports${w.stack.replace(/[^A-Za-z0-9]/g, "")}`,
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${w.accountId}:root` },
    Action: "s3:PutObject",
    Resource: `${bucketArn}/${auditReportPrefix(w.stack, w.accountId)}/*`,
    Condition: { ArnEquals: { "aws:PrincipalArn": `arn:${partition}:iam::${w.accountId}:role/${auditReportRoleName(w.stack)}` } },
  }));
}

/** What the log-archive bucket's KMS key policy must add: the same roles may make data keys through S3. */
export function auditReportKeyStatement(partition: string, region: string, writers: readonly ReportWriter[]): Record<string, unknown> {
  return {
    Sid: "AuditReportsEncrypt",
    Effect: "Allow",
    Principal: { AWS: [...new Set(writers.map((w) => `arn:${partition}:iam::${w.accountId}:root`))] },
    Action: "kms:GenerateDataKey",
    Resource: "*",
    Condition: {
      StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      ArnEquals: { "aws:PrincipalArn": writers.map((w) => `arn:${partition}:iam::${w.accountId}:role/${auditReportRoleName(w.stack)}`) },
    },
  };
}
