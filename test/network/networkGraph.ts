/**
 * What the network tests share: capture in the management account, and queries over one captured
 * EnvironmentNetwork graph (its type tokens, the route tables of a tier, the AZ of a table). Capture
 * settings and graph lookups come from `test/support/graph.ts`.
 */
import { expect } from "chai";
import type { CaptureResult, CapturedResource } from "../../offline/types";
import { MANAGEMENT_ACCOUNT, byId, capturer, ofType, only, policyDocument, tag } from "../support/graph";

export type { ArgumentCase } from "../support/graph";
export { capturer, childrenOf, descendants, expectRequiredTags, itRejectsEachArgument, ofType, one, only, providerRef, tagsOf } from "../support/graph";

const management = capturer({ stack: "management", accountId: MANAGEMENT_ACCOUNT });

/** One capture of `build` in the management account, in the `management` stack unless `stack` is given. */
export const run = management.run;

/** The error `build` fails with in the management account, in the `management` stack unless `stack` is given. */
export const captureError = management.captureError;

export const T = {
  component: "tila:network:EnvironmentNetwork",
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  igw: "aws:ec2/internetGateway:InternetGateway",
  eip: "aws:ec2/eip:Eip",
  nat: "aws:ec2/natGateway:NatGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  route: "aws:ec2/route:Route",
  rtAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  attachment: "aws:ec2transitgateway/vpcAttachment:VpcAttachment",
  tgwAssociation: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  tgwPropagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  bucket: "aws:s3/bucket:Bucket",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  nacl: "aws:ec2/networkAcl:NetworkAcl",
  naclRule: "aws:ec2/networkAclRule:NetworkAclRule",
} as const;

/** Types that take no `tags` input; every other resource of the component must carry the required tags. */
export const UNTAGGABLE = new Set<string>([
  T.route, T.rtAssociation, T.tgwAssociation, T.tgwPropagation, T.rolePolicy, T.naclRule,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
]);

/** One captured graph with the lookups the EnvironmentNetwork tests read it through. */
export class Graph {
  constructor(readonly result: CaptureResult) {}

  get all(): CapturedResource[] {
    return this.result.resources;
  }

  ofType(type: string): CapturedResource[] {
    return ofType(this.result, type);
  }

  only(type: string): CapturedResource {
    return only(this.result, type);
  }

  byId(id: unknown): CapturedResource {
    return byId(this.result, id);
  }

  tag(r: CapturedResource, key: string): string | undefined {
    return tag(r, key);
  }

  /** The route tables of one tier. */
  tables(tier: string): CapturedResource[] {
    return this.ofType(T.routeTable).filter((t) => this.tag(t, "Tier") === tier);
  }

  routesOf(table: CapturedResource): CapturedResource[] {
    return this.ofType(T.route).filter((r) => r.inputs.routeTableId === table.id);
  }

  /** The AZ of the subnets associated with a per-AZ route table. */
  azOfTable(table: CapturedResource): string {
    const azs = new Set(this.ofType(T.rtAssociation).filter((a) => a.inputs.routeTableId === table.id)
      .map((a) => this.byId(a.inputs.subnetId).inputs.availabilityZoneId as string));
    expect(azs.size, `AZs of ${table.name}`).to.equal(1);
    return [...azs][0];
  }

  policy(r: CapturedResource, key: string): { Statement: Record<string, unknown>[] } {
    return policyDocument(r, key);
  }
}
