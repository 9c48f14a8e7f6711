import { expect } from "chai";
import { checkStack, UNKNOWN } from "../../../../policy/testing";
import { s3BucketVersioningEnabled as rule } from "../../../../policy/rules/data/s3-bucket-versioning-enabled";
import { VERSIONING, VERSIONING_V2, compliantBucket, withProps } from "./s3-fixtures";

describe("s3-bucket-versioning-enabled", () => {
  it("accepts versioning Enabled (either token)", () => {
    expect(checkStack(rule, compliantBucket("logs"))).to.deep.equal([]);
    expect(checkStack(rule, compliantBucket("logs").map((r) => (r.type === VERSIONING ? { ...r, type: VERSIONING_V2 } : r)))).to.deep.equal([]);
  });

  it("rejects a bucket without versioning", () => {
    expect(checkStack(rule, compliantBucket("logs", { omit: [VERSIONING] })).map((v) => v.message)).to.deep.equal([
      'bucket logs has no BucketVersioning: add one with versioningConfiguration.status "Enabled"',
    ]);
  });

  it("rejects suspended versioning", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-versioning", { versioningConfiguration: { status: "Suspended" } })).map((v) => v.message)).to.deep.equal([
      "bucket logs: versioning is not Enabled (suspended or disabled)",
    ]);
  });

  it("does not report a status unknown during preview", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-versioning", { versioningConfiguration: { status: UNKNOWN } }))).to.deep.equal([]);
  });
});
