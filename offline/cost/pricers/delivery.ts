/**
 * Pricers for the service pipelines' resource types (docs/cost.md, docs/delivery.md): CodePipeline
 * V2, priced per action execution minute. The rest of delivery (the artefact and source buckets, the
 * CMK, the approvers' topic, the deploy and Jenkins roles, the OIDC provider, the failure rule) are
 * types the data and network domains already price or list free. Prices come from
 * prices/<region>/delivery.json.
 */
import type { CapturedResource } from "../../types";
import type { Charge, Pricer } from "../types";

/**
 * Releases that pass through each service's pipeline a month: the graph holds the pipeline, not how
 * often Jenkins starts it. Eight (about two a week, hot fixes included) is the figure the estimate assumes.
 */
export const PIPELINE_RELEASES_PER_MONTH = 8;
/**
 * Minutes one charged action runs, rounded up as CodePipeline bills: the S3 source reads one small
 * object, an ECS standard deploy waits for the service to reach a steady state (a few minutes for a
 * rolling deploy of a handful of tasks). Five is the estimate's average over both.
 */
export const PIPELINE_MINUTES_PER_ACTION = 5;

/**
 * Actions CodePipeline V2 charges for: every action but manual approvals and custom actions
 * (aws.amazon.com/codepipeline/pricing). A custom action is one whose owner is `Custom`.
 */
export function chargedActions(r: CapturedResource): number {
  const stages = Array.isArray(r.inputs.stages) ? (r.inputs.stages as { actions?: unknown }[]) : [];
  let n = 0;
  for (const stage of stages) {
    for (const a of Array.isArray(stage?.actions) ? (stage.actions as Record<string, unknown>[]) : []) {
      if (a?.category === "Approval" && a?.provider === "Manual") continue;
      if (a?.owner === "Custom") continue;
      n += 1;
    }
  }
  return n;
}

/**
 * A V2 pipeline: its charged actions × releases × minutes per action, as action execution minutes.
 * A V1 pipeline (the provider's default when pipelineType is unset) is $1 per active pipeline a month.
 */
const pipeline: Pricer = (r) => {
  if (r.inputs.pipelineType !== "V2") return [{ priceKey: "codepipeline.v1.active-pipeline", dimension: "active pipeline (V1)", quantity: 1 }];
  const actions = chargedActions(r);
  const minutes = actions * PIPELINE_RELEASES_PER_MONTH * PIPELINE_MINUTES_PER_ACTION;
  const charge: Charge = {
    priceKey: "codepipeline.v2.action-minute",
    dimension: `action execution minutes (${actions} charged actions × ${PIPELINE_RELEASES_PER_MONTH} releases × ${PIPELINE_MINUTES_PER_ACTION} min)`,
    quantity: minutes,
  };
  return minutes > 0 ? [charge] : [];
};

export const DELIVERY_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({
  "aws:codepipeline/pipeline:Pipeline": pipeline,
});

/** Delivery types that cost nothing by themselves and that no other domain lists. */
export const DELIVERY_FREE_TYPES: readonly string[] = Object.freeze([]);
