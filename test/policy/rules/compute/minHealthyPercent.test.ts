import { expect } from "chai";
import { ecsServicesFullCapacityDuringDeploysInProd as rule } from "../../../../policy/rules/compute/minHealthyPercent";
import { checkResource } from "../../../../policy/testing";
import { SERVICE, service, tags } from "./fixtures";

describe("ecs-services-full-capacity-during-deploys-in-prod", () => {
  it("accepts 100% (or the unset default) in prod and preprod", () => {
    expect(checkResource(rule, SERVICE, service())).to.deep.equal([]);
    expect(checkResource(rule, SERVICE, service({ deploymentMinimumHealthyPercent: undefined, tags: tags("preprod") }))).to.deep.equal([]);
  });

  it("rejects a lower minimum in prod and preprod", () => {
    expect(checkResource(rule, SERVICE, service({ deploymentMinimumHealthyPercent: 50 }))).to.deep.equal(["deploymentMinimumHealthyPercent is 50 in prod; use 100 (with deploymentMaximumPercent 200)"]);
    expect(checkResource(rule, SERVICE, service({ deploymentMinimumHealthyPercent: 50, tags: tags("preprod") }))).to.have.length(1);
  });

  it("leaves dev and stage alone, and follows the configured environments", () => {
    expect(checkResource(rule, SERVICE, service({ deploymentMinimumHealthyPercent: 50, tags: tags("dev") }))).to.deep.equal([]);
    expect(checkResource(rule, SERVICE, service({ deploymentMinimumHealthyPercent: 50, tags: tags("stage") }), { config: { environments: ["stage"] } })).to.have.length(1);
  });
});
