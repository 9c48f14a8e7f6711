/**
 * The analytics pricers on a hand-built lake: Athena by TB scanned, the Glue catalogue free, the raw
 * and curated buckets at lakeStorageGbPerBucket (found through the catalogue) and every other bucket
 * at s3StorageGbPerBucket, all under the `analytics` tier when they sit in a tila:analytics component.
 */
import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS, estimateStack, tierOf } from "../../offline/cost/estimate";
import { pricerRegistry } from "../../offline/cost/pricers";
import { loadSnapshot } from "../../offline/cost/snapshot";
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "../support/captured";

const ROOT = "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod";
const LAKE = "urn:pulumi:prod::tila-platform::tila:analytics:AnalyticsLake::prod-lake";
const urn = (type: string, name: string) => `urn:pulumi:prod::tila-platform::tila:analytics:AnalyticsLake$${type}::${name}`;
const child = (type: string, name: string, inputs: Record<string, unknown>): CapturedResource => capturedResource({ urn: urn(type, name), type, name, parent: LAKE, inputs });

function lake(): CapturedResource[] {
  return [
    capturedResource({ urn: ROOT, type: "pulumi:pulumi:Stack", name: "tila-platform-prod", custom: false }),
    capturedResource({ urn: LAKE, type: "tila:analytics:AnalyticsLake", name: "prod-lake", parent: ROOT, custom: false }),
    child("aws:s3/bucket:Bucket", "raw", { bucket: "tila-prod-lake-raw" }),
    child("aws:s3/bucket:Bucket", "curated", { bucket: "tila-prod-lake-curated" }),
    child("aws:s3/bucket:Bucket", "results", { bucket: "tila-prod-athena-results" }),
    child("aws:glue/catalogDatabase:CatalogDatabase", "raw-db", { name: "tila_prod_raw" }),
    child("aws:glue/catalogTable:CatalogTable", "raw-orders", { name: "orders", storageDescriptor: { location: "s3://tila-prod-lake-raw/topics/orders/" } }),
    child("aws:glue/catalogTable:CatalogTable", "curated-orders", { name: "orders", storageDescriptor: { location: "s3://tila-prod-lake-curated/topics/orders/" } }),
    child("aws:athena/workgroup:Workgroup", "analysts", { name: "tila-prod-analysts", state: "ENABLED" }),
  ];
}

describe("analytics pricers", () => {
  const snap = loadSnapshot("me-south-1");
  const cost = estimateStack("prod", "me-south-1", lake(), snap, DEFAULT_ASSUMPTIONS, pricerRegistry());

  it("prices the workgroup by TB scanned at the snapshot's Athena price, unverified and saying so", () => {
    const athena = cost.items.filter((i) => i.priceKey === "athena.scanned.tb");
    expect(athena).to.have.length(1);
    expect(athena[0]).to.deep.include({ quantity: DEFAULT_ASSUMPTIONS.athenaScannedTbPerWorkgroup, unitPrice: 6, assumption: "athenaScannedTbPerWorkgroup" });
    expect(cost.unverifiedPrices).to.include("athena.scanned.tb");
    expect(loadSnapshot("me-central-1").prices["athena.scanned.tb"]).to.deep.include({ usd: 6, unit: "TB", verified: false });
  });

  it("prices the raw and curated buckets at lakeStorageGbPerBucket and the results bucket as any bucket", () => {
    const storage = Object.fromEntries(cost.items.filter((i) => i.type === "aws:s3/bucket:Bucket").map((i) => [i.name, [i.quantity, i.assumption]]));
    expect(storage).to.deep.equal({
      raw: [DEFAULT_ASSUMPTIONS.lakeStorageGbPerBucket, "lakeStorageGbPerBucket"],
      curated: [DEFAULT_ASSUMPTIONS.lakeStorageGbPerBucket, "lakeStorageGbPerBucket"],
      results: [DEFAULT_ASSUMPTIONS.s3StorageGbPerBucket, "s3StorageGbPerBucket"],
    });
  });

  it("leaves the Glue catalogue free and nothing unpriced, and puts the lake in the analytics tier", () => {
    expect(cost.unpricedTypes).to.deep.equal({});
    expect(cost.missingPrices).to.deep.equal([]);
    expect(cost.items.some((i) => i.type.startsWith("aws:glue/"))).to.equal(false);
    expect(tierOf("tila:analytics:AnalyticsLake")).to.equal("analytics");
    const expected = 6 * DEFAULT_ASSUMPTIONS.athenaScannedTbPerWorkgroup + 0.025 * (2 * DEFAULT_ASSUMPTIONS.lakeStorageGbPerBucket + DEFAULT_ASSUMPTIONS.s3StorageGbPerBucket);
    expect(cost.byTier.analytics).to.be.closeTo(expected, 1e-9);
    expect(cost.total).to.be.closeTo(expected, 1e-9);
  });

  it("does not price a disabled workgroup", () => {
    const off = lake().map((r) => (r.type === "aws:athena/workgroup:Workgroup" ? { ...r, inputs: { ...r.inputs, state: "DISABLED" } } : r));
    expect(estimateStack("prod", "me-south-1", off, snap, DEFAULT_ASSUMPTIONS, pricerRegistry()).items.some((i) => i.priceKey === "athena.scanned.tb")).to.equal(false);
  });
});
