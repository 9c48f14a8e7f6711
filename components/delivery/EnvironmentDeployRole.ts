/**
 * One service's deploy role in an environment account (docs/delivery.md#cross-account-deploy-roles-and-the-deploy-scope):
 * the role management's CodePipeline of that service assumes for its deploy action in this
 * environment. Fixed name `tila-deploy-<env>-<service>`, because the pipeline names it before it
 * exists; trusted only by `tila-pipeline-<service>` in management; allowed only to register a new
 * revision of the service's own task-definition family, point the service's own ECS service at
 * it, pass the service's own two roles, and read and decrypt the service's own pipeline artefacts.
 * The documents come from environmentDeployPolicy.ts; the role carries exactly that one inline
 * policy and no managed policy (the two `*Exclusive` resources remove anything attached by hand).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { ENVIRONMENTS, EnvironmentName } from "../environments";
import { MAX_ROLE_NAME, environmentDeployRoleName } from "./deliveryPlan";
import { deployInputIssues, deployTrustPolicy, environmentDeployPolicy } from "./environmentDeployPolicy";

/** Name of the role's one inline policy. */
export const DEPLOY_POLICY_NAME = "deploy";

export interface EnvironmentDeployRoleArgs {
  /** The environment whose account holds the role and the service. */
  readonly environment: EnvironmentName;
  /** The service the role deploys: its ECS service, task-definition family `<env>-<service>` and roles. */
  readonly service: string;
  /** This environment's account and region (where the ECS service and its roles are). */
  readonly accountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** The management account, where the service's pipeline and its role `tila-pipeline-<service>` are. */
  readonly managementAccountId: string;
  /** Management's region: the artefact store `tila-delivery-artifacts-<account>-<region>` and its key are there. */
  readonly managementRegion: pulumi.Input<string>;
  /** The artefact store's CMK (management's stack output `deliveryArtifactKeyArn`). */
  readonly artifactKeyArn: pulumi.Input<string>;
  /** The service's task role and task execution role (MicroserviceService): the only roles the deploy may pass. */
  readonly taskRoleArn: pulumi.Input<string>;
  readonly executionRoleArn: pulumi.Input<string>;
  /**
   * Longest session, in seconds (3600-43200). CodePipeline assumes the role for each action run
   * and renews it itself; an hour covers the action's longest deployment timeout.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` (this service) and `Name` are set here. */
  readonly tags: Tags;
}

/** Problems found before any ARN is known: names, accounts, session, tags. */
export function environmentDeployRoleIssues(args: EnvironmentDeployRoleArgs): string[] {
  const issues: string[] = [];
  if (!(ENVIRONMENTS as readonly string[]).includes(args.environment)) issues.push(`environment: "${args.environment}" is not one of ${ENVIRONMENTS.join(", ")}`);
  if (!/^[a-z][a-z0-9-]*$/.test(args.service)) issues.push(`service: "${args.service}" is not a lower-case service name`);
  const name = environmentDeployRoleName(args.environment, args.service);
  if (name.length > MAX_ROLE_NAME) issues.push(`service: role name "${name}" is longer than IAM's ${MAX_ROLE_NAME} characters`);
  // The ARNs are checked (deployInputIssues) with the real values once they are known.
  for (const [key, account] of [["accountId", args.accountId], ["managementAccountId", args.managementAccountId]] as const) {
    if (!/^\d{12}$/.test(account)) issues.push(`${key}: "${account}" is not a 12-digit AWS account id`);
  }
  const duration = args.maxSessionDurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) issues.push(`maxSessionDurationSeconds: ${duration} must be 3600 to 43200`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class EnvironmentDeployRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: string;
  /** The permission policy as JSON, for tests and the plan. */
  readonly policyJson: pulumi.Output<string>;

  constructor(name: string, args: EnvironmentDeployRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:delivery:EnvironmentDeployRole", name, {}, opts);
    const issues = environmentDeployRoleIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`EnvironmentDeployRole "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const partition = args.partition ?? "aws";
    this.roleName = environmentDeployRoleName(args.environment, args.service);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        // A fixed name: management's pipeline names it in its deploy action before this stack runs.
        name: this.roleName,
        path: "/",
        description: `CodePipeline tila-${args.service}: deploy ${args.service} (its task definition and ECS service only) in ${args.environment}`,
        assumeRolePolicy: JSON.stringify(deployTrustPolicy({ partition, managementAccountId: args.managementAccountId, service: args.service })),
        maxSessionDuration: args.maxSessionDurationSeconds ?? 3600,
        tags: resourceTags(args.tags, args.service, this.roleName, { TrustedPipeline: `tila-${args.service}` }),
      },
      parent,
    );

    this.policyJson = pulumi
      .all([args.managementRegion, args.artifactKeyArn, args.taskRoleArn, args.executionRoleArn])
      .apply(([managementRegion, artifactKeyArn, taskRoleArn, executionRoleArn]) => {
        const input = { partition, environment: args.environment, service: args.service, accountId: args.accountId, region: args.region, managementAccountId: args.managementAccountId, managementRegion, artifactKeyArn, taskRoleArn, executionRoleArn };
        const problems = deployInputIssues(input);
        if (problems.length > 0) throw new pulumi.ResourceError(`EnvironmentDeployRole "${name}": ${problems.join("; ")}`, this);
        return JSON.stringify(environmentDeployPolicy(input));
      });
    const policy = new aws.iam.RolePolicy(`${name}-policy`, { name: DEPLOY_POLICY_NAME, role: role.name, policy: this.policyJson }, parent);
    // Exactly this inline policy and no managed policy: anything attached by hand is removed on the next up.
    new aws.iam.RolePoliciesExclusive(`${name}-inline-only`, { roleName: role.name, policyNames: [policy.name] }, parent);
    new aws.iam.RolePolicyAttachmentsExclusive(`${name}-no-managed`, { roleName: role.name, policyArns: [] }, parent);

    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
