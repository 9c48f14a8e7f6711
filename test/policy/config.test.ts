import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadPolicyConfigs, repositoryPolicySetup } from "../../offline/policyPlan";
import { resolvePackConfig } from "../../offline/policyConfig";
import { OVERRIDES, STACKS, StackOverride, stackConfig } from "../../policy/enforcement";
import { generateConfigs, staleConfigs } from "../../policy/generateConfig";
import { PACK_ENFORCEMENT_LEVEL } from "../../policy/pack";
import { DOMAINS, RULES, assembleRules } from "../../policy/rules";
import type { Rule, RuleCategory } from "../../policy/rules/types";

const ROOT = path.resolve(__dirname, "../..");
const POLICY = path.join(ROOT, "policy");

function rule(name: string, category: RuleCategory, domain = "data", extra: Partial<Rule> = {}): Rule {
  return { name, description: `${name}.`, meta: { category, domain, appliesTo: [] }, validateResource: () => undefined, ...extra } as Rule;
}

describe("policy pack configuration", () => {
  describe("policy/config/<stack>.json", () => {
    it("match what npm run policy:config generates from the rules", () => {
      expect(staleConfigs(), "run npm run policy:config").to.deep.equal([]);
    });

    it("exist for exactly the project's stacks", () => {
      const files = fs.readdirSync(path.join(POLICY, "config")).filter((f) => f.endsWith(".json")).sort();
      expect(files).to.deep.equal(STACKS.map((s) => `${s}.json`).sort());
    });

    it("resolve without errors against the rules (levels valid, schemas satisfied)", () => {
      const { errors } = loadPolicyConfigs(repositoryPolicySetup(), STACKS);
      expect(errors).to.deep.equal([]);
    });

    it("detect a stale file", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-policy-config-"));
      try {
        // The pack's rules plus one: OVERRIDES name rules of the pack.
        const extra = [...RULES, rule("new-rule", "security")];
        for (const [stack, text] of Object.entries(generateConfigs(extra))) fs.writeFileSync(path.join(dir, `${stack}.json`), text);
        fs.writeFileSync(path.join(dir, "prod.json"), "{}\n");
        expect(staleConfigs(dir, extra)).to.deep.equal(["prod"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("the enforcement model", () => {
    const rules = [rule("encrypted", "security"), rule("multi-az", "availability")];

    it("makes security rules mandatory in every stack", () => {
      for (const stack of STACKS) expect(stackConfig(rules, stack, [])["encrypted"], stack).to.equal("mandatory");
    });

    it("makes availability rules mandatory in prod, preprod and management, advisory in dev and stage", () => {
      const levels = Object.fromEntries(STACKS.map((s) => [s, stackConfig(rules, s, [])["multi-az"]]));
      expect(levels).to.deep.equal({ management: "mandatory", dev: "advisory", stage: "advisory", preprod: "mandatory", prod: "mandatory" });
    });

    it("applies a per-stack override with its config, in the CLI's format", () => {
      const withSchema = [rules[0], rule("retention", "availability", "data", { configSchema: { properties: { days: { type: "integer", minimum: 1 } } } })];
      const overrides: StackOverride[] = [
        { stack: "dev", rule: "encrypted", level: "disabled", reason: "dev buckets hold only synthetic data" },
        { stack: "prod", rule: "retention", config: { days: 35 }, reason: "prod keeps five weeks of backups" },
      ];
      expect(stackConfig(withSchema, "dev", overrides)).to.deep.equal({ encrypted: "disabled", retention: "advisory" });
      const prod = stackConfig(withSchema, "prod", overrides);
      expect(prod).to.deep.equal({ encrypted: "mandatory", retention: { enforcementLevel: "mandatory", days: 35 } });
      expect(resolvePackConfig(withSchema, prod).policies.get("retention")).to.deep.equal({ level: "mandatory", config: { days: 35 } });
    });

    it("rejects an override without a reason or for a rule that does not exist", () => {
      expect(() => stackConfig(rules, "dev", [{ stack: "dev", rule: "encrypted", level: "advisory", reason: "" }])).to.throw(/needs a reason/);
      expect(() => stackConfig(rules, "dev", [{ stack: "dev", rule: "gone", level: "advisory", reason: "no longer relevant here" }])).to.throw(/no rule of that name/);
    });

    it("keeps the committed overrides valid", () => {
      expect(() => STACKS.map((s) => stackConfig(RULES, s, OVERRIDES))).not.to.throw();
    });

    it("fails closed: the pack default is mandatory, so a rule missing from a config is enforced", () => {
      expect(PACK_ENFORCEMENT_LEVEL).to.equal("mandatory");
      expect(resolvePackConfig([rules[1]], {}, PACK_ENFORCEMENT_LEVEL).policies.get("multi-az")?.level).to.equal("mandatory");
    });
  });

  describe("the rule registry", () => {
    it("rejects duplicate names, bad names and a domain mismatch, listing every problem", () => {
      const bad = () =>
        assembleRules({
          data: [rule("same", "security"), rule("Bad_Name", "security"), rule("all", "security")],
          network: [rule("same", "security", "network"), rule("misfiled", "security", "data")],
        });
      expect(bad).to.throw(/duplicate rule name "same" \(in data, network\)/);
      expect(bad).to.throw(/"Bad_Name": name must match/);
      expect(bad).to.throw(/"all": name must match/);
      expect(bad).to.throw(/"misfiled": meta.domain is "data"/);
    });

    it("has a domain entry for every folder under policy/rules", () => {
      const folders = fs
        .readdirSync(path.join(POLICY, "rules"), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
      expect(Object.keys(DOMAINS).sort()).to.deep.equal(folders.sort());
    });

    it("lists every rule a rule file exports in its domain's index", () => {
      // By name, not identity: the offline engine clears project modules between stack runs, so a
      // rule file required here may be a fresh copy of the object RULES holds.
      const registered = new Set<unknown>(RULES.map((r) => r.name));
      const missing: string[] = [];
      for (const domain of Object.keys(DOMAINS)) {
        const dir = path.join(POLICY, "rules", domain);
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts" && !f.endsWith(".test.ts"))) {
          // eslint-disable-next-line @typescript-eslint/no-require-imports
          const mod = require(path.join(dir, file)) as Record<string, unknown>;
          for (const [exported, value] of Object.entries(mod)) {
            const looksLikeRule = typeof value === "object" && value !== null && "meta" in value && ("validateResource" in value || "validateStack" in value);
            if (looksLikeRule && !registered.has((value as unknown as { name: string }).name)) missing.push(`${domain}/${file}: ${exported}`);
          }
        }
      }
      expect(missing, "add these to their domain's index.ts").to.deep.equal([]);
    });
  });

  describe("the pack's files", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(POLICY, "package.json"), "utf8")) as { version?: string; dependencies: Record<string, string> };
    const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };

    it("pin @pulumi/policy and @pulumi/pulumi to the root's exact versions and carry a version", () => {
      expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
      for (const dep of ["@pulumi/policy", "@pulumi/pulumi"]) expect(pkg.dependencies[dep], dep).to.equal(root.dependencies[dep]);
      for (const [dep, version] of Object.entries(pkg.dependencies)) expect(version, dep).to.match(/^\d+\.\d+\.\d+$/);
    });

    it("lock exactly the versions package.json names", () => {
      const lock = JSON.parse(fs.readFileSync(path.join(POLICY, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; dependencies?: Record<string, string> }> };
      expect(lock.packages[""].dependencies).to.deep.equal(pkg.dependencies);
      for (const [dep, version] of Object.entries(pkg.dependencies)) expect(lock.packages[`node_modules/${dep}`]?.version, dep).to.equal(version);
    });

    it("declare a nodejs PulumiPolicy.yaml", () => {
      expect(fs.readFileSync(path.join(POLICY, "PulumiPolicy.yaml"), "utf8")).to.match(/^runtime: nodejs$/m);
    });

    it("construct PolicyPack only in policy/index.ts", () => {
      const offenders: string[] = [];
      const walk = (dir: string): void => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          if (["node_modules", ".git", "out", "bin"].includes(e.name)) continue;
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith(".ts") && /new\s+PolicyPack\s*\(/.test(fs.readFileSync(p, "utf8"))) offenders.push(path.relative(ROOT, p));
        }
      };
      for (const dir of ["policy", "offline", "components", "stacks", "config", "automation"]) if (fs.existsSync(path.join(ROOT, dir))) walk(path.join(ROOT, dir));
      expect(offenders).to.deep.equal(["policy/index.ts"]);
    });
  });
});
