/**
 * The delivery pricer on hand-built pipelines: V2 action minutes from the charged actions (manual
 * approvals and custom actions free), V1 per active pipeline, and the prices in both regions' snapshots.
 */
import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS, estimateStack } from "../../offline/cost/estimate";
import { DELIVERY_PRICERS, PIPELINE_MINUTES_PER_ACTION, PIPELINE_RELEASES_PER_MONTH, chargedActions } from "../../offline/cost/pricers/delivery";
import { pricerRegistry } from "../../offline/cost/pricers";
import { loadSnapshot } from "../../offline/cost/snapshot";
import { capturedResource } from "../support/captured";
import { realStack } from "../support/realStacks";
import { estimateRun } from "../../offline/cost/planCost";
import { approvalAction, contractStages, pipelineProps } from "../policy/rules/delivery/fixtures";

const TYPE = "aws:codepipeline/pipeline:Pipeline";
const ROOT = "urn:pulumi:management::tila-platform::pulumi:pulumi:Stack::tila-platform-management";
const pipeline = (inputs: Record<string, unknown>) =>
  capturedResource({ urn: `urn:pulumi:management::tila-platform::${TYPE}::checkout`, type: TYPE, name: "checkout", parent: ROOT, id: "tila-checkout", inputs });

describe("delivery pricer", () => {
  it("counts every action but manual approvals and custom actions", () => {
    expect(chargedActions(pipeline(pipelineProps()))).to.equal(5); // Source + four deploys; two approvals free
    const custom = contractStages().map((s) => (s.name === "Deploy-dev" ? { ...s, actions: [...s.actions, { name: "Scan", category: "Test", owner: "Custom", provider: "Scanner", version: "1" }] } : s));
    expect(chargedActions(pipeline(pipelineProps(custom)))).to.equal(5);
    const invoke = contractStages().map((s) => (s.name === "Approve-prod" ? { ...s, actions: [approvalAction(), { name: "Check", category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" }] } : s));
    expect(chargedActions(pipeline(pipelineProps(invoke)))).to.equal(6);
  });

  it("prices a V2 pipeline by action execution minutes, a V1 pipeline per active pipeline", () => {
    const ctx = undefined as never;
    expect(DELIVERY_PRICERS[TYPE]!(pipeline(pipelineProps()), ctx)).to.deep.equal([
      { priceKey: "codepipeline.v2.action-minute", dimension: "action execution minutes (5 charged actions × 8 releases × 5 min)", quantity: 5 * PIPELINE_RELEASES_PER_MONTH * PIPELINE_MINUTES_PER_ACTION },
    ]);
    expect(DELIVERY_PRICERS[TYPE]!(pipeline(pipelineProps(undefined, { pipelineType: undefined })), ctx)).to.deep.equal([{ priceKey: "codepipeline.v1.active-pipeline", dimension: "active pipeline (V1)", quantity: 1 }]);
  });

  it("resolves in the estimate from both regions' snapshots at AWS's list price, verified", () => {
    for (const region of ["me-south-1", "me-central-1"]) {
      const snap = loadSnapshot(region);
      expect(snap.prices["codepipeline.v2.action-minute"]).to.deep.include({ usd: 0.002, unit: "minute", verified: true });
      const cost = estimateStack("management", region, [pipeline(pipelineProps())], snap, DEFAULT_ASSUMPTIONS, pricerRegistry());
      expect(cost.missingPrices).to.deep.equal([]);
      expect(cost.unpricedTypes).to.deep.equal({});
      expect(cost.total).to.be.closeTo(200 * 0.002, 1e-9);
    }
  });

  it("prices every pipeline of the real management stack, and leaves no type of the delivery components unpriced", async function () {
    this.timeout(300_000);
    const run = await realStack("management");
    const result = estimateRun(run);
    if (!result.ok) throw new Error(`management's estimate failed: ${JSON.stringify(result)}`);
    const pipelines = run.resources.filter((r) => r.type === TYPE);
    expect(pipelines.length).to.be.greaterThan(1);
    const items = result.cost.items.filter((i) => i.type === TYPE);
    expect(items.map((i) => i.urn).sort()).to.deep.equal(pipelines.map((p) => p.urn).sort());
    for (const i of items) expect(i.priceKey, i.name).to.equal("codepipeline.v2.action-minute");
    const delivery = new Set(run.resources.filter((r) => r.custom && r.urn.includes("tila:delivery:")).map((r) => r.type));
    expect([...delivery]).to.include.members([TYPE, "aws:iam/role:Role", "aws:s3/bucket:Bucket", "aws:sns/topic:Topic", "aws:iam/openIdConnectProvider:OpenIdConnectProvider"]);
    expect([...delivery].filter((t) => t in result.cost.unpricedTypes)).to.deep.equal([]);
  });
});
