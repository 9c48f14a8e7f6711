import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { EndpointZoneAssociations, EndpointZoneAssociationsArgs, endpointZoneAssociationsIssues } from "../../components/network/EndpointZoneAssociations";
import { DEFAULT_CENTRAL_ENDPOINT_SERVICES, serviceSlug } from "../../components/network/endpointNames";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { capturer, ofType, one, providerRef } from "./networkGraph";

/** The dev stack, in its own account (the hub's zones are in the management account). */
const { run, captureError } = capturer({ stack: "dev", accountId: "222222222222" });
const TAGS = { Environment: "dev", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" };
/** What the management stack exports as `endpointZoneIds`: one zone per default service. */
const ZONE_IDS: Record<string, string> = Object.fromEntries(DEFAULT_CENTRAL_ENDPOINT_SERVICES.map((s, i) => [s, `Z0000000000${String(i).padStart(2, "0")}`]));

const ASSOCIATION = "aws:route53/zoneAssociation:ZoneAssociation";
const AUTHORIZATION = "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization";
const COMPONENT = "tila:network:EndpointZoneAssociations";

function args(overrides: Partial<EndpointZoneAssociationsArgs> = {}): EndpointZoneAssociationsArgs {
  return { vpcId: "vpc-dev", zoneIds: ZONE_IDS, tags: TAGS, ...overrides };
}

describe("EndpointZoneAssociations", () => {
  describe("with the environment in the management account", () => {
    let result: CaptureResult;

    before(async () => {
      result = await run(() => {
        const c = new EndpointZoneAssociations("dev-endpoints", args());
        return { associationIds: c.associationIds };
      });
    });

    it("associates the environment VPC with every central endpoint zone", () => {
      const assocs = ofType(result, ASSOCIATION);
      expect(assocs).to.have.length(10);
      expect(assocs.map((a) => a.inputs.zoneId).sort()).to.deep.equal(Object.values(ZONE_IDS).sort());
      for (const a of assocs) expect(a.inputs.vpcId, a.name).to.equal("vpc-dev");
    });

    it("names each association after its service", () => {
      const assoc = one(result, ASSOCIATION, "dev-endpoints-assoc-ecr-dkr");
      expect(assoc.inputs.zoneId).to.equal(ZONE_IDS["ecr.dkr"]);
    });

    it("creates no authorisation", () => {
      expect(ofType(result, AUTHORIZATION)).to.deep.equal([]);
      expect(one(result, COMPONENT, "dev-endpoints").outputs.authorizationIds).to.equal(undefined);
    });

    it("uses the default provider and parents every association to the component", () => {
      const component = one(result, COMPONENT, "dev-endpoints");
      for (const a of ofType(result, ASSOCIATION)) {
        expect(a.parent, a.name).to.equal(component.urn);
        expect(a.options.provider ?? "", a.name).to.not.include("::hub::");
      }
    });

    it("outputs an association id per service", () => {
      const ids = result.outputs.associationIds as Record<string, string>;
      expect(Object.keys(ids).sort()).to.deep.equal([...DEFAULT_CENTRAL_ENDPOINT_SERVICES].sort());
      expect(ids.kms).to.equal(one(result, ASSOCIATION, "dev-endpoints-assoc-kms").id);
    });
  });

  describe("with the environment in its own account", () => {
    let result: CaptureResult;
    let hub: CapturedResource;

    before(async () => {
      result = await run(() => {
        const hubProvider = new aws.Provider("hub", { region: "me-south-1" });
        const c = new EndpointZoneAssociations("dev-endpoints", args({ hubProvider }));
        return { associationIds: c.associationIds, authorizationIds: c.authorizationIds };
      });
      hub = one(result, "pulumi:providers:aws", "hub");
    });

    it("authorises the environment VPC on every zone with the hub provider", () => {
      const auths = ofType(result, AUTHORIZATION);
      expect(auths).to.have.length(10);
      for (const auth of auths) {
        expect(auth.inputs.vpcId, auth.name).to.equal("vpc-dev");
        expect(auth.options.provider, auth.name).to.equal(providerRef(hub));
      }
    });

    it("makes each association with the environment's provider, after that zone's authorisation", () => {
      for (const service of DEFAULT_CENTRAL_ENDPOINT_SERVICES) {
        const slug = serviceSlug(service);
        const auth = one(result, AUTHORIZATION, `dev-endpoints-auth-${slug}`);
        const assoc = one(result, ASSOCIATION, `dev-endpoints-assoc-${slug}`);
        expect(auth.inputs.zoneId, service).to.equal(ZONE_IDS[service]);
        expect(assoc.inputs.zoneId, service).to.equal(ZONE_IDS[service]);
        expect(assoc.options.dependsOn, service).to.include(auth.urn);
        expect(assoc.options.provider ?? "", service).to.not.include(hub.urn);
      }
    });

    it("parents authorisations and associations to the component", () => {
      const component = one(result, COMPONENT, "dev-endpoints");
      const children = result.resources.filter((r) => r.type === ASSOCIATION || r.type === AUTHORIZATION);
      expect(children).to.have.length(20);
      for (const r of children) expect(r.parent, r.name).to.equal(component.urn);
    });

    it("outputs an authorisation id per service", () => {
      const ids = result.outputs.authorizationIds as Record<string, string>;
      expect(Object.keys(ids).sort()).to.deep.equal([...DEFAULT_CENTRAL_ENDPOINT_SERVICES].sort());
    });
  });

  describe("validation", () => {
    it("throws a ResourceError naming the field when given no zones", async () => {
      const error = await captureError(() => new EndpointZoneAssociations("bad", args({ zoneIds: {} })));
      expect(error).to.be.instanceOf(Error);
      expect(error.message).to.equal('EndpointZoneAssociations "bad": zoneIds: must map at least one service to its zone id');
    });

    it("rejects a zone keyed by an unknown service", () => {
      const issues = endpointZoneAssociationsIssues(args({ zoneIds: { logs: "Z1", "ecr-api": "Z2" } }));
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/^zoneIds\["ecr-api"\]: "ecr-api" is not a known interface endpoint service/);
    });

    it("rejects missing common tags", () => {
      expect(endpointZoneAssociationsIssues(args({ tags: { Environment: "dev", Owner: "platform", CostCenter: "" } }))).to.deep.equal([
        "tags.CostCenter: required tag is missing",
        "tags.ManagedBy: required tag is missing",
      ]);
    });

    it("accepts the management stack's zone map", () => {
      expect(endpointZoneAssociationsIssues(args())).to.deep.equal([]);
    });
  });
});
