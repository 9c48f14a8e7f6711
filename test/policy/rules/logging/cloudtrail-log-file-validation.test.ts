import { expect } from "chai";
import { cloudtrailLogFileValidation as rule } from "../../../../policy/rules/logging/cloudtrail-log-file-validation";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TRAIL = "aws:cloudtrail/trail:Trail";

describe("cloudtrail-log-file-validation", () => {
  it("accepts a trail that validates its log files", () => {
    expect(checkResource(rule, TRAIL, { s3BucketName: "b", enableLogFileValidation: true })).to.deep.equal([]);
  });

  it("refuses a trail without validation (the provider default)", () => {
    expect(checkResource(rule, TRAIL, { s3BucketName: "b" }, { name: "org" })).to.deep.equal(["trail org does not validate its log files; set enableLogFileValidation: true"]);
    expect(checkResource(rule, TRAIL, { s3BucketName: "b", enableLogFileValidation: false })).to.have.length(1);
  });

  it("is not applicable to anything but a trail", () => {
    expect(checkResourceDetailed(rule, "aws:ec2/vpc:Vpc", {}).notApplicable).to.have.length(1);
  });

  it("leaves an unknown setting to a preview note", () => {
    expect(checkResourceDetailed(rule, TRAIL, { enableLogFileValidation: UNKNOWN }).previewNotes).to.have.length(1);
  });
});
