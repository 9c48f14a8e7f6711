import { expect } from "chai";
import { CentralEndpoints, CentralEndpointsArgs, resolveCentralEndpointsArgs } from "../../components/network/CentralEndpoints";
import { DEFAULT_CENTRAL_ENDPOINT_SERVICES, endpointDnsName } from "../../components/network/endpointNames";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { captureError, expectRequiredTags, ofType, one, run, tagsOf } from "./networkGraph";

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" };
const SUBNETS = ["subnet-a", "subnet-b", "subnet-c"];
const CLIENT_CIDRS = ["10.0.0.0/16", "10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/16"];

const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const ZONE = "aws:route53/zone:Zone";
const RECORD = "aws:route53/record:Record";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function args(overrides: Partial<CentralEndpointsArgs> = {}): CentralEndpointsArgs {
  return { region: "me-south-1", vpcId: "vpc-mgmt", subnetIds: SUBNETS, clientCidrs: CLIENT_CIDRS, tags: TAGS, ...overrides };
}

function issuesOf(a: CentralEndpointsArgs): string[] {
  const resolved = resolveCentralEndpointsArgs(a);
  return Array.isArray(resolved) ? resolved : [];
}

describe("CentralEndpoints", () => {
  let result: CaptureResult;
  let component: CapturedResource;

  before(async () => {
    result = await run(() => {
      const c = new CentralEndpoints("endpoints", args());
      return { zoneIds: c.zoneIds, endpointIds: c.endpointIds, securityGroupId: c.securityGroupId };
    });
    component = one(result, "tila:network:CentralEndpoints", "endpoints");
  });

  describe("endpoints", () => {
    it("creates one interface endpoint per default service", () => {
      const names = ofType(result, ENDPOINT).map((e) => e.inputs.serviceName).sort();
      expect(names).to.deep.equal(DEFAULT_CENTRAL_ENDPOINT_SERVICES.map((s) => `com.amazonaws.me-south-1.${s}`).sort());
    });

    it("turns private DNS off on every central endpoint", () => {
      for (const e of ofType(result, ENDPOINT)) expect(e.inputs.privateDnsEnabled, e.name).to.equal(false);
    });

    it("places every endpoint in the management VPC's given subnets, behind the endpoint security group", () => {
      const sg = one(result, SG, "endpoints-sg");
      for (const e of ofType(result, ENDPOINT)) {
        expect(e.inputs, e.name).to.include({ vpcEndpointType: "Interface", vpcId: "vpc-mgmt" });
        expect(e.inputs.subnetIds, e.name).to.deep.equal(SUBNETS);
        expect(e.inputs.securityGroupIds, e.name).to.deep.equal([sg.id]);
      }
    });
  });

  describe("security group", () => {
    it("admits TCP 443 from each client CIDR and nothing else", () => {
      const sg = one(result, SG, "endpoints-sg");
      const rules = ofType(result, INGRESS);
      expect(rules.map((r) => r.inputs.cidrIpv4).sort()).to.deep.equal([...CLIENT_CIDRS].sort());
      for (const r of rules) {
        expect(r.inputs, r.name).to.include({ securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443 });
        expect(r.inputs.description, r.name).to.be.a("string").and.include(String(r.inputs.cidrIpv4));
      }
    });

    it("has no inline rules and no egress rule", () => {
      const sg = one(result, SG, "endpoints-sg");
      expect(sg.inputs.ingress ?? []).to.deep.equal([]);
      expect(sg.inputs.egress ?? []).to.deep.equal([]);
      expect(ofType(result, EGRESS)).to.deep.equal([]);
    });

    it("names each rule after its CIDR, so adding an environment renames nothing", () => {
      expect(ofType(result, INGRESS).map((r) => r.name)).to.include("endpoints-https-10-20-0-0-16");
    });
  });

  describe("private hosted zones", () => {
    it("creates one zone per service, named after the service host", () => {
      const names = ofType(result, ZONE).map((z) => z.inputs.name).sort();
      expect(names).to.deep.equal(DEFAULT_CENTRAL_ENDPOINT_SERVICES.map((s) => endpointDnsName(s, "me-south-1").zoneName).sort());
      expect(names).to.include.members(["dkr.ecr.me-south-1.amazonaws.com", "api.ecr.me-south-1.amazonaws.com", "sts.me-south-1.amazonaws.com"]);
    });

    it("associates every zone with the management VPC inline and ignores later associations", () => {
      for (const z of ofType(result, ZONE)) {
        expect(z.inputs.vpcs, z.name).to.deep.equal([{ vpcId: "vpc-mgmt", vpcRegion: "me-south-1" }]);
        expect(z.options.ignoreChanges, z.name).to.deep.equal(["vpcs"]);
      }
    });

    it("points an alias A record at the zone apex to that service's endpoint DNS entry", () => {
      for (const service of DEFAULT_CENTRAL_ENDPOINT_SERVICES) {
        const slug = service.replace(".", "-");
        const endpoint = one(result, ENDPOINT, `endpoints-endpoint-${slug}`);
        const zone = one(result, ZONE, `endpoints-zone-${slug}`);
        const record = one(result, RECORD, `endpoints-record-${slug}`);
        const entry = (endpoint.outputs.dnsEntries as { dnsName: string; hostedZoneId: string }[])[0];
        expect(record.inputs, service).to.include({ zoneId: zone.id, name: zone.inputs.name, type: "A" });
        expect(record.inputs.aliases, service).to.deep.equal([{ name: entry.dnsName, zoneId: entry.hostedZoneId, evaluateTargetHealth: false }]);
      }
    });

    it("adds a wildcard alias for ecr.dkr only, where registries are <account>.dkr.ecr.<region>...", () => {
      const wildcards = ofType(result, RECORD).filter((r) => String(r.inputs.name).startsWith("*."));
      expect(wildcards.map((r) => r.inputs.name)).to.deep.equal(["*.dkr.ecr.me-south-1.amazonaws.com"]);
      const apex = one(result, RECORD, "endpoints-record-ecr-dkr");
      expect(wildcards[0].inputs).to.include({ zoneId: apex.inputs.zoneId, type: "A" });
      expect(wildcards[0].inputs.aliases).to.deep.equal(apex.inputs.aliases);
    });

    it("creates 10 endpoints, 10 zones, 11 records, 1 security group and 5 ingress rules", () => {
      const count = (t: string): number => ofType(result, t).length;
      expect([count(ENDPOINT), count(ZONE), count(RECORD), count(SG), count(INGRESS)]).to.deep.equal([10, 10, 11, 1, 5]);
    });
  });

  describe("component", () => {
    it("parents every resource it creates to itself", () => {
      const children = result.resources.filter((r) => r.custom);
      expect(children).to.have.length(37);
      for (const r of children) expect(r.parent, r.name).to.equal(component.urn);
    });

    it("tags every taggable resource with the required tags and a Name", () => {
      const taggable = result.resources.filter((r) => [ENDPOINT, ZONE, SG, INGRESS].includes(r.type));
      expect(taggable).to.have.length(26);
      for (const r of taggable) {
        expectRequiredTags(r);
        expect(tagsOf(r)!.Service).to.equal("network");
      }
    });

    it("outputs endpoint and zone ids per service and the security group id", () => {
      const out = result.outputs as { zoneIds: Record<string, string>; endpointIds: Record<string, string>; securityGroupId: string };
      expect(Object.keys(out.zoneIds).sort()).to.deep.equal([...DEFAULT_CENTRAL_ENDPOINT_SERVICES].sort());
      expect(out.zoneIds["ecr.dkr"]).to.equal(one(result, ZONE, "endpoints-zone-ecr-dkr").id);
      expect(out.endpointIds.logs).to.equal(one(result, ENDPOINT, "endpoints-endpoint-logs").id);
      expect(out.securityGroupId).to.equal(one(result, SG, "endpoints-sg").id);
    });
  });

  describe("validation", () => {
    it("throws a ResourceError naming the field when constructed with bad args", async () => {
      const error = await captureError(() => new CentralEndpoints("bad", args({ subnetIds: [], services: ["logs", "nope"] })));
      expect(error).to.be.instanceOf(Error);
      expect(error.message).to.include('CentralEndpoints "bad"').and.include("subnetIds: must list one subnet per AZ").and.include('services[1]: "nope"');
    });

    it("rejects an unknown service, naming the bad entry", () => {
      const issues = issuesOf(args({ services: ["kms", "ecr"] }));
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/^services\[1\]: "ecr" is not a known interface endpoint service/);
    });

    it("rejects an empty subnet list", () => {
      expect(issuesOf(args({ subnetIds: [] }))).to.deep.equal(["subnetIds: must list one subnet per AZ (at least one)"]);
    });

    it("rejects missing, malformed and duplicate client CIDRs", () => {
      expect(issuesOf(args({ clientCidrs: [] }))).to.deep.equal(["clientCidrs: must list at least the management VPC CIDR"]);
      expect(issuesOf(args({ clientCidrs: ["10.0.0.0/16", "10.0.0.1/16", "10.0.0.0/16"] }))).to.deep.equal([
        'clientCidrs[1]: "10.0.0.1/16" has host bits set; the network address should be 10.0.0.0/16',
        'clientCidrs[2]: "10.0.0.0/16" is already listed at clientCidrs[0]',
      ]);
    });

    it("rejects a bad region and missing common tags", () => {
      const issues = issuesOf(args({ region: "bahrain", tags: { Environment: "management", ManagedBy: "pulumi" } }));
      expect(issues).to.deep.equal([
        'region: "bahrain" is not an AWS region of the aws partition (e.g. "me-south-1")',
        "tags.Owner: required tag is missing",
        "tags.CostCenter: required tag is missing",
      ]);
    });

    it("accepts the defaults", () => {
      expect(resolveCentralEndpointsArgs(args())).to.not.be.an("array");
    });
  });
});
