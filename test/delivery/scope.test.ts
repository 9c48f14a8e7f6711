/**
 * The "Hot fix end to end" proof, on the five real captured graphs (the shared runs, no
 * engine run of its own): for every environment and every service it runs, the service's
 * cross-account deploy role can change exactly what `npm run deploy -- hotfix` may change
 * (hotfixTargetsFromGraph: that service's task definition and ECS service) and pass exactly that
 * task definition's two roles; no other resource of the stack matches its policy; management's
 * pipeline for the service deploys that environment on the same cluster and ECS service, as this
 * role, and nowhere else as it; and the cross-account path really opens: the pipeline role may
 * assume the role, and the artefact store's bucket and key policies let it read its artefacts.
 */
import { expect } from "chai";
import { ENVIRONMENTS, EnvironmentName } from "../../components/environments";
import { artifactBucketName, environmentDeployRoleName, pipelineName, pipelineRoleName } from "../../components/delivery/deliveryPlan";
import { artifactFolders } from "../../components/delivery/environmentDeployPolicy";
import { ECS_SERVICE_TYPE, SERVICE_COMPONENT_TYPE, TASK_DEFINITION_TYPE, hotfixTargetsFromGraph } from "../../automation/hotfix";
import type { CapturedResource } from "../../offline/types";
import type { StackRun } from "../../offline/engine";
import { IamRequest, evaluate } from "../../policy/rules/iam/evaluate";
import { asList, iamPattern } from "../../policy/rules/iam/policyDocument";
import { realStacks } from "../support/realStacks";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const PIPELINE = "aws:codepipeline/pipeline:Pipeline";
type Statement = { Sid?: string; Action: string | string[]; Resource: string | string[] };
type Action = { name: string; category: string; provider: string; roleArn?: string; configuration: Record<string, string> };
type Stage = { name: string; actions: Action[] };

const json = (v: unknown): { Statement: Statement[] } => (typeof v === "string" ? JSON.parse(v) : v) as { Statement: Statement[] };
const arnOf = (r: CapturedResource): string => String(r.outputs.arn);

/** One service's deploy role in one environment's graph, with everything the proof compares it to. */
interface Case {
  env: EnvironmentName;
  service: string;
  run: StackRun;
  role: CapturedResource;
  policy: { Statement: Statement[] };
  taskDefinition: CapturedResource;
  ecsService: CapturedResource;
}

function casesOf(env: EnvironmentName, run: StackRun): Case[] {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const services = run.resources.filter((r) => r.type === SERVICE_COMPONENT_TYPE && !r.read).map((r) => r.name.slice(`${env}-`.length));
  return services.map((service) => {
    const [tdUrn, svcUrn] = hotfixTargetsFromGraph(run.resources, env, service);
    const name = environmentDeployRoleName(env, service);
    const roles = run.resources.filter((r) => r.type === ROLE && r.inputs.name === name);
    expect(roles, `${env}: role ${name}`).to.have.length(1);
    const policies = run.resources.filter((r) => r.type === ROLE_POLICY && r.inputs.role === name);
    expect(policies, `${env}: inline policies of ${name}`).to.have.length(1);
    return { env, service, run, role: roles[0]!, policy: json(policies[0]!.inputs.policy), taskDefinition: byUrn.get(tdUrn)!, ecsService: byUrn.get(svcUrn)! };
  });
}

/** The concrete resources of a policy (every pattern but "*"). */
const patternsOf = (policy: { Statement: Statement[] }): string[] => policy.Statement.flatMap((s) => asList(s.Resource)).filter((r) => r !== "*");

