/**
 * The lake's daily curation in an environment stack (docs/analytics.md#curation): builds
 * LakeCuration over the lake's buckets, databases and workgroup for the stack's topics, reporting
 * failures on the warning topic. Called from buildAnalytics once the lake exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { LakeCuration } from "../components/analytics/LakeCuration";
import type { LakeRefs } from "../components/analytics/lakeRefs";
import type { AlertTopics } from "../components/observability/types";
import type { Tags } from "../components/tags";
import type { EffectiveAnalytics } from "../config/analyticsSchema";
import type { ValidatedConfig } from "../config/validate";

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

export interface CurationInputs {
  readonly settings: EffectiveAnalytics;
  readonly lake: LakeRefs;
  /** The stack's alert topics: failures go to the warning topic. */
  readonly topics: AlertTopics | undefined;
  readonly tags: Tags;
}

/** The curation step and the stack outputs it adds. */
export function buildCuration(cfg: EnvironmentConfig, inputs: CurationInputs): Record<string, pulumi.Input<unknown>> {
  if (!inputs.topics) throw new Error(`${cfg.stack}: the lake's curation reports failures on the warning topic, and the stack has no alert topics`);
  const curation = new LakeCuration(`${cfg.stack}-lake-curation`, {
    environment: cfg.stack,
    accountId: cfg.settings.accountId,
    region: cfg.region,
    topics: inputs.settings.topics,
    lake: inputs.lake,
    alertTopicArn: inputs.topics.warning,
    alertKeyArn: inputs.topics.keyArn,
    logRetentionDays: cfg.settings.services.logRetentionDays,
    tags: inputs.tags,
  });
  return { lakeCuration: { functionName: curation.functionName, scheduleName: curation.scheduleName, alarmName: curation.alarmName } };
}
