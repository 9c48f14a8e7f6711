/** The declaration of one service's pipeline: source, approvals and deploys, each deploy in the right account and scope. */
import { expect } from "chai";
import * as fc from "fast-check";
import { ENVIRONMENTS, EnvironmentName } from "../../components/environments";
import { IMAGE_DEFINITIONS_FILE, SOURCE_ACTION_NAME, deployScope, environmentDeployRoleName } from "../../components/delivery/deliveryPlan";
import { DEPLOY_TIMEOUT_MINUTES, PipelineInput, SOURCE_ARTIFACT, approvalCustomData, pipelineInputIssues, planPipeline } from "../../components/delivery/pipelinePlan";

const ACCOUNTS: Record<EnvironmentName, string> = { dev: "222222222222", stage: "555555555555", preprod: "333333333333", prod: "444444444444" };
const TOPIC = "arn:aws:sns:me-south-1:111111111111:tila-delivery-approvers";

function input(envs: readonly EnvironmentName[] = ENVIRONMENTS, over: Partial<PipelineInput> = {}): PipelineInput {
  return {
    partition: "aws",
    service: "checkout",
    targets: envs.map((environment) => ({ environment, accountId: ACCOUNTS[environment] })),
    sourceBucket: "tila-delivery-source-111111111111-me-south-1",
    approversTopicArn: TOPIC,
    ...over,
  };
}

describe("pipelinePlan", () => {
  it("reads the service's own object of the source bucket, never polling: Jenkins starts each execution", () => {
    const [source] = planPipeline(input());
    expect(source!.name).to.equal("Source");
    expect(source!.actions).to.deep.equal([{
      name: SOURCE_ACTION_NAME, category: "Source", owner: "AWS", provider: "S3", version: "1", runOrder: 1,
      configuration: { S3Bucket: "tila-delivery-source-111111111111-me-south-1", S3ObjectKey: "checkout/imagedefinitions.zip", PollForSourceChanges: "false" },
      outputArtifacts: [SOURCE_ARTIFACT],
    }]);
    // No AllowOverrideForS3ObjectKey: a caller of StartPipelineExecution cannot point the pipeline at another service's object.
    expect(source!.actions[0]!.configuration).not.to.have.property("AllowOverrideForS3ObjectKey");
  });

  it("deploys each environment with that environment's deploy role, in its account, on the service's cluster and ECS service only", () => {
    const deploys = planPipeline(input()).filter((s) => s.name.startsWith("Deploy-"));
    expect(deploys.map((s) => s.name)).to.deep.equal(["Deploy-dev", "Deploy-stage", "Deploy-preprod", "Deploy-prod"]);
    for (const stage of deploys) {
      const env = stage.name.slice("Deploy-".length) as EnvironmentName;
      const [action] = stage.actions;
      expect(action!.provider).to.equal("ECS");
      expect(action!.roleArn).to.equal(`arn:aws:iam::${ACCOUNTS[env]}:role/${environmentDeployRoleName(env, "checkout")}`);
      expect(action!.configuration).to.deep.equal({
        ClusterName: deployScope(env, "checkout").cluster,
        ServiceName: "checkout",
        FileName: IMAGE_DEFINITIONS_FILE,
        DeploymentTimeout: String(DEPLOY_TIMEOUT_MINUTES),
      });
      expect(action!.inputArtifacts).to.deep.equal([SOURCE_ARTIFACT]);
    }
  });

  it("stops for a manual approval notifying the approvers' topic right before preprod and right before prod, saying which tag goes where", () => {
    const stages = planPipeline(input());
    for (const env of ["preprod", "prod"] as const) {
      const i = stages.findIndex((s) => s.name === `Deploy-${env}`);
      const gate = stages[i - 1]!;
      expect(gate.name).to.equal(`Approve-${env}`);
      expect(gate.actions[0]).to.include({ category: "Approval", provider: "Manual" });
      expect(gate.actions[0]!.configuration.NotificationArn).to.equal(TOPIC);
      expect(gate.actions[0]!.configuration.CustomData).to.equal(approvalCustomData("checkout", env));
      expect(gate.actions[0]!.configuration.CustomData).to.contain("#{variables.IMAGE_TAG}").and.contain(`cluster tila-${env}`);
      expect(gate.actions[0]!.roleArn, "approval runs as the pipeline's own role").to.equal(undefined);
    }
    expect(stages.filter((s) => s.name.startsWith("Approve-")).map((s) => s.name)).to.deep.equal(["Approve-preprod", "Approve-prod"]);
  });

  it("names CodePipeline's limits: action names unique in their stage, stage and action names within 100 characters of [A-Za-z0-9.@_-]", () => {
    fc.assert(fc.property(fc.subarray([...ENVIRONMENTS] as EnvironmentName[], { minLength: 1 }), (envs) => {
      for (const stage of planPipeline(input(envs, { service: "a".repeat(25) }))) {
        expect(stage.name).to.match(/^[A-Za-z0-9.@_-]{1,100}$/);
        const names = stage.actions.map((a) => a.name);
        expect(new Set(names).size).to.equal(names.length);
        for (const n of names) expect(n).to.match(/^[A-Za-z0-9.@_-]{1,100}$/);
      }
    }));
  });

  it("deploys only the environments that run the service", () => {
    expect(planPipeline(input(["dev", "prod"])).map((s) => s.name)).to.deep.equal(["Source", "Deploy-dev", "Approve-prod", "Deploy-prod"]);
  });

  it("refuses a service no environment runs, a repeated environment, a bad account and a timeout outside the ECS action's 1-60 minutes, naming each field", () => {
    expect(pipelineInputIssues(input([]))).to.deep.equal(['targets: service "checkout" runs in no environment; a pipeline would deploy nothing']);
    const bad = input(["dev"], { targets: [{ environment: "dev", accountId: "1" }, { environment: "dev", accountId: "222222222222" }], deployTimeoutMinutes: 61 });
    const issues = pipelineInputIssues(bad);
    expect(issues).to.have.length(3);
    expect(issues).to.include("targets: environment dev is listed twice");
    expect(issues.join("\n")).to.contain('targets.dev.accountId: "1"').and.contain("deployTimeoutMinutes: 61");
    expect(() => planPipeline(bad)).to.throw(/pipeline of checkout: .*listed twice/);
  });
});
