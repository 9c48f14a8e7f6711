/**
 * The documents of an environment's hub role (docs/architecture.md#identity), as pure functions of
 * plain ids: who may assume it, and the only hub-side calls it allows. Each statement is what one
 * kind of resource in the environment stack needs through its hub provider, read off the
 * terraform-provider-aws code that creates, reads and deletes it, with the resource types and
 * condition keys the Service Authorization Reference gives for each action. No Pulumi resources,
 * so every document is unit-tested directly and evaluated in the whole-stack tests.
 */
import { deployRoleArn, hubSessionName } from "./hubIdentity";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal?: { readonly AWS: string };
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Names one environment may change in the apex public zone, with the record types it writes there. */
export interface RecordGrant {
  /** Statement id, e.g. `SubdomainDelegation`. */
  readonly sid: string;
  /** Normalised names (lower case, no trailing dot); `*` is a StringLike wildcard. */
  readonly names: readonly string[];
  readonly types: readonly string[];
}

/**
 * What the environment stack writes in the apex zone: the NS delegation of its own subdomain, the
 * hostnames it publishes in the apex (prod's `api` and `www`), and the ACM validation CNAMEs
 * (`_<token>.<name>`) of those hostnames and of its internal wildcard certificate
 * (`*.<env>.internal.<domain>`), which is validated in the public zone because the private zone
 * cannot be seen by ACM.
 */
export function hubRecordGrants(input: {
  readonly environment: string;
  readonly domain: string;
  /** The environment owns `<environment>.<domain>` and delegates it from the apex. */
  readonly delegatedSubdomain: boolean;
  /** Fully qualified names it publishes in the apex zone (alias A records). */
  readonly apexHostnames: readonly string[];
}): RecordGrant[] {
  const domain = normaliseName(input.domain);
  const hosts = input.apexHostnames.map(normaliseName);
  hosts.forEach((h, i) => {
    if (h !== domain && !h.endsWith(`.${domain}`)) throw new Error(`apexHostnames[${i}]: "${h}" is not in ${domain}`);
  });
  const grants: RecordGrant[] = [];
  if (input.delegatedSubdomain) grants.push({ sid: "SubdomainDelegation", names: [`${input.environment}.${domain}`], types: ["NS"] });
  if (hosts.length > 0) grants.push({ sid: "PublishedHostnames", names: hosts, types: ["A"] });
  grants.push({ sid: "CertificateValidation", names: [...hosts, `${input.environment}.internal.${domain}`].map((n) => `_*.${n}`), types: ["CNAME"] });
  return grants;
}

/** How Route 53 normalises a record name for its condition keys: lower case, no trailing dot. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

export interface HubAccessInput {
  readonly environment: string;
  readonly environmentAccountId: string;
  readonly managementAccountId: string;
  readonly region: string;
  /** @default "aws" */
  readonly partition?: string;
  /** The environment's own TGW route table: the one table its attachment associates with. */
  readonly associationTableId: string;
  /** Tables its attachment propagates into: management's and those of the offices allowed into it. */
  readonly propagationTableIds: readonly string[];
  /** Central endpoint zones its VPC is authorised into; empty when it runs its own endpoints. */
  readonly endpointZoneIds: readonly string[];
  /** The apex public zone (management's). */
  readonly publicZoneId: string;
  readonly records: readonly RecordGrant[];
  /** The management VPC, associated from the hub side with the environment's private zone. */
  readonly managementVpcId: string;
}

const TGW_ID = /^tgw-rtb-[0-9a-f]+$/;
const ZONE_ID = /^Z[0-9A-Z]+$/;
const VPC_ID = /^vpc-[0-9a-f]+$/;
const NAME = /^[a-z0-9_*][a-z0-9_.*-]*$/;
const TYPE = /^[A-Z]+$/;

/** Every problem with the input, each naming its field; the policy is only built from a clean input. */
export function hubAccessIssues(input: HubAccessInput): string[] {
  const issues: string[] = [];
  const id = (field: string, value: string, re: RegExp, what: string): void => {
    if (!re.test(value)) issues.push(`${field}: "${value}" is not ${what}`);
  };
  for (const [field, value] of [["environmentAccountId", input.environmentAccountId], ["managementAccountId", input.managementAccountId]] as const) {
    id(field, value, /^\d{12}$/, "a 12-digit AWS account id");
  }
  if (input.environmentAccountId === input.managementAccountId) issues.push("environmentAccountId: the environment shares the management account, so it needs no hub role");
  id("region", input.region, /^[a-z]{2}(-[a-z]+)+-\d$/, "an AWS region");
  id("associationTableId", input.associationTableId, TGW_ID, "a TGW route table id");
  input.propagationTableIds.forEach((t, i) => id(`propagationTableIds[${i}]`, t, TGW_ID, "a TGW route table id"));
  if (input.propagationTableIds.includes(input.associationTableId)) issues.push("propagationTableIds: must not include the association table (an environment never propagates into its own table)");
  input.endpointZoneIds.forEach((z, i) => id(`endpointZoneIds[${i}]`, z, ZONE_ID, "a hosted zone id"));
  id("publicZoneId", input.publicZoneId, ZONE_ID, "a hosted zone id");
  id("managementVpcId", input.managementVpcId, VPC_ID, "a VPC id");
  if (input.records.length === 0) issues.push("records: at least one grant is required (the internal certificate's validation record)");
  input.records.forEach((g, i) => {
    if (g.names.length === 0) issues.push(`records[${i}].names: at least one name is required`);
    g.names.forEach((n, j) => {
      if (!NAME.test(n) || n === "*" || n.endsWith(".")) issues.push(`records[${i}].names[${j}]: "${n}" is not a normalised record name`);
    });
    if (g.types.length === 0 || g.types.some((t) => !TYPE.test(t))) issues.push(`records[${i}].types: must list upper-case record types`);
  });
  return issues;
}

