/**
 * Pricers for observability and security resources (docs/cost.md, "Data, observability and security prices"):
 * CloudWatch alarms, log groups, dashboards and metric streams, S3 buckets, Secrets Manager secrets, KMS keys, the
 * DynamoDB table and the Prometheus workspace. Usage the graph cannot show comes from the usage assumptions; the
 * few fixed volumes used where no assumption exists are named in the line item's dimension.
 */
import { isLakeBucket } from "./analytics";
import type { CapturedResource } from "../../types";
import type { Charge, PricingContext } from "../types";
import { num, rec } from "./dataStores";

/** A month in days (365 / 12), matching the 730-hour month. */
export const DAYS_PER_MONTH = 365 / 12;
/** A log group that never expires holds a year's ingestion in this estimate (it keeps growing: see docs/cost.md). */
export const NEVER_EXPIRES_DAYS = 365;
/** The first three dashboards of an account are free (each stack is its own account). */
export const FREE_DASHBOARDS = 3;
/** Metrics a metric stream sends each minute; the stream has no usage assumption of its own (docs/cost.md). */
export const METRIC_STREAM_METRICS = 500;
/** Active series node_exporter exposes per scraped data node, scraped once a minute (docs/cost.md). */
export const PROMETHEUS_SERIES_PER_NODE = 1000;
const MINUTES_PER_MONTH = (365 * 24 * 60) / 12;

/**
 * A metric alarm: one alarm metric for a plain alarm, one per metric a metric-math alarm reads (expressions are
 * free). Periods below 60 s are high resolution.
 */
export function priceMetricAlarm(r: CapturedResource): Charge[] {
  const queries = Array.isArray(r.inputs.metricQueries) ? r.inputs.metricQueries.map(rec) : [];
  const metrics = queries.length > 0 ? queries.filter((q) => Object.keys(rec(q.metric)).length > 0) : [];
  const periods = queries.length > 0 ? metrics.map((q) => num(rec(q.metric).period) ?? 60) : [num(r.inputs.period) ?? 60];
  const count = queries.length > 0 ? metrics.length : 1;
  if (count === 0) return [];
  const high = periods.some((p) => p < 60);
  const what = queries.length > 0 ? `${count} metrics of a metric-math alarm` : "1 metric";
  return [
    high
      ? { priceKey: "cloudwatch.alarm.high-resolution", dimension: `high-resolution alarm (${what})`, quantity: count }
      : { priceKey: "cloudwatch.alarm.standard", dimension: `standard alarm (${what})`, quantity: count },
  ];
}

export function priceCompositeAlarm(): Charge[] {
  return [{ priceKey: "cloudwatch.alarm.composite", dimension: "composite alarm", quantity: 1 }];
}

/**
 * A log group: ingestion (logIngestionGbPerGroup) and what its retention keeps stored, ingestion × retention
 * days / days per month (a group that never expires: a year's). Storage is billed compressed by AWS; the estimate
 * takes it uncompressed, an upper bound.
 */
export function priceLogGroup(r: CapturedResource, ctx: PricingContext): Charge[] {
  const gb = ctx.assumptions.logIngestionGbPerGroup;
  if (gb <= 0) return [];
  const infrequent = r.inputs.logGroupClass === "INFREQUENT_ACCESS";
  const retention = num(r.inputs.retentionInDays);
  const days = retention === undefined || retention === 0 ? NEVER_EXPIRES_DAYS : Math.min(retention, NEVER_EXPIRES_DAYS);
  return [
    {
      priceKey: infrequent ? "cloudwatch.logs.ingestion.infrequent-access" : "cloudwatch.logs.ingestion",
      dimension: `log ingestion${infrequent ? " (Infrequent Access)" : ""}`,
      quantity: gb,
      assumption: "logIngestionGbPerGroup",
    },
    {
      priceKey: "cloudwatch.logs.storage",
      dimension: `log storage (${days} days kept${retention ? "" : ", never expires: a year's"})`,
      quantity: (gb * days) / DAYS_PER_MONTH,
      assumption: "logIngestionGbPerGroup",
    },
  ];
}

