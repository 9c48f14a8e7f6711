/**
 * The analytics contract (docs/analytics.md): the names, topics, columns and ports every part of
 * the lake agrees on. Kafka Connect writes each topic to the raw bucket under `topicPrefix`, the
 * Glue tables read the same partitions, the curation step copies raw to curated without the
 * personal columns, and analysts read curated only. Pure: no Pulumi, no config.
 */

/** The client name of the Kafka Connect workers in the data tier (their security group, their OpenSearch user). */
export const CONNECT_WORKERS = "analytics-connect";

/** Kafka Connect's REST API (connector configuration; workers forward to the leader on it). */
export const CONNECT_REST_PORT = 8083;

/** A column of a topic's events, as Glue and Athena type it. */
export interface TopicColumn {
  readonly name: string;
  /** A Hive/Athena type: string, bigint, int, double, boolean, timestamp, decimal(p,s). */
  readonly type: string;
  /** Personal data (GDPR/PDPL): kept in raw only; never copied to curated, never readable by analysts. */
  readonly personal?: boolean;
}

/** One Kafka topic the lake ingests. */
export interface AnalyticsTopic {
  /** The Kafka topic (lower-case letters, digits, dashes). */
  readonly name: string;
  readonly columns: readonly TopicColumn[];
}

/**
 * The topics the lake ingests when config names none: the customer's four (orders, cart events,
 * search queries, users). The columns are the event contract the producing services publish.
 */
export const DEFAULT_TOPICS: readonly AnalyticsTopic[] = Object.freeze([
  {
    name: "orders",
    columns: [
      { name: "order_id", type: "string" },
      { name: "customer_id", type: "string" },
      { name: "customer_email", type: "string", personal: true },
      { name: "shipping_address", type: "string", personal: true },
      { name: "status", type: "string" },
      { name: "total_amount", type: "decimal(12,2)" },
      { name: "currency", type: "string" },
      { name: "item_count", type: "int" },
      { name: "channel", type: "string" },
      { name: "event_time", type: "timestamp" },
    ],
  },
  {
    name: "cart-events",
    columns: [
      { name: "cart_id", type: "string" },
      { name: "customer_id", type: "string" },
      { name: "action", type: "string" },
      { name: "product_id", type: "string" },
      { name: "quantity", type: "int" },
      { name: "unit_price", type: "decimal(12,2)" },
      { name: "channel", type: "string" },
      { name: "event_time", type: "timestamp" },
    ],
  },
  {
    name: "search-queries",
    columns: [
      { name: "query_id", type: "string" },
      { name: "customer_id", type: "string" },
      { name: "query", type: "string" },
      { name: "result_count", type: "int" },
      { name: "clicked_product_id", type: "string" },
      { name: "channel", type: "string" },
      { name: "client_ip", type: "string", personal: true },
      { name: "event_time", type: "timestamp" },
    ],
  },
  {
    name: "users",
    columns: [
      { name: "customer_id", type: "string" },
      { name: "email", type: "string", personal: true },
      { name: "phone", type: "string", personal: true },
      { name: "full_name", type: "string", personal: true },
      { name: "city", type: "string" },
      { name: "country", type: "string" },
      { name: "signup_channel", type: "string" },
      { name: "event_time", type: "timestamp" },
    ],
  },
]);

/** The search-query topic: also indexed into OpenSearch for the search dashboards. */
export const SEARCH_QUERIES_TOPIC = "search-queries";

/** Glue and Athena take lower-case letters, digits and underscores: `cart-events` -> `cart_events`. */
export function tableName(topic: string): string {
  return topic.replace(/-/g, "_");
}

/** The environment's Glue databases: `tila_<env>_raw` (ingested, personal data) and `tila_<env>_curated`. */
export function rawDatabaseName(environment: string): string {
  return `tila_${environment}_raw`;
}
export function curatedDatabaseName(environment: string): string {
  return `tila_${environment}_curated`;
}

/** Where a topic's objects live in the raw and curated buckets; partitions below are `dt=YYYY-MM-DD/`. */
export function topicPrefix(topic: string): string {
  return `topics/${topic}/`;
}

/** The partition column every table has: the event date, `dt=YYYY-MM-DD` (UTC). */
export const PARTITION_COLUMN = "dt";

/** The columns curated keeps: every column but the personal ones. */
export function curatedColumns(topic: AnalyticsTopic): TopicColumn[] {
  return topic.columns.filter((c) => c.personal !== true);
}

/** The Athena workgroup analysts use: `tila-<env>-analysts`. */
export function workgroupName(environment: string): string {
  return `tila-${environment}-analysts`;
}
