/**
 * The lake's pure decisions (components/analytics/lakePlan.ts): lifecycles that respect S3's
 * transition minimums and the tiers' billing minimums, tables that match the contract (curated
 * without personal columns) with partition projection on dt, and Athena's scan-cutoff floor.
 */
import { expect } from "chai";
import { DEFAULT_TOPICS, curatedColumns, topicPrefix } from "../../components/analytics/analyticsPlan";
import {
  MIN_SCAN_CUTOFF_BYTES,
  PARQUET,
  RESULTS_RETENTION_DAYS,
  lifecycleIssues,
  lifecycleRules,
  projectionParameters,
  scanCutoffBytes,
  scanCutoffIssues,
  tableDefinition,
  topicIssues,
} from "../../components/analytics/lakePlan";

const DEFAULTS = { infrequentAccessDays: 30, glacierDays: 180, rawRetentionDays: 730, curatedRetentionDays: 1825 };
const topic = (name: string) => DEFAULT_TOPICS.find((t) => t.name === name)!;

describe("lake plan", () => {
  describe("lifecycle", () => {
    it("tiers raw and curated to Standard-IA then Glacier IR on the configured days, expiring each on its own retention", () => {
      for (const kind of ["raw", "curated"] as const) {
        const [rule, ...rest] = lifecycleRules(kind, DEFAULTS);
        expect(rest, kind).to.have.length(0);
        expect(rule!.transitions, kind).to.deep.equal([{ days: 30, storageClass: "STANDARD_IA" }, { days: 180, storageClass: "GLACIER_IR" }]);
        expect(rule!.expiration, kind).to.deep.equal({ days: kind === "raw" ? 730 : 1825 });
        expect(rule!.noncurrentVersionExpiration.noncurrentDays, kind).to.be.greaterThan(0);
        expect(rule!.abortIncompleteMultipartUpload.daysAfterInitiation, kind).to.be.greaterThan(0);
      }
    });

    it("expires query results fast and never tiers them", () => {
      const [rule] = lifecycleRules("results", DEFAULTS);
      expect(rule!.expiration).to.deep.equal({ days: RESULTS_RETENTION_DAYS });
      expect(rule!.transitions).to.equal(undefined);
    });

    it("accepts the defaults and refuses each ordering S3 or the tiers' minimum durations make wasteful or invalid, naming the field", () => {
      expect(lifecycleIssues(DEFAULTS)).to.deep.equal([]);
      expect(lifecycleIssues({ ...DEFAULTS, infrequentAccessDays: 29 })[0]).to.match(/^infrequentAccessDays: 29 is below 30/);
      expect(lifecycleIssues({ ...DEFAULTS, glacierDays: 59 })[0]).to.match(/^glacierDays: 59 must be at least infrequentAccessDays \+ 30 \(60\)/);
      expect(lifecycleIssues({ ...DEFAULTS, rawRetentionDays: 269 })[0]).to.match(/^rawRetentionDays: 269 must be at least glacierDays \+ 90 \(270\)/);
      expect(lifecycleIssues({ ...DEFAULTS, curatedRetentionDays: 100 })[0]).to.match(/^curatedRetentionDays/);
      expect(lifecycleIssues({ ...DEFAULTS, glacierDays: 1.5 })).to.deep.equal(["glacierDays: 1.5 must be a whole number of days above 0"]);
      expect(lifecycleIssues({ ...DEFAULTS, infrequentAccessDays: 60, glacierDays: 89, rawRetentionDays: 100, curatedRetentionDays: 100 })).to.have.length(3);
    });
  });

  describe("tables", () => {
    it("reads Parquet with the Hive Parquet SerDe at the topic's prefix, partitioned by dt", () => {
      const t = tableDefinition(topic("orders"), "raw", "raw-bucket");
      expect(t.name).to.equal("orders");
      expect(t.tableType).to.equal("EXTERNAL_TABLE");
      expect(t.storageDescriptor.location).to.equal(`s3://raw-bucket/${topicPrefix("orders")}`);
      expect(t.storageDescriptor.serDeInfo.serializationLibrary).to.equal("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
      expect([t.storageDescriptor.inputFormat, t.storageDescriptor.outputFormat]).to.deep.equal([PARQUET.inputFormat, PARQUET.outputFormat]);
      expect(t.partitionKeys).to.deep.equal([{ name: "dt", type: "string" }]);
      expect(tableDefinition(topic("cart-events"), "curated", "b").name).to.equal("cart_events");
    });

    it("keeps every column in raw (personal ones marked) and only the non-personal ones in curated", () => {
      for (const t of DEFAULT_TOPICS) {
        const raw = tableDefinition(t, "raw", "r").storageDescriptor.columns;
        const curated = tableDefinition(t, "curated", "c").storageDescriptor.columns;
        expect(raw.map((c) => c.name), t.name).to.deep.equal(t.columns.map((c) => c.name));
        expect(raw.filter((c) => c.comment === "personal").map((c) => c.name), t.name).to.deep.equal(t.columns.filter((c) => c.personal).map((c) => c.name));
        expect(curated.map((c) => `${c.name} ${c.type}`), t.name).to.deep.equal(curatedColumns(t).map((c) => `${c.name} ${c.type}`));
        expect(curated.some((c) => c.comment === "personal"), t.name).to.equal(false);
      }
      expect(tableDefinition(topic("users"), "curated", "c").storageDescriptor.columns.map((c) => c.name)).to.not.include.members(["email", "phone", "full_name"]);
    });

    it("projects dt as a daily date partition up to NOW at the topic's dt=YYYY-MM-DD folders, so no crawler or repair is needed", () => {
      expect(projectionParameters("b", "orders")).to.deep.equal({
        "projection.enabled": "true",
        "projection.dt.type": "date",
        "projection.dt.format": "yyyy-MM-dd",
        "projection.dt.range": "2026-01-01,NOW",
        "projection.dt.interval": "1",
        "projection.dt.interval.unit": "DAYS",
        "storage.location.template": "s3://b/topics/orders/dt=${dt}/",
      });
      expect(tableDefinition(topic("orders"), "curated", "b").parameters).to.include({ classification: "parquet", "projection.enabled": "true" });
    });

    it("refuses topics that clash as tables, a column named dt, or a topic with no curated column", () => {
      expect(topicIssues(DEFAULT_TOPICS)).to.deep.equal([]);
      const issues = topicIssues([
        { name: "a-b", columns: [{ name: "x", type: "string" }] },
        { name: "a_b", columns: [{ name: "dt", type: "string" }] },
        { name: "p", columns: [{ name: "email", type: "string", personal: true }] },
      ]);
      expect(issues).to.deep.equal([
        'topics[1].name: "a_b" makes the same table as "a-b"',
        'topics[1].columns[0].name: "dt" is the partition column every table already has',
        "topics[2].columns: every column is personal, so its curated table would have none",
      ]);
    });
  });

  describe("scan cutoff", () => {
    it("converts GB to bytes and refuses anything under the provider's 10 MiB floor", () => {
      expect(scanCutoffBytes(100)).to.equal(100_000_000_000);
      expect(scanCutoffIssues(100)).to.deep.equal([]);
      expect(scanCutoffIssues(0.0105)).to.deep.equal([]);
      expect(scanCutoffBytes(0.0105)).to.be.at.least(MIN_SCAN_CUTOFF_BYTES);
      expect(scanCutoffIssues(0.01)[0]).to.match(/^bytesScannedCutoffGb: 0.01 is below .*10485760 bytes/);
      expect(scanCutoffIssues(0)).to.have.length(1);
    });
  });
});
