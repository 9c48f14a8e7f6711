/**
 * The deploy role's permission policy (docs/security.md#deploy-roles-and-people), as a pure
 * function: whole services only for the IAM namespaces the stack's resource types need (a table
 * from Pulumi type token to IAM service prefix), regional ones only in the stack's region
 * (`aws:RequestedRegion`), `iam:PassRole` only on the stack's own roles and only to the services
 * that take them, `sts:AssumeRole` only on the environment's own hub role, and explicit denies that
 * keep the role from making human credentials, changing the platform's fixed identities or turning
 * off the detective controls. No Pulumi here; unit-tested directly and by the whole-stack tests.
 */
import { AUDITOR_ROLE_NAME, BREAK_GLASS_ROLE_NAME, PREVIEW_ROLE_PREFIX } from "./roleNames";
import { DEPLOY_ROLE_PREFIX, HUB_ROLE_PREFIX } from "../hubIdentity";
import type { PolicyDocument, Statement } from "./policies";
import { PIPELINE_ROLE_PREFIX } from "../../delivery/deliveryPlan";

/**
 * IAM service prefix of each `@pulumi/aws` module, or of one `module/resource` where a module spans
 * services (the Service Authorization Reference's prefixes: OpenSearch is `es`, Managed Prometheus `aps`, Elastic Load
 * Balancing `elasticloadbalancing`, Application Auto Scaling `application-autoscaling`, AWS Config
 * `config`, IAM Access Analyzer `access-analyzer`; EBS defaults, VPC rules and transit gateways are
 * EC2 API calls). A type whose module is not here has no prefix: the whole-stack test fails until
 * the table knows it.
 */
export const SERVICE_PREFIXES: Readonly<Record<string, string>> = {
  accessanalyzer: "access-analyzer",
  acm: "acm",
  amp: "aps",
  appautoscaling: "application-autoscaling",
  athena: "athena",
  cfg: "config",
  cloudtrail: "cloudtrail",
  "cloudwatch/eventRule": "events",
  "cloudwatch/eventTarget": "events",
  "cloudwatch/logGroup": "logs",
  "cloudwatch/logResourcePolicy": "logs",
  "cloudwatch/logSubscriptionFilter": "logs",
  "cloudwatch/compositeAlarm": "cloudwatch",
  "cloudwatch/dashboard": "cloudwatch",
  "cloudwatch/metricAlarm": "cloudwatch",
  "cloudwatch/metricStream": "cloudwatch",
  codepipeline: "codepipeline",
  dlm: "dlm",
  dynamodb: "dynamodb",
  ebs: "ec2",
  ec2: "ec2",
  ec2transitgateway: "ec2",
  ecr: "ecr",
  ecs: "ecs",
  elasticache: "elasticache",
  glue: "glue",
  guardduty: "guardduty",
  iam: "iam",
  inspector2: "inspector2",
  // Kinesis Data Firehose's IAM prefix is firehose, not kinesis.
  "kinesis/firehoseDeliveryStream": "firehose",
  kms: "kms",
  lambda: "lambda",
  lb: "elasticloadbalancing",
  // CloudWatch cross-account observability (Observability Access Manager); a link also needs cloudwatch:Link.
  oam: "oam",
  opensearch: "es",
  ram: "ram",
  rds: "rds",
  route53: "route53",
  s3: "s3",
  scheduler: "scheduler",
  secretsmanager: "secretsmanager",
  securityhub: "securityhub",
  sns: "sns",
  sqs: "sqs",
  vpc: "ec2",
  wafv2: "wafv2",
};

/**
 * Services with one endpoint in us-east-1, whatever region the caller names, so a request to them
 * never carries the stack's region (IAM user guide, "Denies access to AWS based on the requested
 * Region": CloudFront, IAM, Route 53 and Support, and others such as Organizations). Only those
 * the platform uses are listed; they are allowed without the region condition.
 */
export const GLOBAL_PREFIXES: readonly string[] = ["iam", "route53", "cloudfront", "organizations", "support"];

/** The IAM prefix of a Pulumi type token (`aws:cloudwatch/logGroup:LogGroup` is `logs`), or undefined. */
export function servicePrefixOf(type: string): string | undefined {
  const m = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):/.exec(type);
  if (!m) return undefined;
  return SERVICE_PREFIXES[`${m[1]}/${m[2]}`] ?? SERVICE_PREFIXES[m[1]];
}

