import { expect } from "chai";
import { pipelineApprovalBeforeProd as rule } from "../../../../policy/rules/delivery/approvalBeforeProd";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { PIPELINE, approvalAction, contractStages, deployAction, pipelineProps, without } from "./fixtures";

describe("pipeline-approval-before-prod", () => {
  it("accepts the contract's pipeline: an approval right before preprod and right before prod, each notifying the topic", () => {
    expect(checkResource(rule, PIPELINE, pipelineProps())).to.deep.equal([]);
  });

  it("accepts a pipeline that never reaches preprod or prod", () => {
    expect(checkResource(rule, PIPELINE, pipelineProps(contractStages().slice(0, 3)))).to.deep.equal([]);
  });

  it("refuses a pipeline whose prod approval stage was removed", () => {
    expect(checkResource(rule, PIPELINE, pipelineProps(without(contractStages(), "Approve-prod")))).to.deep.equal([
      'pipeline tila-checkout: stage "Deploy-prod" deploys to prod (action "Deploy" ClusterName tila-prod) without a Manual approval right before it; add a stage with an Approval/Manual action (NotificationArn = the approvers\' topic) immediately before this stage',
    ]);
  });

  it("refuses a missing preprod approval too", () => {
    expect(checkResource(rule, PIPELINE, pipelineProps(without(contractStages(), "Approve-preprod")))).to.have.length(1).and.satisfy((v: string[]) => v[0]!.includes("deploys to preprod"));
  });

  it("is not dodged by renaming the prod stage: the cluster tells", () => {
    const stages = without(contractStages(), "Approve-prod").map((s) => (s.name === "Deploy-prod" ? { ...s, name: "Smoke-tests" } : s));
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.have.length(1);
  });

  it("is not dodged by leaving out ClusterName: the prod deploy role tells", () => {
    const sneaky = deployAction("prod", "checkout", { category: "Invoke", provider: "Lambda", configuration: { FunctionName: "deployer" } });
    const stages = [...without(contractStages(), "Approve-prod").filter((s) => s.name !== "Deploy-prod"), { name: "Finish", actions: [sneaky] }];
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.deep.equal([
      'pipeline tila-checkout: stage "Finish" deploys to prod (action "Deploy" role tila-deploy-prod-checkout) without a Manual approval right before it; add a stage with an Approval/Manual action (NotificationArn = the approvers\' topic) immediately before this stage',
    ]);
  });

  it("counts the platform's deploy role (tila-platform-deploy-prod) as deploying to prod", () => {
    const action = deployAction("dev", "checkout", { roleArn: "arn:aws:iam::555555555555:role/tila-platform-deploy-prod", configuration: { ClusterName: "elsewhere", ServiceName: "x" } });
    expect(checkResource(rule, PIPELINE, pipelineProps([contractStages()[0]!, { name: "Ship", actions: [action] }]))).to.have.length(1);
  });

  it("refuses an approval that is not right before the prod stage", () => {
    const stages = contractStages();
    const [approve] = stages.splice(5, 1);
    stages.splice(4, 0, approve!); // Approve-preprod, Approve-prod, Deploy-preprod, Deploy-prod
    const violations = checkResource(rule, PIPELINE, pipelineProps(stages));
    expect(violations.some((v) => v.includes('"Deploy-prod" deploys to prod') && v.includes("without a Manual approval"))).to.equal(true);
  });

  it("refuses preprod and prod deployed in one stage behind one approval", () => {
    const stages = without(without(contractStages(), "Approve-prod"), "Deploy-prod").map((s) =>
      s.name === "Deploy-preprod" ? { ...s, actions: [deployAction("preprod"), { ...deployAction("prod"), name: "Deploy-prod" }] } : s,
    );
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.deep.equal([
      'pipeline tila-checkout: stage "Deploy-preprod" deploys to prod (action "Deploy-prod" ClusterName tila-prod) behind the same approval as preprod; each of preprod and prod needs its own approval right before it',
    ]);
  });

  it("accepts an approval earlier in the same stage (lower runOrder), refuses one that runs alongside", () => {
    const stages = without(contractStages(), "Approve-prod").map((s) =>
      s.name === "Deploy-prod" ? { ...s, actions: [approvalAction({ runOrder: 1 }), deployAction("prod", "checkout", { runOrder: 2 })] } : s,
    );
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.deep.equal([]);
    const parallel = without(contractStages(), "Approve-prod").map((s) => (s.name === "Deploy-prod" ? { ...s, actions: [approvalAction(), deployAction("prod")] } : s));
    expect(checkResource(rule, PIPELINE, pipelineProps(parallel))).to.have.length(1);
  });

  it("refuses an approval that notifies nobody", () => {
    const stages = contractStages().map((s) => (s.name === "Approve-prod" ? { ...s, actions: [approvalAction({ configuration: { CustomData: "ship it?" } })] } : s));
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.deep.equal([
      'pipeline tila-checkout: stage "Deploy-prod" deploys to prod (action "Deploy" ClusterName tila-prod): its approval "Approve" (stage "Approve-prod") notifies no topic; set configuration.NotificationArn to the approvers\' SNS topic',
    ]);
  });

  it("does not count a non-manual action in the approval stage as an approval", () => {
    const stages = contractStages().map((s) => (s.name === "Approve-prod" ? { ...s, actions: [{ name: "Wait", category: "Invoke", owner: "AWS", provider: "Lambda", version: "1" }] } : s));
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.have.length(1);
  });

  it("does not report values unknown during preview", () => {
    expect(checkResource(rule, PIPELINE, pipelineProps(UNKNOWN as never))).to.deep.equal([]);
    const stages = contractStages().map((s) => (s.name === "Approve-prod" ? { ...s, actions: [approvalAction({ configuration: { NotificationArn: UNKNOWN } })] } : s));
    expect(checkResource(rule, PIPELINE, pipelineProps(stages))).to.deep.equal([]);
  });

  it("is not applicable to other types", () => {
    expect(checkResourceDetailed(rule, "aws:sns/topic:Topic", {}).notApplicable).to.have.length(1);
  });
});
