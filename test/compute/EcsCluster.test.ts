import { expect } from "chai";
import { EcsCluster } from "../../components/compute/EcsCluster";
import { CaptureResult } from "../../offline/types";
import { T, captureError, ofType, run, tagsFor } from "./computeHarness";

function build(environment: string, allowFargateSpot: boolean): () => Record<string, unknown> {
  return () => {
    const c = new EcsCluster(`${environment}-ecs`, { environment, allowFargateSpot, tags: tagsFor(environment) });
    return { clusterArn: c.clusterArn, clusterName: c.clusterName };
  };
}

describe("EcsCluster", () => {
  let prod: CaptureResult;
  let dev: CaptureResult;

  before(async () => {
    prod = await run(build("prod", false), "prod");
    dev = await run(build("dev", true), "dev");
  });

  it("creates one cluster named tila-<env> with Container Insights (enhanced) on", () => {
    const clusters = ofType(prod, T.CLUSTER);
    expect(clusters).to.have.length(1);
    expect(clusters[0].inputs.name).to.equal("tila-prod");
    expect(clusters[0].inputs.settings).to.deep.equal([{ name: "containerInsights", value: "enhanced" }]);
    expect(clusters[0].inputs.tags).to.include({ Environment: "prod", Service: "compute", Name: "prod-ecs-cluster", Owner: "platform", CostCenter: "cc-300", ManagedBy: "pulumi" });
  });

  it("registers only FARGATE in prod, with an on-demand default strategy", () => {
    const [cp] = ofType(prod, T.CAPACITY);
    expect(cp.inputs).to.deep.include({ clusterName: "tila-prod", capacityProviders: ["FARGATE"] });
    expect(cp.inputs.defaultCapacityProviderStrategies).to.deep.equal([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
  });

  it("adds FARGATE_SPOT where allowed, but keeps the default strategy on-demand", () => {
    const [cp] = ofType(dev, T.CAPACITY);
    expect(cp.inputs.capacityProviders).to.deep.equal(["FARGATE", "FARGATE_SPOT"]);
    expect(cp.inputs.defaultCapacityProviderStrategies).to.deep.equal([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
  });

  it("outputs the cluster's ARN and name, and parents both resources to the component", () => {
    const [cluster] = ofType(prod, T.CLUSTER);
    expect(prod.outputs).to.deep.equal({ clusterArn: cluster.outputs.arn, clusterName: "tila-prod" });
    const component = prod.resources.find((r) => r.type === "tila:compute:EcsCluster")!;
    for (const r of [...ofType(prod, T.CLUSTER), ...ofType(prod, T.CAPACITY)]) expect(r.parent).to.equal(component.urn);
  });

  it("refuses Fargate Spot in prod, naming allowFargateSpot", async () => {
    const err = await captureError(build("prod", true));
    expect(err.message).to.include('EcsCluster "prod-ecs"').and.include("allowFargateSpot: prod runs on on-demand Fargate only");
  });

  it("refuses an unknown environment and missing tags together", async () => {
    const err = await captureError(() => new EcsCluster("x", { environment: "qa", allowFargateSpot: false, tags: {} }));
    expect(err.message).to.include('environment: "qa" must be one of').and.include("tags.Owner: required tag is missing");
  });
});