/** A dashboard: free among the stack's first three (ordered by URN), billed per month beyond. */
export function priceDashboard(r: CapturedResource, ctx: PricingContext): Charge[] {
  const all = ctx.resources
    .filter((o) => o.type === r.type)
    .map((o) => o.urn)
    .sort();
  return all.indexOf(r.urn) < FREE_DASHBOARDS ? [] : [{ priceKey: "cloudwatch.dashboard", dimension: "dashboard beyond the free three", quantity: 1 }];
}

/** A metric stream: metric updates, METRIC_STREAM_METRICS each minute. */
export function priceMetricStream(): Charge[] {
  const thousands = (METRIC_STREAM_METRICS * MINUTES_PER_MONTH) / 1000;
  return [{ priceKey: "cloudwatch.metric-stream.updates", dimension: `metric updates (${METRIC_STREAM_METRICS} metrics each minute, assumed)`, quantity: thousands }];
}

/**
 * An S3 bucket: Standard storage of s3StorageGbPerBucket, or lakeStorageGbPerBucket for a raw or
 * curated bucket of the analytics lake (all at the Standard price, an upper bound once the lifecycle
 * moves objects to Standard-IA and Glacier; requests are not estimated).
 */
export function priceBucket(r: CapturedResource, ctx: PricingContext): Charge[] {
  const lake = isLakeBucket(r, ctx);
  const gb = lake ? ctx.assumptions.lakeStorageGbPerBucket : ctx.assumptions.s3StorageGbPerBucket;
  return gb > 0 ? [{ priceKey: "s3.storage.standard", dimension: lake ? "Standard storage (lake)" : "Standard storage", quantity: gb, assumption: lake ? "lakeStorageGbPerBucket" : "s3StorageGbPerBucket" }] : [];
}

/** A secret, and each replica of it in another region (AWS bills a replica as a secret). */
export function priceSecret(r: CapturedResource): Charge[] {
  const replicas = Array.isArray(r.inputs.replicas) ? r.inputs.replicas.length : 0;
  return [{ priceKey: "secretsmanager.secret", dimension: replicas > 0 ? `secret and ${replicas} replicas` : "secret", quantity: 1 + replicas }];
}

/** A customer managed key (AWS managed keys are never declared, so never priced). */
export function priceKey(): Charge[] {
  return [{ priceKey: "kms.key", dimension: "customer managed key", quantity: 1 }];
}

/** An on-demand DynamoDB table (the Graylog alert relay's): one write per relay invocation; reads and storage round to nothing. */
export function priceTable(r: CapturedResource, ctx: PricingContext): Charge[] {
  if (r.inputs.billingMode !== "PAY_PER_REQUEST") return [];
  const millions = ctx.assumptions.lambdaInvocationsMillions;
  return millions > 0
    ? [{ priceKey: "dynamodb.write-request", dimension: "on-demand writes (one per function invocation)", quantity: millions, assumption: "lambdaInvocationsMillions" }]
    : [];
}

/**
 * A Prometheus workspace: samples ingested from the stack's EC2 instances (node_exporter on every data node),
 * PROMETHEUS_SERIES_PER_NODE series each scraped once a minute, in 10 million samples.
 */
export function priceWorkspace(_r: CapturedResource, ctx: PricingContext): Charge[] {
  const nodes = ctx.resources.filter((o) => o.type === "aws:ec2/instance:Instance").length;
  if (nodes === 0) return [];
  const samples = nodes * PROMETHEUS_SERIES_PER_NODE * MINUTES_PER_MONTH;
  return [
    {
      priceKey: "amp.samples",
      dimension: `samples ingested (${nodes} nodes × ${PROMETHEUS_SERIES_PER_NODE} series each minute, assumed)`,
      quantity: samples / 1e7,
    },
  ];
}

