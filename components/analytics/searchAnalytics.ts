/**
 * Search analytics (docs/analytics.md, "Search analytics"): what makes the search-queries topic
 * searchable in OpenSearch for the search dashboards. Pure builders, tested directly: the OpenSearch
 * sink connector's configuration (checked against the connector's documented options), the index
 * template of the daily indices, their ISM lifecycle, and the Dashboards saved objects.
 *
 * Facts relied on (URLs in docs/analytics.md): Aiven's OpenSearch sink connector v4
 * (io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector) names the index after the record's topic
 * (lower-cased), so Kafka's TimestampRouter SMT (`${topic}-${timestamp}`, SimpleDateFormat) turns the
 * topic into one index per day; ISM's `ism_template` attaches the policy to every new matching index;
 * Dashboards' saved objects API lives under `_dashboards/api/saved_objects` on a managed domain.
 */
import { AnalyticsTopic, SEARCH_QUERIES_TOPIC } from "./analyticsPlan";

/** The daily indices: `search-queries-2026.12.05`. */
export const SEARCH_INDEX_PATTERN = `${SEARCH_QUERIES_TOPIC}-*`;
/** TimestampRouter's date part (java.text.SimpleDateFormat; the record timestamp, UTC). */
export const SEARCH_INDEX_DATE_FORMAT = "yyyy.MM.dd";
export const SEARCH_CONNECTOR_NAME = `${SEARCH_QUERIES_TOPIC}-opensearch`;
export const OPENSEARCH_SINK_CLASS = "io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector";
/**
 * The workers' environment variable holding their OpenSearch password (ECS injects it from the
 * workers' OpenSearch user secret, JSON key `password`); the connector reads it through Kafka's
 * EnvVarConfigProvider, so the password is never in the connector's configuration or the stack.
 */
export const SEARCH_SINK_PASSWORD_ENV = "SEARCH_SINK_OPENSEARCH_PASSWORD";
/** The worker-level settings the `${env:...}` reference needs (Kafka 3.5+, KIP-887). */
export const ENV_CONFIG_PROVIDER: Readonly<Record<string, string>> = Object.freeze({
  "config.providers": "env",
  "config.providers.env.class": "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
});
export const SEARCH_TEMPLATE_NAME = `tila-${SEARCH_QUERIES_TOPIC}`;
export const SEARCH_ISM_POLICY_ID = `tila-${SEARCH_QUERIES_TOPIC}-retention`;
export const SEARCH_INDEX_PATTERN_OBJECT_ID = `tila-${SEARCH_QUERIES_TOPIC}`;
/** Marks what the provisioner made, like its users and roles. */
const MANAGED = "tila-platform";
/** The fewest days the dashboards can look back over (a month of trend). */
export const MIN_SEARCH_INDEX_RETENTION_DAYS = 7;
export const MAX_SEARCH_INDEX_RETENTION_DAYS = 3650;

export interface SearchSinkInputs {
  /** The domain's VPC endpoint host name (HTTPS on 443). */
  readonly endpoint: string;
  /** The workers' internal OpenSearch user (the data tier's client user). */
  readonly username: string;
  /** The topic's columns: personal ones are dropped before indexing. */
  readonly topic: AnalyticsTopic;
  /** @default 1: one partition's worth of queries is small */
  readonly tasksMax?: number;
}

/**
 * The OpenSearch sink for the search-queries topic. Delivery is at-least-once (Kafka Connect commits
 * offsets after the bulk write); the document id is topic+partition+offset, so a redelivered record
 * overwrites itself instead of counting twice. Personal columns never reach OpenSearch.
 */
