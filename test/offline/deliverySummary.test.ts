import { expect } from "chai";
import { formatDelivery, summarizeDelivery, summarizePipeline } from "../../offline/deliverySummary";
import { capturedResource } from "../support/captured";
import { realStack } from "../support/realStacks";
import { summarizeImages } from "../../offline/serviceSummary";
import { APPROVERS_TOPIC_NAME } from "../../components/delivery/deliveryPlan";
import { contractStages, deployAction, pipelineProps, without } from "../policy/rules/delivery/fixtures";

const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
const pipeline = (name: string, inputs: Record<string, unknown>) => capturedResource({ urn: `urn:pulumi:management::tila-platform::${PIPELINE}::${name}`, type: PIPELINE, name, inputs });
const role = (name: string) => capturedResource({ urn: `urn:pulumi:prod::tila-platform::aws:iam/role:Role::${name}`, type: "aws:iam/role:Role", name, inputs: { name } });

describe("plan summaries: delivery", () => {
  it("shows a pipeline's stages in order with both approval gates and the topic they notify", () => {
    const line = summarizePipeline(pipeline("checkout", pipelineProps()));
    expect(line.service).to.equal("checkout");
    expect(line.stages).to.deep.equal(["Source", "dev", "stage", "[approval: tila-delivery-approvers]", "preprod", "[approval: tila-delivery-approvers]", "prod"]);
    expect(line.gates).to.deep.equal([{ environment: "preprod", topic: "tila-delivery-approvers" }, { environment: "prod", topic: "tila-delivery-approvers" }]);
    expect(line.ungated).to.deep.equal([]);
  });

  it("names a pipeline that reaches prod without an approval, in the line and in the heading", () => {
    const stages = without(contractStages("orders"), "Approve-prod");
    const summary = summarizeDelivery([pipeline("checkout", pipelineProps()), pipeline("orders", pipelineProps(stages, { name: "tila-orders" }))])!;
    expect(summary.pipelines!.map((p) => p.ungated)).to.deep.equal([[], ["prod"]]);
    const text = formatDelivery(summary);
    expect(text[0]).to.equal("  pipelines: 2, 1 deploying without an approval: orders (prod)");
    expect(text[1]).to.equal("    checkout  Source → dev → stage → [approval: tila-delivery-approvers] → preprod → [approval: tila-delivery-approvers] → prod");
    expect(text[2]).to.equal("    orders    Source → dev → stage → [approval: tila-delivery-approvers] → preprod → prod");
  });

  it("shows an approval without a topic, and a deploy found by its role under another stage name", () => {
    const stages = contractStages().map((s) =>
      s.name === "Approve-prod" ? { ...s, actions: [{ ...s.actions[0]!, configuration: {} }] } : s.name === "Deploy-prod" ? { name: "Finish", actions: [deployAction("prod", "checkout", { configuration: {} })] } : s,
    );
    expect(summarizePipeline(pipeline("checkout", pipelineProps(stages))).stages.slice(-2)).to.deep.equal(["[approval, no topic]", "prod"]);
  });

  it("counts an environment's deploy roles and ignores other roles", () => {
    const summary = summarizeDelivery([role("tila-deploy-prod-orders"), role("tila-deploy-prod-checkout"), role("tila-platform-deploy-prod"), role("prod-checkout-task")])!;
    expect(summary).to.deep.equal({ deployRoles: ["checkout", "orders"] });
    expect(formatDelivery(summary)).to.deep.equal(["  delivery: 2 deploy roles for management's pipelines (checkout, orders)"]);
  });

  it("says nothing for a stack without pipelines or deploy roles", () => {
    expect(summarizeDelivery([role("prod-checkout-task")])).to.equal(undefined);
  });

  it("shows every service of the real management stack with its pipeline and both gates, notifying the approvers", async function () {
    this.timeout(300_000);
    const run = await realStack("management");
    const services = summarizeImages(run.resources).map((i) => i.repository.replace(/^tila\//, "")).sort();
    expect(services.length).to.be.greaterThan(1);
    const summary = summarizeDelivery(run.resources)!;
    expect(summary.pipelines!.map((p) => p.service)).to.deep.equal(services);
    for (const p of summary.pipelines!) {
      expect(p.pipeline, p.service).to.equal(`tila-${p.service}`);
      expect(p.gates, p.service).to.deep.equal([{ environment: "preprod", topic: APPROVERS_TOPIC_NAME }, { environment: "prod", topic: APPROVERS_TOPIC_NAME }]);
      expect(p.ungated, p.service).to.deep.equal([]);
      expect(p.stages[0], p.service).to.equal("Source");
    }
    expect(formatDelivery(summary)[0]).to.equal(`  pipelines: ${services.length}, every one gated by an approval before preprod and prod`);
  });

  it("counts one deploy role per service the real prod runs", async function () {
    this.timeout(300_000);
    const run = await realStack("prod");
    const summary = summarizeDelivery(run.resources);
    if (summary?.deployRoles === undefined) this.skip();
    const services = run.resources.filter((r) => r.type === "tila:compute:MicroserviceService").length;
    expect(summary!.deployRoles!.length).to.equal(services);
  });
});
