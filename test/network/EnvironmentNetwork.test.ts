import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { DEFAULT_TIERS, planSubnets } from "../../components/network/cidrPlan";
import { EnvironmentNetwork, EnvironmentNetworkArgs } from "../../components/network/EnvironmentNetwork";
import { REQUIRED_TAG_KEYS } from "../../components/tags";
import type { CapturedResource } from "../../offline/types";
import { Graph, T, UNTAGGABLE, captureError, descendants, providerRef, run } from "./networkGraph";

const COMMON_TAGS = { Environment: "prod", Owner: "platform", CostCenter: "cc-platform", ManagedBy: "pulumi" };
const AZS = ["mes1-az1", "mes1-az2", "mes1-az3"];
const TGW = "tgw-0hub00000000000001";
const TRANSIT_ROUTES = [{ cidr: "10.0.0.0/16", description: "management" }, { cidr: "172.16.0.0/12", description: "offices" }];

/** A 3-AZ perAz network with CloudWatch flow logs and a cross-account TGW attachment. */
const PROD: EnvironmentNetworkArgs = {
  environment: "prod",
  cidr: "10.40.0.0/16",
  availabilityZoneIds: AZS,
  natStrategy: "perAz",
  flowLogs: { destination: "cloudwatch", retentionDays: 365 },
  adminCidrs: ["10.0.0.0/16"],
  tags: COMMON_TAGS,
  transit: {
    transitGatewayId: TGW,
    routes: TRANSIT_ROUTES,
    associationRouteTableId: "tgw-rtb-prod",
    propagationRouteTableIds: { management: "tgw-rtb-management", offices: "tgw-rtb-offices" },
  },
};

/** A 2-AZ single-NAT network logging to S3 with a KMS key, no transit. */
const DEV: EnvironmentNetworkArgs = {
  environment: "dev",
  cidr: "10.10.0.0/16",
  availabilityZoneIds: AZS.slice(0, 2),
  natStrategy: "single",
  flowLogs: { destination: "s3", retentionDays: 90, trafficType: "REJECT", kmsKeyArn: "arn:aws:kms:me-south-1:111111111111:key/flow-logs" },
  tags: { ...COMMON_TAGS, Environment: "dev" },
};

/** No internet at all (no public tier, no NAT), no data NACL, attachment through the default provider. */
const ISOLATED: EnvironmentNetworkArgs = {
  environment: "stage",
  cidr: "10.20.0.0/16",
  availabilityZoneIds: AZS.slice(0, 2),
  natStrategy: "none",
  tiers: DEFAULT_TIERS.filter((t) => t.tier !== "public"),
  dataTierNacl: false,
  flowLogs: { destination: "cloudwatch", retentionDays: 30 },
  tags: { ...COMMON_TAGS, Environment: "stage" },
  transit: { transitGatewayId: TGW, routes: [{ cidr: "0.0.0.0/0", description: "egress through the hub" }], associationRouteTableId: "tgw-rtb-stage", propagationRouteTableIds: {} },
};

/** Captures one network in the management account, in the stack named after its environment. */
async function graphOf(name: string, args: EnvironmentNetworkArgs, withHub = false): Promise<Graph> {
  const result = await run(() => {
    const hubProvider = withHub ? new aws.Provider("hub", { region: "me-south-1" }) : undefined;
    const network = new EnvironmentNetwork(name, args.transit ? { ...args, transit: { ...args.transit, hubProvider } } : args);
    return { vpcId: network.vpcId };
  }, args.environment);
  return new Graph(result);
}

function badNetwork(args: EnvironmentNetworkArgs): Promise<Error> {
  return captureError(() => new EnvironmentNetwork("bad", args), "bad");
}

