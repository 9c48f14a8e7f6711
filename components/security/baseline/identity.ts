/**
 * Who may act in the account, without access keys: the GitLab OIDC provider, this stack's deploy
 * role (named by hub's convention, components/security/hubIdentity.ts) and its read-only preview
 * role for merge requests (any branch, previewPolicy.ts), a read-only auditor role
 * and a break-glass role, both assumed inside the account by named principals (break-glass with
 * MFA). Use of the break-glass role is an event the incident-response rules alarm on; when a topic
 * is given, this file adds that rule. The deploy role carries one inline policy (deployPolicy.ts)
 * and the break-glass role AdministratorAccess (docs/security.md#deploy-roles-and-people); both
 * attachments name their role literally, so the policy pack can read which role they grant.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployRoleName } from "../hubIdentity";
import { DeployPolicyInput, deployPermissionPolicy } from "./deployPolicy";
import { DeployRef, gitlabDeployTrust, gitlabPreviewTrust, humanRoleTrust, oidcHost } from "./policies";
import { PREVIEW_POLICY_NAME, PreviewPolicyInput, previewPermissionPolicy } from "./previewPolicy";
import { AUDITOR_ROLE_NAME, BREAK_GLASS_ROLE_NAME, previewRoleName } from "./roleNames";

export { AUDITOR_ROLE_NAME, BREAK_GLASS_ROLE_NAME, PREVIEW_POLICY_NAME, previewRoleName };
/** The deploy role's one inline policy. */
export const DEPLOY_POLICY_NAME = "deploy";
/**
 * The break-glass role's permissions: the whole account, because it exists for the failure no
 * scoped role foresaw. Safe only with its trust (this account's named users, MFA, one hour) and the
 * alarm on every use; the policy pack accepts it for exactly that role (iam-break-glass-role-shaped).
 */
export const BREAK_GLASS_POLICY_ARN = (partition: string): string => `arn:${partition}:iam::aws:policy/AdministratorAccess`;

/** The break-glass role's ARN in an account: fixed, so the incident-response rules can name it before it exists. */
export function breakGlassRoleArn(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${BREAK_GLASS_ROLE_NAME}`;
}
/** AWS-managed read-only policies of the auditor: configuration and metadata, never data. */
export const AUDITOR_POLICIES = ["arn:aws:iam::aws:policy/SecurityAudit", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"];

export interface GitlabTrust {
  /** GitLab instance URL, `https://gitlab.com` or a self-managed host. */
  readonly url: string;
  readonly audience: string;
  /** `<group>/<project>` of the infrastructure repository. */
  readonly projectPath: string;
  /** Protected refs that may deploy this stack. */
  readonly refs: readonly DeployRef[];
}

export interface IdentityWiring {
  readonly name: string;
  readonly stack: string;
  readonly partition: string;
  readonly accountId: string;
  /** Create the account's OIDC provider here (one per account and URL); else reference it. */
  readonly createProvider: boolean;
  readonly gitlab: GitlabTrust;
  readonly deployPolicyArns: readonly string[];
  /** What the deploy role's inline policy allows (deployPolicy.ts); stack, account and partition come from here. */
  readonly deployPolicy: Omit<DeployPolicyInput, "stack" | "accountId" | "partition">;
  /** What the preview role may read besides STS and AWS's public parameters: the state (previewPolicy.ts). */
  readonly preview: Pick<PreviewPolicyInput, "project" | "referencedStacks" | "state" | "previewHubRoleArn">;
  /** IAM name patterns (`role/...`, `user/...`) of this account's principals that may assume each role. */
  readonly humans: { readonly auditors: readonly string[]; readonly breakGlass: readonly string[]; readonly breakGlassPolicyArns: readonly string[] };
  /** Whether this stack creates the account's auditor and break-glass roles. */
  readonly accountRoles: boolean;
  readonly alarmTopicArn?: pulumi.Input<string>;
  readonly tags: (role: string) => Record<string, string>;
  readonly parent: pulumi.Resource;
}

export interface Identity {
  readonly deployRoleArn: pulumi.Output<string>;
  readonly previewRoleArn: pulumi.Output<string>;
  readonly auditorRoleArn?: pulumi.Output<string>;
  readonly breakGlassRoleArn?: pulumi.Output<string>;
}

function attach(name: string, role: aws.iam.Role, arns: readonly string[], parent: pulumi.Resource): void {
  arns.forEach((policyArn, i) => new aws.iam.RolePolicyAttachment(`${name}-${i}`, { role: role.name, policyArn }, { parent }));
}

