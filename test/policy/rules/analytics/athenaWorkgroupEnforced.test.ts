import { expect } from "chai";
import { athenaWorkgroupEnforced as rule } from "../../../../policy/rules/analytics/athenaWorkgroupEnforced";
import { UNKNOWN, checkResource } from "../../../../policy/testing";
import { DATA_KEY, RESULTS, WORKGROUP, workgroupProps } from "./fixtures";

const check = (configuration: Record<string, unknown>) => checkResource(rule, WORKGROUP, workgroupProps(configuration));
const encryptedWith = (encryptionConfiguration: Record<string, unknown>) => ({ resultConfiguration: { outputLocation: `s3://${RESULTS}/x/`, encryptionConfiguration } });

describe("athena-workgroup-enforced", () => {
  it("accepts an enforced workgroup writing SSE_KMS results under a customer key, and CSE_KMS", () => {
    expect(check({})).to.deep.equal([]);
    expect(check(encryptedWith({ encryptionOption: "CSE_KMS", kmsKeyArn: DATA_KEY }))).to.deep.equal([]);
  });

  it("refuses a workgroup that lets clients override its settings", () => {
    expect(check({ enforceWorkgroupConfiguration: false })).to.deep.equal([
      "workgroup tila-prod-analysts: configuration.enforceWorkgroupConfiguration is not true: a client could send its results elsewhere, unencrypted",
    ]);
  });

  it("refuses SSE_S3 results, unencrypted results, and SSE_KMS without a customer key", () => {
    expect(check(encryptedWith({ encryptionOption: "SSE_S3" }))).to.deep.equal([
      'workgroup tila-prod-analysts: results are encrypted with "SSE_S3"; set encryptionConfiguration.encryptionOption to SSE_KMS (or CSE_KMS) with kmsKeyArn',
    ]);
    expect(check({ resultConfiguration: { outputLocation: `s3://${RESULTS}/x/` } })[0]).to.include("results are encrypted with nothing");
    expect(check(encryptedWith({ encryptionOption: "SSE_KMS" }))).to.deep.equal(["workgroup tila-prod-analysts: results use SSE_KMS without a customer-managed kmsKeyArn"]);
    expect(check(encryptedWith({ encryptionOption: "SSE_KMS", kmsKeyArn: "alias/aws/s3" }))).to.have.length(1);
  });

  it("refuses a workgroup without a result location, or with no configuration at all", () => {
    const out = check({ resultConfiguration: { encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: DATA_KEY } } });
    expect(out).to.deep.equal(["workgroup tila-prod-analysts: configuration.resultConfiguration.outputLocation is not an s3:// location"]);
    expect(checkResource(rule, WORKGROUP, { name: "bare" })).to.deep.equal(["workgroup bare: has no configuration: set enforceWorkgroupConfiguration, a result location and its encryption"]);
  });

  it("does not judge values unknown during preview", () => {
    expect(check(encryptedWith({ encryptionOption: "SSE_KMS", kmsKeyArn: UNKNOWN }))).to.deep.equal([]);
    expect(check({ resultConfiguration: { outputLocation: UNKNOWN, encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: DATA_KEY } } })).to.deep.equal([]);
  });
});
