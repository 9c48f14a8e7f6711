/**
 * The Jenkins stage scripts against what the real management stack builds for them (the captured
 * graph): the pipeline, source action, source bucket and key the scripts derive are the ones each
 * service pipeline reads, the variable they set is one the pipeline declares, every AWS call the
 * scripts make is allowed to the Jenkins role by its policies, and the job layout the docs prescribe
 * (one job per service in the trusted folder) is what the role's trust admits.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { JENKINS_ROLE_NAME } from "../../components/delivery/deliveryPlan";
import type { CapturedResource } from "../../offline/types";
import type { StackRun } from "../../offline/engine";
import { evaluate } from "../../policy/rules/iam/evaluate";
import { readStackFiles } from "../../config/load";
import { realStack } from "../support/realStacks";
import { SCRIPTS } from "./jenkinsHarness";

const ROOT = path.resolve(__dirname, "../..");
type Action = { name: string; configuration: Record<string, string> };
type Stage = { name: string; actions: Action[] };

/** What lib.sh derives for `service` in the management account and region. */
function derived(account: string, region: string, service: string): Record<string, string> {
  const names = ["partition", "ecr_repository", "source_bucket", "source_key", "pipeline_name", "jenkins_role_arn"];
  const r = spawnSync("bash", ["-c", `source "${SCRIPTS}/lib.sh"; for f in ${names.join(" ")}; do "$f"; echo; done`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: "/usr/bin:/bin", TILA_MANAGEMENT_ACCOUNT_ID: account, TILA_AWS_REGION: region, SERVICE: service },
  });
  expect(r.stderr).to.equal("");
  return Object.fromEntries(r.stdout.split("\n").slice(0, names.length).map((v, i) => [names[i]!, v]));
}

/** A constant the script declares (`readonly NAME="value"`). */
function scriptConstant(script: string, name: string): string {
  const r = spawnSync("grep", ["-oP", `(?<=^readonly ${name}=")[^"]+`, path.join(SCRIPTS, script)], { encoding: "utf8" });
  expect(r.stdout, `${script} declares ${name}`).to.not.equal("");
  return r.stdout.trim();
}

describe("Jenkins scripts and the management stack they publish to (real captured graph)", () => {
  let mgmt: StackRun;
  let pipelines: CapturedResource[];
  let jenkinsDocs: unknown[];

  before(async () => {
    mgmt = await realStack("management");
    pipelines = mgmt.resources.filter((r) => r.type === "aws:codepipeline/pipeline:Pipeline");
    jenkinsDocs = mgmt.resources
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === JENKINS_ROLE_NAME)
      .map((r) => (typeof r.inputs.policy === "string" ? JSON.parse(r.inputs.policy) : r.inputs.policy));
  });

  it("starts the pipeline each service has, on its source action, with the source object that action reads and a variable it declares", () => {
    expect(pipelines.length).to.be.greaterThan(0);
    const action = scriptConstant("start-pipeline.sh", "SOURCE_ACTION_NAME");
    const variable = scriptConstant("start-pipeline.sh", "IMAGE_TAG_VARIABLE");
    for (const p of pipelines) {
      const service = String(p.inputs.name).replace(/^tila-/, "");
      const d = derived(mgmt.config.accountId, mgmt.config.region, service);
      expect(p.inputs.name).to.equal(d.pipeline_name);
      const source = (p.inputs.stages as Stage[])[0]!.actions[0]!;
      expect(source.name, service).to.equal(action);
      expect(source.configuration, service).to.include({ S3Bucket: d.source_bucket, S3ObjectKey: d.source_key });
      expect((p.inputs.variables as { name: string }[]).map((v) => v.name), service).to.include(variable);
    }
  });

  it("makes only calls the Jenkins role's policies allow, for every service", () => {
    expect(jenkinsDocs.length).to.be.greaterThan(0);
    const { accountId, region } = mgmt.config;
    const sourceKey = mgmt.resources.find((r) => r.type === "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
      && String(r.inputs.bucket).startsWith("tila-delivery-source-"));
    const keyArn = (sourceKey!.inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[])[0]!.applyServerSideEncryptionByDefault.kmsMasterKeyId;
    expect(evaluate(jenkinsDocs, { action: "ecr:GetAuthorizationToken", resources: ["*"] }), "registry login").to.equal("allow");
    for (const p of pipelines) {
      const service = String(p.inputs.name).replace(/^tila-/, "");
      const d = derived(accountId, region, service);
      const repository = `arn:${d.partition}:ecr:${region}:${accountId}:repository/${d.ecr_repository.split("/").slice(1).join("/")}`;
      const pipeline = `arn:${d.partition}:codepipeline:${region}:${accountId}:${d.pipeline_name}`;
      // crane copy pushes layers and the manifest; crane digest reads the manifest (HEAD) before and after.
      for (const action of ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage"]) {
        expect(evaluate(jenkinsDocs, { action, resources: [repository] }), `${action} on ${repository}`).to.equal("allow");
      }
      expect(evaluate(jenkinsDocs, { action: "s3:PutObject", resources: [`arn:${d.partition}:s3:::${d.source_bucket}/${d.source_key}`] }), service).to.equal("allow");
      for (const action of ["codepipeline:StartPipelineExecution", "codepipeline:GetPipelineExecution"]) {
        expect(evaluate(jenkinsDocs, { action, resources: [pipeline] }), `${action} on ${pipeline}`).to.equal("allow");
      }
    }
    expect(evaluate(jenkinsDocs, { action: "kms:GenerateDataKey", resources: [keyArn], context: { "kms:ViaService": `s3.${region}.amazonaws.com` } }), "encrypting the source object").to.equal("allow");
    expect(derived(accountId, region, "catalog").jenkins_role_arn).to.equal(mgmt.outputs.jenkinsRoleArn);
  });

  it("is trusted for the job layout the docs prescribe: one job per service, named after it, in the configured folder", () => {
    const jenkins = (readStackFiles(ROOT).raw.management!.delivery as { jenkins: { issuerUrl: string; subjects: string[] } }).jenkins;
    const base = jenkins.issuerUrl.replace(/\/oidc$/, "");
    const like = (pattern: string, value: string): boolean => new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.?+^$[\]\\(){}|-]/g, "\\$&")).join(".*")}$`).test(value);
    for (const p of pipelines) {
      const job = `${base}/job/services/job/${String(p.inputs.name).replace(/^tila-/, "")}/`;
      expect(jenkins.subjects.some((s) => like(s, job)), `${job} is trusted`).to.equal(true);
    }
    expect(jenkins.subjects.some((s) => like(s, `${base}/job/playground/job/catalog/`)), "a job outside the folder is not").to.equal(false);
  });
});
