/**
 * Config validation of `tila-platform:analytics` and the catalogue's `produces`
 * (config/analyticsIssues.ts): each refusal names its key, several are reported together, and the
 * real stack files pass.
 */
import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { ENVIRONMENTS } from "../../config/schema";
import { analyticsIssues, minCutoffGb } from "../../config/analyticsIssues";
import { validateStackConfig } from "../../config/validate";

const real = readStackFiles(path.resolve(__dirname, "../..")).raw;

interface Service { name: string; uses?: string[]; produces?: string[] }
interface Editable {
  analytics?: Record<string, unknown>;
  services: { catalog: Service[] };
  data: { clusters: { engine: string; name?: string }[]; opensearch?: unknown };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function rawOf(stack: string, edit: (raw: Editable) => void): Record<string, unknown> {
  const raw = clone(real[stack as keyof typeof real]!) as unknown as Editable;
  edit(raw);
  return raw as unknown as Record<string, unknown>;
}

function issuesFor(stack: string, edit: (raw: Editable) => void): string[] {
  return analyticsIssues(stack, rawOf(stack, edit)).map((i) => `${i.path}: ${i.message}`);
}

function service(raw: Editable, name: string): Service {
  const s = raw.services.catalog.find((c) => c.name === name);
  if (!s) throw new Error(`no service ${name} in the real file`);
  return s;
}

const ordersOnly = { name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "customer_email", type: "string", personal: true }] };

