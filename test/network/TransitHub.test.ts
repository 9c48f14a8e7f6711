import { expect } from "chai";
import { TransitHub, TransitHubArgs } from "../../components/network/TransitHub";
import type { CaptureResult, CapturedResource } from "../../offline/types";
import { ArgumentCase, expectRequiredTags, itRejectsEachArgument, ofType, only, run } from "./networkGraph";

const T = {
  hub: "tila:network:TransitHub",
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  route: "aws:ec2transitgateway/route:Route",
  share: "aws:ram/resourceShare:ResourceShare",
  shareResource: "aws:ram/resourceAssociation:ResourceAssociation",
  sharePrincipal: "aws:ram/principalAssociation:PrincipalAssociation",
} as const;

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "cc-platform", ManagedBy: "pulumi" };
const ENVS = [
  { name: "dev", cidr: "10.10.0.0/16" },
  { name: "stage", cidr: "10.20.0.0/16" },
  { name: "preprod", cidr: "10.30.0.0/16" },
  { name: "prod", cidr: "10.40.0.0/16" },
];
const LOCAL: TransitHubArgs = {
  management: { cidr: "10.0.0.0/16" },
  environments: ENVS,
  offices: [
    { name: "riyadh", cidrs: ["172.16.0.0/16"] },
    { name: "jeddah", cidrs: ["172.17.0.0/16"] },
    { name: "london", cidrs: ["172.18.0.0/16"] },
  ],
  managementAccountId: "111111111111",
  tags: TAGS,
};
/** preprod and prod in their own accounts (prod's twice, to prove deduplication); dev named explicitly as local. */
const SHARED: TransitHubArgs = {
  ...LOCAL,
  amazonSideAsn: 4200000100,
  environments: [
    { ...ENVS[0], accountId: "111111111111" },
    ENVS[1],
    { ...ENVS[2], accountId: "222222222222" },
    { ...ENVS[3], accountId: "333333333333" },
    { name: "prod-dr", cidr: "10.41.0.0/16", accountId: "333333333333" },
  ],
};

async function captureHub(args: TransitHubArgs): Promise<CaptureResult> {
  return run(() => {
    const hub = new TransitHub("hub", args);
    return { transitGatewayId: hub.transitGatewayId, transitGatewayArn: hub.transitGatewayArn, routeTableIds: hub.routeTableIds };
  });
}

