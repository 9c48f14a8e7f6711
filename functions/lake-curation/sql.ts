/**
 * The curation step's SQL and S3 keys, built by pure functions from the deploy-time plan (the
 * analytics contract's tables, prefixes and curated columns, passed in the function's environment):
 * every identifier is checked against Glue's lower-case name rule and double-quoted (Athena DML), the
 * day is computed from the clock and checked as YYYY-MM-DD, and nothing an event carries reaches SQL.
 */

/** One topic as the function receives it: its table, its prefix in the buckets, the columns curated keeps. */
export interface CurationTopic {
  readonly topic: string;
  readonly table: string;
  readonly prefix: string;
  readonly columns: readonly string[];
}

/** The partition column (analyticsPlan.ts PARTITION_COLUMN); the handler cannot import the program. */
export const PARTITION_COLUMN = "dt";

const IDENTIFIER = /^[a-z][a-z0-9_]{0,254}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PREFIX = /^topics\/[a-z][a-z0-9-]{0,62}\/$/;

/** A Glue name double-quoted for Athena DML; anything but lower-case letters, digits and _ is refused. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a Glue identifier (lower-case letters, digits, _)`);
  return `"${name}"`;
}

/** The UTC day before `now`, as YYYY-MM-DD: the day whose partition is complete. */
export function previousUtcDay(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - 1));
  return d.toISOString().slice(0, 10);
}

function checkedDay(day: string): string {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new Error(`"${day}" is not a day (YYYY-MM-DD)`);
  }
  return day;
}

/** Copies one day of a topic from raw to curated, curated columns only, partition column last. */
export function curationSql(rawDatabase: string, curatedDatabase: string, t: CurationTopic, day: string): string {
  if (t.columns.length === 0) throw new Error(`topic ${t.topic}: no curated columns`);
  const columns = [...t.columns, PARTITION_COLUMN].map(quoteIdentifier).join(", ");
  const table = quoteIdentifier(t.table);
  return `INSERT INTO ${quoteIdentifier(curatedDatabase)}.${table} SELECT ${columns} FROM ${quoteIdentifier(rawDatabase)}.${table} WHERE ${quoteIdentifier(PARTITION_COLUMN)} = '${checkedDay(day)}'`;
}

/** The curated partition's key prefix, `topics/<topic>/dt=<day>/`: emptied before the copy so a re-run replaces it. */
export function partitionPrefix(t: CurationTopic, day: string): string {
  if (!PREFIX.test(t.prefix)) throw new Error(`"${t.prefix}" is not a topic prefix (topics/<topic>/)`);
  return `${t.prefix}${PARTITION_COLUMN}=${checkedDay(day)}/`;
}

/** Parses and checks the TOPICS variable (JSON of CurationTopic[]); a malformed plan fails before any query. */
export function parseTopics(json: string | undefined): CurationTopic[] {
  if (json === undefined) throw new Error("TOPICS is not set");
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || value.length === 0) throw new Error("TOPICS must be a non-empty JSON array");
  return value.map((v: unknown, i) => {
    const t = v as Partial<CurationTopic>;
    if (typeof t.topic !== "string" || typeof t.table !== "string" || typeof t.prefix !== "string" || !Array.isArray(t.columns) || !t.columns.every((c) => typeof c === "string")) {
      throw new Error(`TOPICS[${i}] must be {topic, table, prefix, columns[]}`);
    }
    const topic: CurationTopic = { topic: t.topic, table: t.table, prefix: t.prefix, columns: t.columns };
    quoteIdentifier(topic.table);
    topic.columns.forEach(quoteIdentifier);
    if (!PREFIX.test(topic.prefix)) throw new Error(`TOPICS[${i}].prefix "${topic.prefix}" is not topics/<topic>/`);
    return topic;
  });
}
