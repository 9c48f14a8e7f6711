import { expect } from "chai";
import { SECURITY_REGIONS } from "../../components/aws/securityServices";
import { BASELINE_CONFIG_RULES, MIRRORED, NOT_MIRRORED, configRuleSet } from "../../components/security/baseline/configRules";
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
