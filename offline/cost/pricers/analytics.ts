/**
 * Pricers for the analytics lake's resource types (docs/cost.md, docs/analytics.md): Athena, priced
 * by the TB its workgroups scan, and the Glue Data Catalog, free at the lake's size. The lake's
 * buckets are S3 buckets the data domain prices (with `lakeStorageGbPerBucket` for those the
 * catalogue points at: `isLakeBucket`), the Kafka Connect workers are ECS services and the
 * curation step a Lambda, both priced by their existing pricers. Prices: prices/<region>/analytics.json.
 */
import type { CapturedResource } from "../../types";
import type { Pricer, PricingContext } from "../types";

const WORKGROUP = "aws:athena/workgroup:Workgroup";
const GLUE_DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";

/** An enabled workgroup: `athenaScannedTbPerWorkgroup` TB at Athena's per-TB price (DDL and failed queries are free; not deducted). */
const workgroup: Pricer = (r, ctx) => {
  if (r.inputs.state === "DISABLED") return [];
  const tb = ctx.assumptions.athenaScannedTbPerWorkgroup;
  return tb > 0 ? [{ priceKey: "athena.scanned.tb", dimension: "data scanned by queries", quantity: tb, assumption: "athenaScannedTbPerWorkgroup" }] : [];
};

export const ANALYTICS_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({ [WORKGROUP]: workgroup });

/**
 * Free at the lake's size: the Glue Data Catalog stores the first million objects (databases, tables,
 * partitions) and serves the first million requests a month at no charge (aws.amazon.com/glue/pricing;
 * the EMR release guide: "The Data Catalog allows you to store up to a million objects at no charge").
 * The lake has two databases and a table per topic in each, and partition projection keeps partitions
 * out of the catalogue; its settings, named queries and prepared statements have no charge of their own.
 */
export const ANALYTICS_FREE_TYPES: readonly string[] = Object.freeze([
  GLUE_DATABASE,
  GLUE_TABLE,
  "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
  "aws:glue/resourcePolicy:ResourcePolicy",
  "aws:athena/namedQuery:NamedQuery",
  "aws:athena/preparedStatement:PreparedStatement",
  "aws:athena/database:Database",
  "aws:lakeformation/permissions:Permissions",
  "aws:lakeformation/dataLakeSettings:DataLakeSettings",
  "aws:lakeformation/resource:Resource",
  "aws:lakeformation/lfTag:LfTag",
  "aws:lakeformation/resourceLfTags:ResourceLfTags",
  "aws:lakeformation/dataCellsFilter:DataCellsFilter",
]);

function s3Bucket(location: unknown): string | undefined {
  if (typeof location !== "string") return undefined;
  return /^s3a?:\/\/([^/]+)/.exec(location)?.[1];
}

const lakeCache = new WeakMap<readonly CapturedResource[], ReadonlySet<string>>();

/** The buckets a stack's Glue databases (`locationUri`) and tables (`storageDescriptor.location`) point at: the raw and curated buckets. */
export function lakeBucketNames(resources: readonly CapturedResource[]): ReadonlySet<string> {
  let names = lakeCache.get(resources);
  if (names === undefined) {
    const found = new Set<string>();
    for (const r of resources) {
      const location = r.type === GLUE_DATABASE ? r.inputs.locationUri : r.type === GLUE_TABLE ? (r.inputs.storageDescriptor as { location?: unknown } | undefined)?.location : undefined;
      const bucket = s3Bucket(location);
      if (bucket !== undefined) found.add(bucket);
    }
    names = found;
    lakeCache.set(resources, names);
  }
  return names;
}

/** Whether a bucket is one of the lake's raw or curated buckets (the query-results bucket is not: its results expire within days). */
export function isLakeBucket(r: CapturedResource, ctx: PricingContext): boolean {
  const name = r.inputs.bucket ?? r.outputs.bucket ?? r.outputs.id;
  return typeof name === "string" && lakeBucketNames(ctx.resources).has(name);
}

