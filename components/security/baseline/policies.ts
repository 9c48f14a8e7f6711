/**
 * The JSON policy documents of the security baseline, as pure functions: the log-archive bucket
 * policy (CloudTrail and AWS Config delivery from every account), the audit key's policy, and the
 * trust policies of the deploy, preview, auditor and break-glass roles. No Pulumi here; unit-tested directly.
 */

export type Statement = Record<string, unknown>;
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Statement[];
}

const doc = (statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Key prefixes in the log archive: one per delivering service, so each service's grant is narrow. */
export const TRAIL_PREFIX = "cloudtrail";
export const CONFIG_PREFIX = "config";

/** The trail of one stack, delivering to the archive from its account. */
export interface TrailSource {
  readonly accountId: string;
  /** `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`: what `aws:SourceArn` must equal. */
  readonly trailArn: string;
}

/** CloudTrail's trail ARN for a trail name (CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail"). */
export function trailArn(partition: string, region: string, accountId: string, trailName: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/**
 * The trail archive's bucket policy. CloudTrail's statements follow the policy AWS documents: the ACL
 * check on the bucket and the write under `AWSLogs/<account>/`, both pinned with `aws:SourceArn`
 * to the exact trail, and the write also requiring `s3:x-amz-acl = bucket-owner-full-control`. One
 * write statement per trail, so one account's trail cannot write under another account's prefix.
 * Everything is denied without TLS.
 */
export function trailArchivePolicy(p: { bucketArn: string; trails: readonly TrailSource[] }): PolicyDocument {
  if (p.trails.length === 0) throw new Error("trailArchivePolicy: at least one trail must deliver to the archive");
  return doc([
    {
      Sid: "CloudTrailAclCheck",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:GetBucketAcl",
      Resource: p.bucketArn,
      Condition: { StringEquals: { "aws:SourceArn": p.trails.map((t) => t.trailArn) } },
    },
    ...p.trails.map((t, i) => ({
      Sid: `CloudTrailWrite${i}`,
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${p.bucketArn}/${TRAIL_PREFIX}/AWSLogs/${t.accountId}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": t.trailArn } },
    })),
    denyInsecureTransport(p.bucketArn),
  ]);
}

/**
 * The AWS Config archive's policy: the ACL check, existence check and delivery AWS Config needs,
 * each pinned with `aws:SourceAccount`; one delivery statement per account, under its own prefix.
 * `extra` adds the other writers of this bucket (the audit reports, each under its own prefix).
 */
export function configArchivePolicy(p: { bucketArn: string; accounts: readonly string[]; extra?: readonly Statement[] }): PolicyDocument {
  if (p.accounts.length === 0) throw new Error("configArchivePolicy: at least one account must deliver to the archive");
  return doc([
      {
        Sid: "ConfigAclCheck",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: p.bucketArn,
        Condition: { StringEquals: { "aws:SourceAccount": [...p.accounts] } },
      },
      {
        Sid: "ConfigExistenceCheck",
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "s3:ListBucket",
        Resource: p.bucketArn,
        Condition: { StringEquals: { "aws:SourceAccount": [...p.accounts] } },
      },
      ...p.accounts.map((account, i) => ({
        Sid: `ConfigDelivery${i}`,
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${p.bucketArn}/${CONFIG_PREFIX}/AWSLogs/${account}/Config/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account } },
      })),
      ...(p.extra ?? []),
      denyInsecureTransport(p.bucketArn),
  ]);
}

