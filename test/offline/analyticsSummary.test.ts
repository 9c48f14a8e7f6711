/**
 * The analytics lines of the plan report on a hand-built lake shaped like AnalyticsLake's (three
 * auto-named buckets with lifecycle configurations, two databases with a table per topic, the
 * analysts' workgroup), the Kafka Connect workers and the curation schedule; and in the text and
 * JSON report with the lake's cost.
 */
import { expect } from "chai";
import { connectorsOf, formatAnalytics, lifecyclePhrase, summarizeAnalytics } from "../../offline/analyticsSummary";
import type { StackCostResult } from "../../offline/cost/planCost";
import type { StackCost, Tier } from "../../offline/cost/types";
import type { StackPlan } from "../../offline/plan";
import { formatStack, planJson } from "../../offline/report";
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "../support/captured";
import { realStack } from "../support/realStacks";

const r = (type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): CapturedResource =>
  capturedResource({ urn: `urn:pulumi:prod::tila-platform::${type}::${name}`, type, name, inputs, outputs });
const TIERED = [{ id: "t", status: "Enabled", filter: {}, transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 180, storageClass: "GLACIER_IR" }], expiration: { days: 730 } }];

function lake(): CapturedResource[] {
  const bucket = (n: string) => r("aws:s3/bucket:Bucket", n, {}, { bucket: `${n}-abc123`, id: `${n}-abc123` });
  const table = (db: string, t: string, b: string) => r("aws:glue/catalogTable:CatalogTable", `${db}-${t}`, { name: t, databaseName: db, storageDescriptor: { location: `s3://${b}/topics/${t}/` } });
  return [
    bucket("prod-lake-raw"),
    bucket("prod-lake-curated"),
    bucket("prod-lake-results"),
    bucket("prod-lake-access-logs"),
    r("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "raw-lc", { bucket: "prod-lake-raw-abc123", rules: TIERED }),
    r("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "results-lc", { bucket: "prod-lake-results-abc123", rules: [{ id: "x", status: "Enabled", filter: {}, expiration: { days: 7 } }] }),
    r("aws:glue/catalogDatabase:CatalogDatabase", "raw-db", { name: "tila_prod_raw" }),
    r("aws:glue/catalogDatabase:CatalogDatabase", "curated-db", { name: "tila_prod_curated" }),
    table("tila_prod_raw", "orders", "prod-lake-raw-abc123"),
    table("tila_prod_raw", "cart_events", "prod-lake-raw-abc123"),
    table("tila_prod_curated", "orders", "prod-lake-curated-abc123"),
    r("aws:athena/workgroup:Workgroup", "wg", {
      name: "tila-prod-analysts",
      configuration: { enforceWorkgroupConfiguration: true, bytesScannedCutoffPerQuery: 100e9, resultConfiguration: { outputLocation: "s3://prod-lake-results-abc123/tila-prod-analysts/", encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: "arn:aws:kms:me-south-1:444444444444:key/k" } } },
    }),
    r("aws:ecs/service:Service", "connect", { name: "analytics-connect", desiredCount: 3 }),
    r("aws:lambda/invocation:Invocation", "apply", { input: JSON.stringify({ connectors: { "lake-s3-sink": { "connector.class": "io.confluent.connect.s3.S3SinkConnector", topics: "orders" } } }) }),
    r("aws:scheduler/schedule:Schedule", "curation", { name: "tila-prod-lake-curation", scheduleExpression: "cron(30 1 * * ? *)" }),
  ];
}

describe("analytics summary (offline/analyticsSummary.ts)", () => {
  it("is absent from a stack without a Glue catalogue or a workgroup", () => {
    expect(summarizeAnalytics([r("aws:s3/bucket:Bucket", "b", { bucket: "b" })])).to.equal(undefined);
  });

  it("finds the lake's buckets through the catalogue and the workgroup, with their lifecycle, and leaves the access-log bucket out", () => {
    const a = summarizeAnalytics(lake())!;
    expect(a.buckets).to.deep.equal([
      { role: "raw", bucket: "prod-lake-raw-abc123", lifecycle: "Standard-IA 30 d, Glacier IR 180 d, expire 730 d" },
      { role: "curated", bucket: "prod-lake-curated-abc123", lifecycle: "no lifecycle" },
      { role: "results", bucket: "prod-lake-results-abc123", lifecycle: "expire 7 d" },
    ]);
    expect(a.tables).to.deep.equal(["cart_events", "orders"]);
    expect(a.databases).to.deep.equal(["tila_prod_curated", "tila_prod_raw"]);
  });

  it("gives the workgroup's enforcement, result encryption and scan limit, the workers, the connector and the curation schedule", () => {
    const a = summarizeAnalytics(lake())!;
    expect(a.workgroups).to.deep.equal([{ name: "tila-prod-analysts", enforced: true, scanCutoffGb: 100, encryption: "SSE_KMS" }]);
    expect(a.workers).to.deep.equal([{ service: "analytics-connect", tasks: 3 }]);
    expect(a.connectors).to.deep.equal(["lake-s3-sink (S3SinkConnector)"]);
    expect(connectorsOf({ connectors: [{ name: "search-sink", config: { "connector.class": "a.b.OpenSearchSinkConnector" } }, { name: "no-class", config: {} }] })).to.deep.equal(["search-sink (OpenSearchSinkConnector)"]);
    expect(connectorsOf("not json")).to.deep.equal([]);
    expect(a.curation).to.deep.equal(["tila-prod-lake-curation: cron(30 1 * * ? *)"]);
  });

  it("says so when a workgroup has no scan limit or is not enforced", () => {
    const open = lake().map((x) => (x.type === "aws:athena/workgroup:Workgroup" ? { ...x, inputs: { name: "wg", configuration: { enforceWorkgroupConfiguration: false } } } : x));
    const lines = formatAnalytics(summarizeAnalytics(open)!);
    expect(lines.find((l) => l.includes("workgroup wg"))).to.equal("    workgroup wg: NOT enforced, results none, NO scan limit");
  });

  it("reads a lifecycle's transitions and expiry, skipping disabled rules", () => {
    expect(lifecyclePhrase([{ status: "Disabled", expiration: { days: 1 } }, ...TIERED])).to.equal("Standard-IA 30 d, Glacier IR 180 d, expire 730 d");
    expect(lifecyclePhrase(undefined)).to.equal("no lifecycle");
  });

  it("prints in the stack's report block with the lake's monthly cost, and in --json as analytics.monthlyUsd", () => {
    const analytics = summarizeAnalytics(lake())!;
    const plan: StackPlan = { stack: "prod", ok: true, resourceCount: 15, byType: {}, outputs: {}, durationMs: 1, analytics };
    const byTier = { network: 0, data: 0, services: 0, edge: 0, observability: 0, security: 0, analytics: 123.456, other: 0 } as Record<Tier, number>;
    const cost: StackCostResult = { ok: true, cost: { stack: "prod", region: "me-south-1", currency: "USD", priceDate: "2026-12-05", items: [], total: 123.456, byTier, byComponent: {}, assumptions: {} as StackCost["assumptions"], missingPrices: [], unverifiedPrices: [], unpricedTypes: {} } };
    const text = formatStack(plan, { costs: { prod: cost } });
    expect(text).to.contain("  analytics lake: 2 topic tables (cart_events, orders), databases tila_prod_curated, tila_prod_raw, $123.46 a month");
    expect(text).to.contain("    raw      prod-lake-raw-abc123  Standard-IA 30 d, Glacier IR 180 d, expire 730 d");
    expect(text).to.contain("    workgroup tila-prod-analysts: enforced, results SSE_KMS, scan limit 100 GB a query");
    expect(text).to.contain("    kafka connect: analytics-connect × 3; connectors lake-s3-sink (S3SinkConnector)");
    const json = planJson({ stacks: [plan], totals: {} as never } as never, { costs: { prod: cost } });
    expect((json.stacks[0] as { analytics?: { monthlyUsd?: number } }).analytics?.monthlyUsd).to.equal(123.456);
    expect(formatStack(plan)).to.contain("databases tila_prod_curated, tila_prod_raw\n");
  });
});

describe("analytics summary of the real stacks", () => {
  it("shows prod's lake whole (three buckets, the workgroup's 100 GB limit, the workers and their S3 sink, the nightly curation) and no lake in dev", async function () {
    this.timeout(300_000);
    const prod = summarizeAnalytics((await realStack("prod")).resources)!;
    expect(prod.buckets.map((b) => b.role)).to.deep.equal(["raw", "curated", "results"]);
    expect(prod.buckets[0]!.lifecycle).to.match(/^Standard-IA \d+ d, Glacier IR \d+ d, expire \d+ d$/);
    expect(prod.tables).to.deep.equal(["cart_events", "orders", "search_queries", "users"]);
    expect(prod.workgroups).to.deep.equal([{ name: "tila-prod-analysts", enforced: true, scanCutoffGb: 100, encryption: "SSE_KMS" }]);
    expect(prod.workers.map((w) => w.service)).to.deep.equal(["analytics-connect"]);
    expect(prod.connectors).to.include("lake-s3-sink (S3SinkConnector)");
    expect(prod.curation).to.have.length(1);
    expect(summarizeAnalytics((await realStack("dev")).resources)).to.equal(undefined);
  });
});
