/**
 * The lake-curation Lambda (functions/lake-curation) against mocked Athena and S3: the SQL it builds
 * from the plan, yesterday's UTC partition emptied before the copy (a re-run replaces, not appends),
 * the bounded poll, and a failed topic failing the invocation without stopping the others.
 */
import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { AthenaClient, GetQueryExecutionCommand, StartQueryExecutionCommand } from "@aws-sdk/client-athena";
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { MAX_POLLS, curate } from "../../functions/lake-curation/handler";
import { CurationTopic, curationSql, parseTopics, partitionPrefix, previousUtcDay, quoteIdentifier } from "../../functions/lake-curation/sql";

const ORDERS: CurationTopic = { topic: "orders", table: "orders", prefix: "topics/orders/", columns: ["order_id", "total_amount"] };
const CART: CurationTopic = { topic: "cart-events", table: "cart_events", prefix: "topics/cart-events/", columns: ["cart_id", "action"] };
const ENV = { WORKGROUP: "tila-prod-analysts", RAW_DATABASE: "tila_prod_raw", CURATED_DATABASE: "tila_prod_curated", CURATED_BUCKET: "tila-prod-lake-curated", TOPICS: JSON.stringify([ORDERS, CART]) };
const NOW = new Date("2026-12-05T02:00:07Z");

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);

function run(env: Record<string, string> = ENV): ReturnType<typeof curate> {
  return curate({ athena: athena as unknown as AthenaClient, s3: s3 as unknown as S3Client, env, now: () => NOW, sleep: async () => undefined, log: () => undefined });
}

describe("lake-curation: the SQL", () => {
  it("copies one day, curated columns then the partition, identifiers quoted", () => {
    expect(curationSql("tila_prod_raw", "tila_prod_curated", CART, "2026-12-04")).to.equal(
      `INSERT INTO "tila_prod_curated"."cart_events" SELECT "cart_id", "action", "dt" FROM "tila_prod_raw"."cart_events" WHERE "dt" = '2026-12-04'`,
    );
  });

  it("refuses anything that is not a Glue identifier or a real day", () => {
    expect(() => quoteIdentifier('x" OR 1=1 --')).to.throw(/not a Glue identifier/);
    expect(() => curationSql("raw", "curated", { ...ORDERS, columns: ["Email"] }, "2026-12-04")).to.throw(/not a Glue identifier/);
    expect(() => curationSql("raw", "curated", ORDERS, "2026-12-04' OR '1'='1")).to.throw(/not a day/);
    expect(() => curationSql("raw", "curated", ORDERS, "2026-02-30")).to.throw(/not a day/);
    expect(() => curationSql("raw", "curated", { ...ORDERS, columns: [] }, "2026-12-04")).to.throw(/no curated columns/);
    expect(() => parseTopics(JSON.stringify([{ ...ORDERS, prefix: "../" }]))).to.throw(/prefix/);
    expect(() => parseTopics("[]")).to.throw(/non-empty/);
  });

  it("takes yesterday in UTC, across month and year ends", () => {
    expect(previousUtcDay(new Date("2026-12-05T02:00:00Z"))).to.equal("2026-12-04");
    expect(previousUtcDay(new Date("2027-01-01T00:30:00+03:00"))).to.equal("2026-12-30");
    expect(previousUtcDay(new Date("2027-03-01T02:00:00Z"))).to.equal("2027-02-28");
    expect(partitionPrefix(CART, "2026-12-04")).to.equal("topics/cart-events/dt=2026-12-04/");
  });
});

