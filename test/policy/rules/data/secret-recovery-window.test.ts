import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { secretRecoveryWindow as rule } from "../../../../policy/rules/data/secret-recovery-window";

const SECRET = "aws:secretsmanager/secret:Secret";

describe("secret-recovery-window", () => {
  it("accepts 7 to 30 days, and the 30-day default", () => {
    expect(checkResource(rule, SECRET, { recoveryWindowInDays: 7 })).to.deep.equal([]);
    expect(checkResource(rule, SECRET, { recoveryWindowInDays: 30 })).to.deep.equal([]);
    expect(checkResource(rule, SECRET, {})).to.deep.equal([]);
  });

  it("rejects a force-delete window of 0", () => {
    expect(checkResource(rule, SECRET, { recoveryWindowInDays: 0 }, { name: "db" })).to.deep.equal([
      "secret db: recoveryWindowInDays is 0; use 7 to 30 (0 deletes immediately and for good)",
    ]);
  });

  it("does not report a window unknown during preview", () => {
    expect(checkResourceDetailed(rule, SECRET, { recoveryWindowInDays: UNKNOWN }).violations).to.deep.equal([]);
  });
});