describe("config validation: the analytics key", () => {
  it("accepts every real environment, lake on or off", () => {
    for (const env of ENVIRONMENTS) expect(issuesFor(env, () => undefined), env).to.deep.equal([]);
    for (const env of ENVIRONMENTS) expect(issuesFor(env, (r) => (r.analytics = { enabled: true })), `${env} on`).to.deep.equal([]);
  });

  it("is wired into validateStackConfig (a real prod file with one bad key is refused naming it)", () => {
    const raw = rawOf("prod", (r) => (r.analytics = { lake: { infrequentAccessDays: 10 } }));
    const r = validateStackConfig("prod", "me-south-1", raw, real);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).to.include("tila-platform:analytics.lake.infrequentAccessDays");
  });

  it("refuses a default topic no service produces, saying which service would have to", () => {
    expect(issuesFor("prod", (r) => (service(r, "cart").produces = []))).to.deep.equal([
      'tila-platform:analytics.topics[1].name: the default topic "cart-events" is produced by no service of prod: the cart service would have to list it in services.catalog[].produces, or name the topics in analytics.topics',
    ]);
  });

  it("refuses a listed topic no service produces, only when the lake is on", () => {
    const extra = { name: "returns", columns: [{ name: "order_id", type: "string" }] };
    expect(issuesFor("prod", (r) => (r.analytics = { topics: [ordersOnly, extra] }))).to.deep.equal([
      'tila-platform:analytics.topics[1].name: no service of prod produces "returns": list it in the producing service\'s services.catalog[].produces, or drop the topic',
    ]);
    expect(issuesFor("prod", (r) => (r.analytics = { enabled: false, topics: [ordersOnly, extra] }))).to.deep.equal([]);
    expect(issuesFor("dev", (r) => (r.analytics = { topics: [extra] }))).to.deep.equal([]);
  });

  it("refuses a producer that cannot reach the brokers", () => {
    expect(issuesFor("dev", (r) => (service(r, "orders").uses = ["mysql"]))).to.deep.equal([
      "tila-platform:services.catalog[5].produces: orders publishes orders but uses no Kafka cluster, so it cannot reach the brokers: add kafka to its uses",
    ]);
  });

  it("refuses a topic or a column listed twice, a column named like the partition, and a topic with only personal columns", () => {
    const twice = { name: "orders", columns: [{ name: "order_id", type: "string" }, { name: "order_id", type: "bigint" }, { name: "dt", type: "string" }] };
    const personal = { name: "users", columns: [{ name: "email", type: "string", personal: true }] };
    expect(issuesFor("prod", (r) => (r.analytics = { topics: [ordersOnly, twice, personal] }))).to.deep.equal([
      'tila-platform:analytics.topics[1].name: topic "orders" is listed twice',
      'tila-platform:analytics.topics[1].columns[1].name: column "order_id" is listed twice in topic "orders"',
      'tila-platform:analytics.topics[1].columns[2].name: "dt" is the partition column every table already has (the event date); rename the column',
      'tila-platform:analytics.topics[2].columns: every column of "users" is personal: curated would keep nothing of it (mark the columns analysts may read as not personal, or drop the topic)',
    ]);
  });

  it("refuses a catalogue service named like the Kafka Connect workers", () => {
    expect(issuesFor("dev", (r) => (service(r, "cart").name = "analytics-connect"))).to.deep.equal([
      'tila-platform:services.catalog[3].name: "analytics-connect" is the Kafka Connect workers\' name (their security group and OpenSearch user); rename the service',
    ]);
  });

  it("refuses the lake without Kafka or OpenSearch, naming the key that turned it on", () => {
    const noData = (r: Editable): void => {
      r.data.clusters = r.data.clusters.filter((c) => c.engine !== "kafka");
      delete r.data.opensearch;
      for (const s of r.services.catalog) s.produces = [];
    };
    const onByDefault = issuesFor("prod", noData).filter((i) => !i.includes("produced by no service"));
    expect(onByDefault).to.deep.equal([
      "tila-platform:analytics: the lake reads its topics from Kafka, and prod has no kafka cluster in data.clusters (on by default in prod; set analytics.enabled: false to go without it)",
      "tila-platform:analytics: the lake indexes search queries into OpenSearch, and prod has no data.opensearch (on by default in prod; set analytics.enabled: false to go without it)",
    ]);
    expect(issuesFor("dev", (r) => {
      delete r.data.opensearch;
      r.analytics = { enabled: true };
    })).to.deep.equal(["tila-platform:analytics.enabled: the lake indexes search queries into OpenSearch, and dev has no data.opensearch"]);
  });

  it("holds the lifecycle to S3's constraints: Standard-IA from day 30, 30 days there, 90 days in Glacier", () => {
    expect(issuesFor("dev", (r) => (r.analytics = { lake: { infrequentAccessDays: 29, glacierDays: 58, rawRetentionDays: 147, curatedRetentionDays: 148 } }))).to.deep.equal([
      "tila-platform:analytics.lake.infrequentAccessDays: S3 moves objects to Standard-IA no earlier than 30 days after creation (got 29)",
      "tila-platform:analytics.lake.glacierDays: objects stay 30 days in Standard-IA before S3 moves them to Glacier: at least 59 with infrequentAccessDays 29 (got 58)",
      "tila-platform:analytics.lake.rawRetentionDays: Glacier bills 90 days however early an object expires: at least 148 with glacierDays 58 (got 147)",
    ]);
    expect(issuesFor("dev", (r) => (r.analytics = { lake: { infrequentAccessDays: 30, glacierDays: 60, rawRetentionDays: 150, curatedRetentionDays: 150 } }))).to.deep.equal([]);
  });

  it("keeps raw a year and curated two years in prod, no floor elsewhere", () => {
    const short = { lake: { infrequentAccessDays: 30, glacierDays: 60, rawRetentionDays: 364, curatedRetentionDays: 729 } };
    expect(issuesFor("prod", (r) => (r.analytics = short))).to.deep.equal([
      "tila-platform:analytics.lake.rawRetentionDays: prod keeps raw lake data at least 365 days (got 364)",
      "tila-platform:analytics.lake.curatedRetentionDays: prod keeps curated lake data at least 730 days (got 729)",
    ]);
    expect(issuesFor("preprod", (r) => (r.analytics = short))).to.deep.equal([]);
  });

  it("holds the search indices to a week and the Athena limit between Athena's 10 MB and 1 TB", () => {
    expect(minCutoffGb()).to.equal(0.0105);
    expect(issuesFor("dev", (r) => (r.analytics = { searchAnalytics: { indexRetentionDays: 6 }, athena: { bytesScannedCutoffGb: 0.01 } }))).to.deep.equal([
      "tila-platform:analytics.searchAnalytics.indexRetentionDays: at least 7 days, or the weekly search dashboards have nothing to compare (got 6)",
      "tila-platform:analytics.athena.bytesScannedCutoffGb: Athena refuses a per-query limit below 10 MB (10485760 bytes): at least 0.0105 (got 0.01)",
    ]);
    expect(issuesFor("dev", (r) => (r.analytics = { athena: { bytesScannedCutoffGb: 1001 } }))).to.deep.equal([
      "tila-platform:analytics.athena.bytesScannedCutoffGb: at most 1000 (1 TB, about 5 USD a query): a larger limit stops no runaway query (got 1001)",
    ]);
    expect(issuesFor("dev", (r) => (r.analytics = { athena: { bytesScannedCutoffGb: 0.0105 }, searchAnalytics: { indexRetentionDays: 7 } }))).to.deep.equal([]);
  });

  it("reports several issues of one file together", () => {
    const found = issuesFor("prod", (r) => {
      r.analytics = { lake: { infrequentAccessDays: 1 }, searchAnalytics: { indexRetentionDays: 1 } };
      service(r, "users").produces = [];
      service(r, "cart").name = "analytics-connect";
    });
    expect(found.map((i) => i.split(":").slice(0, 2).join(":"))).to.have.members([
      "tila-platform:services.catalog[3].name",
      "tila-platform:analytics.topics[3].name",
      "tila-platform:analytics.lake.infrequentAccessDays",
      "tila-platform:analytics.searchAnalytics.indexRetentionDays",
    ]);
  });
});
