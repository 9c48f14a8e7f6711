import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { DnsZones, DnsZonesArgs, dnsZonesIssues } from "../../components/network/DnsZones";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { captureError, expectRequiredTags, ofType, one, providerRef, run, tagsOf } from "./networkGraph";

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" };

const ZONE = "aws:route53/zone:Zone";
const RECORD = "aws:route53/record:Record";
const ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";
const COMPONENT = "tila:network:DnsZones";

interface Outputs {
  publicZoneId?: string;
  publicZoneName?: string;
  publicNameServers?: string[];
  privateZoneId?: string;
  privateZoneName?: string;
}

/** Captures the zones `build` makes, with their outputs as the stack outputs. */
function zones(build: () => DnsZones, stack = "management"): Promise<CaptureResult> {
  return run(() => {
    const z = build();
    const outputs = {
      publicZoneId: z.publicZoneId,
      publicZoneName: z.publicZoneName,
      publicNameServers: z.publicNameServers,
      privateZoneId: z.privateZoneId,
      privateZoneName: z.privateZoneName,
    };
    // Undefined stack outputs only earn a runtime warning; absent ones read back as undefined too.
    return Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
  }, stack);
}

function expectParentedAndTagged(result: CaptureResult, componentName: string): void {
  const component = one(result, COMPONENT, componentName);
  for (const r of result.resources.filter((x) => x.custom)) expect(r.parent, r.name).to.equal(component.urn);
  for (const z of ofType(result, ZONE)) {
    expectRequiredTags(z);
    expect(tagsOf(z)!.Name).to.equal(z.inputs.name);
  }
}

function args(overrides: Partial<DnsZonesArgs> = {}): DnsZonesArgs {
  return { environment: "dev", domain: "tila.sa", publicZone: { mode: "none" }, tags: { ...TAGS, Environment: "dev" }, ...overrides };
}

