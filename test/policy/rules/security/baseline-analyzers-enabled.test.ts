import { expect } from "chai";
import { baselineAnalyzersEnabled as rule } from "../../../../policy/rules/security/baseline-analyzers-enabled";
import { checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, weakened, without } from "./account";

describe("baseline-analyzers-enabled", () => {
  it("accepts Access Analyzer and Inspector for ECR and EC2", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("refuses a stack without Access Analyzer", () => {
    expect(checkStack(rule, without("aws:accessanalyzer/analyzer:Analyzer")).map((v) => v.message)).to.deep.equal(["no IAM Access Analyzer: add an aws:accessanalyzer/analyzer:Analyzer"]);
  });

  it("names the resource types Inspector does not scan", () => {
    expect(checkStack(rule, weakened("inspector", { resourceTypes: ["ECR"] })).map((v) => v.message)).to.deep.equal([
      "Amazon Inspector does not scan EC2: add an aws:inspector2/enabler:Enabler with resourceTypes ECR and EC2",
    ]);
    expect(checkStack(rule, without("aws:inspector2/enabler:Enabler"))).to.have.length(1);
  });

  it("does not apply where another stack holds the account's controls", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