/** The prefixes of a list of type tokens, sorted; throws naming every type the table does not know. */
export function servicePrefixesOf(types: readonly string[]): string[] {
  const unknown = types.filter((t) => servicePrefixOf(t) === undefined);
  if (unknown.length > 0) throw new Error(`deploy policy: no IAM service prefix for ${unknown.join(", ")} (add it to SERVICE_PREFIXES)`);
  return [...new Set(types.map((t) => servicePrefixOf(t)!))].sort();
}

/** Actions that make credentials a person could use outside CI, or give a user permissions. */
export const HUMAN_CREDENTIAL_ACTIONS: readonly string[] = [
  "iam:CreateUser",
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:CreateServiceSpecificCredential",
  "iam:UploadSSHPublicKey",
  "iam:UploadSigningCertificate",
  "iam:AttachUserPolicy",
  "iam:PutUserPolicy",
  "iam:AddUserToGroup",
];

/** Every change to a role's trust, permissions, boundary, tags or existence. */
export const ROLE_CHANGE_ACTIONS: readonly string[] = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:TagRole",
  "iam:UntagRole",
];

/** Changes to the account's OIDC providers: who may federate into the deploy roles. */
export const OIDC_PROVIDER_CHANGE_ACTIONS: readonly string[] = [
  "iam:CreateOpenIDConnectProvider",
  "iam:DeleteOpenIDConnectProvider",
  "iam:AddClientIDToOpenIDConnectProvider",
  "iam:RemoveClientIDFromOpenIDConnectProvider",
  "iam:UpdateOpenIDConnectProviderThumbprint",
  "iam:TagOpenIDConnectProvider",
  "iam:UntagOpenIDConnectProvider",
];

/**
 * Calls that stop, delete or detach a detective control. The stack manages these controls, but it
 * never needs these calls to create or update them (the provider calls StopLogging only when a
 * trail is set to not log, and the others only to destroy or replace), so they are denied outright:
 * removing or replacing a control is a break-glass change (docs/security.md#deploy-roles-and-people).
 */
export const DETECTIVE_CONTROL_OFF_ACTIONS: readonly string[] = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "guardduty:DeleteDetector",
  "guardduty:DisassociateFromAdministratorAccount",
  "guardduty:DisassociateFromMasterAccount",
  "guardduty:DisassociateMembers",
  "guardduty:DeleteMembers",
  "guardduty:StopMonitoringMembers",
  "config:StopConfigurationRecorder",
  "config:DeleteConfigurationRecorder",
  "config:DeleteDeliveryChannel",
  "securityhub:DisableSecurityHub",
  "securityhub:BatchDisableStandards",
  "securityhub:DisassociateFromAdministratorAccount",
  "securityhub:DisassociateFromMasterAccount",
  "securityhub:DisassociateMembers",
  "securityhub:DeleteMembers",
  "access-analyzer:DeleteAnalyzer",
  "inspector2:Disable",
  "ec2:DisableEbsEncryptionByDefault",
  // The account's S3 public access block: S3 Control's DeletePublicAccessBlock page names no IAM
  // action of its own (PutPublicAccessBlock's names s3:PutAccountPublicAccessBlock, which creating
  // the block needs), so no deny is written on a guessed name; baseline-account-hardening and AWS
  // Config guard it instead (docs/security.md#open-points).
];

/** Managed policies the deploy role may never attach to any role (administrator grade). */
export const ADMIN_POLICY_PATTERNS: readonly string[] = ["AdministratorAccess*", "PowerUserAccess", "IAMFullAccess", "*FullAccess"];

export interface DeployPolicyInput {
  /** The stack the role deploys; its own roles are named `<stack>-*` and `tila-<stack>-*`. */
  readonly stack: string;
  readonly partition?: string;
  readonly accountId: string;
  /** The stack's region: every regional call must name it. */
  readonly region: string;
  /** Pulumi type tokens of every resource the stack manages (servicePrefixesOf). */
  readonly resourceTypes: readonly string[];
  /** Service principals the stack's roles are passed to (`ecs-tasks.amazonaws.com`...). */
  readonly passedToServices: readonly string[];
  /** The environment's hub role in management; none for management's own deploy role. */
  readonly hubRoleArn?: string;
}

