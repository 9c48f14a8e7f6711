/**
 * What the analytics rules share: the type tokens of the lake (Athena workgroups, Glue databases and
 * tables) and which buckets of a stack are lake buckets. Not a rule: the registry lists the rules in
 * `index.ts`.
 */
import type { PolicyResource } from "@pulumi/policy";
import { PENDING, peek } from "../data/support";

export const ATHENA_WORKGROUP = "aws:athena/workgroup:Workgroup";
export const GLUE_DATABASE = "aws:glue/catalogDatabase:CatalogDatabase";
export const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";

/** The provider's floor for a workgroup's per-query cutoff (aws.athena.Workgroup: "Must be at least 10485760"). */
export const MIN_SCAN_CUTOFF_BYTES = 10_485_760;

/** The bucket an `s3://bucket/prefix` location names; undefined for anything else or a value not known yet. */
export function bucketOfLocation(location: unknown): string | undefined {
  if (typeof location !== "string") return undefined;
  const m = /^s3a?:\/\/([^/]+)/.exec(location);
  return m ? m[1] : undefined;
}

/** The workgroup's `configuration` object, or PENDING/undefined. */
export function configurationOf(workgroup: Record<string, unknown>): unknown {
  return peek(workgroup, "configuration");
}

/** The `resultConfiguration.outputLocation` of a workgroup's configuration (PENDING when not known yet). */
export function outputLocationOf(configuration: unknown): unknown {
  const result = peek(configuration, "resultConfiguration");
  return result === PENDING ? PENDING : peek(result, "outputLocation");
}

/**
 * The buckets the lake reads and writes, by name: every bucket a Glue database (`locationUri`), a
 * Glue table (`storageDescriptor.location`) or an Athena workgroup (result `outputLocation`) of the
 * stack points at. Found by reference rather than by a naming convention, so a renamed bucket stays
 * a lake bucket as long as the catalogue or a workgroup uses it.
 */
export function lakeBucketNames(resources: readonly PolicyResource[]): Set<string> {
  const names = new Set<string>();
  const add = (location: unknown) => {
    const bucket = bucketOfLocation(location);
    if (bucket !== undefined) names.add(bucket);
  };
  for (const r of resources) {
    if (r.type === GLUE_DATABASE) add(peek(r.props, "locationUri"));
    else if (r.type === GLUE_TABLE) add(peek(peek(r.props, "storageDescriptor"), "location"));
    else if (r.type === ATHENA_WORKGROUP) add(outputLocationOf(configurationOf(r.props)));
  }
  return names;
}
