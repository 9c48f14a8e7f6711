import { expect } from "chai";
import { baselineAccountHardening as rule } from "../../../../policy/rules/security/baseline-account-hardening";
import { checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, weakened, without } from "./account";

describe("baseline-account-hardening", () => {
  it("accepts the password policy, EBS default encryption, account S3 block and IMDSv2 default", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("names each missing control", () => {
    expect(checkStack(rule, without("aws:iam/accountPasswordPolicy:AccountPasswordPolicy")).map((v) => v.message)).to.deep.equal(["no account password policy: add an aws:iam/accountPasswordPolicy:AccountPasswordPolicy"]);
    expect(checkStack(rule, without("aws:ebs/encryptionByDefault:EncryptionByDefault"))).to.have.length(1);
    expect(checkStack(rule, without("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"))).to.have.length(1);
    expect(checkStack(rule, without("aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults"))).to.have.length(1);
  });

  it("refuses weak settings", () => {
    expect(checkStack(rule, weakened("password", { minimumPasswordLength: 8 })).map((v) => v.message)).to.deep.equal(["password policy password allows passwords shorter than 14 characters"]);
    expect(checkStack(rule, weakened("password", { minimumPasswordLength: undefined }))).to.have.length(1);
    expect(checkStack(rule, weakened("ebs", { enabled: false }))).to.have.length(1);
    expect(checkStack(rule, weakened("s3", { restrictPublicBuckets: false })).map((v) => v.message)).to.deep.equal([
      "the account-level S3 public access block is missing or partial: set blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets to true",
    ]);
    expect(checkStack(rule, weakened("imds", { httpTokens: "optional" }))).to.have.length(1);
  });

  it("does not apply where another stack holds the account's controls", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