/**
 * Trust: principals of the environment account, and of those only its deploy role (the account's
 * root as principal plus an `aws:PrincipalArn` condition, because IAM refuses a trust policy that
 * names a role that does not exist yet, and keeps working when the deploy role is recreated), with
 * the session name the environment's hub provider sets.
 */
export function hubTrustPolicy(input: { readonly environment: string; readonly environmentAccountId: string; readonly partition?: string }): PolicyDocument {
  const partition = input.partition ?? "aws";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EnvironmentDeployRoleOnly",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${input.environmentAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: {
          ArnEquals: { "aws:PrincipalArn": deployRoleArn(input.environment, input.environmentAccountId, partition) },
          StringEquals: { "sts:RoleSessionName": hubSessionName(input.environment) },
        },
      },
    ],
  };
}

/** The permissions: one statement per hub-side need of the environment stack. */
export function hubPermissionPolicy(input: HubAccessInput): PolicyDocument {
  const issues = hubAccessIssues(input);
  if (issues.length > 0) throw new Error(issues.join("; "));
  const p = input.partition ?? "aws";
  const table = (id: string): string => `arn:${p}:ec2:${input.region}:${input.managementAccountId}:transit-gateway-route-table/${id}`;
  // Attachment ids exist only once the environment stack has run, and the SAR gives no way to tie
  // a shared attachment to its VPC owner, so the route tables are the boundary (docs/architecture.md#identity).
  const attachments = `arn:${p}:ec2:${input.region}:*:transit-gateway-attachment/*`;
  const zone = (id: string): string => `arn:${p}:route53:::hostedzone/${id}`;
  const inRegion = { StringEquals: { "aws:RequestedRegion": input.region } };
  const managementVpc = `VPCId=${input.managementVpcId},VPCRegion=${input.region}`;

  const statements: PolicyStatement[] = [
    {
      Sid: "AssociateWithOwnRouteTable",
      Effect: "Allow",
      Action: ["ec2:AssociateTransitGatewayRouteTable", "ec2:DisassociateTransitGatewayRouteTable"],
      Resource: [table(input.associationTableId), attachments],
    },
  ];
  if (input.propagationTableIds.length > 0) {
    statements.push({
      Sid: "PropagateIntoAllowedRouteTables",
      Effect: "Allow",
      Action: ["ec2:EnableTransitGatewayRouteTablePropagation", "ec2:DisableTransitGatewayRouteTablePropagation"],
      Resource: [...[...input.propagationTableIds].sort().map(table), attachments],
    });
  }
  statements.push({
    Sid: "ReadTransitWiring",
    Effect: "Allow",
    // List actions with no resource type in the SAR: only "*" matches them.
    Action: ["ec2:GetTransitGatewayRouteTableAssociations", "ec2:GetTransitGatewayRouteTablePropagations"],
    Resource: "*",
    Condition: inRegion,
  });
  if (input.endpointZoneIds.length > 0) {
    const zones = [...input.endpointZoneIds].sort().map(zone);
    statements.push(
      {
        Sid: "AuthoriseVpcIntoEndpointZones",
        Effect: "Allow",
        Action: ["route53:CreateVPCAssociationAuthorization", "route53:DeleteVPCAssociationAuthorization"],
        Resource: zones,
        // The environment's VPC id is not known when the role is made; the region is.
        Condition: { "ForAllValues:StringLike": { "route53:VPCs": `VPCId=vpc-*,VPCRegion=${input.region}` }, Null: { "route53:VPCs": "false" } },
      },
      { Sid: "ReadEndpointZoneAuthorizations", Effect: "Allow", Action: "route53:ListVPCAssociationAuthorizations", Resource: zones },
    );
  }
  for (const g of input.records) {
    statements.push({
      Sid: g.sid,
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: zone(input.publicZoneId),
      Condition: {
        "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [...g.names] },
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": [...g.types] },
        // ForAllValues holds for an empty set: require the keys so no request passes without them.
        Null: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": "false", "route53:ChangeResourceRecordSetsRecordTypes": "false" },
      },
    });
  }
  statements.push(
    { Sid: "ReadPublicZone", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets"], Resource: zone(input.publicZoneId) },
    { Sid: "TrackRoute53Changes", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${p}:route53:::change/*` },
    {
      Sid: "AssociateManagementVpcWithPrivateZone",
      Effect: "Allow",
      Action: ["route53:AssociateVPCWithHostedZone", "route53:DisassociateVPCFromHostedZone"],
      // The environment's private zone is created after this role, in its own account: the
      // management VPC is what the grant is scoped to.
      Resource: `arn:${p}:route53:::hostedzone/*`,
      Condition: { "ForAllValues:StringEquals": { "route53:VPCs": managementVpc }, Null: { "route53:VPCs": "false" } },
    },
    {
      Sid: "FindManagementVpcZones",
      Effect: "Allow",
      Action: "route53:ListHostedZonesByVPC",
      Resource: "*",
      Condition: { "ForAllValues:StringEquals": { "route53:VPCs": managementVpc }, Null: { "route53:VPCs": "false" } },
    },
    // Route 53 checks ec2:DescribeVpcs on the caller of (dis)associating and listing by VPC.
    { Sid: "DescribeVpcsForZoneAssociation", Effect: "Allow", Action: "ec2:DescribeVpcs", Resource: "*", Condition: inRegion },
  );
  return { Version: "2012-10-17", Statement: statements };
}
