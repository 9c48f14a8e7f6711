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
