/**
 * The lake's storage, catalogue and query layer in an environment stack (docs/analytics.md#lake-storage-catalogue-and-query):
 * builds the AnalyticsLake from the effective `analytics` settings and the data key, and hands the
 * other analytics parts its LakeRefs.
 */
import * as pulumi from "@pulumi/pulumi";
import { AnalyticsLake } from "../components/analytics/AnalyticsLake";
import type { LakeRefs } from "../components/analytics/lakeRefs";
import { partitionOf } from "../components/compute/imageNames";
import type { EffectiveAnalytics } from "../config/analyticsSchema";
import type { ValidatedConfig } from "../config/validate";
import type { Tags } from "../components/tags";

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

/** What the lake takes from the stack: the data tier's key and the common tags (a subset of stacks/analytics.ts AnalyticsInputs). */
export interface LakeInputs {
  readonly data: { readonly key: { readonly keyArn: pulumi.Input<string> } };
  readonly tags: Tags;
}

export interface Lake {
  readonly refs: LakeRefs;
  readonly lake: AnalyticsLake;
  readonly outputs: Record<string, pulumi.Input<unknown>>;
}

/** The environment's lake: buckets on the data key, Glue databases and tables, the workgroup and the analyst role. */
export function buildLake(cfg: EnvironmentConfig, settings: EffectiveAnalytics, inputs: LakeInputs): Lake {
  const env = cfg.stack;
  const lake = new AnalyticsLake(`${env}-lake`, {
    environment: env,
    partition: partitionOf(cfg.region),
    region: cfg.region,
    accountId: cfg.settings.accountId,
    keyArn: inputs.data.key.keyArn,
    topics: settings.topics,
    lifecycle: settings.lake,
    bytesScannedCutoffGb: settings.athena.bytesScannedCutoffGb,
    analystPrincipals: settings.analysts.principals,
    analystPolicyArns: settings.analysts.managedPolicyArns,
    protect: env === "prod",
    tags: inputs.tags,
  });
  return {
    refs: lake,
    lake,
    outputs: {
      rawBucketName: lake.rawBucketName,
      curatedBucketName: lake.curatedBucketName,
      resultsBucketName: lake.resultsBucketName,
      rawDatabase: lake.rawDatabase,
      curatedDatabase: lake.curatedDatabase,
      workgroup: lake.workgroup,
      analystRoleArn: lake.analystRoleArn,
    },
  };
}
