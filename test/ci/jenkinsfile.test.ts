/**
 * The shared Jenkinsfile (pipelines/jenkins/Jenkinsfile), read with the structural Groovy reader:
 * the declarative sections in order, every stage in order, the options and parameters, credentials
 * only by id and only in the stages that need them, no literal account, key or host, and every `sh`
 * step a single-quoted call of a stage script that exists (or a one-liner that passes shellcheck).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { shellcheckAll } from "../data/shellcheck";
import {
  GroovySyntaxError,
  Statement,
  Token,
  callStrings,
  child,
  children,
  firstString,
  nameOf,
  namedStrings,
  parseGroovy,
  shSteps,
  tokenize,
  walk,
} from "./jenkinsfileReader";

const ROOT = path.resolve(__dirname, "../..");
const DIR = path.join(ROOT, "pipelines/jenkins");
const SOURCE = fs.readFileSync(path.join(DIR, "Jenkinsfile"), "utf8");
const TOP = parseGroovy(SOURCE);
const PIPELINE = TOP.find((s) => nameOf(s) === "pipeline");
const STAGES = children(child(PIPELINE, "stages"), "stage");

const STAGE_ORDER = [
  "Checkout", "Build", "Unit test", "Image", "Scan", "Push to Artifactory", "Replicate to ECR", "Source artefact", "Publish source", "Start pipeline",
];
/** The Jenkins credentials the file uses, each bound where it is needed and nowhere else. */
const CREDENTIALS = { artifactory: "artifactory-publisher", oidc: "tila-jenkins-oidc", git: "tila-services-git" };

function tokensUnder(s: Statement | undefined): Token[] {
  return s ? [...walk([s])].flatMap(({ statement }) => [...statement.head]) : [];
}

function stage(name: string): Statement {
  const s = STAGES.find((st) => firstString(st)?.text === name);
  expect(s, `stage ${name}`).to.not.equal(undefined);
  return s!;
}

function credentialIdsIn(s: Statement | undefined): string[] {
  const tokens = tokensUnder(s);
  return [...namedStrings(tokens, "credentialsId"), ...callStrings(tokens, "credentials")].map((t) => t.text);
}