/** A bucket policy statement refusing every request to the bucket and its objects that is not over TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** The server-access-log bucket of the archive: only S3's logging service, from the archive bucket. */
export function accessLogBucketPolicy(p: { bucketArn: string; sourceBucketArns: readonly string[]; accountId: string }): PolicyDocument {
  return doc([
    {
      Sid: "S3ServerAccessLogs",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${p.bucketArn}/*`,
      Condition: { ArnEquals: { "aws:SourceArn": [...p.sourceBucketArns] }, StringEquals: { "aws:SourceAccount": p.accountId } },
    },
    denyInsecureTransport(p.bucketArn),
  ]);
}

export interface AuditKeyPolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly trailArn: string;
  /** The CloudWatch Logs group the trail delivers to (its encryption context). */
  readonly logGroupName: string;
  /** Management's account, whose principals read the archive; omitted in management itself. */
  readonly archiveReaderAccountId?: string;
  /** Further grants on the key (management: the audit-report writers of the other accounts). */
  readonly extra?: readonly Statement[];
}

/**
 * The account's audit key: the account keeps control through IAM; CloudTrail may encrypt only for
 * this account's trails (encryption context and `aws:SourceArn`); CloudWatch Logs only for the
 * trail's log group; AWS Config only from this account. Management's principals may decrypt, so
 * the archive is readable where it lives, through S3 only.
 */
export function auditKeyPolicy(p: AuditKeyPolicyInput): PolicyDocument {
  const statements: Statement[] = [
    {
      Sid: "AccountAdministersKeyThroughIam",
      Effect: "Allow",
      Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "CloudTrailEncryptsLogs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": p.trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${p.partition}:cloudtrail:*:${p.accountId}:trail/*` },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": p.trailArn } },
    },
    {
      Sid: "CloudWatchLogsEncryptsTrailLogGroup",
      Effect: "Allow",
      Principal: { Service: `logs.${p.region}.amazonaws.com` },
      Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
      Resource: "*",
      Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${p.logGroupName}` } },
    },
    {
      Sid: "ConfigEncryptsDeliveries",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": p.accountId } },
    },
  ];
  if (p.archiveReaderAccountId && p.archiveReaderAccountId !== p.accountId) {
    statements.push({
      Sid: "ArchiveAccountReadsThroughS3",
      Effect: "Allow",
      Principal: { AWS: `arn:${p.partition}:iam::${p.archiveReaderAccountId}:root` },
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.amazonaws.com` } },
    });
  }
  return doc([...statements, ...(p.extra ?? [])]);
}

/** CloudTrail's role for CloudWatch Logs delivery: trusted by CloudTrail for this account's trail only. */
export function cloudTrailLogsTrust(p: { accountId: string; trailArn: string }): PolicyDocument {
  return doc([
    {
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": p.accountId, "aws:SourceArn": p.trailArn } },
    },
  ]);
}

/** What the delivery role may do: create streams and put events in the trail's log group only. */
export function cloudTrailLogsPermissions(logGroupArn: string): PolicyDocument {
  return doc([{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:log-stream:*` }]);
}

/** AWS Config's recorder role trust, pinned to this account. */
export function configRecorderTrust(accountId: string): PolicyDocument {
  return doc([
    { Effect: "Allow", Principal: { Service: "config.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } },
  ]);
}

/**
 * What the recorder's role needs besides AWS_ConfigRole (which grants no S3 delivery): the ACL
 * check on the archive, writes under this account's prefix, and the audit key for SSE-KMS (AWS
 * Config developer guide, "Permissions for the IAM role": S3 bucket and KMS key policies).
 */
export function configDeliveryPermissions(p: { partition: string; bucketName: string; accountId: string; keyArn: string }): PolicyDocument {
  const bucketArn = `arn:${p.partition}:s3:::${p.bucketName}`;
  return doc([
    { Sid: "ArchiveAclCheck", Effect: "Allow", Action: "s3:GetBucketAcl", Resource: bucketArn },
    { Sid: "ArchiveDelivery", Effect: "Allow", Action: ["s3:PutObject", "s3:PutObjectAcl"], Resource: `${bucketArn}/${CONFIG_PREFIX}/AWSLogs/${p.accountId}/*`, Condition: { StringLike: { "s3:x-amz-acl": "bucket-owner-full-control" } } },
    { Sid: "AuditKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: p.keyArn },
  ]);
}

/**
 * Trust for a role people assume inside the account (auditor, break-glass): the account itself as
 * principal, pinned with `aws:PrincipalArn` to the given name patterns of this account's users or
 * roles (`role/aws-reserved/sso.amazonaws.com/<region>/AWSReservedSSO_SecurityAudit_<id>`, `user/break-glass-*`),
 * and with `requireMfa` only from a session signed in with MFA (an IAM user's console sign-in; an
 * Identity Center session enforces MFA at the portal and carries no MFA key). No other account is
 * trusted: people reach an account through Identity Center or, in an emergency, its own sealed users.
 */
export function humanRoleTrust(p: { partition: string; accountId: string; principalPatterns: readonly string[]; requireMfa: boolean }): PolicyDocument {
  if (p.principalPatterns.length === 0) throw new Error("humanRoleTrust: name at least one principal pattern");
  const arns = p.principalPatterns.map((pattern) => `arn:${p.partition}:iam::${p.accountId}:${pattern}`);
  const condition: Record<string, unknown> = { ArnLike: { "aws:PrincipalArn": arns } };
  if (p.requireMfa) {
    condition.Bool = { "aws:MultiFactorAuthPresent": "true" };
    condition.NumericLessThan = { "aws:MultiFactorAuthAge": "3600" };
  }
  return doc([{ Effect: "Allow", Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` }, Action: ["sts:AssumeRole", "sts:SetSourceIdentity"], Condition: condition }]);
}

/** One Git ref a deploy role trusts: a branch or tag name, `*` allowed where GitLab protects patterns. */
export interface DeployRef {
  readonly type: "branch" | "tag";
  readonly name: string;
}

/** GitLab's default `sub` claim: `project_path:<group>/<project>:ref_type:<branch|tag>:ref:<name>` (GitLab CI ID token docs). */
export function gitlabSubject(projectPath: string, ref: DeployRef): string {
  return `project_path:${projectPath}:ref_type:${ref.type}:ref:${ref.name}`;
}

/** The IAM condition-key prefix of an OIDC provider: its URL without the scheme (`gitlab.com`). */
export function oidcHost(url: string): string {
  return url.replace(/^https:\/\//, "").replace(/\/$/, "");
}

/**
 * The deploy role's trust: web identity from the GitLab provider only, `<host>:aud` equal to the
 * configured audience and `<host>:sub` one of the listed refs of the one project. For a generic
 * OIDC provider IAM evaluates only `aud` and `sub` (and `amr`), so the ref list is where
 * "protected refs only" is enforced: it names refs that GitLab protects; the environment name is
 * not a claim IAM can read, so each stack has its own role and GitLab's protected environment
 * decides who may run that stack's job.
 */
export function gitlabDeployTrust(p: { providerArn: string; url: string; audience: string; projectPath: string; refs: readonly DeployRef[] }): PolicyDocument {
  if (p.refs.length === 0) throw new Error("gitlabDeployTrust: at least one ref must be trusted");
  const host = oidcHost(p.url);
  const subjects = p.refs.map((r) => gitlabSubject(p.projectPath, r));
  const exact = subjects.filter((s) => !/[*?]/.test(s));
  const patterns = subjects.filter((s) => /[*?]/.test(s));
  const statement = (subs: string[], op: "StringEquals" | "StringLike"): Statement => ({
    Effect: "Allow",
    Principal: { Federated: p.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: op === "StringEquals"
      ? { StringEquals: { [`${host}:aud`]: p.audience, [`${host}:sub`]: subs } }
      : { StringEquals: { [`${host}:aud`]: p.audience }, StringLike: { [`${host}:sub`]: subs } },
  });
  return doc([...(exact.length > 0 ? [statement(exact, "StringEquals")] : []), ...(patterns.length > 0 ? [statement(patterns, "StringLike")] : [])]);
}

/**
 * The preview role's trust: web identity from the GitLab provider, `aud` pinned, and `sub` any
 * branch of the one project (`project_path:<p>:ref_type:branch:ref:*`). A merge-request pipeline's
 * token names the MR's source branch, protected or not (GitLab's JwtV2: `ref` is the pipeline's
 * source_ref, `project_path` the source project, so an MR from a fork carries the fork's path and is
 * refused). Tags are not trusted: no preview runs from a tag. The role it guards can only read.
 */
export function gitlabPreviewTrust(p: { providerArn: string; url: string; audience: string; projectPath: string }): PolicyDocument {
  const host = oidcHost(p.url);
  return doc([
    {
      Effect: "Allow",
      Principal: { Federated: p.providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${host}:aud`]: p.audience }, StringLike: { [`${host}:sub`]: gitlabSubject(p.projectPath, { type: "branch", name: "*" }) } },
    },
  ]);
}
