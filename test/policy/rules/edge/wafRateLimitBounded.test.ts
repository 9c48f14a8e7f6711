import { expect } from "chai";
import { wafRateLimitBounded as rule } from "../../../../policy/rules/edge/wafRateLimitBounded";
import { checkResource } from "../../../../policy/testing";

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";

function acl(limit: unknown, evaluationWindowSec?: number): Record<string, unknown> {
  return {
    scope: "REGIONAL",
    rules: [
      { name: "rate-limit", priority: 10, action: { block: {} }, statement: { rateBasedStatement: { limit, aggregateKeyType: "IP", ...(evaluationWindowSec ? { evaluationWindowSec } : {}) } } },
      { name: "common", priority: 30, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" } } },
    ],
  };
}

describe("waf-rate-limit-bounded", () => {
  it("accepts the real limits (2,000 and 1,000 per five minutes) and the ceiling itself", () => {
    expect(checkResource(rule, WEB_ACL, acl(2000, 300))).to.deep.equal([]);
    expect(checkResource(rule, WEB_ACL, acl(1000, 300))).to.deep.equal([]);
    expect(checkResource(rule, WEB_ACL, acl(10000, 300))).to.deep.equal([]);
  });

  it("refuses a limit too high to stop one source", () => {
    expect(checkResource(rule, WEB_ACL, acl(2_000_000_000, 300))).to.deep.equal([
      'rate-based rule "rate-limit" lets one IP send 2000000000 requests per 300 s (2000000000 per five minutes), above the 10000 that still stops a single source',
    ]);
  });

  it("compares limits over other windows per five minutes, with 300 s when the window is unset", () => {
    expect(checkResource(rule, WEB_ACL, acl(2001, 60))).to.have.length(1); // 10,005 per five minutes
    expect(checkResource(rule, WEB_ACL, acl(2000, 60))).to.deep.equal([]);
    expect(checkResource(rule, WEB_ACL, acl(20000, 600))).to.deep.equal([]);
    expect(checkResource(rule, WEB_ACL, acl(10001))).to.have.length(1);
  });

  it("takes the ceiling from config", () => {
    expect(checkResource(rule, WEB_ACL, acl(2000, 300), { config: { maxRequestsPerFiveMinutes: 1500 } })).to.have.length(1);
  });

  it("leaves a web ACL without a rate-based rule to waf-web-acl-rate-limit-and-common-rules", () => {
    expect(checkResource(rule, WEB_ACL, { rules: [] })).to.deep.equal([]);
  });
});