describe("EnvironmentNetwork", () => {
  let prod: Graph;
  let dev: Graph;
  let isolated: Graph;

  before(async () => {
    prod = await graphOf("prod-network", PROD, true);
    dev = await graphOf("dev-network", DEV);
    isolated = await graphOf("stage-network", ISOLATED);
  });

  const each = (): [string, Graph][] => [["prod", prod], ["dev", dev], ["isolated", isolated]];

  describe("subnets", () => {
    it("creates one subnet per tier per AZ with the planner's CIDRs", () => {
      const planned = planSubnets(PROD.cidr, 3).subnets.map((s) => `${s.tier} ${AZS[s.azIndex]} ${s.cidr}`).sort();
      const actual = prod.ofType(T.subnet).map((s) => `${prod.tag(s, "Tier")} ${String(s.inputs.availabilityZoneId)} ${String(s.inputs.cidrBlock)}`).sort();
      expect(actual).to.deep.equal(planned);
      expect(prod.ofType(T.subnet).every((s) => s.inputs.vpcId === prod.only(T.vpc).id)).to.equal(true);
    });

    it("gives no subnet a public IP on launch, not even in the public tier", () => {
      expect(prod.ofType(T.subnet).map((s) => s.inputs.mapPublicIpOnLaunch)).to.deep.equal(prod.ofType(T.subnet).map(() => false));
    });

    it("turns on DNS support and hostnames in the VPC", () => {
      const vpc = prod.only(T.vpc);
      expect([vpc.inputs.cidrBlock, vpc.inputs.enableDnsSupport, vpc.inputs.enableDnsHostnames]).to.deep.equal([PROD.cidr, true, true]);
    });

    it("exposes subnet ids and CIDRs per tier by AZ index", () => {
      const out = prod.only(T.component).outputs as { subnetIds: Record<string, string[]>; subnetCidrs: Record<string, string[]> };
      for (const [i, az] of AZS.entries()) {
        const app = prod.byId(out.subnetIds.app[i]);
        expect([app.inputs.availabilityZoneId, app.inputs.cidrBlock, prod.tag(app, "Tier")]).to.deep.equal([az, out.subnetCidrs.app[i], "app"]);
      }
      expect(isolated.only(T.component).outputs.subnetIds).to.have.property("public").that.deep.equals([]);
    });

    it("places subnets by AZ ID alone, keeps the AZ letter in logical names and exposes both forms", () => {
      // The provider refuses availabilityZone together with availabilityZoneId (ConflictsWith).
      expect(prod.ofType(T.subnet).filter((s) => s.inputs.availabilityZone !== undefined).map((s) => s.name)).to.deep.equal([]);
      const app = prod.ofType(T.subnet).filter((s) => prod.tag(s, "Tier") === "app");
      expect(app.map((s) => [s.name, s.inputs.availabilityZoneId, s.outputs.availabilityZone])).to.deep.equal([
        ["prod-network-app-a", "mes1-az1", "me-south-1a"],
        ["prod-network-app-b", "mes1-az2", "me-south-1b"],
        ["prod-network-app-c", "mes1-az3", "me-south-1c"],
      ]);
      const out = prod.only(T.component).outputs as { availabilityZones: string[]; availabilityZoneIds: string[] };
      expect([out.availabilityZoneIds, out.availabilityZones]).to.deep.equal([AZS, ["me-south-1a", "me-south-1b", "me-south-1c"]]);
    });
  });

  describe("egress", () => {
    it("puts one NAT gateway in every AZ with perAz, each in that AZ's public subnet with its own EIP", () => {
      const nats = prod.ofType(T.nat);
      const subnets = nats.map((n) => prod.byId(n.inputs.subnetId));
      expect(subnets.map((s) => s.inputs.availabilityZoneId).sort()).to.deep.equal(AZS);
      expect(subnets.map((s) => prod.tag(s, "Tier"))).to.deep.equal(["public", "public", "public"]);
      expect(new Set(nats.map((n) => prod.byId(n.inputs.allocationId).type))).to.deep.equal(new Set([T.eip]));
      expect(new Set(nats.map((n) => n.inputs.allocationId)).size).to.equal(3);
    });

    it("routes each app and data table's default route to the NAT in its own AZ with perAz", () => {
      const tables = [...prod.tables("app"), ...prod.tables("data")];
      expect(tables).to.have.length(6);
      for (const table of tables) {
        const defaults = prod.routesOf(table).filter((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0");
        expect(defaults, table.name).to.have.length(1);
        const natSubnet = prod.byId(prod.byId(defaults[0].inputs.natGatewayId).inputs.subnetId);
        expect(natSubnet.inputs.availabilityZoneId, table.name).to.equal(prod.azOfTable(table));
      }
    });

    it("puts a single NAT gateway in the first AZ and routes every private table to it with single", () => {
      const nat = dev.only(T.nat);
      expect(dev.byId(nat.inputs.subnetId).inputs.availabilityZoneId).to.equal(AZS[0]);
      const targets = [...dev.tables("app"), ...dev.tables("data")].map((t) => dev.routesOf(t).find((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0")?.inputs.natGatewayId);
      expect(targets).to.deep.equal([nat.id, nat.id, nat.id, nat.id]);
    });

    it("routes the public table to the internet gateway", () => {
      const routes = prod.routesOf(prod.tables("public")[0]);
      expect(routes.map((r) => [r.inputs.destinationCidrBlock, r.inputs.gatewayId])).to.deep.equal([["0.0.0.0/0", prod.only(T.igw).id]]);
    });

    it("creates no internet gateway, NAT or public table with natStrategy none and no public tier", () => {
      expect([T.igw, T.nat, T.eip].map((t) => isolated.ofType(t).length)).to.deep.equal([0, 0, 0]);
      expect(isolated.tables("public")).to.deep.equal([]);
      expect(isolated.ofType(T.route).filter((r) => r.inputs.natGatewayId !== undefined || r.inputs.gatewayId !== undefined)).to.deep.equal([]);
    });
  });

  describe("route tables", () => {
    it("associates every subnet with exactly one route table of its own tier", () => {
      for (const [label, g] of each()) {
        const associations = g.ofType(T.rtAssociation);
        const subnetIds = associations.map((a) => a.inputs.subnetId);
        expect(subnetIds.slice().sort(), label).to.deep.equal(g.ofType(T.subnet).map((s) => s.id).sort());
        for (const a of associations) expect(g.tag(g.byId(a.inputs.routeTableId), "Tier"), label).to.equal(g.tag(g.byId(a.inputs.subnetId), "Tier"));
      }
    });

    it("has one public table, an app and a data table per AZ, and one transit table", () => {
      expect(["public", "app", "data", "transit"].map((t) => prod.tables(t).length)).to.deep.equal([1, 3, 3, 1]);
      expect(prod.ofType(T.routeTable)).to.have.length(8);
    });

    it("keeps the transit table local-only", () => {
      expect(prod.routesOf(prod.tables("transit")[0])).to.deep.equal([]);
    });
  });

  describe("transit", () => {
    it("routes each transit destination to the TGW from every app and data table and nowhere else", () => {
      const attachment = prod.only(T.attachment);
      const expected = [...prod.tables("app"), ...prod.tables("data")].map((t) => t.id).sort();
      for (const { cidr } of TRANSIT_ROUTES) {
        const routes = prod.ofType(T.route).filter((r) => r.inputs.destinationCidrBlock === cidr);
        expect(routes.map((r) => r.inputs.routeTableId).sort(), cidr).to.deep.equal(expected);
        expect(routes.every((r) => r.inputs.transitGatewayId === TGW && r.options.dependsOn.includes(attachment.urn)), cidr).to.equal(true);
      }
      expect(prod.ofType(T.route).filter((r) => r.inputs.transitGatewayId !== undefined)).to.have.length(TRANSIT_ROUTES.length * 6);
    });

    it("attaches to a gateway shared from the hub account on the transit subnets, leaving the unmanageable default-routing flags unset", () => {
      const a = prod.only(T.attachment);
      const transitSubnets = prod.ofType(T.subnet).filter((s) => prod.tag(s, "Tier") === "transit").map((s) => s.id);
      expect(a.inputs).to.deep.include({ transitGatewayId: TGW, vpcId: prod.only(T.vpc).id, dnsSupport: "enable" });
      expect(a.inputs).to.not.have.any.keys("transitGatewayDefaultRouteTableAssociation", "transitGatewayDefaultRouteTablePropagation");
      expect((a.inputs.subnetIds as string[]).slice().sort()).to.deep.equal(transitSubnets.sort());
    });

    it("disables default association and propagation on the account's own gateway (no hub provider)", () => {
      expect(isolated.only(T.attachment).inputs).to.deep.include({ transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false });
    });

    it("associates and propagates with the given TGW route tables through the hub provider", () => {
      const hub = prod.only("pulumi:providers:aws");
      const attachmentId = prod.only(T.attachment).id;
      const association = prod.only(T.tgwAssociation);
      const propagations = prod.ofType(T.tgwPropagation);
      expect([association.inputs.transitGatewayAttachmentId, association.inputs.transitGatewayRouteTableId]).to.deep.equal([attachmentId, "tgw-rtb-prod"]);
      expect(propagations.map((p) => [p.name, p.inputs.transitGatewayAttachmentId, p.inputs.transitGatewayRouteTableId]).sort()).to.deep.equal([
        ["prod-network-tgw-propagation-management", attachmentId, "tgw-rtb-management"],
        ["prod-network-tgw-propagation-offices", attachmentId, "tgw-rtb-offices"],
      ]);
      for (const r of [association, ...propagations]) expect(r.options.provider, r.name).to.equal(providerRef(hub));
    });

    it("uses the default provider for the association when no hub provider is given", () => {
      expect(isolated.ofType("pulumi:providers:aws")).to.deep.equal([]);
      expect(isolated.only(T.tgwAssociation).options.provider).to.equal(undefined);
    });

    it("creates no attachment or TGW route without transit", () => {
      expect([T.attachment, T.tgwAssociation, T.tgwPropagation].map((t) => dev.ofType(t).length)).to.deep.equal([0, 0, 0]);
      expect(dev.ofType(T.route).filter((r) => r.inputs.transitGatewayId !== undefined)).to.deep.equal([]);
      expect(dev.only(T.component).outputs).to.not.have.property("attachmentId");
    });
  });

  describe("flow logs", () => {
    it("delivers the VPC's flow logs to a CloudWatch log group with the configured retention", () => {
      const flowLog = prod.only(T.flowLog);
      const group = prod.only(T.logGroup);
      expect(flowLog.inputs).to.deep.include({ vpcId: prod.only(T.vpc).id, logDestinationType: "cloud-watch-logs", logDestination: group.outputs.arn, trafficType: "ALL" });
      expect(group.inputs.retentionInDays).to.equal(365);
      expect(prod.only(T.component).outputs.flowLogId).to.equal(flowLog.id);
    });

    it("lets only this account's flow logs assume a role that may only write to that log group", () => {
      const role = prod.only(T.role);
      const trust = prod.policy(role, "assumeRolePolicy").Statement;
      expect(trust).to.have.length(1);
      expect(trust[0]).to.deep.include({ Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" });
      expect(trust[0].Condition).to.have.nested.property("StringEquals.aws:SourceAccount", "111111111111");
      const rolePolicy = prod.only(T.rolePolicy);
      expect(rolePolicy.inputs.role).to.equal(role.outputs.name);
      const arn = prod.only(T.logGroup).outputs.arn as string;
      const statements = prod.policy(rolePolicy, "policy").Statement;
      expect(statements.flatMap((s) => s.Resource as string[])).to.deep.equal([arn, `${arn}:*`]);
      expect(statements.flatMap((s) => s.Action as string[]).every((a) => /^logs:(CreateLogStream|PutLogEvents|DescribeLogStreams)$/.test(a))).to.equal(true);
      expect(prod.only(T.flowLog).inputs.iamRoleArn).to.equal(role.outputs.arn);
    });

    it("delivers to a dedicated, private, versioned, KMS-encrypted S3 bucket that expires logs after retentionDays", () => {
      const bucket = dev.only(T.bucket);
      const forBucket = (type: string): CapturedResource => {
        const found = dev.ofType(type).filter((r) => r.inputs.bucket === bucket.id);
        expect(found, type).to.have.length(1);
        return found[0];
      };
      expect(dev.only(T.flowLog).inputs).to.deep.include({ logDestinationType: "s3", logDestination: bucket.outputs.arn, trafficType: "REJECT" });
      const sse = forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules as Record<string, unknown>[];
      expect(sse[0].applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: DEV.flowLogs.kmsKeyArn });
      expect(forBucket("aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
      expect(forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).to.deep.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(forBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
      const lifecycle = forBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
      expect(lifecycle.map((r) => [r.status, r.expiration])).to.deep.equal([["Enabled", { days: 90 }]]);
      const statements = dev.policy(forBucket("aws:s3/bucketPolicy:BucketPolicy"), "policy").Statement;
      expect(statements.find((s) => s.Effect === "Deny")).to.have.nested.property("Condition.Bool.aws:SecureTransport", "false");
      expect(dev.ofType(T.logGroup)).to.deep.equal([]);
    });
  });

  describe("endpoints and defaults", () => {
    it("attaches S3 and DynamoDB gateway endpoints to every route table", () => {
      for (const [label, g] of each()) {
        const endpoints = g.ofType(T.endpoint);
        expect(endpoints.map((e) => e.inputs.serviceName).sort(), label).to.deep.equal(["com.amazonaws.me-south-1.dynamodb", "com.amazonaws.me-south-1.s3"]);
        const tables = g.ofType(T.routeTable).map((t) => t.id).sort();
        for (const e of endpoints) {
          expect(e.inputs.vpcEndpointType, label).to.equal("Gateway");
          expect((e.inputs.routeTableIds as string[]).slice().sort(), label).to.deep.equal(tables);
        }
      }
    });

    it("strips every rule from the VPC's default security group", () => {
      const sg = prod.only(T.defaultSg);
      expect([sg.inputs.vpcId, sg.inputs.ingress, sg.inputs.egress]).to.deep.equal([prod.only(T.vpc).id, [], []]);
    });
  });

  describe("data tier NACL", () => {
    it("covers exactly the data subnets", () => {
      const dataSubnets = prod.ofType(T.subnet).filter((s) => prod.tag(s, "Tier") === "data").map((s) => s.id).sort();
      expect((prod.only(T.nacl).inputs.subnetIds as string[]).slice().sort()).to.deep.equal(dataSubnets);
    });

    it("admits app, data and admin CIDRs, TCP return traffic from anywhere, and nothing else inbound", () => {
      const nacl = prod.only(T.nacl);
      const rules = prod.ofType(T.naclRule);
      expect(rules.every((r) => r.inputs.networkAclId === nacl.id && r.inputs.ruleAction === "allow")).to.equal(true);
      const cidrs = (tier: string): string[] => prod.ofType(T.subnet).filter((s) => prod.tag(s, "Tier") === tier).map((s) => s.inputs.cidrBlock as string);
      const inbound = rules.filter((r) => r.inputs.egress === false);
      expect(inbound.filter((r) => r.inputs.protocol === "-1").map((r) => r.inputs.cidrBlock).sort()).to.deep.equal([...cidrs("app"), ...cidrs("data"), "10.0.0.0/16"].sort());
      expect(inbound.filter((r) => r.inputs.protocol !== "-1").map((r) => [r.inputs.protocol, r.inputs.cidrBlock, r.inputs.fromPort, r.inputs.toPort]))
        .to.deep.equal([["tcp", "0.0.0.0/0", 1024, 65535]]);
      expect(rules.filter((r) => r.inputs.egress === true).map((r) => [r.inputs.protocol, r.inputs.cidrBlock])).to.deep.equal([["-1", "0.0.0.0/0"]]);
      expect(rules.every((r) => r.options.deleteBeforeReplace)).to.equal(true);
    });

    it("is omitted when dataTierNacl is false", () => {
      expect([isolated.ofType(T.nacl).length, isolated.ofType(T.naclRule).length]).to.deep.equal([0, 0]);
    });
  });

  describe("ownership and tags", () => {
    it("parents every resource to the component, directly or transitively", () => {
      for (const [label, g] of each()) {
        const component = g.only(T.component);
        const under = new Set(descendants(g.result, component));
        const outside = g.all.filter((r) => r !== component && r.type !== "pulumi:pulumi:Stack" && r.type !== "pulumi:providers:aws" && !under.has(r));
        expect(outside.map((r) => r.name), label).to.deep.equal([]);
        expect(g.all.filter((r) => r.custom && r.type.startsWith("aws:")).length, label).to.be.greaterThan(30);
      }
    });

    it("tags every taggable resource with the required tags and a Name", () => {
      for (const [label, g] of each()) {
        const taggable = g.all.filter((r) => r.custom && r.type.startsWith("aws:") && !UNTAGGABLE.has(r.type));
        const missing = taggable.flatMap((r) => [...REQUIRED_TAG_KEYS, "Name"].filter((k) => !g.tag(r, k)).map((k) => `${r.name}: ${k}`));
        expect(missing, label).to.deep.equal([]);
        const environment = g.only(T.vpc).inputs.tags as Record<string, string>;
        const wrong = taggable.filter((r) => g.tag(r, "Service") !== "network" || g.tag(r, "Environment") !== environment.Environment);
        expect(wrong.map((r) => r.name), label).to.deep.equal([]);
      }
    });

    it("tags subnets and route tables with their tier", () => {
      const tiers = [...prod.ofType(T.subnet), ...prod.ofType(T.routeTable)].map((r) => prod.tag(r, "Tier"));
      expect(new Set(tiers)).to.deep.equal(new Set(["public", "app", "data", "transit"]));
    });
  });

  describe("argument validation", () => {
    it("throws a ResourceError naming each bad field", async () => {
      const err = await badNetwork({ ...PROD, availabilityZoneIds: ["mes1-az1", "mes1-az1"], natStrategy: "perAz", tiers: DEFAULT_TIERS.filter((t) => t.tier !== "public") });
      expect(err.constructor.name).to.equal("ResourceError");
      expect(err.message).to.include("availabilityZoneIds[1]:").and.include("natStrategy:").and.include('EnvironmentNetwork "bad"');
    });

    it("rejects a CloudWatch retention the service does not accept", async () => {
      const err = await badNetwork({ ...DEV, flowLogs: { destination: "cloudwatch", retentionDays: 45 } });
      expect(err.message).to.include("flowLogs.retentionDays:");
    });
  });
});
