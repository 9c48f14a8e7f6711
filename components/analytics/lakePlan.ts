/**
 * The lake's decisions as pure functions (docs/analytics.md#lake-storage-catalogue-and-query): the
 * lifecycle of each bucket, each Glue table (Parquet, partition projection on `dt`), the Athena
 * scan cutoff in bytes, and the checks the AnalyticsLake component refuses bad arguments with.
 * No Pulumi here; unit-tested directly (test/analytics/lakePlan.test.ts).
 */
import { AnalyticsTopic, PARTITION_COLUMN, TopicColumn, curatedColumns, tableName, topicPrefix } from "./analyticsPlan";

/** S3 refuses a transition to STANDARD_IA before 30 days (S3 API reference, Transition: Days). */
export const MIN_INFREQUENT_ACCESS_DAYS = 30;
/** Standard-IA bills 30 days at least: moving on to Glacier sooner pays for days never used. */
export const MIN_DAYS_IN_INFREQUENT_ACCESS = 30;
/** Glacier Instant Retrieval bills 90 days at least (S3 storage classes, minimum storage duration). */
export const MIN_DAYS_IN_GLACIER = 90;
/**
 * The smallest per-query cutoff: Athena's API takes 10,000,000 bytes (API reference,
 * WorkGroupConfiguration), the AWS provider refuses anything below 10,485,760 (10 MiB;
 * terraform-provider-aws internal/service/athena/workgroup.go, validation.IntAtLeast), so the stricter.
 */
export const MIN_SCAN_CUTOFF_BYTES = 10_485_760;
/** Days a superseded version of a lake object is kept: enough to undo a bad curation run or connector rewind. */
export const NONCURRENT_DAYS = 30;
/** Days Athena query results are kept: results are re-runnable, and may hold copies of curated rows. */
export const RESULTS_RETENTION_DAYS = 7;
/** Days the lake's server access logs are kept. */
export const ACCESS_LOG_RETENTION_DAYS = 365;
/** Days before an unfinished multipart upload (a connector or query that died mid-write) is aborted. */
export const ABORT_MULTIPART_DAYS = 7;
/** The first partition date projection offers: the platform's analytics go-live. */
export const PROJECTION_START = "2026-01-01";

/** The Hive classes Athena reads Parquet with (Athena user guide, "Parquet SerDe"). */
export const PARQUET = {
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
} as const;

export interface LakeLifecycle {
  /** Days in S3 Standard before Standard-IA. */
  readonly infrequentAccessDays: number;
  /** Days from creation before Glacier Instant Retrieval. */
  readonly glacierDays: number;
  readonly rawRetentionDays: number;
  readonly curatedRetentionDays: number;
}

/** The three kinds of lake bucket: ingested events, curated events, Athena query results. */
export type LakeBucket = "raw" | "curated" | "results";

/** One S3 lifecycle rule, in the shape `aws.s3.BucketLifecycleConfiguration` takes. */
export interface LifecycleRule {
  readonly id: string;
  readonly status: "Enabled";
  readonly filter: Record<string, never> | { readonly prefix: string };
  readonly transitions?: readonly { readonly days: number; readonly storageClass: "STANDARD_IA" | "GLACIER_IR" }[];
  readonly expiration?: { readonly days: number };
  readonly noncurrentVersionExpiration: { readonly noncurrentDays: number };
  readonly abortIncompleteMultipartUpload: { readonly daysAfterInitiation: number };
}

/** Every problem with a lifecycle, each naming its field (the config key carries the same names). */
export function lifecycleIssues(l: LakeLifecycle): string[] {
  const issues: string[] = [];
  const whole = (key: keyof LakeLifecycle): boolean => {
    const ok = Number.isInteger(l[key]) && l[key] > 0;
    if (!ok) issues.push(`${key}: ${l[key]} must be a whole number of days above 0`);
    return ok;
  };
  if (!(["infrequentAccessDays", "glacierDays", "rawRetentionDays", "curatedRetentionDays"] as const).map(whole).every(Boolean)) return issues;
  if (l.infrequentAccessDays < MIN_INFREQUENT_ACCESS_DAYS) issues.push(`infrequentAccessDays: ${l.infrequentAccessDays} is below ${MIN_INFREQUENT_ACCESS_DAYS}, the first day S3 moves an object to Standard-IA`);
  if (l.glacierDays < l.infrequentAccessDays + MIN_DAYS_IN_INFREQUENT_ACCESS) {
    issues.push(`glacierDays: ${l.glacierDays} must be at least infrequentAccessDays + ${MIN_DAYS_IN_INFREQUENT_ACCESS} (${l.infrequentAccessDays + MIN_DAYS_IN_INFREQUENT_ACCESS}): Standard-IA bills ${MIN_DAYS_IN_INFREQUENT_ACCESS} days at least`);
  }
  for (const key of ["rawRetentionDays", "curatedRetentionDays"] as const) {
    if (l[key] < l.glacierDays + MIN_DAYS_IN_GLACIER) issues.push(`${key}: ${l[key]} must be at least glacierDays + ${MIN_DAYS_IN_GLACIER} (${l.glacierDays + MIN_DAYS_IN_GLACIER}): Glacier Instant Retrieval bills ${MIN_DAYS_IN_GLACIER} days at least`);
  }
  return issues;
}

