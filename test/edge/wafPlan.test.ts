import { expect } from "chai";
import * as fc from "fast-check";
import {
  DEFAULT_WCU_BUDGET, GEO_MATCH_WCU, MANAGED_GROUPS, RATE_BASED_WCU, WCU, WafOptions, checkCapacity, countryCodeIssues, geoIssues, planRules,
  rateLimitIssues, resolveWebAcl, webAclCapacity,
} from "../../components/edge/wafPlan";
import { tagsFor } from "./edgeHarness";

const RATE = { limit: 2000, windowSeconds: 300 } as const;

function options(overrides: Partial<WafOptions> = {}): WafOptions {
  return { environment: "prod", rateLimit: RATE, logRetentionDays: 365, tags: tagsFor("prod"), ...overrides };
}

describe("wafPlan", () => {
  describe("capacity", () => {
    it("prices the managed groups as AWS publishes them", () => {
      expect(WCU).to.deep.equal({
        AWSManagedRulesAmazonIpReputationList: 25,
        AWSManagedRulesCommonRuleSet: 700,
        AWSManagedRulesKnownBadInputsRuleSet: 200,
        AWSManagedRulesSQLiRuleSet: 200,
      });
      expect([RATE_BASED_WCU, GEO_MATCH_WCU]).to.deep.equal([2, 1]);
    });

    it("sums the planned rules: 1127 WCU without geo, 1128 with", () => {
      expect(webAclCapacity(planRules(RATE))).to.equal(1127);
      expect(webAclCapacity(planRules(RATE, { blockCountries: ["KP"] }))).to.equal(1128);
    });

    it("is the plain sum of the rules' WCU, whatever the rules", () => {
      fc.assert(fc.property(fc.array(fc.nat({ max: 5000 }), { maxLength: 20 }), (wcus) => {
        expect(webAclCapacity(wcus.map((wcu) => ({ wcu })))).to.equal(wcus.reduce((a, b) => a + b, 0));
      }));
    });

    it("fits the default 1500 budget, up to and including the limit", () => {
      expect(DEFAULT_WCU_BUDGET).to.equal(1500);
      expect(checkCapacity(planRules(RATE, { allowOnlyCountries: ["SA"] }))).to.deep.equal([]);
      expect(checkCapacity([{ wcu: 1500 }])).to.deep.equal([]);
    });

    it("rejects rules above the budget and says what going above costs", () => {
      expect(checkCapacity([{ wcu: 1400 }, { wcu: 101 }])).to.deep.equal([
        "rules: need 1501 WCU, more than the budget of 1500; above 1500 each 500 WCU adds a per-request charge, up to 5000",
      ]);
      expect(checkCapacity(planRules(RATE), 1000)).to.have.length(1);
    });
  });

  describe("rateLimitIssues", () => {
    it("accepts WAF's minimum of 10 and its maximum, in every allowed window", () => {
      for (const windowSeconds of [60, 120, 300, 600] as const) expect(rateLimitIssues({ limit: 10, windowSeconds })).to.deep.equal([]);
      expect(rateLimitIssues({ limit: 2_000_000_000, windowSeconds: 300 })).to.deep.equal([]);
    });

    it("rejects limits below 10, above the maximum or fractional, and other windows", () => {
      expect(rateLimitIssues({ limit: 9, windowSeconds: 300 })).to.deep.equal(["rateLimit.limit: must be an integer from 10 to 2000000000, got 9"]);
      expect(rateLimitIssues({ limit: 2_000_000_001, windowSeconds: 300 })).to.have.length(1);
      expect(rateLimitIssues({ limit: 100.5, windowSeconds: 300 })).to.have.length(1);
      expect(rateLimitIssues({ limit: 100, windowSeconds: 30 as never })).to.deep.equal(["rateLimit.windowSeconds: must be one of 60, 120, 300, 600, got 30"]);
    });
  });

  describe("geo", () => {
    it("accepts two upper-case letters and nothing else", () => {
      expect(countryCodeIssues("geo.blockCountries", ["SA", "AE", "KP"])).to.deep.equal([]);
      expect(countryCodeIssues("geo.blockCountries", ["sa", "SAU", "S1", "AE", "AE"])).to.deep.equal([
        'geo.blockCountries[0]: "sa" is not an ISO 3166-1 alpha-2 code such as "SA"',
        'geo.blockCountries[1]: "SAU" is not an ISO 3166-1 alpha-2 code such as "SA"',
        'geo.blockCountries[2]: "S1" is not an ISO 3166-1 alpha-2 code such as "SA"',
        'geo.blockCountries[4]: "AE" is listed twice',
      ]);
    });

    it("takes a block list or an allow list, not both, and not an empty one", () => {
      expect(geoIssues({ blockCountries: ["KP"], allowOnlyCountries: ["SA"] })[0]).to.match(/^geo: give blockCountries or allowOnlyCountries, not both/);
      expect(geoIssues({ allowOnlyCountries: [] })).to.deep.equal(["geo.allowOnlyCountries: give at least one country or omit it"]);
    });
  });

  describe("planRules", () => {
    it("orders geo, the per-IP rate limit, then IP reputation, common, known bad inputs and SQL injection", () => {
      const rules = planRules(RATE, { blockCountries: ["KP"] });
      expect(rules.map((r) => [r.name, r.priority])).to.deep.equal([
        ["geo-block", 0], ["rate-limit-per-ip", 10], ["AWSManagedRulesAmazonIpReputationList", 20], ["AWSManagedRulesCommonRuleSet", 30],
        ["AWSManagedRulesKnownBadInputsRuleSet", 40], ["AWSManagedRulesSQLiRuleSet", 50],
      ]);
    });

    it("keeps every other rule's priority when the geo rule is absent", () => {
      const without = planRules(RATE);
      const withGeo = planRules(RATE, { allowOnlyCountries: ["SA"] });
      expect(without.map((r) => r.name)).to.deep.equal(["rate-limit-per-ip", ...MANAGED_GROUPS]);
      expect(withGeo.slice(1)).to.deep.equal(without);
      expect(withGeo[0]).to.include({ kind: "geoAllowOnly", name: "geo-allow-only" });
    });
  });

  describe("resolveWebAcl", () => {
    it("names the log group with WAF's required prefix and reports the capacity", () => {
      const r = resolveWebAcl("prod-edge", options());
      expect(r.ok && r.value).to.include({ logGroupName: "aws-waf-logs-prod-prod-edge", capacity: 1127, logRetentionDays: 365 });
    });

    it("refuses a plan over a lowered budget", () => {
      const r = resolveWebAcl("prod-edge", options({ capacityBudget: 1100 }));
      expect(r.ok ? [] : r.issues).to.deep.equal(["rules: need 1127 WCU, more than the budget of 1100; above 1500 each 500 WCU adds a per-request charge, up to 5000"]);
    });

    it("reports every bad field at once", () => {
      const r = resolveWebAcl("Edge ACL", options({
        environment: "qa", rateLimit: { limit: 5, windowSeconds: 90 as never }, geo: { blockCountries: ["xx"] }, logRetentionDays: 45, capacityBudget: 6000,
        tags: { Environment: "prod", Owner: "", CostCenter: "cc", ManagedBy: "pulumi" },
      }));
      const fields = r.ok ? [] : r.issues.map((i) => i.split(":")[0]);
      expect(fields).to.deep.equal(["environment", "name", "rateLimit.limit", "rateLimit.windowSeconds", "geo.blockCountries[0]", "logRetentionDays", "capacityBudget", "tags.Owner"]);
    });
  });
});
