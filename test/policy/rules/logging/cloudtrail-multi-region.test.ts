import { expect } from "chai";
import { cloudtrailMultiRegion as rule } from "../../../../policy/rules/logging/cloudtrail-multi-region";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TRAIL = "aws:cloudtrail/trail:Trail";
const trail = { s3BucketName: "trail-logs", isMultiRegionTrail: true, enableLogFileValidation: true };

describe("cloudtrail-multi-region", () => {
  it("accepts a multi-region trail with global and management events", () => {
    expect(checkResource(rule, TRAIL, trail)).to.deep.equal([]);
    expect(checkResource(rule, TRAIL, { ...trail, eventSelectors: [{ includeManagementEvents: true, readWriteType: "All" }] })).to.deep.equal([]);
  });

  it("refuses a single-region trail, one without global events, and write-only management events", () => {
    expect(checkResource(rule, TRAIL, { s3BucketName: "b" }, { name: "org" })).to.deep.equal(["trail org records one region only; set isMultiRegionTrail: true"]);
    expect(checkResource(rule, TRAIL, { ...trail, includeGlobalServiceEvents: false })).to.have.length(1);
    expect(checkResource(rule, TRAIL, { ...trail, eventSelectors: [{ includeManagementEvents: true, readWriteType: "WriteOnly" }] })).to.have.length(1);
  });

  it("is not applicable to anything but a trail (no trail exists until the security baseline)", () => {
    const out = checkResourceDetailed(rule, "aws:s3/bucket:Bucket", { isMultiRegionTrail: false });
    expect(out.violations).to.deep.equal([]);
    expect(out.notApplicable).to.deep.equal(["Policy only applies to resources of type 'aws:cloudtrail/trail:Trail'"]);
  });

  it("leaves an unknown setting to a preview note", () => {
    expect(checkResourceDetailed(rule, TRAIL, { ...trail, isMultiRegionTrail: UNKNOWN }).previewNotes).to.have.length(1);
  });
});
