import { expect } from "chai";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import * as fs from "fs";
import { hubAccessEnvironments } from "../../config/accounts";
import { readStackFiles } from "../../config/load";
import { STACKS, StackName } from "../../config/schema";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

/** `aws:allowedAccountIds` of a real stack file, as the Pulumi CLI hands it to the program (JSON). */
function allowedOf(stack: StackName): string | undefined {
  const doc = parseYaml(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const v = doc.config["aws:allowedAccountIds"];
  return v === undefined ? undefined : JSON.stringify(v);
}

/** Only the issues on the keys this file is about (other checks of the stack files are not its business). */
const ACCOUNT_KEYS = /^(tila-platform:(accountId|accountMode|hubRoleArn)|aws:allowedAccountIds):/;
function accountIssues(stack: StackName, raw: RawConfig, others: Partial<Record<StackName, RawConfig>>, allowed: unknown): string[] {
  return issues(stack, raw, others, allowed).filter((i) => ACCOUNT_KEYS.test(i));
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Issues of `stack` with its raw config replaced (and the other files as given), with its aws: keys. */
function issues(stack: StackName, raw: RawConfig, others: Partial<Record<StackName, RawConfig>> = real, allowed: unknown = allowedOf(stack)): string[] {
  const r = validateStackConfig(stack, "me-south-1", raw, { ...others, [stack]: raw }, { allowedAccountIds: allowed });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("account guards in config", () => {
  for (const stack of STACKS) {
    it(`accepts the real ${stack} file with its aws:allowedAccountIds`, () => {
      expect(allowedOf(stack), `Pulumi.${stack}.yaml aws:allowedAccountIds`).to.equal(JSON.stringify([real[stack]!.accountId]));
      expect(issues(stack, real[stack]!)).to.deep.equal([]);
    });
  }

  it("gives every stack an account of its own", () => {
    const accounts = STACKS.map((s) => real[s]!.accountId);
    expect(new Set(accounts).size).to.equal(STACKS.length);
  });

  it("requires aws:allowedAccountIds, naming the key and the value to set", () => {
    const r = validateStackConfig("prod", "me-south-1", real.prod!, real, {});
    expect(r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
      'aws:allowedAccountIds: required: set it to ["444444444444"] so the AWS provider refuses to run with another account\'s credentials',
    ]);
  });

  it("requires aws:allowedAccountIds to be exactly this stack's account", () => {
    expect(issues("prod", real.prod!, real, '["111111111111"]')).to.deep.equal([
      'aws:allowedAccountIds: must be ["444444444444"], this stack\'s tila-platform:accountId (got ["111111111111"])',
    ]);
    expect(issues("prod", real.prod!, real, '["444444444444","222222222222"]')[0]).to.match(/^aws:allowedAccountIds: must be \["444444444444"\]/);
    expect(issues("prod", real.prod!, real, "444444444444")).to.deep.equal(['aws:allowedAccountIds: must be a list of 12-digit account ids, ["444444444444"]']);
    expect(issues("prod", real.prod!, real, ["444444444444"])).to.deep.equal([]);
  });

  it("refuses an account named twice, on both stacks that name it", () => {
    const stage = clone(real.stage!);
    stage.accountId = "222222222222";
    const others = { ...real, stage };
    expect(issues("stage", stage, others, '["222222222222"]')).to.deep.equal([
      "tila-platform:accountId: 222222222222 is also the account of Pulumi.dev.yaml; every stack needs an account of its own (or tila-platform:accountMode: single in every stack file)",
    ]);
    expect(issues("dev", real.dev!, others)).to.deep.equal([
      "tila-platform:accountId: 222222222222 is also the account of Pulumi.stage.yaml; every stack needs an account of its own (or tila-platform:accountMode: single in every stack file)",
    ]);
  });

  it("allows one account for every stack only in single-account mode chosen in every file", () => {
    const single: Partial<Record<StackName, RawConfig>> = {};
    for (const s of STACKS) {
      const raw = clone(real[s]!);
      raw.accountId = "111111111111";
      raw.accountMode = "single";
      delete raw.hubRoleArn;
      single[s] = raw;
    }
    for (const s of STACKS) expect(accountIssues(s, single[s]!, single, '["111111111111"]'), s).to.deep.equal([]);

    const mixed = { ...single, prod: { ...single.prod!, accountMode: "multi" } };
    expect(accountIssues("dev", single.dev!, mixed, '["111111111111"]')).to.deep.equal([
      'tila-platform:accountMode: is "single" here but "multi" in Pulumi.prod.yaml; choose one mode in every stack file',
    ]);
    const elsewhere = { ...single, dev: { ...single.dev!, accountId: "222222222222" } };
    expect(accountIssues("dev", elsewhere.dev, elsewhere, '["222222222222"]')).to.deep.equal([
      "tila-platform:accountId: 222222222222 differs from management's 111111111111; accountMode single puts every stack in management's account",
    ]);
    expect(accountIssues("dev", { ...single.dev!, hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-dev" }, single, '["111111111111"]')).to.deep.equal([
      "tila-platform:hubRoleArn: not used: dev is in management's account 111111111111, so it needs no hub role; remove the key",
    ]);
    expect(issues("dev", { ...single.dev!, accountMode: "shared" }, single, '["111111111111"]')[0]).to.match(/^tila-platform:accountMode: /);
  });

  it("holds hubRoleArn to the role the management stack creates for the environment", () => {
    const prod = clone(real.prod!);
    prod.hubRoleArn = "arn:aws:iam::111111111111:role/tila-platform-network-hub";
    expect(issues("prod", prod)).to.deep.equal([
      'tila-platform:hubRoleArn: must be "arn:aws:iam::111111111111:role/tila-platform-hub-prod", the role the management stack creates for prod (got "arn:aws:iam::111111111111:role/tila-platform-network-hub")',
    ]);
    prod.hubRoleArn = "arn:aws:iam::111111111111:role/tila-platform-hub-dev";
    expect(issues("prod", prod)[0]).to.match(/must be "arn:aws:iam::111111111111:role\/tila-platform-hub-prod"/);
    delete prod.hubRoleArn;
    expect(issues("prod", prod)[0]).to.match(/^tila-platform:hubRoleArn: required: .*\(arn:aws:iam::111111111111:role\/tila-platform-hub-prod\)$/);
  });

  it("tells management each environment's account, public names and endpoint mode", () => {
    const envs = hubAccessEnvironments(real);
    expect(envs.map((e) => [e.name, e.accountId, e.domain, e.apiHost, e.webHost, e.centralEndpoints])).to.deep.equal([
      ["dev", "222222222222", "tila.sa", "api", "www", true],
      ["stage", "555555555555", "tila.sa", "api", "www", true],
      ["preprod", "333333333333", "tila.sa", "api", "www", true],
      ["prod", "444444444444", "tila.sa", "api", "www", true],
    ]);
    const local = { ...real, stage: { ...clone(real.stage!), edge: { ...(real.stage!.edge as object), apiHost: "gateway" }, network: { ...(real.stage!.network as object), endpoints: "local" } } };
    const stage = hubAccessEnvironments(local).find((e) => e.name === "stage")!;
    expect([stage.apiHost, stage.centralEndpoints]).to.deep.equal(["gateway", false]);
    expect(hubAccessEnvironments({ ...real, dev: { ...clone(real.dev!), accountId: "x" } }).map((e) => e.name)).to.deep.equal(["stage", "preprod", "prod"]);
  });
});
