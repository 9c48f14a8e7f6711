import { expect } from "chai";
import { wafWebAclRateLimitAndCommonRules as rule } from "../../../../policy/rules/edge/wafWebAclRules";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { WEB_ACL } from "./fixtures";

const rateLimit = { name: "rate-limit-per-ip", priority: 10, action: { block: {} }, statement: { rateBasedStatement: { aggregateKeyType: "IP", limit: 2000 } } };
const common = { name: "common", priority: 30, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } } };
const acl = (rules: unknown[]) => ({ scope: "REGIONAL", defaultAction: { allow: {} }, rules });

describe("waf-web-acl-rate-limit-and-common-rules", () => {
  it("accepts a web ACL with a blocking rate-based rule and the common rule set", () => {
    expect(checkResource(rule, WEB_ACL, acl([rateLimit, common]))).to.deep.equal([]);
  });

  it("rejects a web ACL missing either", () => {
    expect(checkResource(rule, WEB_ACL, acl([common]))).to.deep.equal(["web ACL has no rate-based rule"]);
    expect(checkResource(rule, WEB_ACL, acl([rateLimit]))).to.have.length(1).and.match(/AWSManagedRulesCommonRuleSet/);
    expect(checkResource(rule, WEB_ACL, acl([]))).to.have.length(2);
  });

  it("rejects count-only rate limits and a common rule set overridden to count", () => {
    expect(checkResource(rule, WEB_ACL, acl([{ ...rateLimit, action: { count: {} } }, common]))).to.have.length(1).and.match(/only count/);
    expect(checkResource(rule, WEB_ACL, acl([rateLimit, { ...common, overrideAction: { count: {} } }]))).to.have.length(1).and.match(/overridden to count/);
  });

  it("turns unknown rules into a preview note", () => {
    const out = checkResourceDetailed(rule, WEB_ACL, { rules: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