export function searchSinkConnectorConfig(i: SearchSinkInputs): Record<string, string> {
  if (i.topic.name !== SEARCH_QUERIES_TOPIC) throw new Error(`searchSinkConnectorConfig: topic must be ${SEARCH_QUERIES_TOPIC}, got ${i.topic.name}`);
  const personal = i.topic.columns.filter((c) => c.personal === true).map((c) => c.name);
  const transforms = [...(personal.length > 0 ? ["dropPersonal"] : []), "daily"];
  return {
    "connector.class": OPENSEARCH_SINK_CLASS,
    "tasks.max": String(i.tasksMax ?? 1),
    topics: SEARCH_QUERIES_TOPIC,
    "connection.url": `https://${i.endpoint}:443`,
    "connection.username": i.username,
    "connection.password": `\${env:${SEARCH_SINK_PASSWORD_ENV}}`,
    "key.ignore": "true",
    "key.ignore.id.strategy": "topic.partition.offset",
    // The index template owns the mapping: the connector must not derive one from the record schema.
    "schema.ignore": "true",
    "index.write.method": "insert",
    "behavior.on.null.values": "ignore",
    // A malformed event is logged and skipped: one bad producer must not stop the dashboards.
    "behavior.on.malformed.documents": "warn",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    // The same topic feeds the S3 sink, whose Parquet needs each record's schema: producers publish
    // JSON with the schema envelope (docs/analytics.md), so this sink reads it the same way.
    "value.converter.schemas.enable": "true",
    transforms: transforms.join(","),
    ...(personal.length > 0 ? {
      "transforms.dropPersonal.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
      "transforms.dropPersonal.exclude": personal.join(","),
    } : {}),
    "transforms.daily.type": "org.apache.kafka.connect.transforms.TimestampRouter",
    "transforms.daily.topic.format": "${topic}-${timestamp}",
    "transforms.daily.timestamp.format": SEARCH_INDEX_DATE_FORMAT,
    "errors.tolerance": "none",
  };
}

type Check = (value: string) => string | undefined;
const oneOf = (...allowed: string[]): Check => (v) => (allowed.includes(v) ? undefined : `must be one of ${allowed.join(", ")}`);
const bool: Check = oneOf("true", "false");
const positiveInt: Check = (v) => (/^[1-9]\d*$/.test(v) ? undefined : "must be a positive integer");
const nonEmpty: Check = (v) => (v.trim() === "" ? "must not be empty" : undefined);
const https: Check = (v) => (v.split(",").every((u) => /^https:\/\/[a-z0-9.-]+(:\d+)?$/.test(u.trim())) ? undefined : "must list https:// URLs (the domain enforces HTTPS)");
const secretReference: Check = (v) => (/^\$\{[a-z]+:[^}]+\}$/.test(v) ? undefined : "must be a config-provider reference (${provider:key}), never the password itself");
const className: Check = (v) => (/^[a-z][\w.]*(\.[A-Z][\w]*)(\$[A-Z]\w*)?$/.test(v) ? undefined : "must be a Java class name");
const dateFormat: Check = (v) => (/^[yMdHm.\-_]+$/.test(v) && v.includes("yyyy") ? undefined : "must be a SimpleDateFormat date pattern with yyyy");
const topicFormat: Check = (v) => (v.includes("${topic}") && v.includes("${timestamp}") ? undefined : "must contain ${topic} and ${timestamp}");

/**
 * The options this project sets, as Aiven's opensearch-connector-for-apache-kafka v4 documents them
 * (docs/opensearch-sink-connector-config-options.rst), plus Kafka Connect's own connector keys and
 * the two SMTs used. A key outside this list is refused, so a typo cannot silently fall back to a default.
 */
const DOCUMENTED: Readonly<Record<string, Check>> = {
  "connector.class": oneOf(OPENSEARCH_SINK_CLASS),
  "tasks.max": positiveInt,
  topics: nonEmpty,
  "connection.url": https,
  "connection.username": nonEmpty,
  "connection.password": secretReference,
  "connection.timeout.ms": positiveInt,
  "read.timeout.ms": positiveInt,
  "batch.size": positiveInt,
  "max.buffered.records": positiveInt,
  "max.in.flight.requests": positiveInt,
  "linger.ms": positiveInt,
  "flush.timeout.ms": positiveInt,
  "max.retries": positiveInt,
  "retry.backoff.ms": positiveInt,
  "key.ignore": bool,
  "key.ignore.id.strategy": oneOf("none", "record.key", "topic.partition.offset"),
  "schema.ignore": bool,
  "compact.map.entries": bool,
  "drop.invalid.message": bool,
  "index.write.method": oneOf("insert", "upsert"),
  "behavior.on.null.values": oneOf("ignore", "delete", "fail"),
  "behavior.on.malformed.documents": oneOf("ignore", "warn", "fail", "report"),
  "behavior.on.version.conflict": oneOf("ignore", "warn", "fail", "report"),
  "key.converter": className,
  "value.converter": className,
  "value.converter.schemas.enable": bool,
  transforms: (v) => (/^[A-Za-z]\w*(,[A-Za-z]\w*)*$/.test(v) ? undefined : "must be a comma-separated list of transform aliases"),
  "errors.tolerance": oneOf("none", "all"),
};
const TRANSFORMS: Readonly<Record<string, Readonly<Record<string, Check>>>> = {
  "org.apache.kafka.connect.transforms.TimestampRouter": { "topic.format": topicFormat, "timestamp.format": dateFormat },
  "org.apache.kafka.connect.transforms.ReplaceField$Value": { exclude: nonEmpty, include: nonEmpty },
};

