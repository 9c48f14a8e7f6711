import { expect } from "chai";
import { SECURITY_REGIONS } from "../../components/aws/securityServices";
import { BASELINE_CONFIG_RULES, MANAGED_RULE_FACTS, MIRRORED, NOT_MIRRORED, configRuleSet, managedRuleSource } from "../../components/security/baseline/configRules";
import { RULES } from "../../policy/rules";

describe("AWS Config rules mirroring the policy pack", () => {
  const security = RULES.filter((r) => r.meta.category === "security" && r.meta.domain !== "security").map((r) => r.name);

  it("maps every mandatory-everywhere rule of the pack, or says why no managed rule checks it", () => {
    const unaccounted = security.filter((name) => !(name in MIRRORED) && !(name in NOT_MIRRORED));
    expect(unaccounted, "add each to MIRRORED or NOT_MIRRORED in components/security/baseline/configRules.ts").to.deep.equal([]);
  });

  it("names only rules the pack has, each in one table", () => {
    const names = new Set(RULES.map((r) => r.name));
    expect([...Object.keys(MIRRORED), ...Object.keys(NOT_MIRRORED)].filter((n) => !names.has(n))).to.deep.equal([]);
    expect(Object.keys(MIRRORED).filter((n) => n in NOT_MIRRORED)).to.deep.equal([]);
  });

  it("uses managed-rule identifiers and names AWS Config accepts", () => {
    for (const rule of configRuleSet()) {
      expect(rule.identifier, rule.name).to.match(/^[A-Z0-9_]+$/);
      expect(`tila-${rule.name}`.length, rule.name).to.be.at.most(128);
      expect(rule.description.length, rule.name).to.be.at.most(256);
    }
    expect(new Set(configRuleSet().map((r) => r.name)).size).to.equal(configRuleSet().length);
  });

  it("deploys the pack's mirrors and the baseline's own account checks", () => {
    const set = configRuleSet().map((r) => r.identifier);
    expect(set).to.include.members(["CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED", "ENCRYPTED_VOLUMES", "EC2_IMDSV2_CHECK"]);
    expect(set).to.include.members(BASELINE_CONFIG_RULES.map((r) => r.identifier));
  });

  it("knows which managed rules each region lacks, and only rules of the set", () => {
    const ids = new Set([...configRuleSet().map((r) => r.identifier), "GUARDDUTY_RUNTIME_MONITORING_ENABLED", "GUARDDUTY_EC2_PROTECTION_RUNTIME_ENABLED"]);
    for (const [region, facts] of Object.entries(SECURITY_REGIONS)) {
      for (const id of facts.configRulesUnavailable) expect(ids.has(id), `${region}: ${id}`).to.equal(true);
    }
    expect(SECURITY_REGIONS["me-central-1"]!.configRulesUnavailable).to.include("OPENSEARCH_HTTPS_REQUIRED");
  });
});

describe("AWS Config managed-rule facts and their sources", () => {
  const used = [...new Set([...configRuleSet().map((r) => r.identifier), ...Object.values(SECURITY_REGIONS).flatMap((f) => f.configRulesUnavailable)])];

  it("has, for every identifier the program uses, the developer-guide page it was checked against and the date", () => {
    const missing = used.filter((id) => !(id in MANAGED_RULE_FACTS));
    expect(missing, "add each to MANAGED_RULE_FACTS in components/security/baseline/configRules.ts after reading its page").to.deep.equal([]);
    for (const id of used) {
      const fact = MANAGED_RULE_FACTS[id]!;
      expect(fact.page, id).to.match(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(fact.checked, id).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(fact.regions.length, id).to.be.greaterThan(0);
      expect(managedRuleSource(id), id).to.equal(`https://docs.aws.amazon.com/config/latest/developerguide/${fact.page}.html (read ${fact.checked})`);
    }
  });

  it("keeps no facts for identifiers nothing uses", () => {
    expect(Object.keys(MANAGED_RULE_FACTS).filter((id) => !used.includes(id))).to.deep.equal([]);
  });

  it("sets only parameters the rule's page documents, with documented values", () => {
    for (const rule of configRuleSet()) {
      const documented = MANAGED_RULE_FACTS[rule.identifier]?.parameters ?? [];
      for (const name of Object.keys(rule.parameters ?? {})) expect(documented, `${rule.name}: ${name}`).to.include(name);
    }
    const desync = configRuleSet().find((r) => r.identifier === "ALB_DESYNC_MODE_CHECK")!.parameters!["desyncMode"]!.split(",");
    expect(desync.length).to.be.within(1, 2);
    for (const mode of desync) expect(["defensive", "strictest", "monitor"]).to.include(mode);
    const maxAge = configRuleSet().find((r) => r.identifier === "ACCESS_KEYS_ROTATED")!.parameters!["maxAccessKeyAge"]!;
    expect(maxAge).to.match(/^[1-9]\d*$/);
  });

  it("skips in each Middle East region exactly the rules whose page excludes it", () => {
    const excluded = (label: string) => Object.entries(MANAGED_RULE_FACTS).filter(([, f]) => f.regions.startsWith(`NOT Middle East (${label})`)).map(([id]) => id).sort();
    expect([...SECURITY_REGIONS["me-central-1"]!.configRulesUnavailable].sort()).to.deep.equal(excluded("UAE"));
    expect([...SECURITY_REGIONS["me-south-1"]!.configRulesUnavailable].sort()).to.deep.equal(excluded("Bahrain"));
  });
});
