import { expect } from "chai";
import { baselineConfigRecordingAll as rule } from "../../../../policy/rules/security/baseline-config-recording-all";
import { checkStack } from "../../../../policy/testing";
import { compliantAccount, sharedAccount, weakened, without } from "./account";

describe("baseline-config-recording-all", () => {
  it("accepts a recorder of every resource type, with a channel, switched on", () => {
    expect(checkStack(rule, compliantAccount())).to.deep.equal([]);
  });

  it("refuses a stack without a recorder", () => {
    expect(checkStack(rule, without("aws:cfg/recorder:Recorder")).map((v) => v.message)).to.deep.equal([
      "the stack has no AWS Config recorder: add the SecurityBaseline (stacks/security.ts)",
    ]);
  });

  it("refuses a recorder of some types only, or without global types", () => {
    for (const group of [{ allSupported: false, includeGlobalResourceTypes: true, resourceTypes: ["AWS::EC2::Instance"] }, { allSupported: true, includeGlobalResourceTypes: false }]) {
      expect(checkStack(rule, weakened("recorder", { recordingGroup: group })).map((v) => v.message)).to.deep.equal([
        "AWS Config recorder recorder does not record everything: set recordingGroup.allSupported and includeGlobalResourceTypes to true",
      ]);
    }
  });

  it("refuses a recorder with no delivery channel, or switched off", () => {
    expect(checkStack(rule, without("aws:cfg/deliveryChannel:DeliveryChannel"))).to.have.length(1);
    expect(checkStack(rule, weakened("recording", { isEnabled: false })).map((v) => v.message)).to.deep.equal([
      "AWS Config recording is not switched on: add an aws:cfg/recorderStatus:RecorderStatus with isEnabled true",
    ]);
  });

  it("does not apply where another stack holds the account's controls", () => {
    expect(checkStack(rule, sharedAccount())).to.deep.equal([]);
  });
});
