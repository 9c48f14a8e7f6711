import { expect } from "chai";
import { ServiceSecurityGroups } from "../../components/compute/ServiceSecurityGroups";
import { CaptureResult } from "../../offline/types";
import { T, captureError, ofType, run, tagsFor } from "./computeHarness";

const SERVICES = ["storefront", "catalog", "checkout"];

describe("ServiceSecurityGroups", () => {
  let result: CaptureResult;

  before(async () => {
    result = await run(() => {
      const sgs = new ServiceSecurityGroups("prod-services", { environment: "prod", vpcId: "vpc-prod", services: SERVICES, tags: tagsFor("prod") });
      return { ids: sgs.ids };
    });
  });

  it("creates one group per service in the VPC, described and tagged with the service", () => {
    const groups = ofType(result, T.SG);
    expect(groups.map((g) => g.name)).to.deep.equal(SERVICES.map((s) => `prod-services-${s}`));
    groups.forEach((g, i) => {
      expect(g.inputs.vpcId).to.equal("vpc-prod");
      expect(g.inputs.description).to.equal(`ECS tasks of the ${SERVICES[i]} service in prod`);
      expect(g.inputs.tags).to.include({ Service: SERVICES[i], Name: `prod-services-${SERVICES[i]}`, Environment: "prod" });
    });
  });

  it("has no inline rules and creates no rule resources (the services and data tier own them)", () => {
    for (const g of ofType(result, T.SG)) {
      expect(g.inputs.ingress ?? [], g.name).to.deep.equal([]);
      expect(g.inputs.egress ?? [], g.name).to.deep.equal([]);
    }
    expect([...ofType(result, T.INGRESS), ...ofType(result, T.EGRESS)]).to.deep.equal([]);
  });

  it("outputs the group id of each service by name", () => {
    const ids = Object.fromEntries(ofType(result, T.SG).map((g, i) => [SERVICES[i], g.id]));
    expect(result.outputs.ids).to.deep.equal(ids);
    expect(Object.values(ids).every((id) => typeof id === "string" && id.startsWith("sg-"))).to.equal(true);
  });

  it("refuses duplicate and malformed service names, naming each", async () => {
    const err = await captureError(() => new ServiceSecurityGroups("x", { environment: "prod", vpcId: "vpc", services: ["cart", "Cart", "cart"], tags: tagsFor("prod") }));
    expect(err.message).to.include('services[1]: "Cart" must be lower-case').and.include('services[2]: "cart" is listed twice');
  });
});