describe("TransitHub", () => {
  let local: CaptureResult;
  let shared: CaptureResult;

  before(async () => {
    local = await captureHub(LOCAL);
    shared = await captureHub(SHARED);
  });

  describe("transit gateway", () => {
    it("disables default route-table association and propagation", () => {
      const tgw = only(local, T.tgw);
      expect(tgw.inputs.defaultRouteTableAssociation).to.equal("disable");
      expect(tgw.inputs.defaultRouteTablePropagation).to.equal("disable");
    });

    it("enables VPN ECMP and DNS support, with the default private ASN", () => {
      expect(only(local, T.tgw).inputs).to.include({ vpnEcmpSupport: "enable", dnsSupport: "enable", amazonSideAsn: 64512 });
    });

    it("uses the ASN it is given", () => {
      expect(only(shared, T.tgw).inputs.amazonSideAsn).to.equal(4200000100);
    });

    it("auto-accepts shared attachments only when an environment lives in another account", () => {
      expect(only(local, T.tgw).inputs.autoAcceptSharedAttachments).to.equal("disable");
      expect(only(shared, T.tgw).inputs.autoAcceptSharedAttachments).to.equal("enable");
    });
  });

  describe("route tables", () => {
    it("creates exactly management, one table per environment and one per office", () => {
      const names = ofType(local, T.table).map((t) => t.name);
      expect(names).to.have.members(["management", "dev", "stage", "preprod", "prod", "offices-riyadh", "offices-jeddah", "offices-london"].map((k) => `hub-rt-${k}`));
      expect(names).to.have.length(8);
    });

    it("puts every table on the hub's transit gateway", () => {
      const tgwId = only(local, T.tgw).id;
      for (const t of ofType(local, T.table)) expect(t.inputs.transitGatewayId, t.name).to.equal(tgwId);
    });

    it("outputs every table id keyed by management, environment name and offices-<office>", () => {
      const ids = local.outputs.routeTableIds as Record<string, string>;
      const byName = Object.fromEntries(ofType(local, T.table).map((t) => [t.name, t.id]));
      expect(Object.keys(ids)).to.have.members(["management", "dev", "stage", "preprod", "prod", "offices-riyadh", "offices-jeddah", "offices-london"]);
      for (const [key, id] of Object.entries(ids)) expect(id, key).to.equal(byName[`hub-rt-${key}`]);
    });

    it("outputs the transit gateway id and ARN", () => {
      const tgw = only(local, T.tgw);
      expect(local.outputs.transitGatewayId).to.equal(tgw.id);
      expect(local.outputs.transitGatewayArn).to.equal(tgw.outputs.arn);
    });
  });

  describe("blackholes", () => {
    const routesIn = (result: CaptureResult, key: string): CapturedResource[] => {
      const table = ofType(result, T.table).find((t) => t.name === `hub-rt-${key}`);
      return ofType(result, T.route).filter((r) => r.inputs.transitGatewayRouteTableId === table?.id);
    };

    it("blackholes prod's CIDR in dev's table", () => {
      const route = routesIn(local, "dev").find((r) => r.inputs.destinationCidrBlock === "10.40.0.0/16");
      expect(route?.inputs.blackhole).to.equal(true);
    });

    it("blackholes all and only the other environments' CIDRs in each environment table", () => {
      for (const env of ENVS) {
        const routes = routesIn(local, env.name);
        expect(routes.map((r) => r.inputs.destinationCidrBlock), env.name).to.have.members(ENVS.filter((e) => e !== env).map((e) => e.cidr));
        for (const r of routes) {
          expect(r.inputs.blackhole, r.name).to.equal(true);
          expect(r.inputs.transitGatewayAttachmentId, r.name).to.equal(undefined);
        }
      }
    });

    it("puts no static routes in the management or office tables", () => {
      for (const key of ["management", "offices-riyadh", "offices-jeddah", "offices-london"]) expect(routesIn(local, key), key).to.deep.equal([]);
    });

    it("creates no routes other than the environment blackholes", () => {
      expect(ofType(local, T.route)).to.have.length(ENVS.length * (ENVS.length - 1));
    });
  });

  describe("RAM sharing", () => {
    it("shares nothing when every environment is in the management account", () => {
      for (const type of [T.share, T.shareResource, T.sharePrincipal]) expect(ofType(local, type), type).to.deep.equal([]);
    });

    it("shares the gateway inside the organization only", () => {
      expect(only(shared, T.share).inputs.allowExternalPrincipals).to.equal(false);
    });

    it("associates the gateway's ARN with the share", () => {
      const association = only(shared, T.shareResource);
      expect(association.inputs.resourceArn).to.equal(only(shared, T.tgw).outputs.arn);
      expect(association.inputs.resourceShareArn).to.equal(only(shared, T.share).outputs.arn);
    });

    it("adds each distinct foreign account once as a principal", () => {
      const principals = ofType(shared, T.sharePrincipal);
      expect(principals.map((p) => p.inputs.principal)).to.have.members(["222222222222", "333333333333"]);
      for (const p of principals) expect(p.inputs.resourceShareArn).to.equal(only(shared, T.share).outputs.arn);
    });
  });

  describe("ownership and tags", () => {
    it("parents every resource it creates to the component", () => {
      for (const result of [local, shared]) {
        const hub = only(result, T.hub);
        const children = result.resources.filter((r) => r.custom);
        expect(children.length).to.be.greaterThan(0);
        for (const r of children) expect(r.parent, r.name).to.equal(hub.urn);
      }
    });

    it("tags the gateway, its tables and the share with the required tags and a Name", () => {
      const taggable = [...ofType(shared, T.tgw), ...ofType(shared, T.table), ...ofType(shared, T.share)];
      expect(taggable).to.have.length(1 + 9 + 1);
      for (const r of taggable) expectRequiredTags(r);
    });
  });

  describe("argument validation", () => {
    const cases: ArgumentCase<TransitHubArgs>[] = [
      ["a public ASN", { amazonSideAsn: 7224 }, /amazonSideAsn: 7224 is not a private ASN/],
      ["an invalid environment CIDR", { environments: [ENVS[0], { name: "stage", cidr: "10.20.0.0/33" }] }, /environments\[1\]\.cidr:/],
      ["overlapping environments", { environments: [ENVS[0], { name: "qa", cidr: "10.10.0.0/20" }] }, /environments\[1\]\.cidr: overlaps environments\[0\]\.cidr/],
      ["an office overlapping management", { offices: [{ name: "riyadh", cidrs: ["10.0.0.0/24"] }] }, /offices\[0\]\.cidrs\[0\]: overlaps management\.cidr/],
      ["duplicate environment names", { environments: [ENVS[0], { name: "dev", cidr: "10.50.0.0/16" }] }, /environments\[1\]\.name: "dev" is already used/],
      ["a foreign account without managementAccountId", { managementAccountId: undefined, environments: [{ ...ENVS[0], accountId: "222222222222" }] }, /managementAccountId: required/],
      ["a missing Owner tag", { tags: { ...TAGS, Owner: "" } }, /tags\.Owner: required tag is missing/],
    ];
    itRejectsEachArgument(run, cases, (change, i) => new TransitHub(`bad-${i}`, { ...LOCAL, ...change }));
  });
});
