/**
 * The Jenkins stage scripts (pipelines/jenkins/*.sh): shellcheck at the strictest level, the names
 * they derive equal to the delivery contract's, and each run in bash against fakes: what it refuses
 * (naming the variable, stage or tool), what it sends to Artifactory, ECR, S3 and CodePipeline, and
 * what it writes for the next stage.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { shellcheckAll } from "../data/shellcheck";
import { tempDirEach } from "../support/tempDir";
import { ensureTestTools, systemHost } from "../../scripts/ensureTestTools";
import { imageRegistry, partitionOf, platformImagePrefix } from "../../components/compute/imageNames";
import { imageIssues } from "../../components/compute/imageRule";
import { unpinnedReason } from "../../policy/rules/compute/pinnedImages";
import {
  IMAGE_DEFINITIONS_FILE,
  IMAGE_TAG_VARIABLE,
  JENKINS_ROLE_NAME,
  SOURCE_ACTION_NAME,
  pipelineName,
  roleArn,
  sourceBucketName,
  sourceObjectKey,
} from "../../components/delivery/deliveryPlan";
import { DIGEST_A, SCRIPTS, buildEnv, callsOf, flag, gitRepo, runScript, runScriptAsync, seedRegistry } from "./jenkinsHarness";

const STAGE_SCRIPTS = [
  "preflight.sh", "image-tag.sh", "docker-build.sh", "scan.sh", "push-artifactory.sh", "replicate-ecr.sh",
  "image-definitions.sh", "publish-source.sh", "start-pipeline.sh", "cleanup.sh",
];
const SOURCE_LINE = 'source "${BASH_SOURCE[0]%/*}/lib.sh"';
const LIB = fs.readFileSync(path.join(SCRIPTS, "lib.sh"), "utf8");

/** What bash runs: the script with lib.sh's text where it is sourced. */
function bundled(script: string): string {
  const text = fs.readFileSync(path.join(SCRIPTS, script), "utf8");
  const libBody = LIB.slice(LIB.indexOf("\n") + 1);
  return text.replace(`${SOURCE_LINE}\n`, libBody);
}

const ARTIFACTORY_IMAGE = "tila.jfrog.io/tila-docker-local/catalog:0123456789ab-b42";
const ECR_IMAGE = `${platformImagePrefix("111111111111", "me-south-1", "catalog")}:0123456789ab-b42`;

