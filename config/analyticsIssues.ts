/**
 * What a valid `tila-platform:analytics` cannot say on its own (docs/analytics.md#curation): every
 * ingested topic has a producer that reaches Kafka, the lake's lifecycle respects S3's and the
 * platform's floors, the Athena scan limit is one Athena accepts, topic and column lists are
 * unambiguous, and the lake has the Kafka and OpenSearch it reads from and writes to.
 * Pure: every issue names its key path.
 */
import { CONNECT_WORKERS, PARTITION_COLUMN } from "../components/analytics/analyticsPlan";
import { analyticsSchema, effectiveAnalytics } from "./analyticsSchema";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { dataSchema, servicesSchema } from "./schema";

/**
 * S3 refuses a lifecycle transition to STANDARD_IA earlier than 30 days after creation
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html, `Days`).
 */
export const MIN_INFREQUENT_ACCESS_DAYS = 30;
/**
 * Objects stay in STANDARD_IA 30 days before a lifecycle rule may move them on to Glacier
 * (https://repost.aws/knowledge-center/s3-lifecycle-rule-glacier-storage).
 */
export const MIN_DAYS_IN_INFREQUENT_ACCESS = 30;
/**
 * Glacier Instant Retrieval and Flexible Retrieval bill 90 days however early an object is deleted
 * (S3 storage classes, minimum storage duration): expiring earlier pays for days never kept.
 */
export const GLACIER_MIN_STORAGE_DAYS = 90;
/**
 * The platform's floors in prod (docs/analytics.md#curation). Curated, without personal data, keeps
 * two years: year-over-year comparison of the customer base needs the full previous year plus the
 * current one. Raw, with personal data, keeps one year: enough to rebuild curated after a contract
 * change or a failed curation, and no longer than the business needs the personal columns.
 */
export const LAKE_FLOORS: Readonly<Record<string, { raw: number; curated: number }>> = Object.freeze({ prod: { raw: 365, curated: 730 } });
/** Search-query indices: a week at least, or the weekly dashboards have nothing to compare. */
export const MIN_INDEX_RETENTION_DAYS = 7;
/** Athena refuses a per-query cutoff below 10 MB (10,485,760 bytes; the provider's `bytesScannedCutoffPerQuery`). */
export const ATHENA_MIN_CUTOFF_BYTES = 10_485_760;
/** A scan limit above 1 TB (about 5 USD a query at Athena's per-TB price) limits nothing an analyst would notice. */
export const ATHENA_MAX_CUTOFF_GB = 1000;
/** Who publishes each default topic in the service catalogue, to say who would have to produce it. */
const DEFAULT_PRODUCERS: Readonly<Record<string, string>> = Object.freeze({ orders: "orders", "cart-events": "cart", "search-queries": "search", users: "users" });

/** The smallest `bytesScannedCutoffGb` Athena takes, read as decimal GB (the stricter reading of GB). */
export function minCutoffGb(): number {
  return Math.ceil((ATHENA_MIN_CUTOFF_BYTES / 1e9) * 10_000) / 10_000;
}