/** Every problem of a connector configuration, each naming its key; empty when it is valid. */
export function searchSinkConfigIssues(config: Readonly<Record<string, string>>): string[] {
  const issues: string[] = [];
  const aliases = (config.transforms ?? "").split(",").filter((a) => a !== "");
  for (const [key, value] of Object.entries(config)) {
    const m = /^transforms\.([A-Za-z]\w*)\.(.+)$/.exec(key);
    if (m) {
      const [, alias, option] = m as unknown as [string, string, string];
      if (!aliases.includes(alias)) { issues.push(`${key}: transform "${alias}" is not listed in transforms`); continue; }
      if (option === "type") { if (TRANSFORMS[value] === undefined) issues.push(`${key}: "${value}" is not a transform this project uses (${Object.keys(TRANSFORMS).join(", ")})`); continue; }
      const checks = TRANSFORMS[config[`transforms.${alias}.type`] ?? ""];
      const check = checks?.[option];
      if (check === undefined) { issues.push(`${key}: not an option of ${config[`transforms.${alias}.type`] ?? "an untyped transform"}`); continue; }
      const problem = check(value);
      if (problem) issues.push(`${key}: ${problem}, got "${value}"`);
      continue;
    }
    const check = DOCUMENTED[key];
    if (check === undefined) { issues.push(`${key}: not a documented option of the OpenSearch sink connector`); continue; }
    const problem = check(value);
    if (problem) issues.push(`${key}: ${problem}, got "${key === "connection.password" ? "(hidden)" : value}"`);
  }
  for (const required of ["connector.class", "topics", "connection.url", "connection.username", "connection.password"]) {
    if (config[required] === undefined) issues.push(`${required}: required`);
  }
  for (const alias of aliases) if (config[`transforms.${alias}.type`] === undefined) issues.push(`transforms.${alias}.type: required for transform "${alias}"`);
  return issues;
}

const OPENSEARCH_TYPES: Readonly<Record<string, object>> = {
  string: { type: "keyword", ignore_above: 256 },
  int: { type: "integer" },
  smallint: { type: "short" },
  bigint: { type: "long" },
  double: { type: "double" },
  float: { type: "float" },
  boolean: { type: "boolean" },
  timestamp: { type: "date" },
  date: { type: "date" },
};

/**
 * The composable index template of the daily indices: the query as full text with a keyword
 * sub-field (the terms aggregations of the dashboards), result_count as an integer, event_time as a
 * date; every other non-personal column typed from its Athena type. The connector creates each
 * index with `dynamic: true` when schema.ignore is on (OpenSearchTaskHandler.createIndex), so a new
 * field is still indexed; the declared ones keep these types because the template maps them first.
 */
export function searchIndexTemplate(topic: AnalyticsTopic, replicas: number): Record<string, unknown> {
  const properties: Record<string, object> = {};
  for (const c of topic.columns.filter((col) => col.personal !== true)) {
    if (c.name === "query") properties[c.name] = { type: "text", fields: { keyword: { type: "keyword", ignore_above: 256 } } };
    else if (/^decimal\(/.test(c.type)) properties[c.name] = { type: "scaled_float", scaling_factor: 100 };
    else {
      const t = OPENSEARCH_TYPES[c.type];
      if (t === undefined) throw new Error(`searchIndexTemplate: column ${c.name} has type ${c.type} with no OpenSearch mapping`);
      properties[c.name] = t;
    }
  }
  for (const needed of ["query", "result_count", "event_time"]) {
    if (properties[needed] === undefined) throw new Error(`searchIndexTemplate: the ${topic.name} topic has no ${needed} column; the dashboards need it`);
  }
  return {
    index_patterns: [SEARCH_INDEX_PATTERN],
    priority: 100,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: replicas },
      mappings: { properties },
    },
    _meta: { managed_by: MANAGED },
  };
}

/** Retention in days, refused outside the floor and ceiling (the issue's "retention below the floor"). */
export function searchRetentionIssues(days: number, key = "searchAnalytics.indexRetentionDays"): string[] {
  if (!Number.isInteger(days) || days < MIN_SEARCH_INDEX_RETENTION_DAYS || days > MAX_SEARCH_INDEX_RETENTION_DAYS) {
    return [`${key}: must be a whole number of days from ${MIN_SEARCH_INDEX_RETENTION_DAYS} to ${MAX_SEARCH_INDEX_RETENTION_DAYS}, got ${days}`];
  }
  return [];
}