/** Role ARN patterns of the roles a stack creates and passes (never `tila-platform-*`). */
export function projectRolePatterns(partition: string, accountId: string, stack: string): string[] {
  const own = [`arn:${partition}:iam::${accountId}:role/${stack}-*`, `arn:${partition}:iam::${accountId}:role/tila-${stack}-*`];
  // Management's service pipelines' roles carry the delivery contract's names (components/delivery/deliveryPlan.ts).
  return stack === "management" ? [...own, `arn:${partition}:iam::${accountId}:role/${PIPELINE_ROLE_PREFIX}*`] : own;
}

/**
 * The fixed identities no deploy role may change: every deploy role, every preview role (which any
 * branch may assume, so a deploy that widened it would hand its grant to every branch), the
 * break-glass and auditor roles.
 */
export function protectedRoleArns(partition: string): string[] {
  return [
    `arn:${partition}:iam::*:role/${DEPLOY_ROLE_PREFIX}*`,
    `arn:${partition}:iam::*:role/${PREVIEW_ROLE_PREFIX}*`,
    `arn:${partition}:iam::*:role/${BREAK_GLASS_ROLE_NAME}`,
    `arn:${partition}:iam::*:role/${AUDITOR_ROLE_NAME}`,
  ];
}

export function deployPermissionPolicy(p: DeployPolicyInput): PolicyDocument {
  const partition = p.partition ?? "aws";
  if (!/^\d{12}$/.test(p.accountId)) throw new Error(`deploy policy: accountId "${p.accountId}" is not a 12-digit account id`);
  if (p.passedToServices.length === 0) throw new Error("deploy policy: name the services the stack's roles are passed to");
  if (p.hubRoleArn !== undefined && !new RegExp(`^arn:${partition}:iam::\\d{12}:role/${HUB_ROLE_PREFIX}${p.stack}$`).test(p.hubRoleArn)) {
    throw new Error(`deploy policy: ${p.hubRoleArn} is not ${p.stack}'s hub role`);
  }
  const prefixes = servicePrefixesOf(p.resourceTypes);
  const regional = prefixes.filter((s) => !GLOBAL_PREFIXES.includes(s));
  const global = prefixes.filter((s) => GLOBAL_PREFIXES.includes(s));
  const statements: Statement[] = [
    {
      Sid: "ManageStackServicesInRegion",
      Effect: "Allow",
      Action: regional.map((s) => `${s}:*`),
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": p.region } },
    },
  ];
  if (global.length > 0) statements.push({ Sid: "ManageGlobalServices", Effect: "Allow", Action: global.map((s) => `${s}:*`), Resource: "*" });
  statements.push({ Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" });
  if (p.hubRoleArn) statements.push({ Sid: "AssumeOwnHubRole", Effect: "Allow", Action: "sts:AssumeRole", Resource: p.hubRoleArn });
  statements.push(
    {
      Sid: "PassOnlyOwnRoles",
      Effect: "Deny",
      Action: "iam:PassRole",
      NotResource: projectRolePatterns(partition, p.accountId, p.stack),
    },
    {
      Sid: "PassOnlyToServicesThatTakeThem",
      Effect: "Deny",
      Action: "iam:PassRole",
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PassedToService": [...p.passedToServices].sort() } },
    },
    { Sid: "NoHumanCredentials", Effect: "Deny", Action: [...HUMAN_CREDENTIAL_ACTIONS], Resource: "*" },
    { Sid: "NoChangesToFixedIdentities", Effect: "Deny", Action: [...ROLE_CHANGE_ACTIONS], Resource: protectedRoleArns(partition) },
    { Sid: "NoChangesToFederation", Effect: "Deny", Action: [...OIDC_PROVIDER_CHANGE_ACTIONS], Resource: "*" },
    {
      Sid: "NoAdministratorPolicies",
      Effect: "Deny",
      Action: ["iam:AttachRolePolicy", "iam:AttachGroupPolicy"],
      Resource: "*",
      Condition: { ArnLike: { "iam:PolicyARN": ADMIN_POLICY_PATTERNS.map((n) => `arn:${partition}:iam::aws:policy/${n}`) } },
    },
    { Sid: "DetectiveControlsStayOn", Effect: "Deny", Action: [...DETECTIVE_CONTROL_OFF_ACTIONS], Resource: "*" },
  );
  return { Version: "2012-10-17", Statement: statements };
}
