/**
 * The preview role's permission policy (docs/security.md#the-preview-role), as a pure function:
 * exactly the reads a `pulumi preview` of this program makes (no refresh), and explicit denies on
 * every call that reads data or secrets, passes a role or assumes any role but its preview-hub role
 * (which allows nothing). No Pulumi here; unit-tested directly and by the whole-stack tests.
 *
 * What a preview calls, read from the sources on 2026-12-05:
 * - the AWS provider's configure validates its credentials and reads the account through STS
 *   (`skipCredentialsValidation`/`skipRequestingAccountId` default to false): sts:GetCallerIdentity;
 * - the program's invokes: getCallerIdentity (STS), getRegion (answered from the SDK's endpoint
 *   table, no call: terraform-provider-aws internal/service/meta/region_data_source.go), and
 *   ssm.getParameter of AWS's public AMI parameters under `/aws/service/` (NoSqlCluster,
 *   GlowrootCentral, GraylogCluster);
 * - the DIY S3 backend (pulumi/pulumi pkg/backend/diy): `.pulumi/meta.yaml`, then the stack's
 *   checkpoint `.pulumi/stacks/<project>/<stack>.json[.gz|.zst]`, found by listing that prefix, and
 *   for an environment the same for management (its StackReference). A preview takes no lock and
 *   writes no history, backup or checkpoint (Preview skips Lock; apply persists only when not DryRun).
 * - an environment in its own account configures its hub provider, which assumes a role in
 *   management even in a preview: the preview assumes `tila-platform-preview-hub-<env>`, which
 *   allows nothing (PreviewHubRole.ts), never the write-capable hub role.
 * A preview does not call Read on resources (that is refresh), so no Describe/Get of the stack's
 * resources is needed.
 */
import type { PolicyDocument, Statement } from "./policies";
import { previewHubRoleName } from "./roleNames";

/** The preview role's one inline policy. */
export const PREVIEW_POLICY_NAME = "preview";

/** Where the Pulumi state lives (a DIY S3 backend), so the preview can read its stacks' checkpoints. */
export interface StateBackend {
  readonly bucket: string;
  /** Key prefix of the backend inside the bucket (`s3://bucket/prefix`), without leading or trailing slash. @default none */
  readonly prefix?: string;
  /** The bucket's customer-managed KMS key, when its objects are encrypted with one. @default none (SSE-S3) */
  readonly keyArn?: string;
}

export interface PreviewPolicyInput {
  readonly stack: string;
  readonly partition?: string;
  readonly accountId: string;
  readonly region: string;
  /** The Pulumi project name (`tila-platform`): the state layout's folder. */
  readonly project: string;
  /** Other stacks whose outputs this stack reads (StackReference): management for an environment. @default none */
  readonly referencedStacks?: readonly string[];
  /** The state backend; without it the role reads no state (and a preview cannot run). */
  readonly state?: StateBackend;
  /** An environment in its own account: management's preview-hub role for this stack, the one role it may assume. @default none */
  readonly previewHubRoleArn?: string;
}

/** The reads the role is allowed, by statement; every one is a Get, List or Describe call. */
export const PREVIEW_READ_ACTIONS = {
  whoAmI: ["sts:GetCallerIdentity"],
  publicParameters: ["ssm:GetParameter", "ssm:GetParameters"],
  stateList: ["s3:ListBucket"],
  stateRead: ["s3:GetObject"],
  stateKey: ["kms:Decrypt"],
  previewHub: ["sts:AssumeRole"],
} as const;

/**
 * Data and secret reads the role must never make, denied outright so that no policy attached
 * later (a managed read-only policy, say) can open them: secret values, parameters (except AWS's
 * public ones), objects (except the state checkpoints), decryption (except the state key through
 * S3), log contents, instance passwords and consoles, function code, image layers and registry
 * tokens, table items.
 */
export const DATA_READ_ACTIONS: readonly string[] = [
  "secretsmanager:GetSecretValue",
  "secretsmanager:BatchGetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
  "s3:GetObject",
  "s3:GetObjectVersion",
  "kms:Decrypt",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "ec2:GetPasswordData",
  "ec2:GetConsoleOutput",
  "ec2:GetConsoleScreenshot",
  "lambda:GetFunction",
  "ecr:GetAuthorizationToken",
  "ecr:GetDownloadUrlForLayer",
  "ecr:BatchGetImage",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "sqs:ReceiveMessage",
  "rds:DownloadDBLogFilePortion",
];

/** Calls that would let the role act as someone else: denied (sts:AssumeRole everywhere but the preview-hub role). */
export const IDENTITY_CHANGE_ACTIONS: readonly string[] = ["iam:PassRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML", "sts:GetFederationToken", "sts:GetSessionToken"];

const trimSlashes = (s: string): string => s.replace(/^\/+|\/+$/g, "");