/**
 * The ISM policy: every daily index is `hot` from creation and deleted `retentionDays` after it;
 * `ism_template` attaches it to each new `search-queries-*` index as it is created.
 */
export function searchIsmPolicy(retentionDays: number): Record<string, unknown> {
  const issues = searchRetentionIssues(retentionDays);
  if (issues.length > 0) throw new Error(issues.join("; "));
  return {
    policy: {
      description: `${MANAGED}: ${SEARCH_INDEX_PATTERN} kept ${retentionDays} days`,
      default_state: "hot",
      states: [
        { name: "hot", actions: [], transitions: [{ state_name: "delete", conditions: { min_index_age: `${retentionDays}d` } }] },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [SEARCH_INDEX_PATTERN], priority: 100 }],
    },
  };
}

/** One Dashboards saved object, as the saved objects API takes it. */
export interface SavedObject {
  readonly type: "index-pattern" | "visualization" | "dashboard";
  readonly id: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly { readonly name: string; readonly type: string; readonly id: string }[];
}

function visualization(id: string, title: string, query: string, field: string): SavedObject {
  const visState = {
    title,
    type: "table",
    params: { perPage: 20, showPartialRows: false, showMetricsAtAllLevels: false },
    aggs: [
      { id: "1", enabled: true, type: "count", schema: "metric", params: {} },
      { id: "2", enabled: true, type: "terms", schema: "bucket", params: { field, size: 20, order: "desc", orderBy: "1" } },
    ],
  };
  return {
    type: "visualization",
    id,
    attributes: {
      title,
      visState: JSON.stringify(visState),
      uiStateJSON: "{}",
      description: `${MANAGED}: ${title}`,
      version: 1,
      kibanaSavedObjectMeta: {
        searchSourceJSON: JSON.stringify({ query: { query, language: "kuery" }, filter: [], indexRefName: "kibanaSavedObjectMeta.searchSourceJSON.index" }),
      },
    },
    references: [{ name: "kibanaSavedObjectMeta.searchSourceJSON.index", type: "index-pattern", id: SEARCH_INDEX_PATTERN_OBJECT_ID }],
  };
}

/** The index pattern (time field event_time) and the two visualizations: top queries and zero-result queries. */
export function searchDashboardObjects(): SavedObject[] {
  const top = visualization(`${SEARCH_INDEX_PATTERN_OBJECT_ID}-top`, "Search: top queries", "", "query.keyword");
  const zero = visualization(`${SEARCH_INDEX_PATTERN_OBJECT_ID}-zero-results`, "Search: zero-result queries", "result_count:0", "query.keyword");
  return [
    { type: "index-pattern", id: SEARCH_INDEX_PATTERN_OBJECT_ID, attributes: { title: SEARCH_INDEX_PATTERN, timeFieldName: "event_time" }, references: [] },
    top,
    zero,
    {
      type: "dashboard",
      id: `${SEARCH_INDEX_PATTERN_OBJECT_ID}-dashboard`,
      attributes: {
        title: "Search analytics",
        description: `${MANAGED}: what customers search for, and what finds nothing`,
        panelsJSON: JSON.stringify([top, zero].map((_v, k) => ({ panelIndex: String(k + 1), gridData: { x: k * 24, y: 0, w: 24, h: 15, i: String(k + 1) }, version: "2.19.0", panelRefName: `panel_${k}` }))),
        optionsJSON: JSON.stringify({ useMargins: true, hidePanelTitles: false }),
        timeRestore: false,
        kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: "", language: "kuery" }, filter: [] }) },
      },
      references: [top, zero].map((v, k) => ({ name: `panel_${k}`, type: "visualization", id: v.id })),
    },
  ];
}

/** What the domain's provisioner applies for search analytics (functions/opensearch-users, `indexSetup`). */
export interface SearchIndexSetup {
  readonly templates: readonly { readonly name: string; readonly body: Record<string, unknown> }[];
  readonly ismPolicies: readonly { readonly id: string; readonly body: Record<string, unknown> }[];
  readonly savedObjects: readonly SavedObject[];
}

export function searchIndexSetup(topic: AnalyticsTopic, retentionDays: number, replicas: number): SearchIndexSetup {
  return {
    templates: [{ name: SEARCH_TEMPLATE_NAME, body: searchIndexTemplate(topic, replicas) }],
    ismPolicies: [{ id: SEARCH_ISM_POLICY_ID, body: searchIsmPolicy(retentionDays) }],
    savedObjects: searchDashboardObjects(),
  };
}
