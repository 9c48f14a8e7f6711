import { expect } from "chai";
import { baselineSecurityHubStandards as rule } from "../../../../policy/rules/security/baseline-securityhub-standards";
import { checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, without } from "./account";

describe("baseline-securityhub-standards", () => {
  it("accepts Security Hub with FSBP and CIS", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("accepts the global CIS v1.2.0 ruleset ARN as CIS too", () => {
    const resources = compliantAccount().map((r) => (r.name === "cis" ? { ...r, props: { standardsArn: "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0" } } : r));
    expect(checkStack(rule, resources)).to.deep.equal([]);
  });

  it("refuses a stack without Security Hub", () => {
    expect(checkStack(rule, without("aws:securityhub/account:Account")).map((v) => v.message)).to.deep.equal([
      "the stack does not enable Security Hub: add the SecurityBaseline (stacks/security.ts)",
    ]);
  });

  it("names the standard that is not subscribed", () => {
    expect(checkStack(rule, compliantAccount().filter((r) => r.name !== "cis")).map((v) => v.message)).to.deep.equal([
      "Security Hub is not subscribed to CIS AWS Foundations Benchmark: add an aws:securityhub/standardsSubscription:StandardsSubscription for each",
    ]);
    expect(checkStack(rule, without("aws:securityhub/standardsSubscription:StandardsSubscription")).map((v) => v.message)).to.deep.equal([
      "Security Hub is not subscribed to AWS Foundational Security Best Practices and CIS AWS Foundations Benchmark: add an aws:securityhub/standardsSubscription:StandardsSubscription for each",
    ]);
  });

  it("does not apply where another stack holds the account's controls", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
