import { expect } from "chai";
import { baselineGuardDutyEnabled as rule } from "../../../../policy/rules/security/baseline-guardduty-enabled";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, weakened, without } from "./account";

describe("baseline-guardduty-enabled", () => {
  it("accepts an enabled detector with S3, EBS malware and runtime protection", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("refuses a stack without a detector, or with a disabled one", () => {
    const none = ["the stack has no enabled GuardDuty detector: add the SecurityBaseline (stacks/security.ts)"];
    expect(checkStack(rule, without("aws:guardduty/detector:Detector")).map((v) => v.message)).to.deep.equal(none);
    expect(checkStack(rule, weakened("prod-baseline-guardduty", { enable: false })).map((v) => v.message)).to.deep.equal(none);
  });

  it("names each protection plan that is missing or disabled", () => {
    const resources = weakened("feature-RUNTIME_MONITORING", { status: "DISABLED" }, without("aws:guardduty/detectorFeature:DetectorFeature", compliantAccount()).concat(
      compliantAccount().filter((r) => r.name === "feature-RUNTIME_MONITORING"),
    ));
    expect(checkStack(rule, resources).map((v) => v.message)).to.deep.equal([
      "GuardDuty detector prod-baseline-guardduty lacks S3_DATA_EVENTS, EBS_MALWARE_PROTECTION, RUNTIME_MONITORING (an aws:guardduty/detectorFeature:DetectorFeature with status ENABLED each)",
    ]);
  });

  it("does not count a feature of another detector", () => {
    const resources = compliantAccount().map((r) => (r.name === "feature-S3_DATA_EVENTS" ? { ...r, props: { ...r.props, detectorId: "other" } } : r));
    expect(checkStack(rule, resources).map((v) => v.message)).to.deep.equal([
      "GuardDuty detector prod-baseline-guardduty lacks S3_DATA_EVENTS (an aws:guardduty/detectorFeature:DetectorFeature with status ENABLED each)",
    ]);
  });

  it("counts a feature whose detector id is unknown during preview", () => {
    expect(checkStack(rule, weakened("feature-S3_DATA_EVENTS", { detectorId: UNKNOWN }))).to.deep.equal([]);
  });

  it("does not apply where another stack holds the account's controls", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
