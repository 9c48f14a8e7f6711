/**
 * What the lake hands the other analytics parts (curation, Kafka Connect, search analytics): the
 * buckets, the key they are encrypted with, the Glue databases and the Athena workgroup. Built by
 * stacks/analyticsLake.ts `buildLake`; the other parts take it as an input. Types only.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface LakeRefs {
  /** The raw bucket: Kafka Connect writes `topics/<topic>/dt=YYYY-MM-DD/` here; personal columns included. */
  readonly rawBucketName: pulumi.Input<string>;
  readonly rawBucketArn: pulumi.Input<string>;
  /** The curated bucket: the daily step writes the same layout without the personal columns. */
  readonly curatedBucketName: pulumi.Input<string>;
  readonly curatedBucketArn: pulumi.Input<string>;
  /** The data key (the data tier's EncryptionKey) every lake bucket is encrypted with (SSE-KMS). */
  readonly keyArn: pulumi.Input<string>;
  /** The Glue databases: `tila_<env>_raw` and `tila_<env>_curated` (analyticsPlan.ts). */
  readonly rawDatabase: pulumi.Input<string>;
  readonly curatedDatabase: pulumi.Input<string>;
  /** The analysts' Athena workgroup: `tila-<env>-analysts`. */
  readonly workgroup: pulumi.Input<string>;
  /** The Athena query-results bucket (results under `<workgroup>/`). */
  readonly resultsBucketName: pulumi.Input<string>;
  readonly resultsBucketArn: pulumi.Input<string>;
}

/**
 * The lake as a pure policy document sees it (resolved names and ARNs): what the analysts' and the
 * curation function's permissions are written against (analystPolicy.ts, curationPolicy.ts).
 */
export interface LakeScope {
  readonly workgroup: string;
  readonly rawDatabase: string;
  readonly curatedDatabase: string;
  /** Topic names (the Glue tables and bucket prefixes are derived from them). */
  readonly topics: readonly string[];
  readonly rawBucketArn: string;
  readonly curatedBucketArn: string;
  readonly resultsBucketArn: string;
  /** The data key every lake bucket and the query results are encrypted with. */
  readonly keyArn: string;
}