describe("Jenkins stage scripts (pipelines/jenkins)", function () {
  this.timeout(120000);

  // image-definitions.sh zips with zip, and the tests read the zip back with unzip: installed the way
  // pretest installs shellcheck and jq (apt-get as root), or a failure with the command to run.
  before(() => {
    const tools = [{ command: "zip", aptPackage: "zip" }, { command: "unzip", aptPackage: "unzip" }];
    expect(ensureTestTools(systemHost(), tools), "zip and unzip on PATH").to.equal(0);
  });
  const dir = tempDirEach("tila-jenkins-");
  const env = (): Record<string, string> => buildEnv(dir());
  const writeOut = (name: string, value: string): void => {
    fs.mkdirSync(path.join(dir(), "out"), { recursive: true });
    fs.writeFileSync(path.join(dir(), "out", name), `${value}\n`);
  };

  it("pass shellcheck at the strictest level, lib.sh inlined where it is sourced (and the check fails a bad script)", async () => {
    const texts = [LIB, ...STAGE_SCRIPTS.map(bundled), "#!/usr/bin/env bash\necho $1 | tee ${2}\n"];
    const results = await shellcheckAll(texts);
    results.slice(0, -1).forEach((r, i) => {
      expect(r.output, i === 0 ? "lib.sh" : STAGE_SCRIPTS[i - 1]).to.equal("");
      expect(r.status).to.equal(0);
    });
    expect(results[results.length - 1]!.status).to.not.equal(0);
  });

  it("are executable bash scripts that say their job, stop on any error and source lib.sh once (lib.sh is only sourced)", () => {
    const files = fs.readdirSync(SCRIPTS).filter((f) => f.endsWith(".sh")).sort();
    expect(files).to.deep.equal([...STAGE_SCRIPTS, "lib.sh"].sort());
    for (const f of STAGE_SCRIPTS) {
      const lines = fs.readFileSync(path.join(SCRIPTS, f), "utf8").split("\n");
      expect(lines[0], f).to.equal("#!/usr/bin/env bash");
      expect(lines[1], f).to.match(/^# [A-Z].{20,}/);
      expect(lines.filter((l) => l === "set -euo pipefail"), f).to.have.length(1);
      expect(lines.filter((l) => l === SOURCE_LINE), f).to.have.length(1);
      expect(fs.statSync(path.join(SCRIPTS, f)).mode & 0o111, `${f} is executable`).to.not.equal(0);
      expect(lines.some((l) => /set -[a-z]*x|--password[ =]|ARTIFACTORY_PASSWORD}" *$/.test(l)), `${f} never traces or passes a password as an argument`).to.equal(false);
    }
    expect(fs.statSync(path.join(SCRIPTS, "lib.sh")).mode & 0o111, "lib.sh is not executable").to.equal(0);
  });

  it("derive the names the delivery contract fixes, in every partition", () => {
    for (const [account, region] of [["111111111111", "me-south-1"], ["222222222222", "cn-north-1"], ["333333333333", "us-gov-west-1"]] as const) {
      const r = spawnSync("bash", ["-c", `source "${SCRIPTS}/lib.sh"; partition; echo; ecr_registry; echo; ecr_repository; echo; source_bucket; echo; source_key; echo; pipeline_name; echo; jenkins_role_arn`], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { PATH: "/usr/bin:/bin", TILA_MANAGEMENT_ACCOUNT_ID: account, TILA_AWS_REGION: region, SERVICE: "checkout" },
      });
      expect(r.stderr).to.equal("");
      expect(r.stdout.split("\n")).to.deep.equal([
        partitionOf(region),
        imageRegistry(account, region),
        platformImagePrefix(account, region, "checkout"),
        sourceBucketName(account, region),
        sourceObjectKey("checkout"),
        pipelineName("checkout"),
        roleArn(partitionOf(region), account, JENKINS_ROLE_NAME),
      ]);
    }
    expect(fs.readFileSync(path.join(SCRIPTS, "start-pipeline.sh"), "utf8")).to.contain(`SOURCE_ACTION_NAME="${SOURCE_ACTION_NAME}"`).and.contain(`IMAGE_TAG_VARIABLE="${IMAGE_TAG_VARIABLE}"`);
    expect(fs.readFileSync(path.join(SCRIPTS, "image-definitions.sh"), "utf8")).to.contain(`IMAGE_DEFINITIONS_FILE="${IMAGE_DEFINITIONS_FILE}"`);
  });

  describe("preflight.sh", () => {
    it("passes a fully configured build and says what it will publish where", () => {
      const r = runScript(dir(), "preflight.sh", env());
      expect(r.stderr).to.equal("");
      expect(r.status).to.equal(0);
      expect(r.stdout).to.contain("tila.jfrog.io/tila-docker-local/catalog").and.contain(platformImagePrefix("111111111111", "me-south-1", "catalog")).and.contain("pipeline tila-catalog");
    });

    it("fails naming each missing variable and where it comes from", async () => {
      const required = ["TILA_MANAGEMENT_ACCOUNT_ID", "TILA_AWS_REGION", "ARTIFACTORY_REGISTRY", "ARTIFACTORY_DOCKER_REPO", "TILA_SERVICES_GIT", "JOB_BASE_NAME", "GIT_REF", "BUILD_NUMBER", "DOCKER_CONFIG"];
      const runs = await Promise.all(required.map((name) => runScriptAsync(path.join(dir(), name), "preflight.sh", { ...env(), [name]: undefined })));
      for (const [i, name] of required.entries()) {
        const r = runs[i]!;
        expect(r.status, name).to.equal(1);
        expect(r.stderr, name).to.match(new RegExp(`- ${name} is not set \\((Jenkins global variable|job parameter|set by)`));
        expect(r.stderr.match(/ - /g), `${name} is the only problem`).to.have.length(1);
      }
    });

    it("builds the job's own service when the SERVICE parameter is empty (a push carries no parameters), and fails with neither", () => {
      const r = runScript(dir(), "preflight.sh", { ...env(), SERVICE: "" });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.contain("service catalog from git@gitlab.tila.sa:services/catalog.git at main");
      const neither = runScript(dir(), "preflight.sh", { ...env(), SERVICE: undefined, JOB_BASE_NAME: undefined });
      expect(neither.status).to.equal(1);
      expect(neither.stderr).to.contain("- SERVICE is not set (job parameter SERVICE, or else the job's name").and.contain("- JOB_BASE_NAME is not set");
    });

    it("lists every problem at once: malformed values, a job building another service, a missing or unpinned tool", () => {
      const r = runScript(dir(), "preflight.sh", {
        ...env(), TILA_MANAGEMENT_ACCOUNT_ID: "12345", TILA_AWS_REGION: "mars", ARTIFACTORY_REGISTRY: "https://tila.jfrog.io", SERVICE: "cart", FAKE_TRIVY_VERSION: "0.69.4",
      }, [], ["crane"]);
      expect(r.status).to.equal(1);
      const issues = r.stderr.split("\n").filter((l) => l.startsWith("  - "));
      expect(issues).to.deep.equal([
        '  - TILA_MANAGEMENT_ACCOUNT_ID="12345" must be the 12-digit management account id',
        '  - TILA_AWS_REGION="mars" must be an AWS region name such as me-south-1',
        '  - ARTIFACTORY_REGISTRY="https://tila.jfrog.io" must be the registry host (and port), without a scheme or path',
        `  - SERVICE="cart" is not this job's name ("catalog"): each service has its own job, and Jenkins' OIDC subject names the job`,
        "  - crane is not installed on this agent",
        '  - trivy reports "Version: 0.69.4"; this pipeline is pinned to Version: 0.74.0 (pipelines/jenkins/preflight.sh)',
      ]);
      expect(r.calls.filter((c) => c.tool === "docker" && c.args[0] !== "--version"), "nothing built").to.deep.equal([]);
    });

    it("refuses a service name that cannot name its ECR repository", async () => {
      const names = ["Catalog", "cart-", "9lives", "a-very-long-service-name-xyz"];
      const runs = await Promise.all(names.map((bad, i) => runScriptAsync(path.join(dir(), String(i)), "preflight.sh", { ...env(), SERVICE: bad, JOB_BASE_NAME: bad })));
      for (const [i, bad] of names.entries()) {
        const r = runs[i]!;
        expect(r.status, bad).to.equal(1);
        expect(r.stderr, bad).to.match(new RegExp(`SERVICE="${bad}" must`));
      }
    });
  });

  describe("image-tag.sh", () => {
    it("tags the image with the 12-character commit and the build number, a valid immutable Docker tag", () => {
      const commit = gitRepo(path.join(dir(), "service"));
      const r = runScript(dir(), "image-tag.sh", env());
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.equal(`${commit.slice(0, 12)}-b42\n`);
      expect(r.stdout.trim()).to.match(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/).and.not.equal("latest");
      // The tag the platform's stack files and the pack accept: the merge request that catches a stack up names it.
      expect(imageIssues("image", `tila/checkout:${r.stdout.trim()}`)).to.deep.equal([]);
      expect(unpinnedReason(`tila/checkout:${r.stdout.trim()}`)).to.equal(undefined);
      expect(r.stderr).to.contain(`commit ${commit.slice(0, 12)} (Dev, `).and.contain("Fix the cart total");
    });

    it("fails without a build number or a checkout, naming which", () => {
      gitRepo(path.join(dir(), "service"));
      expect(runScript(dir(), "image-tag.sh", { ...env(), BUILD_NUMBER: undefined }).stderr).to.contain("BUILD_NUMBER is not set (set by Jenkins for every build)");
      const r = runScript(dir(), "image-tag.sh", { ...env(), SERVICE_DIR: path.join(dir(), "nowhere") });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("nowhere is not a Git checkout");
    });
  });

  describe("docker-build.sh", () => {
    it("builds the final stage as the Artifactory image with the immutable tag and the commit label, pulling fresh bases", () => {
      const commit = gitRepo(path.join(dir(), "service"));
      const r = runScript(dir(), "docker-build.sh", env(), ["image"]);
      expect(r.status, r.stderr).to.equal(0);
      const [build] = callsOf(r, "docker", "build");
      expect(flag(build!, "--tag")).to.equal(ARTIFACTORY_IMAGE);
      expect(build!.args).to.include("--pull").and.include(`org.opencontainers.image.revision=${commit}`).and.not.include("--target");
      expect(build!.args[build!.args.length - 1]).to.equal(path.join(dir(), "service"));
    });

    it("runs the unit tests as the test stage and hands its reports to Jenkins, warning when there are none", () => {
      gitRepo(path.join(dir(), "service"));
      const r = runScript(dir(), "docker-build.sh", env(), ["test"]);
      expect(r.status, r.stderr).to.equal(0);
      expect(flag(callsOf(r, "docker", "build")[0]!, "--target")).to.equal("test");
      expect(fs.readFileSync(path.join(dir(), "out/test-reports/unit.xml"), "utf8")).to.contain("testsuite");
      expect(callsOf(r, "docker", "rm")).to.have.length(1);
      const none = runScript(dir(), "docker-build.sh", { ...env(), FAKE_NO_REPORTS: "1" }, ["test"]);
      expect(none.status).to.equal(0);
      expect(none.stderr).to.contain("no /reports folder");
    });

    it("refuses an unknown target, the tag latest and a repository without a Dockerfile", () => {
      gitRepo(path.join(dir(), "service"));
      expect(runScript(dir(), "docker-build.sh", env(), ["deploy"]).stderr).to.contain('takes one target: build, test or image (got "deploy")');
      expect(runScript(dir(), "docker-build.sh", { ...env(), IMAGE_TAG: "latest" }, ["image"]).stderr).to.contain("never latest");
      fs.rmSync(path.join(dir(), "service/Dockerfile"));
      const r = runScript(dir(), "docker-build.sh", env(), ["build"]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("service/Dockerfile is missing");
      expect(callsOf(r, "docker", "build")).to.deep.equal([]);
    });
  });

  describe("scan.sh", () => {
    it("scans the built image for HIGH and CRITICAL vulnerabilities with an exit code of its own, honouring .trivyignore", () => {
      fs.mkdirSync(path.join(dir(), "service"));
      fs.writeFileSync(path.join(dir(), "service/.trivyignore"), "CVE-2026-0001 exp:2027-01-01\n");
      const r = runScript(dir(), "scan.sh", env());
      expect(r.status, r.stderr).to.equal(0);
      const [scan] = callsOf(r, "trivy", "image");
      expect(flag(scan!, "--severity")).to.equal("HIGH,CRITICAL");
      expect(flag(scan!, "--exit-code")).to.equal("5");
      expect(flag(scan!, "--ignorefile")).to.equal(path.join(dir(), "service/.trivyignore"));
      expect(scan!.args[scan!.args.length - 1]).to.equal(ARTIFACTORY_IMAGE);
    });

    it("fails the build on findings, and says so differently when the scanner itself failed", () => {
      const found = runScript(dir(), "scan.sh", { ...env(), FAKE_TRIVY_EXIT: "5" });
      expect(found.status).to.equal(1);
      expect(found.stderr).to.contain(`HIGH or CRITICAL vulnerabilities in ${ARTIFACTORY_IMAGE}`);
      const broken = runScript(dir(), "scan.sh", { ...env(), FAKE_TRIVY_EXIT: "1" });
      expect(broken.status).to.equal(1);
      expect(broken.stderr).to.contain("trivy failed (exit 1)").and.contain("not scanned");
    });
  });

  describe("push-artifactory.sh", () => {
    it("logs in with the token on stdin, pushes the tag and records the digest Artifactory holds", () => {
      const e = env();
      const r = runScript(dir(), "push-artifactory.sh", e);
      expect(r.status, r.stderr).to.equal(0);
      const [login] = callsOf(r, "docker", "login");
      expect(login!.stdin).to.equal(e.ARTIFACTORY_PASSWORD);
      expect(login!.args).to.deep.equal(["login", "--username", "svc-publisher", "--password-stdin", "tila.jfrog.io"]);
      expect(r.calls.flatMap((c) => c.args).some((a) => a.includes(e.ARTIFACTORY_PASSWORD!)), "the token is never an argument").to.equal(false);
      expect(callsOf(r, "docker", "push").map((c) => c.args)).to.deep.equal([["push", ARTIFACTORY_IMAGE]]);
      expect(fs.readFileSync(path.join(dir(), "out/image.digest"), "utf8")).to.equal(`${DIGEST_A}\n`);
    });

    it("never overwrites an existing tag, and fails when the registry's digest is not what docker pushed", () => {
      seedRegistry(dir(), ARTIFACTORY_IMAGE, `sha256:${"b".repeat(64)}`);
      const existing = runScript(dir(), "push-artifactory.sh", env());
      expect(existing.status).to.equal(1);
      expect(existing.stderr).to.contain(`${ARTIFACTORY_IMAGE} already exists`);
      expect(callsOf(existing, "docker", "push")).to.deep.equal([]);
      fs.rmSync(path.join(dir(), "state"), { recursive: true });
      const other = runScript(dir(), "push-artifactory.sh", { ...env(), FAKE_INSPECT_REPO: "elsewhere/catalog" });
      expect(other.status).to.equal(1);
      expect(other.stderr).to.contain("but docker pushed");
    });

    it("fails naming the credential when the Artifactory binding is missing", () => {
      const r = runScript(dir(), "push-artifactory.sh", { ...env(), ARTIFACTORY_PASSWORD: undefined });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("ARTIFACTORY_PASSWORD is not set (credential artifactory-publisher");
      expect(r.calls).to.deep.equal([]);
    });
  });

  describe("replicate-ecr.sh", () => {
    it("copies the pushed digest to the service's ECR repository under the same tag as the Jenkins role, and checks the digest", () => {
      writeOut("image.digest", DIGEST_A);
      const r = runScript(dir(), "replicate-ecr.sh", { ...env(), AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE12", AWS_PROFILE: "agent" });
      expect(r.status, r.stderr).to.equal(0);
      expect(callsOf(r, "crane", "copy").map((c) => c.args)).to.deep.equal([["copy", `tila.jfrog.io/tila-docker-local/catalog@${DIGEST_A}`, ECR_IMAGE]]);
      const [aws] = callsOf(r, "aws", "ecr", "get-login-password");
      expect(aws!.roleArn).to.equal(roleArn("aws", "111111111111", JENKINS_ROLE_NAME));
      expect(aws!.sessionName).to.equal("jenkins-catalog-42");
      expect(aws!.accessKey, "an agent's static key is never used").to.equal("");
      expect(aws!.region).to.equal("me-south-1");
      const logins = callsOf(r, "crane", "auth", "login");
      expect(logins.map((c) => [c.args[2], c.stdin])).to.deep.equal([["tila.jfrog.io", buildEnv(dir()).ARTIFACTORY_PASSWORD], [imageRegistry("111111111111", "me-south-1"), "ecr-registry-token"]]);
      expect(fs.readFileSync(path.join(dir(), "out/ecr-image"), "utf8")).to.equal(`${ECR_IMAGE}\n`);
    });

    it("accepts a re-run that finds the same digest, and refuses a tag holding another image or a copy that changed it", () => {
      writeOut("image.digest", DIGEST_A);
      seedRegistry(dir(), ECR_IMAGE, DIGEST_A);
      const rerun = runScript(dir(), "replicate-ecr.sh", env());
      expect(rerun.status, rerun.stderr).to.equal(0);
      expect(callsOf(rerun, "crane", "copy")).to.deep.equal([]);
      seedRegistry(dir(), ECR_IMAGE, `sha256:${"c".repeat(64)}`);
      expect(runScript(dir(), "replicate-ecr.sh", env()).stderr).to.contain("already holds sha256:ccc").and.contain("immutable");
      fs.rmSync(path.join(dir(), "state"), { recursive: true });
      const changed = runScript(dir(), "replicate-ecr.sh", { ...env(), FAKE_COPY_DIGEST: `sha256:${"d".repeat(64)}` });
      expect(changed.status).to.equal(1);
      expect(changed.stderr).to.contain("the copy changed the image");
    });

    it("fails naming the stage that writes the digest, and the OIDC credential when it is not bound", () => {
      expect(runScript(dir(), "replicate-ecr.sh", env()).stderr).to.contain("image.digest is missing: the Push to Artifactory stage writes it");
      const r = runScript(dir(), "replicate-ecr.sh", { ...env(), AWS_WEB_IDENTITY_TOKEN_FILE: undefined });
      expect(r.stderr).to.contain("AWS_WEB_IDENTITY_TOKEN_FILE is not set (credential tila-jenkins-oidc (OpenID Connect id token as file)");
      expect(r.calls).to.deep.equal([]);
    });
  });

  describe("image-definitions.sh", () => {
    it("zips exactly the imagedefinitions.json the ECS deploy action reads: the service's container and its ECR image", () => {
      for (const region of ["me-south-1", "cn-north-1"]) {
        const r = runScript(dir(), "image-definitions.sh", { ...env(), TILA_AWS_REGION: region });
        expect(r.status, r.stderr).to.equal(0);
        const zip = path.join(dir(), "out/imagedefinitions.zip");
        const list = spawnSync("unzip", ["-Z1", zip], { encoding: "utf8" });
        expect(list.stdout.split("\n").filter(Boolean)).to.deep.equal([IMAGE_DEFINITIONS_FILE]);
        const json = spawnSync("unzip", ["-p", zip, IMAGE_DEFINITIONS_FILE], { encoding: "utf8" }).stdout;
        expect(JSON.parse(json)).to.deep.equal([{ name: "catalog", imageUri: `${platformImagePrefix("111111111111", region, "catalog")}:0123456789ab-b42` }]);
      }
    });

    it("fails naming every missing variable", () => {
      const r = runScript(dir(), "image-definitions.sh", { ...env(), SERVICE: undefined, JOB_BASE_NAME: undefined, IMAGE_TAG: undefined });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("SERVICE is not set").and.contain("IMAGE_TAG is not set (set by the Checkout stage from image-tag.sh)");
    });
  });

  describe("publish-source.sh", () => {
    it("puts the zip to the service's source object in management and records the version S3 gives it", () => {
      writeOut("imagedefinitions.zip", "PK");
      const r = runScript(dir(), "publish-source.sh", env());
      expect(r.status, r.stderr).to.equal(0);
      const [put] = callsOf(r, "aws", "s3api", "put-object");
      expect(flag(put!, "--bucket")).to.equal(sourceBucketName("111111111111", "me-south-1"));
      expect(flag(put!, "--key")).to.equal(sourceObjectKey("catalog"));
      expect(flag(put!, "--body")).to.equal(path.join(dir(), "out/imagedefinitions.zip"));
      expect(flag(put!, "--expected-bucket-owner")).to.equal("111111111111");
      expect(flag(put!, "--query")).to.equal("VersionId");
      expect(put!.roleArn).to.equal(roleArn("aws", "111111111111", JENKINS_ROLE_NAME));
      expect(fs.readFileSync(path.join(dir(), "out/source.version"), "utf8")).to.equal("3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH\n");
    });

    it("fails when the bucket gives no version (versioning off), and without the zip", () => {
      writeOut("imagedefinitions.zip", "PK");
      const none = runScript(dir(), "publish-source.sh", { ...env(), FAKE_VERSION_ID: "None" });
      expect(none.status).to.equal(1);
      expect(none.stderr).to.contain("no VersionId").and.contain("versioning");
      expect(fs.existsSync(path.join(dir(), "out/source.version"))).to.equal(false);
      fs.rmSync(path.join(dir(), "out/imagedefinitions.zip"));
      expect(runScript(dir(), "publish-source.sh", env()).stderr).to.contain("imagedefinitions.zip is missing");
    });
  });

  describe("start-pipeline.sh", () => {
    it("starts the service's pipeline on the published version with the tag variable, idempotently, and prints the execution and its link", () => {
      writeOut("source.version", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH");
      const r = runScript(dir(), "start-pipeline.sh", env());
      expect(r.status, r.stderr).to.equal(0);
      const [start] = callsOf(r, "aws", "codepipeline", "start-pipeline-execution");
      expect(flag(start!, "--name")).to.equal(pipelineName("catalog"));
      expect(JSON.parse(flag(start!, "--source-revisions")!)).to.deep.equal([
        { actionName: SOURCE_ACTION_NAME, revisionType: "S3_OBJECT_VERSION_ID", revisionValue: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH" },
      ]);
      expect(JSON.parse(flag(start!, "--variables")!)).to.deep.equal([{ name: IMAGE_TAG_VARIABLE, value: "0123456789ab-b42" }]);
      expect(flag(start!, "--client-request-token")).to.equal("jenkins-catalog-0123456789ab-b42").and.match(/^[a-zA-Z0-9-]{1,128}$/);
      expect(start!.roleArn).to.equal(roleArn("aws", "111111111111", JENKINS_ROLE_NAME));
      const id = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
      expect(flag(callsOf(r, "aws", "codepipeline", "get-pipeline-execution")[0]!, "--pipeline-execution-id")).to.equal(id);
      expect(r.stdout).to.contain(`started tila-catalog execution ${id} (InProgress)`);
      expect(r.stdout).to.contain(`https://me-south-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/tila-catalog/executions/${id}/timeline?region=me-south-1`);
      expect(fs.readFileSync(path.join(dir(), "out/pipeline.execution"), "utf8")).to.equal(`${id}\n`);
    });

    it("fails on an answer that is not an execution id, and without the published version", () => {
      writeOut("source.version", "v1");
      const r = runScript(dir(), "start-pipeline.sh", { ...env(), FAKE_EXECUTION_ID: "None" });
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain('CodePipeline returned "None" as the execution id of tila-catalog');
      fs.rmSync(path.join(dir(), "out/source.version"));
      expect(runScript(dir(), "start-pipeline.sh", env()).stderr).to.contain("source.version is missing: the Publish source stage writes it");
    });
  });

  describe("cleanup.sh", () => {
    it("removes the build's registry logins and never fails, even with nothing set", () => {
      const e = env();
      fs.mkdirSync(e.DOCKER_CONFIG!, { recursive: true });
      fs.writeFileSync(path.join(e.DOCKER_CONFIG!, "config.json"), "{}");
      const r = runScript(dir(), "cleanup.sh", e);
      expect(r.status, r.stderr).to.equal(0);
      expect(fs.existsSync(e.DOCKER_CONFIG!)).to.equal(false);
      expect(callsOf(r, "docker", "image", "rm")[0]!.args).to.include(ARTIFACTORY_IMAGE);
      expect(runScript(dir(), "cleanup.sh", {}).status).to.equal(0);
    });
  });
});
