/**
 * The service pipelines on the captured real management stack: one V2 pipeline per service any
 * environment runs, its stages in order with the approvals before preprod and prod notifying the
 * approvers' topic, each deploy in the right account on the right ECS service, the artefact store
 * on the delivery CMK, each service role assuming only its own deploy roles, and Jenkins' role.
 */
import { expect } from "chai";
import * as path from "path";
import { ENVIRONMENTS, EnvironmentName } from "../../components/environments";
import { APPROVERS_TOPIC_NAME, JENKINS_ROLE_NAME, deployScope, environmentDeployRoleName, pipelineName, pipelineRoleName, sourceObjectKey } from "../../components/delivery/deliveryPlan";
import type { CapturedResource } from "../../offline/types";
import type { StackRun } from "../../offline/engine";
import { evaluate } from "../../policy/rules/iam/evaluate";
import { readStackFiles } from "../../config/load";
import { realStack, realStacks } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
type Action = { name: string; category: string; provider: string; roleArn?: string; configuration: Record<string, string>; inputArtifacts?: string[] };
type Stage = { name: string; actions: Action[] };

const docOf = (policy: unknown): unknown => (typeof policy === "string" ? JSON.parse(policy) : policy);

describe("service pipelines (real management stack)", () => {
  let mgmt: StackRun;
  let stacks: Record<string, StackRun>;
  let pipelines: CapturedResource[];
  /** Service -> environments whose stack file runs it, from the environments' own captured graphs. */
  const runs: Record<string, EnvironmentName[]> = {};
  const of = (type: string) => mgmt.resources.filter((r) => r.type === type);
  const stagesOf = (service: string): Stage[] => pipelines.find((p) => p.inputs.name === pipelineName(service))!.inputs.stages as Stage[];

  before(async () => {
    mgmt = await realStack("management");
    stacks = await realStacks();
    pipelines = of(PIPELINE);
    for (const env of ENVIRONMENTS) {
      for (const svc of stacks[env]!.resources.filter((r) => r.type === "aws:ecs/service:Service")) {
        const name = String(svc.inputs.name);
        // The collector and the analytics workers are platform services with no pipeline of their own.
        if (!name.startsWith("prometheus") && name !== "analytics-connect") (runs[name] ??= []).push(env);
      }
    }
  });

  it("has one V2 pipeline per service the environments run, queued, named tila-<service>", () => {
    expect(Object.keys(runs).length).to.be.greaterThan(0);
    expect(pipelines.map((p) => p.inputs.name).sort()).to.deep.equal(Object.keys(runs).map(pipelineName).sort());
    for (const p of pipelines) expect(p.inputs).to.include({ pipelineType: "V2", executionMode: "QUEUED" });
    expect(mgmt.outputs.deliveryPipelines).to.deep.equal(Object.fromEntries(Object.keys(runs).sort().map((s) => [s, pipelineName(s)])));
  });

  it("runs Source, then each environment in promotion order, with an approval right before preprod and prod", () => {
    for (const [service, envs] of Object.entries(runs)) {
      const expected = ["Source", ...envs.flatMap((e) => (e === "preprod" || e === "prod" ? [`Approve-${e}`, `Deploy-${e}`] : [`Deploy-${e}`]))];
      expect(stagesOf(service).map((s) => s.name), service).to.deep.equal(expected);
      const source = stagesOf(service)[0]!.actions[0]!;
      expect(source.configuration).to.include({ S3ObjectKey: sourceObjectKey(service), PollForSourceChanges: "false", S3Bucket: mgmt.outputs.deliverySourceBucket as string });
    }
  });

  it("has each approval notify the approvers' topic, which is encrypted with the delivery key and subscribed by the approvers", () => {
    const topic = of("aws:sns/topic:Topic").find((t) => t.inputs.name === APPROVERS_TOPIC_NAME)!;
    expect(mgmt.outputs.deliveryApproversTopicArn).to.equal(topic.outputs.arn);
    expect(topic.inputs.kmsMasterKeyId).to.equal(mgmt.outputs.deliveryArtifactKeyArn);
    for (const service of Object.keys(runs)) {
      const approvals = stagesOf(service).filter((s) => s.name.startsWith("Approve-")).flatMap((s) => s.actions);
      expect(approvals.length, service).to.equal(2);
      for (const a of approvals) expect(a.configuration.NotificationArn).to.equal(topic.outputs.arn);
    }
    const subscriptions = of("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.topic === topic.outputs.arn);
    const approvers = (readStackFiles(ROOT).raw.management!.delivery as { approvers: string[] }).approvers;
    expect(subscriptions.map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal(approvers.map((a) => ["email", a]));
  });

  it("deploys each environment as that environment's deploy role, in that environment's account, on the service's own cluster and ECS service", () => {
    for (const [service, envs] of Object.entries(runs)) {
      for (const env of envs) {
        const action = stagesOf(service).find((s) => s.name === `Deploy-${env}`)!.actions[0]!;
        const account = stacks[env]!.config.accountId;
        expect(action.roleArn).to.equal(`arn:aws:iam::${account}:role/${environmentDeployRoleName(env, service)}`);
        const scope = deployScope(env, service);
        expect(action.configuration).to.include({ ClusterName: scope.cluster, ServiceName: scope.ecsService });
        // The names the deploy action targets are the ones the environment's graph really has.
        const cluster = stacks[env]!.resources.find((r) => r.type === "aws:ecs/cluster:Cluster")!;
        expect(cluster.inputs.name).to.equal(scope.cluster);
        expect(stacks[env]!.resources.some((r) => r.type === "aws:ecs/service:Service" && r.inputs.name === scope.ecsService)).to.equal(true);
      }
    }
  });

  it("keeps artefacts in the artefact bucket encrypted with the delivery CMK, the key environments read from management", () => {
    const key = mgmt.resources.find((r) => r.type === "aws:kms/key:Key" && r.outputs.arn === mgmt.outputs.deliveryArtifactKeyArn)!;
    expect(key.inputs.enableKeyRotation).to.equal(true);
    for (const p of pipelines) {
      const [store] = p.inputs.artifactStores as { location: string; type: string; encryptionKey: { id: string; type: string } }[];
      expect(store!.encryptionKey).to.deep.equal({ id: key.outputs.arn, type: "KMS" });
      const bucket = mgmt.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.inputs.bucket === store!.location)!;
      const sse = mgmt.resources.find((r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration" && r.inputs.bucket === bucket.id)!;
      expect((sse.inputs.rules as { applyServerSideEncryptionByDefault: unknown }[])[0]!.applyServerSideEncryptionByDefault).to.deep.equal({ sseAlgorithm: "aws:kms", kmsMasterKeyId: key.outputs.arn });
    }
  });

  it("lets each service role assume only its own service's deploy roles, and be assumed only by CodePipeline", () => {
    const services = Object.keys(runs);
    const allDeployRoles = services.flatMap((svc) => runs[svc]!.map((env) => ({ svc, arn: `arn:aws:iam::${stacks[env]!.config.accountId}:role/${environmentDeployRoleName(env, svc)}` })));
    for (const service of services) {
      const role = mgmt.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === pipelineRoleName(service))!;
      expect(docOf(role.inputs.assumeRolePolicy)).to.have.nested.property("Statement[0].Principal.Service", "codepipeline.amazonaws.com");
      const pipeline = pipelines.find((p) => p.inputs.name === pipelineName(service))!;
      expect(pipeline.inputs.roleArn).to.equal(role.outputs.arn);
      const docs = mgmt.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === pipelineRoleName(service)).map((r) => docOf(r.inputs.policy));
      expect(docs).to.have.length(1);
      for (const target of allDeployRoles) {
        const decision = evaluate(docs, { action: "sts:AssumeRole", resources: [target.arn] });
        expect(decision, `${service} -> ${target.arn}`).to.equal(target.svc === service ? "allow" : "implicit-deny");
      }
    }
  });

  it("gives Jenkins a role trusted through its OIDC provider that publishes and starts pipelines, and cannot deploy", () => {
    const provider = of("aws:iam/openIdConnectProvider:OpenIdConnectProvider").find((p) => String(p.inputs.url).includes("jenkins"))!;
    expect(provider.inputs.clientIdLists).to.deep.equal(["sts.amazonaws.com"]);
    const role = mgmt.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === JENKINS_ROLE_NAME)!;
    expect(mgmt.outputs.jenkinsRoleArn).to.equal(role.outputs.arn);
    const trust = docOf(role.inputs.assumeRolePolicy) as { Statement: { Principal: { Federated: string }; Action: string }[] };
    expect(trust.Statement.map((s) => [s.Principal.Federated, s.Action])).to.deep.equal([[provider.outputs.arn, "sts:AssumeRoleWithWebIdentity"]]);
    const docs = mgmt.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === JENKINS_ROLE_NAME).map((r) => docOf(r.inputs.policy));
    const account = mgmt.config.accountId;
    for (const service of Object.keys(runs)) {
      expect(evaluate(docs, { action: "codepipeline:StartPipelineExecution", resources: [`arn:aws:codepipeline:me-south-1:${account}:${pipelineName(service)}`] })).to.equal("allow");
      expect(evaluate(docs, { action: "ecr:PutImage", resources: [`arn:aws:ecr:me-south-1:${account}:repository/tila/${service}`] })).to.equal("allow");
    }
    expect(evaluate(docs, { action: "codepipeline:PutApprovalResult", resources: [`arn:aws:codepipeline:me-south-1:${account}:tila-checkout/Approve-prod/Approve`] })).to.equal("implicit-deny");
    expect(evaluate(docs, { action: "sts:AssumeRole", resources: [`arn:aws:iam::${stacks.prod!.config.accountId}:role/${environmentDeployRoleName("prod", "checkout")}`] })).to.equal("implicit-deny");
  });

  it("forwards failed pipeline actions to the approvers' topic and the warning topic, whose policies admit the rule", () => {
    const rule = of("aws:cloudwatch/eventRule:EventRule").find((r) => r.inputs.name === "tila-delivery-failed")!;
    const targets = of("aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.inputs.rule === rule.outputs.name).map((t) => t.inputs.arn);
    const warning = of("aws:sns/topic:Topic").find((t) => t.inputs.name === "tila-management-alerts-warning")!;
    expect([...targets].sort()).to.deep.equal([mgmt.outputs.deliveryApproversTopicArn, warning.outputs.arn].sort());
    const policies = of("aws:sns/topicPolicy:TopicPolicy");
    for (const arn of targets) {
      const doc = docOf(policies.find((p) => p.inputs.arn === arn)!.inputs.policy);
      // The pack's evaluator models AWS principals only: read EventBridge's grant as written.
      const grant = (doc as { Statement: { Principal?: { Service?: string }; Action: string | string[]; Condition?: { ArnEquals?: Record<string, unknown> } }[] }).Statement
        .find((st) => st.Principal?.Service === "events.amazonaws.com" && [st.Action].flat().includes("sns:Publish"))!;
      expect([grant.Condition?.ArnEquals?.["aws:SourceArn"]].flat(), String(arn)).to.deep.equal([rule.outputs.arn]);
      expect(JSON.stringify(doc)).to.contain("events.amazonaws.com").and.contain(String(rule.outputs.arn));
    }
  });
});
