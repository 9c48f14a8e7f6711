import { expect } from "chai";
import * as path from "path";
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_ORGANIZATION,
  DEFAULT_REGION,
  listStacks,
  loadStackConfig,
  parseStackName,
  referencedStacks,
  sortStacks,
} from "../../offline/stackConfig";

const DIR = path.resolve(__dirname, "../fixtures/stack-config");
const load = (stack: string, configFile?: string) => loadStackConfig(stack, { projectDir: DIR, configFile });

describe("loadStackConfig", () => {
  describe("flattening Pulumi.<stack>.yaml", () => {
    const alpha = load("alpha");

    it("reads the project name from Pulumi.yaml", () => {
      expect(alpha.project).to.equal("fixture-proj");
      expect(alpha.stack).to.equal("alpha");
    });

    it("puts keys without a namespace in the project namespace", () => {
      expect(alpha.config["fixture-proj:count"]).to.equal("3");
      expect(alpha.config).to.not.have.property("count");
    });

    it("turns numbers and booleans into strings", () => {
      expect(alpha.config["fixture-proj:enabled"]).to.equal("true");
      expect(alpha.config["fixture-proj:ratio"]).to.equal("0.5");
    });

    it("JSON-encodes objects and arrays so requireObject can parse them", () => {
      expect(JSON.parse(alpha.config["fixture-proj:network"])).to.deep.equal({ cidr: "10.10.0.0/16", azs: ["a", "b"] });
      expect(JSON.parse(alpha.config["fixture-proj:offices"])).to.deep.equal([{ name: "riyadh", cidr: "172.16.0.0/16" }]);
    });

    it("replaces a secure value with the marked placeholder and lists the key as secret", () => {
      expect(alpha.config["fixture-proj:dbPassword"]).to.equal("offline-placeholder:fixture-proj:dbPassword");
      expect(alpha.secretKeys).to.include("fixture-proj:dbPassword");
    });

    it("replaces a secure value nested in an object and marks the whole key secret", () => {
      expect(JSON.parse(alpha.config["fixture-proj:vpn"])).to.deep.equal({
        sharedKey: "offline-placeholder:fixture-proj:vpn.sharedKey",
        asn: 65000,
      });
      expect(alpha.secretKeys).to.include("fixture-proj:vpn");
    });

    it("never leaks ciphertext into the config map", () => {
      expect(Object.values(alpha.config).join("\n")).to.not.match(/v1:|secure/);
    });

    it("lets stack values override project defaults", () => {
      expect(alpha.config["fixture-proj:retentionDays"]).to.equal("90");
    });

    it("takes region, account and organization from the stack's config", () => {
      expect(alpha.region).to.equal("eu-west-1");
      expect(alpha.accountId).to.equal("222233334444");
      expect(alpha.organization).to.equal("acme");
    });
  });

  describe("project defaults and fallbacks", () => {
    const beta = load("beta");

    it("applies project-level config from Pulumi.yaml: plain values, `value:` and declared defaults", () => {
      expect(beta.config["fixture-proj:logLevel"]).to.equal("info");
      expect(beta.config["fixture-proj:retentionDays"]).to.equal("30");
      expect(JSON.parse(beta.config["fixture-proj:ingest"])).to.deep.equal({ batch: 100 });
    });

    it("leaves out a declared key without a default and marks a `secret: true` default secret", () => {
      expect(beta.config).to.not.have.property("fixture-proj:described");
      expect(beta.config["fixture-proj:apiKey"]).to.equal("not-really-secret");
      expect(beta.secretKeys).to.deep.equal(["fixture-proj:apiKey"]);
    });

    it("falls back to the documented region, account and organization", () => {
      expect(beta.region).to.equal(DEFAULT_REGION).and.to.equal("me-south-1");
      expect(beta.accountId).to.equal(DEFAULT_ACCOUNT_ID);
      expect(beta.organization).to.equal(DEFAULT_ORGANIZATION).and.to.equal("tila");
    });

    it("reads Pulumi.<stack>.yml and warns that ESC environments cannot be resolved", () => {
      const gamma = load("gamma");
      expect(gamma.config["fixture-proj:name"]).to.equal("gamma");
      expect(gamma.configFile).to.equal(path.join(DIR, "Pulumi.gamma.yml"));
      expect(gamma.warnings.join()).to.match(/environment/);
      expect(beta.warnings).to.deep.equal([]);
    });
  });

  it("reads an explicit config file instead of Pulumi.<stack>.yaml", () => {
    const cfg = load("beta", path.join(DIR, "override.yaml"));
    expect(cfg.config["fixture-proj:name"]).to.equal("from-override-file");
    expect(cfg.region).to.equal("me-central-1");
    expect(cfg.config["fixture-proj:logLevel"], "project defaults still apply").to.equal("info");
  });

  it("names the file it cannot read", () => {
    expect(() => load("missing")).to.throw(/Pulumi\.missing\.yaml/);
  });
});

describe("stack names", () => {
  it("lists the stacks that have a stack file, known stacks in platform order", () => {
    expect(listStacks(DIR)).to.deep.equal(["alpha", "beta", "gamma"]);
    expect(sortStacks(["zeta", "prod", "dev", "management", "alpha", "stage", "preprod"])).to.deep.equal([
      "management", "dev", "stage", "preprod", "prod", "alpha", "zeta",
    ]);
  });

  it("parses org/project/stack and bare names, and rejects other shapes", () => {
    expect(parseStackName("tila/tila-platform/management")).to.deep.equal({ organization: "tila", project: "tila-platform", stack: "management" });
    expect(parseStackName("dev")).to.deep.equal({ stack: "dev" });
    expect(parseStackName("tila/dev")).to.equal(undefined);
    expect(parseStackName("tila//dev")).to.equal(undefined);
  });

  it("finds config values that reference another stack of the same project", () => {
    const refs = referencedStacks(load("alpha"));
    expect(refs).to.deep.equal([{ key: "fixture-proj:managementStack", fullName: "acme/fixture-proj/hub", stack: "hub" }]);
  });
});