/** The state keys a stack's preview reads: the meta file and each stack's checkpoint, in any compression. */
export function stateKeys(project: string, stacks: readonly string[], prefix = ""): { meta: string; checkpoints: string[] } {
  const root = trimSlashes(prefix) === "" ? "" : `${trimSlashes(prefix)}/`;
  return { meta: `${root}.pulumi/meta.yaml`, checkpoints: stacks.map((s) => `${root}.pulumi/stacks/${project}/${s}.json*`) };
}

export function previewPermissionPolicy(p: PreviewPolicyInput): PolicyDocument {
  const partition = p.partition ?? "aws";
  if (!/^\d{12}$/.test(p.accountId)) throw new Error(`preview policy: accountId "${p.accountId}" is not a 12-digit account id`);
  if (p.state && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(p.state.bucket)) throw new Error(`preview policy: state.bucket "${p.state.bucket}" is not an S3 bucket name`);
  if (p.previewHubRoleArn !== undefined && !new RegExp(`^arn:${partition}:iam::\\d{12}:role/${previewHubRoleName(p.stack)}$`).test(p.previewHubRoleArn)) {
    throw new Error(`preview policy: previewHubRoleArn "${p.previewHubRoleArn}" is not ${p.stack}'s preview-hub role (${previewHubRoleName(p.stack)})`);
  }
  if (p.state?.keyArn !== undefined && !/^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/.test(p.state.keyArn)) throw new Error(`preview policy: state.keyArn "${p.state.keyArn}" is not a KMS key ARN`);
  // AWS reserves parameter names starting with "aws" (PutParameter: "can't be prefixed with aws or
  // ssm"), so `/aws/service/*` in any account segment is only AWS's public parameters, whose ARNs
  // carry no account (`arn:aws:ssm:<region>::parameter/aws/service/...`).
  const publicParameters = `arn:${partition}:ssm:${p.region}:*:parameter/aws/service/*`;
  const statements: Statement[] = [
    { Sid: "WhoAmI", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.whoAmI], Resource: "*" },
    { Sid: "ReadPublicAmiParameters", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.publicParameters], Resource: publicParameters },
  ];
  if (p.previewHubRoleArn) statements.push({ Sid: "AssumeOwnPreviewHubRole", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.previewHub], Resource: p.previewHubRoleArn });
  const allowedObjects: string[] = [];
  if (p.state) {
    const bucketArn = `arn:${partition}:s3:::${p.state.bucket}`;
    const keys = stateKeys(p.project, [p.stack, ...(p.referencedStacks ?? [])], p.state.prefix);
    allowedObjects.push(...[keys.meta, ...keys.checkpoints].map((k) => `${bucketArn}/${k}`));
    statements.push(
      { Sid: "FindStateCheckpoints", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.stateList], Resource: bucketArn, Condition: { StringLike: { "s3:prefix": [keys.meta, ...keys.checkpoints] } } },
      { Sid: "ReadStateCheckpoints", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.stateRead], Resource: allowedObjects },
    );
    if (p.state.keyArn) {
      statements.push({ Sid: "DecryptStateThroughS3", Effect: "Allow", Action: [...PREVIEW_READ_ACTIONS.stateKey], Resource: p.state.keyArn, Condition: { StringLike: { "kms:ViaService": `s3.*.amazonaws.com` } } });
    }
  }
  statements.push(
    { Sid: "NoSecretValues", Effect: "Deny", Action: ["secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue"], Resource: "*" },
    { Sid: "NoAccountParameters", Effect: "Deny", Action: ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory"], NotResource: publicParameters },
    allowedObjects.length > 0
      ? { Sid: "NoObjectsButState", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], NotResource: allowedObjects }
      : { Sid: "NoObjectsButState", Effect: "Deny", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: "*" },
    p.state?.keyArn
      ? { Sid: "NoDecryptionButState", Effect: "Deny", Action: "kms:Decrypt", NotResource: p.state.keyArn }
      : { Sid: "NoDecryptionButState", Effect: "Deny", Action: "kms:Decrypt", Resource: "*" },
    { Sid: "NoOtherDataReads", Effect: "Deny", Action: DATA_READ_ACTIONS.filter((a) => !/^(secretsmanager|ssm|s3|kms):/.test(a)), Resource: "*" },
    { Sid: "NoOtherIdentity", Effect: "Deny", Action: [...IDENTITY_CHANGE_ACTIONS], Resource: "*" },
    p.previewHubRoleArn
      ? { Sid: "AssumeNoOtherRole", Effect: "Deny", Action: "sts:AssumeRole", NotResource: p.previewHubRoleArn }
      : { Sid: "AssumeNoOtherRole", Effect: "Deny", Action: "sts:AssumeRole", Resource: "*" },
  );
  return { Version: "2012-10-17", Statement: statements };
}