export function createIdentity(w: IdentityWiring): Identity {
  const opts = { parent: w.parent };
  const host = oidcHost(w.gitlab.url);
  const providerArn = w.createProvider
    ? new aws.iam.OpenIdConnectProvider(`${w.name}-gitlab-oidc`, { url: w.gitlab.url, clientIdLists: [w.gitlab.audience], tags: w.tags("gitlab-oidc") }, opts).arn
    : pulumi.output(`arn:${w.partition}:iam::${w.accountId}:oidc-provider/${host}`);

  const deploy = new aws.iam.Role(`${w.name}-deploy-role`, {
    name: deployRoleName(w.stack),
    description: `Deploys the ${w.stack} stack from GitLab CI (${w.gitlab.projectPath}, protected refs only)`,
    assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(gitlabDeployTrust({ providerArn: arn, ...w.gitlab }))),
    maxSessionDuration: 3600,
    tags: w.tags("deploy-role"),
  }, opts);
  attach(`${w.name}-deploy-role-policy`, deploy, w.deployPolicyArns, w.parent);
  const deployDocument = deployPermissionPolicy({ ...w.deployPolicy, stack: w.stack, accountId: w.accountId, partition: w.partition });
  // The role's name, not its output: the pack reads which role the policy belongs to before it exists.
  new aws.iam.RolePolicy(`${w.name}-deploy-policy`, { name: DEPLOY_POLICY_NAME, role: deployRoleName(w.stack), policy: JSON.stringify(deployDocument) }, { parent: w.parent, dependsOn: [deploy] });

  // Merge requests run on unprotected branches, which the deploy role never trusts: this role lets
  // their `pulumi preview` read what a preview reads, and nothing else (docs/security.md#the-preview-role).
  const preview = new aws.iam.Role(`${w.name}-preview-role`, {
    name: previewRoleName(w.stack),
    description: `Previews the ${w.stack} stack from GitLab merge requests (${w.gitlab.projectPath}, any branch); read-only`,
    assumeRolePolicy: providerArn.apply((arn) => JSON.stringify(gitlabPreviewTrust({ providerArn: arn, url: w.gitlab.url, audience: w.gitlab.audience, projectPath: w.gitlab.projectPath }))),
    maxSessionDuration: 3600,
    tags: w.tags("preview-role"),
  }, opts);
  const previewDocument = previewPermissionPolicy({ ...w.preview, stack: w.stack, accountId: w.accountId, partition: w.partition, region: w.deployPolicy.region });
  new aws.iam.RolePolicy(`${w.name}-preview-policy`, { name: PREVIEW_POLICY_NAME, role: previewRoleName(w.stack), policy: JSON.stringify(previewDocument) }, { parent: w.parent, dependsOn: [preview] });
  if (!w.accountRoles) return { deployRoleArn: deploy.arn, previewRoleArn: preview.arn };

  const human = (patterns: readonly string[], requireMfa: boolean) => JSON.stringify(humanRoleTrust({ partition: w.partition, accountId: w.accountId, principalPatterns: patterns, requireMfa }));
  const auditor = new aws.iam.Role(`${w.name}-auditor-role`, {
    name: AUDITOR_ROLE_NAME,
    description: "Read-only audit of configuration and metadata (no data), for the named principals of this account",
    assumeRolePolicy: human(w.humans.auditors, false),
    maxSessionDuration: 3600 * 4,
    tags: w.tags("auditor-role"),
  }, opts);
  attach(`${w.name}-auditor-role-policy`, auditor, AUDITOR_POLICIES, w.parent);

  const breakGlass = new aws.iam.Role(`${w.name}-break-glass-role`, {
    name: BREAK_GLASS_ROLE_NAME,
    description: "Emergency access when CI or federation is down; every use raises a security alarm",
    assumeRolePolicy: human(w.humans.breakGlass, true),
    maxSessionDuration: 3600,
    tags: w.tags("break-glass-role"),
  }, opts);
  new aws.iam.RolePolicyAttachment(`${w.name}-break-glass-admin`, { role: BREAK_GLASS_ROLE_NAME, policyArn: BREAK_GLASS_POLICY_ARN(w.partition) }, { parent: w.parent, dependsOn: [breakGlass] });
  attach(`${w.name}-break-glass-role-policy`, breakGlass, w.humans.breakGlassPolicyArns, w.parent);

  if (w.alarmTopicArn) {
    const rule = new aws.cloudwatch.EventRule(`${w.name}-break-glass-used`, {
      description: "The break-glass role was assumed",
      eventPattern: breakGlass.arn.apply((arn) => JSON.stringify(breakGlassEventPattern(arn))),
      tags: w.tags("break-glass-used"),
    }, opts);
    new aws.cloudwatch.EventTarget(`${w.name}-break-glass-used-alarm`, { rule: rule.name, arn: w.alarmTopicArn }, opts);
  }
  return { deployRoleArn: deploy.arn, previewRoleArn: preview.arn, auditorRoleArn: auditor.arn, breakGlassRoleArn: breakGlass.arn };
}

/** CloudTrail's AssumeRole event for the role, as EventBridge receives it from STS. */
export function breakGlassEventPattern(roleArn: string): Record<string, unknown> {
  return {
    source: ["aws.sts"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: { eventSource: ["sts.amazonaws.com"], eventName: ["AssumeRole"], requestParameters: { roleArn: [roleArn] } },
  };
}
