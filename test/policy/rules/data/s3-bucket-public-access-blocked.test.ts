import { expect } from "chai";
import { checkStack, UNKNOWN } from "../../../../policy/testing";
import { s3BucketPublicAccessBlocked as rule } from "../../../../policy/rules/data/s3-bucket-public-access-blocked";
import { BUCKET_V2, PUBLIC_ACCESS_BLOCK, compliantBucket, withProps } from "./s3-fixtures";

describe("s3-bucket-public-access-blocked", () => {
  it("accepts buckets (either token) with a complete public access block", () => {
    expect(checkStack(rule, [...compliantBucket("logs"), ...compliantBucket("assets", { bucketType: BUCKET_V2 })])).to.deep.equal([]);
  });

  it("rejects a bucket without a public access block, on the bucket's URN", () => {
    const out = checkStack(rule, [...compliantBucket("logs"), ...compliantBucket("assets", { omit: [PUBLIC_ACCESS_BLOCK] })]);
    expect(out).to.have.length(1);
    expect(out[0].message).to.equal("bucket assets has no BucketPublicAccessBlock: add one with all four flags true");
    expect(out[0].urn).to.match(/::assets$/);
  });

  it("names the flags a block leaves off", () => {
    const out = checkStack(rule, withProps(compliantBucket("logs"), "logs-pab", { restrictPublicBuckets: false, ignorePublicAcls: undefined }));
    expect(out.map((v) => v.message)).to.deep.equal(["bucket logs: its public access block leaves ignorePublicAcls, restrictPublicBuckets off; set all four flags to true"]);
  });

  it("pairs a block whose bucket name is unknown through its dependency", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-pab", { bucket: UNKNOWN }))).to.deep.equal([]);
  });

  it("does not report flags unknown during preview, nor a bucket that an unpaired block might cover", () => {
    expect(checkStack(rule, withProps(compliantBucket("logs"), "logs-pab", { blockPublicPolicy: UNKNOWN }))).to.deep.equal([]);
    const unpaired = compliantBucket("logs").map((r) => (r.name === "logs-pab" ? { ...r, props: { ...r.props, bucket: UNKNOWN }, dependencies: [] } : r));
    expect(checkStack(rule, unpaired)).to.deep.equal([]);
  });
});