/** The lifecycle of one lake bucket: raw and curated tier down and expire by config; results expire fast. */
export function lifecycleRules(bucket: LakeBucket, l: LakeLifecycle): LifecycleRule[] {
  const common = { status: "Enabled" as const, filter: {}, noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS }, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS } };
  if (bucket === "results") return [{ id: "expire-query-results", ...common, expiration: { days: RESULTS_RETENTION_DAYS }, noncurrentVersionExpiration: { noncurrentDays: 1 } }];
  return [{
    id: `tier-and-expire-${bucket}`,
    ...common,
    transitions: [
      { days: l.infrequentAccessDays, storageClass: "STANDARD_IA" },
      { days: l.glacierDays, storageClass: "GLACIER_IR" },
    ],
    expiration: { days: bucket === "raw" ? l.rawRetentionDays : l.curatedRetentionDays },
  }];
}

/** The access-log bucket's one rule: logs expire after a year, superseded versions after a month. */
export function accessLogLifecycle(): LifecycleRule[] {
  return [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: ACCESS_LOG_RETENTION_DAYS }, noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_DAYS }, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS } }];
}

/** The per-query scan cutoff in bytes for a cutoff in GB (10^9 bytes, as Athena bills). */
export function scanCutoffBytes(gb: number): number {
  return Math.round(gb * 1_000_000_000);
}

/** Problems with the scan cutoff, naming the field. */
export function scanCutoffIssues(gb: number): string[] {
  if (!(gb > 0) || scanCutoffBytes(gb) < MIN_SCAN_CUTOFF_BYTES) return [`bytesScannedCutoffGb: ${gb} is below the smallest cutoff the provider takes, ${MIN_SCAN_CUTOFF_BYTES} bytes (10 MiB, about 0.0105 GB)`];
  return [];
}

/** `s3://<bucket>/topics/<topic>/`: where a topic's partitions live in a bucket. */
export function topicLocation(bucketName: string, topic: string): string {
  return `s3://${bucketName}/${topicPrefix(topic)}`;
}

/**
 * Partition projection on `dt` (Athena user guide, "Partition projection" and "Supported types"):
 * Athena computes the partitions from these properties instead of reading them from Glue, so no
 * crawler, MSCK REPAIR or partition API call is ever needed when a new day's folder appears.
 */
export function projectionParameters(bucketName: string, topic: string): Record<string, string> {
  return {
    "projection.enabled": "true",
    [`projection.${PARTITION_COLUMN}.type`]: "date",
    [`projection.${PARTITION_COLUMN}.format`]: "yyyy-MM-dd",
    [`projection.${PARTITION_COLUMN}.range`]: `${PROJECTION_START},NOW`,
    [`projection.${PARTITION_COLUMN}.interval`]: "1",
    [`projection.${PARTITION_COLUMN}.interval.unit`]: "DAYS",
    "storage.location.template": `${topicLocation(bucketName, topic)}${PARTITION_COLUMN}=\${${PARTITION_COLUMN}}/`,
  };
}

/** A Glue table of one topic in one database, in the shape `aws.glue.CatalogTable` takes. */
export interface TableDefinition {
  readonly name: string;
  readonly tableType: "EXTERNAL_TABLE";
  readonly parameters: Record<string, string>;
  readonly partitionKeys: { readonly name: string; readonly type: string }[];
  readonly storageDescriptor: {
    readonly location: string;
    readonly inputFormat: string;
    readonly outputFormat: string;
    readonly serDeInfo: { readonly name: string; readonly serializationLibrary: string; readonly parameters: Record<string, string> };
    readonly columns: { readonly name: string; readonly type: string; readonly comment?: string }[];
  };
}

/** The table of `topic` in the raw (every column) or curated (no personal column) database, over `bucketName`. */
export function tableDefinition(topic: AnalyticsTopic, kind: "raw" | "curated", bucketName: string): TableDefinition {
  const columns: readonly TopicColumn[] = kind === "raw" ? topic.columns : curatedColumns(topic);
  return {
    name: tableName(topic.name),
    tableType: "EXTERNAL_TABLE",
    parameters: { classification: "parquet", EXTERNAL: "TRUE", "parquet.compression": "SNAPPY", ...projectionParameters(bucketName, topic.name) },
    partitionKeys: [{ name: PARTITION_COLUMN, type: "string" }],
    storageDescriptor: {
      location: topicLocation(bucketName, topic.name),
      inputFormat: PARQUET.inputFormat,
      outputFormat: PARQUET.outputFormat,
      serDeInfo: { name: "parquet", serializationLibrary: PARQUET.serializationLibrary, parameters: { "serialization.format": "1" } },
      columns: columns.map((c) => (c.personal === true ? { name: c.name, type: c.type, comment: "personal" } : { name: c.name, type: c.type })),
    },
  };
}

/** Problems with the topics: duplicate names, a table name clash (`a-b` and `a_b`), a column named like the partition. */
export function topicIssues(topics: readonly AnalyticsTopic[]): string[] {
  const issues: string[] = [];
  if (topics.length === 0) issues.push("topics: name at least one topic");
  const tables = new Map<string, string>();
  topics.forEach((t, i) => {
    const other = tables.get(tableName(t.name));
    if (other !== undefined) issues.push(`topics[${i}].name: "${t.name}" makes the same table as "${other}"`);
    tables.set(tableName(t.name), t.name);
    t.columns.forEach((c, j) => {
      if (c.name === PARTITION_COLUMN) issues.push(`topics[${i}].columns[${j}].name: "${PARTITION_COLUMN}" is the partition column every table already has`);
    });
    if (curatedColumns(t).length === 0) issues.push(`topics[${i}].columns: every column is personal, so its curated table would have none`);
  });
  return issues;
}
