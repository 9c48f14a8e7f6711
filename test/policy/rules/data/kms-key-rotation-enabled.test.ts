import { expect } from "chai";
import { checkResource, checkResourceDetailed, UNKNOWN } from "../../../../policy/testing";
import { kmsKeyRotationEnabled as rule } from "../../../../policy/rules/data/kms-key-rotation-enabled";

const KEY = "aws:kms/key:Key";

describe("kms-key-rotation-enabled", () => {
  it("accepts a symmetric key with rotation", () => {
    expect(checkResource(rule, KEY, { enableKeyRotation: true, deletionWindowInDays: 30 })).to.deep.equal([]);
  });

  it("rejects a symmetric key without rotation", () => {
    expect(checkResource(rule, KEY, { enableKeyRotation: false }, { name: "data-key" })).to.deep.equal(["KMS key data-key: set enableKeyRotation: true"]);
    expect(checkResource(rule, KEY, { customerMasterKeySpec: "SYMMETRIC_DEFAULT" })).to.have.length(1);
  });

  it("does not judge keys that cannot rotate (asymmetric, HMAC, custom key store)", () => {
    expect(checkResource(rule, KEY, { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })).to.deep.equal([]);
    expect(checkResource(rule, KEY, { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" })).to.deep.equal([]);
    expect(checkResource(rule, KEY, { customKeyStoreId: "cks-1" })).to.deep.equal([]);
  });

  it("does not report a flag unknown during preview", () => {
    expect(checkResourceDetailed(rule, KEY, { enableKeyRotation: UNKNOWN }).violations).to.deep.equal([]);
  });
});
