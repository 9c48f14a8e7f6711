/**
 * One environment's role in the management (hub) account (docs/architecture.md#identity): the
 * only identity its stack uses for what must exist on the hub side. Assumable only by that
 * environment's deploy role; allowed only to wire its own attachment into its own TGW route
 * tables, authorise its VPC into the central endpoint zones, write its own record names in the apex
 * zone and associate the management VPC with its private zone. The documents come from
 * hubAccessPolicy.ts; the role carries exactly one inline policy and no managed policy, enforced by
 * the two `*Exclusive` resources so nothing attached by hand survives the next `up`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { RecordGrant, hubAccessIssues, hubPermissionPolicy, hubTrustPolicy } from "./hubAccessPolicy";
import { hubRoleName } from "./hubIdentity";

/** Value of the `Service` tag on the role. */
const SERVICE_TAG = "security";
/** Name of the role's one inline policy. */
export const HUB_POLICY_NAME = "hub-access";

export interface HubAccessRoleArgs {
  /** Environment the role serves; names the role `tila-platform-hub-<environment>`. */
  readonly environment: string;
  /** The environment's own account, whose deploy role alone may assume the role. */
  readonly environmentAccountId: string;
  /** The account this role lives in, which owns the TGW and the zones. */
  readonly managementAccountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  readonly transit: {
    /** The environment's own TGW route table (TransitHub `routeTableIds[environment]`). */
    readonly associationTableId: pulumi.Input<string>;
    /** Management's table and those of the offices allowed into the environment. */
    readonly propagationTableIds: readonly pulumi.Input<string>[];
  };
  /**
   * Central endpoint zones the environment's VPC is authorised into (CentralEndpoints `zoneIds`).
   * @default [] (the environment runs its own endpoints)
   */
  readonly endpointZoneIds?: readonly pulumi.Input<string>[];
  /** The apex public zone (DnsZones `publicZoneId` of management). */
  readonly publicZoneId: pulumi.Input<string>;
  /** Names the environment writes in the apex zone (hubRecordGrants). */
  readonly records: readonly RecordGrant[];
  /** The management VPC, associated with the environment's private zone from this account. */
  readonly managementVpcId: pulumi.Input<string>;
  /**
   * Longest session, in seconds (3600-43200). A deploy that outlives it fails mid-way, so it must
   * cover the slowest `up` of the environment's hub-side resources; an hour does.
   * @default 3600
   */
  readonly maxSessionDurationSeconds?: number;
  /** Common tags (`Environment`, `Owner`, `CostCenter`, `ManagedBy`); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

/** Problems found before any id is known: names, accounts, region, record grants, session, tags. */
export function hubAccessRoleIssues(args: HubAccessRoleArgs): string[] {
  const placeholder = "tgw-rtb-0";
  const issues = hubAccessIssues({
    environment: args.environment,
    environmentAccountId: args.environmentAccountId,
    managementAccountId: args.managementAccountId,
    region: args.region,
    partition: args.partition,
    associationTableId: placeholder,
    propagationTableIds: [],
    endpointZoneIds: [],
    publicZoneId: "Z0",
    records: args.records,
    managementVpcId: "vpc-0",
  });
  if (!/^[a-z][a-z0-9-]{0,30}$/.test(args.environment)) issues.push(`environment: "${args.environment}" is not a lower-case stack name`);
  const duration = args.maxSessionDurationSeconds ?? 3600;
  if (!Number.isInteger(duration) || duration < 3600 || duration > 43200) issues.push(`maxSessionDurationSeconds: ${duration} must be 3600 to 43200`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class HubAccessRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: string;
  /** The permission policy as JSON, for tests and for the plan's identity summary. */
  readonly policyJson: pulumi.Output<string>;

  constructor(name: string, args: HubAccessRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:security:HubAccessRole", name, {}, opts);
    const issues = hubAccessRoleIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`HubAccessRole "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    this.roleName = hubRoleName(args.environment);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: this.roleName,
        path: "/",
        description: `${args.environment}: hub-side TGW wiring, endpoint zone authorisations and DNS names of the ${args.environment} stack`,
        assumeRolePolicy: JSON.stringify(hubTrustPolicy(args)),
        maxSessionDuration: args.maxSessionDurationSeconds ?? 3600,
        tags: resourceTags(args.tags, SERVICE_TAG, this.roleName, { TrustedEnvironment: args.environment }),
      },
      parent,
    );

    this.policyJson = pulumi
      .all([args.transit.associationTableId, pulumi.all([...args.transit.propagationTableIds]), pulumi.all([...(args.endpointZoneIds ?? [])]), args.publicZoneId, args.managementVpcId])
      .apply(([associationTableId, propagationTableIds, endpointZoneIds, publicZoneId, managementVpcId]) => {
        const input = { ...args, associationTableId, propagationTableIds, endpointZoneIds, publicZoneId, managementVpcId };
        const problems = hubAccessIssues(input);
        if (problems.length > 0) throw new pulumi.ResourceError(`HubAccessRole "${name}": ${problems.join("; ")}`, this);
        return JSON.stringify(hubPermissionPolicy(input));
      });
    const policy = new aws.iam.RolePolicy(`${name}-policy`, { name: HUB_POLICY_NAME, role: role.name, policy: this.policyJson }, parent);
    // Exactly this inline policy and no managed policy: anything attached by hand is removed on the next up.
    new aws.iam.RolePoliciesExclusive(`${name}-inline-only`, { roleName: role.name, policyNames: [policy.name] }, parent);
    new aws.iam.RolePolicyAttachmentsExclusive(`${name}-no-managed`, { roleName: role.name, policyArns: [] }, parent);

    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