describe("deploy scope = hot-fix scope (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  let cases: Case[];

  before(async () => {
    stacks = await realStacks();
    cases = ENVIRONMENTS.flatMap((env) => casesOf(env, stacks[env]!));
  });

  it("gives every service of every environment its own deploy role", () => {
    for (const env of ENVIRONMENTS) {
      const services = stacks[env]!.resources.filter((r) => r.type === SERVICE_COMPONENT_TYPE).map((r) => r.name.slice(env.length + 1)).sort();
      expect(services.length, env).to.be.greaterThan(0);
      const own = cases.filter((c) => c.env === env);
      expect(own.map((c) => c.service).sort(), env).to.deep.equal(services);
      expect(stacks[env]!.outputs.deliveryDeployRoleArns, env).to.deep.equal(Object.fromEntries(own.map((c) => [c.service, arnOf(c.role)])));
    }
  });

  it("lets each role change the hot-fix targets of its service and nothing else: only its ECS service, family and the family's two roles match its policy", () => {
    for (const c of cases) {
      const where = `${c.env}/${c.service}`;
      const expected = [arnOf(c.ecsService), arnOf(c.taskDefinition), String(c.taskDefinition.inputs.taskRoleArn), String(c.taskDefinition.inputs.executionRoleArn)].sort();
      const patterns = patternsOf(c.policy).map((p) => iamPattern(p, false));
      const matched = c.run.resources.filter((r) => r.custom && typeof r.outputs.arn === "string" && patterns.some((p) => p.test(arnOf(r)))).map(arnOf).sort();
      expect(matched, where).to.deep.equal(expected);
    }
  });

  it("allows the deploy action's ECS writes on exactly the hot-fix targets, and PassRole of exactly their roles, among everything in the stack", () => {
    for (const c of cases) {
      const where = `${c.env}/${c.service}`;
      const allowed = (action: string, type: string, context?: IamRequest["context"]): string[] =>
        c.run.resources.filter((r) => r.type === type).map(arnOf).filter((arn) => evaluate([c.policy], { action, resources: [arn], context }) === "allow");
      expect(allowed("ecs:UpdateService", ECS_SERVICE_TYPE), where).to.deep.equal([arnOf(c.ecsService)]);
      expect(allowed("ecs:RegisterTaskDefinition", TASK_DEFINITION_TYPE), where).to.deep.equal([arnOf(c.taskDefinition)]);
      const passable = allowed("iam:PassRole", ROLE, { "iam:PassedToService": "ecs-tasks.amazonaws.com" }).sort();
      expect(passable, where).to.deep.equal([String(c.taskDefinition.inputs.executionRoleArn), String(c.taskDefinition.inputs.taskRoleArn)].sort());
      // The hot fix's own targets are the same two resources.
      expect(hotfixTargetsFromGraph(c.run.resources, c.env, c.service), where).to.deep.equal([c.taskDefinition.urn, c.ecsService.urn]);
    }
  });

  it("has management's pipeline of each service deploy that environment on the hot fix's cluster and ECS service, as this role, and nowhere else as it", () => {
    const mgmt = stacks.management!;
    const pipelines = mgmt.resources.filter((r) => r.type === PIPELINE);
    for (const c of cases) {
      const where = `${c.env}/${c.service}`;
      const pipeline = pipelines.find((p) => p.inputs.name === pipelineName(c.service));
      expect(pipeline, `${where}: pipeline ${pipelineName(c.service)}`).to.not.equal(undefined);
      const cluster = c.run.resources.find((r) => r.type === "aws:ecs/cluster:Cluster" && arnOf(r) === c.ecsService.inputs.cluster)!;
      const asRole = pipelines.flatMap((p) => (p.inputs.stages as Stage[]).flatMap((s) => s.actions.filter((a) => a.roleArn === arnOf(c.role)).map((a) => ({ pipeline: p.inputs.name, stage: s.name, action: a }))));
      expect(asRole.map((a) => [a.pipeline, a.stage]), where).to.deep.equal([[pipelineName(c.service), `Deploy-${c.env}`]]);
      const deploy = asRole[0]!.action;
      expect(deploy, where).to.include({ category: "Deploy", provider: "ECS" });
      expect(deploy.configuration, where).to.include({ ClusterName: cluster.inputs.name, ServiceName: c.ecsService.inputs.name });
    }
  });

  it("opens the cross-account path: the pipeline role may assume the role, and the artefact store lets it read and decrypt its own artefacts only", () => {
    const mgmt = stacks.management!;
    const account = String(mgmt.config.accountId);
    const region = mgmt.config.region;
    const bucketArn = `arn:aws:s3:::${artifactBucketName(account, region)}`;
    const bucketPolicy = json(mgmt.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.inputs.bucket === artifactBucketName(account, region))!.inputs.policy);
    const keyArn = String(mgmt.outputs.deliveryArtifactKeyArn);
    const keyPolicy = json(mgmt.resources.find((r) => r.type === "aws:kms/key:Key" && arnOf(r) === keyArn)!.inputs.policy);
    for (const c of cases) {
      const where = `${c.env}/${c.service}`;
      const roleArn = arnOf(c.role);
      const principal = { arn: roleArn, account: roleArn.split(":")[4]! };
      const pipelineRole = `arn:aws:iam::${account}:role/${pipelineRoleName(c.service)}`;
      const pipelinePolicies = mgmt.resources.filter((r) => r.type === ROLE_POLICY && r.inputs.role === pipelineRoleName(c.service)).map((r) => json(r.inputs.policy));
      expect(evaluate(pipelinePolicies, { action: "sts:AssumeRole", resources: [roleArn] }), where).to.equal("allow");
      expect(evaluate([json(c.role.inputs.assumeRolePolicy)], { action: "sts:AssumeRole", resources: [roleArn], principal: { arn: pipelineRole, account }, context: { "aws:PrincipalArn": pipelineRole } }), where).to.equal("allow");

      const context = { "aws:PrincipalArn": roleArn, "aws:SecureTransport": "true" };
      for (const folder of artifactFolders(c.service)) {
        const object = `${bucketArn}/${folder}/image/Ab12Cd3`;
        const read: IamRequest = { action: "s3:GetObject", resources: [object], principal, context };
        expect([evaluate([c.policy], read), evaluate([bucketPolicy], read)], `${where}: ${object}`).to.deep.equal(["allow", "allow"]);
        const decrypt: IamRequest = { action: "kms:Decrypt", resources: [keyArn], principal, context: { ...context, "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": object } };
        expect([evaluate([c.policy], decrypt), evaluate([keyPolicy], decrypt)], `${where}: decrypt`).to.deep.equal(["allow", "allow"]);
      }
      const other = cases.find((o) => o.service !== c.service && !artifactFolders(o.service).some((f) => artifactFolders(c.service).includes(f)))!;
      expect(evaluate([c.policy], { action: "s3:GetObject", resources: [`${bucketArn}/${pipelineName(other.service)}/image/Ab12Cd3`] }), `${where}: ${other.service}'s artefacts`).to.equal("implicit-deny");
    }
  });
});
