import { expect } from "chai";
import { baselineTrailEnabled as rule } from "../../../../policy/rules/security/baseline-trail-enabled";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, weakened, without } from "./account";

const TRAIL = "aws:cloudtrail/trail:Trail";

describe("baseline-trail-enabled", () => {
  it("accepts an account with a logging, multi-region, validated, encrypted trail delivered to CloudWatch Logs", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("refuses a stack without a trail, naming the baseline", () => {
    expect(checkStack(rule, without(TRAIL)).map((v) => v.message)).to.deep.equal(["the stack has no CloudTrail trail: add the SecurityBaseline (stacks/security.ts)"]);
  });

  it("refuses a trail that stopped logging, lost validation, KMS or CloudWatch delivery, listing each", () => {
    const out = checkStack(rule, weakened("prod-baseline-trail", { enableLogging: false, enableLogFileValidation: false, kmsKeyId: undefined, cloudWatchLogsGroupArn: undefined, isMultiRegionTrail: false }));
    expect(out).to.have.length(1);
    expect(out[0]!.message).to.equal(
      "trail prod-baseline-trail does not meet the baseline: enableLogging is false; isMultiRegionTrail is not true; enableLogFileValidation is not true; kmsKeyId is not set; cloudWatchLogsGroupArn is not set",
    );
  });

  it("is satisfied by one good trail among others", () => {
    const extra = { type: TRAIL, name: "scratch", props: { s3BucketName: "x" } };
    expect(checkStack(rule, [...compliantAccount(), extra])).to.deep.equal([]);
  });

  it("leaves values unknown during preview alone", () => {
    expect(checkStack(rule, weakened("prod-baseline-trail", { isMultiRegionTrail: UNKNOWN, enableLogFileValidation: UNKNOWN }))).to.deep.equal([]);
  });

  it("does not apply to a stack whose account controls live in another stack's baseline", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