describe("DnsZones", () => {
  describe("in management (apex public zone, private zone on the management VPC)", () => {
    let result: CaptureResult;

    before(async () => {
      result = await zones(() => new DnsZones("dns", args({ environment: "management", publicZone: { mode: "apex" }, privateZone: { vpcIds: ["vpc-mgmt"] }, tags: TAGS })));
    });

    it("creates the public zone for the domain itself, never force-destroyed", () => {
      const zone = one(result, ZONE, "dns-public");
      expect(zone.inputs).to.include({ name: "tila.sa", forceDestroy: false });
      expect(zone.inputs.vpcs ?? []).to.deep.equal([]);
    });

    it("writes no delegation record", () => {
      expect(ofType(result, RECORD)).to.deep.equal([]);
    });

    it("creates management.internal.tila.sa on the management VPC alone, with inline vpcs left exclusive", () => {
      const zone = one(result, ZONE, "dns-private");
      expect(zone.inputs.name).to.equal("management.internal.tila.sa");
      expect(zone.inputs.vpcs).to.deep.equal([{ vpcId: "vpc-mgmt" }]);
      expect(zone.options.ignoreChanges).to.deep.equal([]);
      expect(ofType(result, ASSOCIATION)).to.deep.equal([]);
    });

    it("outputs both zones and the name servers to give the registrar", () => {
      const out = result.outputs as Outputs;
      expect(out).to.include({
        publicZoneId: one(result, ZONE, "dns-public").id,
        publicZoneName: "tila.sa",
        privateZoneId: one(result, ZONE, "dns-private").id,
        privateZoneName: "management.internal.tila.sa",
      });
      expect(out.publicNameServers).to.have.length(4);
    });

    it("parents its zones and tags them", () => {
      expect(ofType(result, ZONE)).to.have.length(2);
      expectParentedAndTagged(result, "dns");
    });
  });

  describe("in a non-prod environment (delegated subdomain, private zone on two VPCs)", () => {
    let result: CaptureResult;
    let hub: CapturedResource;

    before(async () => {
      result = await zones(() => {
        const parentProvider = new aws.Provider("hub", { region: "me-south-1" });
        return new DnsZones("dev-dns", args({ publicZone: { mode: "delegated", parentZoneId: "ZPARENT", parentProvider }, privateZone: { vpcIds: ["vpc-dev", "vpc-mgmt"] } }));
      }, "dev");
      hub = one(result, "pulumi:providers:aws", "hub");
    });

    it("creates the public zone dev.tila.sa", () => {
      expect(one(result, ZONE, "dev-dns-public").inputs).to.include({ name: "dev.tila.sa", forceDestroy: false });
    });

    it("delegates dev.tila.sa from the parent zone with an NS record of the child's name servers", () => {
      const child = one(result, ZONE, "dev-dns-public");
      const ns = one(result, RECORD, "dev-dns-delegation");
      expect(ns.inputs).to.include({ zoneId: "ZPARENT", name: "dev.tila.sa", type: "NS", ttl: 172800 });
      expect(ns.inputs.records).to.deep.equal(child.outputs.nameServers).and.to.have.length(4);
    });

    it("writes the delegation with the parent zone's provider", () => {
      expect(one(result, RECORD, "dev-dns-delegation").options.provider).to.equal(providerRef(hub));
      expect(one(result, ZONE, "dev-dns-public").options.provider ?? "").to.not.include(hub.urn);
    });

    it("puts the environment VPC inline and associates management's VPC separately, ignoring vpcs drift", () => {
      const zone = one(result, ZONE, "dev-dns-private");
      expect(zone.inputs.name).to.equal("dev.internal.tila.sa");
      expect(zone.inputs.vpcs).to.deep.equal([{ vpcId: "vpc-dev" }]);
      expect(zone.options.ignoreChanges).to.deep.equal(["vpcs"]);
      const assocs = ofType(result, ASSOCIATION);
      expect(assocs).to.have.length(1);
      expect(assocs[0].inputs).to.deep.equal({ zoneId: zone.id, vpcId: "vpc-mgmt" });
    });

    it("parents its zones, record and association and tags the zones", () => {
      expect(result.resources.filter((r) => r.custom && r.type !== "pulumi:providers:aws")).to.have.length(4);
      const component = one(result, COMPONENT, "dev-dns");
      for (const r of [...ofType(result, ZONE), ...ofType(result, RECORD), ...ofType(result, ASSOCIATION)]) expect(r.parent, r.name).to.equal(component.urn);
      for (const z of ofType(result, ZONE)) expect(z.inputs.tags, z.name).to.include({ Environment: "dev", Service: "network", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" });
    });

    it("outputs the delegated and private zone names", () => {
      expect(result.outputs).to.include({ publicZoneName: "dev.tila.sa", privateZoneName: "dev.internal.tila.sa" });
      expect(result.outputs.publicNameServers).to.equal(undefined);
    });
  });

  describe("in prod (no public zone)", () => {
    let result: CaptureResult;

    before(async () => {
      result = await zones(() => new DnsZones("prod-dns", args({ environment: "prod", privateZone: { vpcIds: ["vpc-prod", "vpc-mgmt"] }, tags: { ...TAGS, Environment: "prod" } })), "prod");
    });

    it("creates only the private zone prod.internal.tila.sa", () => {
      expect(ofType(result, ZONE).map((z) => z.inputs.name)).to.deep.equal(["prod.internal.tila.sa"]);
      expect(ofType(result, RECORD)).to.deep.equal([]);
    });

    it("outputs no public zone", () => {
      expect(result.outputs.publicZoneId).to.equal(undefined);
      expect(result.outputs.publicZoneName).to.equal(undefined);
      expect(result.outputs.privateZoneName).to.equal("prod.internal.tila.sa");
    });

    it("parents its zone and association and tags the zone", () => {
      expect(ofType(result, ASSOCIATION)).to.have.length(1);
      expectParentedAndTagged(result, "prod-dns");
    });
  });

  describe("validation", () => {
    it("throws a ResourceError naming the field for a bad domain", async () => {
      const error = await captureError(() => new DnsZones("bad", args({ domain: "Tila.sa." })));
      expect(error).to.be.instanceOf(Error);
      expect(error.message).to.equal('DnsZones "bad": domain: "Tila.sa." is not a lowercase domain name such as "tila.sa" (no trailing dot)');
    });

    for (const domain of ["tila", "tila..sa", "-tila.sa", "tila.sa.", "TILA.SA", "tila.123", "tila_shop.sa", ""]) {
      it(`rejects the domain ${JSON.stringify(domain)}`, () => {
        expect(dnsZonesIssues(args({ domain }))).to.have.length(1).and.satisfy((i: string[]) => i[0].startsWith("domain: "));
      });
    }

    for (const domain of ["tila.sa", "shop.tila.com.sa", "xn--mgbaam7a8h.sa"]) {
      it(`accepts the domain ${domain}`, () => {
        expect(dnsZonesIssues(args({ domain }))).to.deep.equal([]);
      });
    }

    it("rejects an environment that is not a DNS label", () => {
      expect(dnsZonesIssues(args({ environment: "Dev Env" }))).to.deep.equal(['environment: "Dev Env" is not a lowercase DNS label']);
    });

    it("rejects a private zone with no VPC and missing tags, all at once", () => {
      expect(dnsZonesIssues(args({ privateZone: { vpcIds: [] }, tags: { Environment: "dev", Owner: "p", CostCenter: "c" } }))).to.deep.equal([
        "privateZone.vpcIds: must list the environment's VPC (omit privateZone for no private zone)",
        "tags.ManagedBy: required tag is missing",
      ]);
    });

    it("rejects an unknown public zone mode", () => {
      const bad = args({ publicZone: { mode: "subdomain" } as unknown as DnsZonesArgs["publicZone"] });
      expect(dnsZonesIssues(bad)).to.deep.equal(['publicZone.mode: "subdomain" must be one of apex, delegated, none']);
    });
  });
});