describe("lake-curation: the handler", () => {
  beforeEach(() => {
    athena.reset();
    s3.reset();
    s3.on(ListObjectsV2Command).resolves({ Contents: [] });
    athena.on(StartQueryExecutionCommand).callsFake((input: { QueryString: string }) => ({ QueryExecutionId: input.QueryString.includes('"orders"') ? "q-orders" : "q-cart" }));
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
  });

  it("runs one INSERT per topic in the workgroup for yesterday and reports each", async () => {
    const report = await run();
    expect(report.day).to.equal("2026-12-04");
    expect(report.results.map((r) => [r.topic, r.state, r.queryExecutionId])).to.deep.equal([["orders", "SUCCEEDED", "q-orders"], ["cart-events", "SUCCEEDED", "q-cart"]]);
    const calls = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.WorkGroup)).to.deep.equal(["tila-prod-analysts", "tila-prod-analysts"]);
    expect(calls[0]!.QueryString).to.equal(`INSERT INTO "tila_prod_curated"."orders" SELECT "order_id", "total_amount", "dt" FROM "tila_prod_raw"."orders" WHERE "dt" = '2026-12-04'`);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).to.deep.equal([
      { Bucket: "tila-prod-lake-curated", Prefix: "topics/orders/dt=2026-12-04/" },
      { Bucket: "tila-prod-lake-curated", Prefix: "topics/cart-events/dt=2026-12-04/" },
    ]);
  });

  it("empties the curated partition (every page) before the copy, so a re-run replaces the day", async () => {
    s3.on(ListObjectsV2Command, { Prefix: "topics/orders/dt=2026-12-04/" })
      .resolvesOnce({ Contents: [{ Key: "topics/orders/dt=2026-12-04/a.parquet" }], IsTruncated: true, NextContinuationToken: "t1" })
      .resolvesOnce({ Contents: [{ Key: "topics/orders/dt=2026-12-04/b.parquet" }] });
    s3.on(DeleteObjectsCommand).resolves({});
    const order: string[] = [];
    s3.on(DeleteObjectsCommand).callsFake(() => { order.push("delete"); return {}; });
    athena.on(StartQueryExecutionCommand).callsFake(() => { order.push("insert"); return { QueryExecutionId: "q" }; });
    const report = await run();
    expect(report.results[0]!.replacedObjects).to.equal(2);
    expect(report.results[1]!.replacedObjects).to.equal(0);
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete!.Objects!.map((o) => o.Key))).to.deep.equal([["topics/orders/dt=2026-12-04/a.parquet"], ["topics/orders/dt=2026-12-04/b.parquet"]]);
    expect(order).to.deep.equal(["delete", "delete", "insert", "insert"]);
  });

  it("does not copy a day whose old objects could not all be deleted", async () => {
    s3.on(ListObjectsV2Command, { Prefix: "topics/orders/dt=2026-12-04/" }).resolves({ Contents: [{ Key: "topics/orders/dt=2026-12-04/a.parquet" }] });
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: "topics/orders/dt=2026-12-04/a.parquet", Code: "AccessDenied" }] });
    try {
      await run();
      expect.fail("should throw");
    } catch (e) {
      expect((e as Error).message).to.match(/orders \(ERROR: could not delete 1 object/);
    }
    expect(athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.QueryString)).to.have.length(1);
  });

  it("polls a bounded number of times, and fails the run naming every failed topic after trying them all", async () => {
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-orders" }).resolves({ QueryExecution: { Status: { State: "RUNNING" } } });
    athena.on(GetQueryExecutionCommand, { QueryExecutionId: "q-cart" }).resolves({ QueryExecution: { Status: { State: "FAILED", StateChangeReason: "HIVE_BAD_DATA" } } });
    try {
      await run();
      expect.fail("should throw");
    } catch (e) {
      expect((e as Error).message).to.equal("curation of 2026-12-04 failed for orders (TIMED_OUT: still running after 180 s), cart-events (FAILED: HIVE_BAD_DATA)");
    }
    expect(athena.commandCalls(GetQueryExecutionCommand, { QueryExecutionId: "q-orders" })).to.have.length(MAX_POLLS);
  });

  it("reads nothing from the event and refuses a missing setting before any call", async () => {
    const { TOPICS: _omit, ...noTopics } = ENV;
    void _omit;
    try {
      await run(noTopics);
      expect.fail("should throw");
    } catch (e) {
      expect((e as Error).message).to.equal("TOPICS is not set");
    }
    expect(athena.calls()).to.have.length(0);
    expect(s3.calls()).to.have.length(0);
  });
});
