import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { DnsZones, DnsZonesArgs, dnsZonesIssues } from "../../components/network/DnsZones";
import { one, ofType, providerRef, run } from "./networkGraph";

const TAGS = { Environment: "dev", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" };
const ZONE = "aws:route53/zone:Zone";
const AUTH = "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization";
const ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";

function args(privateZone: DnsZonesArgs["privateZone"]): DnsZonesArgs {
  return { environment: "dev", domain: "tila.sa", publicZone: { mode: "none" }, privateZone, tags: TAGS };
}

describe("DnsZones: the private zone in the management VPC", () => {
  it("authorises a VPC of another account in the zone's account, then associates it through that account's provider", async () => {
    const result = await run(() => {
      const hub = new aws.Provider("hub", { region: "me-south-1" });
      const z = new DnsZones("dev-dns", args({ vpcIds: ["vpc-0dev"], crossAccountVpcs: [{ label: "management", vpcId: "vpc-0mgmt", provider: hub }] }));
      return { privateZoneId: z.privateZoneId };
    }, "dev");
    const zone = one(result, ZONE, "dev-dns-private");
    const auth = one(result, AUTH, "dev-dns-private-auth-management");
    const assoc = one(result, ASSOCIATION, "dev-dns-private-assoc-management");
    const hub = one(result, "pulumi:providers:aws", "hub");
    expect([auth.inputs.zoneId, auth.inputs.vpcId, auth.options.provider]).to.deep.equal([zone.id, "vpc-0mgmt", undefined]);
    expect([assoc.inputs.zoneId, assoc.inputs.vpcId, assoc.options.provider]).to.deep.equal([zone.id, "vpc-0mgmt", providerRef(hub)]);
    expect(assoc.options.dependsOn).to.include(auth.urn);
    // The environment's own VPC stays inline; separate associations need the inline list ignored.
    expect(zone.inputs.vpcs).to.deep.equal([{ vpcId: "vpc-0dev" }]);
    expect(zone.options.ignoreChanges).to.deep.equal(["vpcs"]);
  });

  it("associates a VPC of the same account directly, with no authorisation", async () => {
    const result = await run(() => {
      const z = new DnsZones("dev-dns", args({ vpcIds: ["vpc-0dev", "vpc-0mgmt"] }));
      return { privateZoneId: z.privateZoneId };
    }, "dev");
    expect(ofType(result, AUTH)).to.have.length(0);
    expect(ofType(result, ASSOCIATION).map((a) => [a.name, a.inputs.vpcId, a.options.provider])).to.deep.equal([["dev-dns-private-assoc-1", "vpc-0mgmt", undefined]]);
  });

  it("keeps the inline VPC list managed when the zone has only its own VPC", async () => {
    const result = await run(() => {
      const z = new DnsZones("dev-dns", args({ vpcIds: ["vpc-0dev"] }));
      return { privateZoneId: z.privateZoneId };
    }, "dev");
    expect(one(result, ZONE, "dev-dns-private").options.ignoreChanges).to.deep.equal([]);
  });

  it("refuses labels that cannot name the resources, or name two of them", () => {
    const hub = {} as aws.Provider;
    expect(dnsZonesIssues(args({ vpcIds: ["v"], crossAccountVpcs: [{ label: "Mgmt VPC", vpcId: "a", provider: hub }] }))).to.deep.equal([
      'privateZone.crossAccountVpcs[0].label: "Mgmt VPC" is not a lowercase DNS label',
    ]);
    expect(dnsZonesIssues(args({ vpcIds: ["v"], crossAccountVpcs: [{ label: "m", vpcId: "a", provider: hub }, { label: "m", vpcId: "b", provider: hub }] }))).to.deep.equal([
      'privateZone.crossAccountVpcs[1].label: "m" is used twice',
    ]);
  });
});
