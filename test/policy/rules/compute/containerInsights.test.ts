import { expect } from "chai";
import { ecsClustersContainerInsights as rule } from "../../../../policy/rules/compute/containerInsights";
import { checkResource } from "../../../../policy/testing";
import { CLUSTER } from "./fixtures";

describe("ecs-clusters-container-insights", () => {
  it("accepts Container Insights enabled or enhanced", () => {
    expect(checkResource(rule, CLUSTER, { name: "tila-prod", settings: [{ name: "containerInsights", value: "enhanced" }] })).to.deep.equal([]);
    expect(checkResource(rule, CLUSTER, { name: "tila-prod", settings: [{ name: "containerInsights", value: "enabled" }] })).to.deep.equal([]);
  });

  it("rejects a cluster with it disabled or not set", () => {
    expect(checkResource(rule, CLUSTER, { name: "tila-prod", settings: [{ name: "containerInsights", value: "disabled" }] })).to.have.length(1).and.match(/"disabled"/);
    expect(checkResource(rule, CLUSTER, { name: "tila-prod" })).to.have.length(1).and.match(/not set/);
  });
});