/** Issues of one environment stack's analytics key and the catalogue's `produces`; nothing for management. */
export function analyticsIssues(stack: string, raw: Readonly<Record<string, unknown>>): ConfigIssue[] {
  if (stack === "management") return [];
  const issues: ConfigIssue[] = [];
  const services = servicesSchema.safeParse(raw.services);
  const data = dataSchema.safeParse(raw.data);
  const kafkaNames = data.success ? new Set(data.data.clusters.filter((c) => c.engine === "kafka").map((c) => c.name ?? c.engine)) : undefined;

  // The catalogue, whether or not the lake is on: a producer must reach the brokers, and the workers' name is taken.
  if (services.success) {
    services.data.catalog.forEach((s, i) => {
      if (s.name === CONNECT_WORKERS) {
        issues.push({ path: keyPath(["services", "catalog", i, "name"]), message: `"${CONNECT_WORKERS}" is the Kafka Connect workers' name (their security group and OpenSearch user); rename the service` });
      }
      if (kafkaNames && s.produces.length > 0 && !s.uses.some((u) => kafkaNames.has(u))) {
        const clusters = [...kafkaNames];
        const hint = clusters.length === 0 ? "this environment has no Kafka cluster" : `add ${clusters.join(" or ")} to its uses`;
        issues.push({ path: keyPath(["services", "catalog", i, "produces"]), message: `${s.name} publishes ${s.produces.join(", ")} but uses no Kafka cluster, so it cannot reach the brokers: ${hint}` });
      }
    });
  }

  const parsed = analyticsSchema.safeParse(raw.analytics ?? {});
  if (!parsed.success) return issues;
  const given = parsed.data;
  const settings = effectiveAnalytics(stack, given);
  const at = (...path: PropertyKey[]): string => keyPath(["analytics", ...path]);

  // Topics and columns: unambiguous, something left for curated, and produced when the lake is on.
  const seen = new Set<string>();
  settings.topics.forEach((t, i) => {
    if (seen.has(t.name)) issues.push({ path: at("topics", i, "name"), message: `topic "${t.name}" is listed twice` });
    seen.add(t.name);
    const columns = new Set<string>();
    t.columns.forEach((c, j) => {
      if (columns.has(c.name)) issues.push({ path: at("topics", i, "columns", j, "name"), message: `column "${c.name}" is listed twice in topic "${t.name}"` });
      columns.add(c.name);
      if (c.name === PARTITION_COLUMN) issues.push({ path: at("topics", i, "columns", j, "name"), message: `"${PARTITION_COLUMN}" is the partition column every table already has (the event date); rename the column` });
    });
    if (t.columns.every((c) => c.personal === true)) {
      issues.push({ path: at("topics", i, "columns"), message: `every column of "${t.name}" is personal: curated would keep nothing of it (mark the columns analysts may read as not personal, or drop the topic)` });
    }
  });
  if (settings.enabled && services.success) {
    const produced = new Set(services.data.catalog.flatMap((s) => s.produces));
    const defaults = given.topics === undefined;
    settings.topics.forEach((t, i) => {
      if (produced.has(t.name)) return;
      const producer = DEFAULT_PRODUCERS[t.name];
      const who = producer !== undefined ? `the ${producer} service` : "the service that publishes it";
      const message = defaults
        ? `the default topic "${t.name}" is produced by no service of ${stack}: ${who} would have to list it in services.catalog[].produces, or name the topics in analytics.topics`
        : `no service of ${stack} produces "${t.name}": list it in the producing service's services.catalog[].produces, or drop the topic`;
      issues.push({ path: at("topics", i, "name"), message });
    });
  }
  if (settings.enabled && data.success) {
    const where = given.enabled === undefined ? at() : at("enabled");
    const why = given.enabled === undefined ? ` (on by default in ${stack}; set analytics.enabled: false to go without it)` : "";
    if (kafkaNames && kafkaNames.size === 0) issues.push({ path: where, message: `the lake reads its topics from Kafka, and ${stack} has no kafka cluster in data.clusters${why}` });
    if (data.data.opensearch === undefined) issues.push({ path: where, message: `the lake indexes search queries into OpenSearch, and ${stack} has no data.opensearch${why}` });
  }

  // The lake's lifecycle: S3's constraints, then the platform's floors.
  const lake = settings.lake;
  if (lake.infrequentAccessDays < MIN_INFREQUENT_ACCESS_DAYS) {
    issues.push({ path: at("lake", "infrequentAccessDays"), message: `S3 moves objects to Standard-IA no earlier than ${MIN_INFREQUENT_ACCESS_DAYS} days after creation (got ${lake.infrequentAccessDays})` });
  }
  const glacierFloor = lake.infrequentAccessDays + MIN_DAYS_IN_INFREQUENT_ACCESS;
  if (lake.glacierDays < glacierFloor) {
    issues.push({ path: at("lake", "glacierDays"), message: `objects stay ${MIN_DAYS_IN_INFREQUENT_ACCESS} days in Standard-IA before S3 moves them to Glacier: at least ${glacierFloor} with infrequentAccessDays ${lake.infrequentAccessDays} (got ${lake.glacierDays})` });
  }
  const floors = LAKE_FLOORS[stack];
  const expiryFloor = lake.glacierDays + GLACIER_MIN_STORAGE_DAYS;
  for (const [key, kind] of [["rawRetentionDays", "raw"], ["curatedRetentionDays", "curated"]] as const) {
    const days = lake[key];
    if (days < expiryFloor) {
      issues.push({ path: at("lake", key), message: `Glacier bills ${GLACIER_MIN_STORAGE_DAYS} days however early an object expires: at least ${expiryFloor} with glacierDays ${lake.glacierDays} (got ${days})` });
    }
    const floor = floors?.[kind];
    if (floor !== undefined && days < floor) {
      issues.push({ path: at("lake", key), message: `${stack} keeps ${kind} lake data at least ${floor} days (got ${days})` });
    }
  }
  if (settings.searchAnalytics.indexRetentionDays < MIN_INDEX_RETENTION_DAYS) {
    issues.push({ path: at("searchAnalytics", "indexRetentionDays"), message: `at least ${MIN_INDEX_RETENTION_DAYS} days, or the weekly search dashboards have nothing to compare (got ${settings.searchAnalytics.indexRetentionDays})` });
  }
  const cutoff = settings.athena.bytesScannedCutoffGb;
  if (cutoff * 1e9 < ATHENA_MIN_CUTOFF_BYTES) {
    issues.push({ path: at("athena", "bytesScannedCutoffGb"), message: `Athena refuses a per-query limit below 10 MB (${ATHENA_MIN_CUTOFF_BYTES} bytes): at least ${minCutoffGb()} (got ${cutoff})` });
  } else if (cutoff > ATHENA_MAX_CUTOFF_GB) {
    issues.push({ path: at("athena", "bytesScannedCutoffGb"), message: `at most ${ATHENA_MAX_CUTOFF_GB} (1 TB, about 5 USD a query): a larger limit stops no runaway query (got ${cutoff})` });
  }
  return issues;
}