describe("Jenkinsfile (pipelines/jenkins/Jenkinsfile)", function () {
  this.timeout(120000);

  it("is read by a reader that refuses broken Groovy, naming the line", () => {
    expect(() => tokenize("pipeline {\n  stages {\n}\n")).to.throw(GroovySyntaxError, /line 1: "\{" is never closed/);
    expect(() => tokenize("steps {\n  sh 'echo\n}\n")).to.throw(GroovySyntaxError, /line 2: unterminated ' string/);
    expect(() => tokenize("options { timeout(time: 5] }")).to.throw(GroovySyntaxError, /"\]" closes "\("/);
    expect(() => tokenize("a /* never closed")).to.throw(GroovySyntaxError, /unterminated \/\* comment/);
    expect(() => tokenize('sh "${x"')).to.throw(GroovySyntaxError, /unterminated/);
    // Valid Groovy the npm grammars stumble on: empty strings, GStrings, triple quotes, comments.
    const ok = parseGroovy("def a = ''\ndef b = \"x ${a.size()} $a\" // c\nsh '''\n  echo 'hi'\n'''\n");
    expect(ok.map(nameOf)).to.deep.equal(["def", "def", "sh"]);
    expect(shSteps(ok)[0]!.script.quote).to.equal("'''");
  });

  it("is one declarative pipeline with its sections in order and every stage in order", () => {
    expect(TOP.map(nameOf)).to.deep.equal(["pipeline"]);
    expect(children(PIPELINE).map(nameOf)).to.deep.equal(["agent", "options", "parameters", "environment", "stages", "post"]);
    expect(STAGES.map((s) => firstString(s)?.text)).to.deep.equal(STAGE_ORDER);
    for (const s of STAGES) expect(child(s, "steps"), `stage ${firstString(s)?.text} has steps`).to.not.equal(undefined);
    expect(child(PIPELINE, "agent")!.head.map((t) => t.text).join(" "), "runs on a labelled agent with Docker, never `agent any`").to.equal("agent");
    expect(firstString(child(child(PIPELINE, "agent"), "label")!)?.text).to.equal("tila-docker");
  });

  it("bounds every build: a timeout, no concurrent builds of one service, old builds discarded", () => {
    const options = children(child(PIPELINE, "options")).map((s) => s.head.map((t) => t.text).join(""));
    expect(options).to.deep.equal([
      "timeout(time:60,unit:MINUTES)",
      "disableConcurrentBuilds()",
      "buildDiscarder(logRotator(numToKeepStr:50,artifactNumToKeepStr:20))",
    ]);
  });

  it("takes the service, the Git ref and whether to start the pipeline as parameters, each described", () => {
    const params = children(child(PIPELINE, "parameters"));
    expect(params.map((p) => [nameOf(p), namedStrings(p.head, "name")[0]?.text])).to.deep.equal([
      ["string", "SERVICE"], ["string", "GIT_REF"], ["booleanParam", "START_PIPELINE"],
    ]);
    for (const p of params) expect(namedStrings(p.head, "description")[0]?.text ?? "", `${namedStrings(p.head, "name")[0]?.text} is described`).to.have.length.greaterThan(20);
    // The pipeline is started only when asked; publishing the image does not depend on it.
    const when = child(stage("Start pipeline"), "when");
    expect(tokensUnder(when).map((t) => t.text).join("")).to.equal("whenexpressionparams.START_PIPELINE");
  });

  it("names every credential by id, binds each only in the stages that use it, and binds none in build, test, image or scan", () => {
    expect(credentialIdsIn(PIPELINE).sort()).to.deep.equal([
      CREDENTIALS.artifactory, CREDENTIALS.artifactory, CREDENTIALS.oidc, CREDENTIALS.oidc, CREDENTIALS.oidc, CREDENTIALS.git,
    ].sort());
    expect(credentialIdsIn(child(PIPELINE, "environment")), "no pipeline-wide credential").to.deep.equal([]);
    const expected: Record<string, string[]> = {
      Checkout: [CREDENTIALS.git],
      "Push to Artifactory": [CREDENTIALS.artifactory],
      "Replicate to ECR": [CREDENTIALS.artifactory, CREDENTIALS.oidc],
      "Publish source": [CREDENTIALS.oidc],
      "Start pipeline": [CREDENTIALS.oidc],
    };
    for (const name of STAGE_ORDER) expect(credentialIdsIn(stage(name)), name).to.deep.equal(expected[name] ?? []);
  });

  it("hands the OIDC ID token to the AWS CLI as a file and the Artifactory token as a username and password", () => {
    const bindings = [...walk(STAGES)].map(({ statement }) => statement).filter((s) => nameOf(s) === "withCredentials").flatMap((s) => {
      const h = s.head;
      return h.flatMap((t, i) => (t.kind === "ident" && ["file", "usernamePassword", "string"].includes(t.text) && h[i + 1]?.text === "(" ? [t.text] : []));
    });
    expect(bindings.sort()).to.deep.equal(["file", "file", "file", "usernamePassword", "usernamePassword"].sort());
    const tokens = tokensUnder(PIPELINE);
    expect(namedStrings(tokens, "variable").map((t) => t.text)).to.deep.equal(Array(3).fill("AWS_WEB_IDENTITY_TOKEN_FILE"));
    expect(namedStrings(tokens, "usernameVariable").map((t) => t.text)).to.deep.equal(["ARTIFACTORY_USER", "ARTIFACTORY_USER"]);
    expect(namedStrings(tokens, "passwordVariable").map((t) => t.text)).to.deep.equal(["ARTIFACTORY_PASSWORD", "ARTIFACTORY_PASSWORD"]);
  });

  it("holds no literal account id, access key, ARN, registry host or password", () => {
    const strings = tokenize(SOURCE).filter((t) => t.kind === "string").map((t) => t.text);
    for (const s of strings) {
      expect(s, "an account id").to.not.match(/\b\d{12}\b/);
      expect(s, "an access key").to.not.match(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
      expect(s, "an ARN").to.not.match(/arn:aws/);
      expect(s, "a registry host").to.not.match(/amazonaws\.com|jfrog\.io|\.tila\.sa/);
    }
    expect(tokenize(SOURCE).some((t) => t.kind === "ident" && /^password$/i.test(t.text)), "no password parameter").to.equal(false);
  });

  it("runs every sh step as a single-quoted call of an executable stage script that exists (no Groovy interpolation of secrets)", async () => {
    const steps = shSteps(TOP);
    expect(steps.map((s) => s.stage ?? "post")).to.deep.equal([
      "Checkout", "Checkout", "Build", "Unit test", "Image", "Scan", "Push to Artifactory", "Replicate to ECR", "Source artefact", "Publish source", "Start pipeline", "post",
    ]);
    const oneLiners: string[] = [];
    for (const { script } of steps) {
      expect(script.quote, script.text).to.equal("'");
      expect(script.interpolated, script.text).to.equal(false);
      const m = /^pipelines\/jenkins\/([a-z-]+\.sh)(?: ([a-z]+))?$/.exec(script.text);
      if (!m) {
        oneLiners.push(`#!/usr/bin/env bash\n${script.text}\n`);
        continue;
      }
      const file = path.join(DIR, m[1]!);
      expect(fs.existsSync(file), file).to.equal(true);
      expect(fs.statSync(file).mode & 0o111, `${file} is executable`).to.not.equal(0);
    }
    const results = await shellcheckAll(oneLiners);
    results.forEach((r, i) => expect(r.output, oneLiners[i]).to.equal(""));
  });

  it("is documented in docs/delivery.md: every stage, credential id, global variable and parameter", () => {
    const docs = fs.readFileSync(path.join(ROOT, "docs/delivery.md"), "utf8");
    const section = docs.slice(docs.indexOf("## Jenkins for service images"), docs.indexOf("## Service pipelines"));
    expect(section.length).to.be.greaterThan(1000);
    const lib = fs.readFileSync(path.join(DIR, "lib.sh"), "utf8");
    const globals = [...lib.matchAll(/\[([A-Z_]+)\]="Jenkins global variable/g)].map((m) => m[1]!);
    expect(globals).to.have.length(5);
    const params = children(child(PIPELINE, "parameters")).map((p) => namedStrings(p.head, "name")[0]!.text);
    for (const name of [...STAGE_ORDER.map((st) => `\`${st}\``), ...Object.values(CREDENTIALS), ...globals, ...params]) {
      expect(section, name).to.contain(name);
    }
  });

  it("keeps the registry logins in the build's own folder and archives, then cleans, whatever the result", () => {
    const env = children(child(PIPELINE, "environment")).map((s) => s.head.map((t) => (t.kind === "string" ? `"${t.text}"` : t.text)).join(" "));
    expect(env).to.include('DOCKER_CONFIG = "${env.WORKSPACE_TMP}/docker-config"');
    const post = child(PIPELINE, "post");
    expect(children(post).map(nameOf)).to.deep.equal(["always", "cleanup"]);
    expect(children(child(post, "always")).map(nameOf)).to.deep.equal(["archiveArtifacts"]);
    expect(children(child(post, "cleanup")).map((s) => s.head.map((t) => t.text).join(""))).to.deep.equal(["shpipelines/jenkins/cleanup.sh", "deleteDir()"]);
  });
});
