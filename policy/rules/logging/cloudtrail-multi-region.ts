import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const TRAIL = "aws:cloudtrail/trail:Trail";

interface EventSelector {
  includeManagementEvents?: unknown;
  readWriteType?: unknown;
}

/**
 * An attacker works in the region nobody watches, and IAM, STS and Organizations events are
 * global; the trail must see both. Not applicable until the security baseline adds a trail.
 */
export const cloudtrailMultiRegion: ResourceRule = {
  name: "cloudtrail-multi-region",
  description:
    "CloudTrail trails must be multi-region, include global service events and record read and write management events, so API activity in any region is captured.",
  meta: { category: "security", domain: "logging", appliesTo: [TRAIL], fsbp: "CloudTrail.1" },
  validateResource: forType(TRAIL, (args, report) => {
    if (args.props.isMultiRegionTrail !== true) report(`trail ${args.name} records one region only; set isMultiRegionTrail: true`);
    if (args.props.includeGlobalServiceEvents === false) report(`trail ${args.name} leaves out global service events (IAM, STS); set includeGlobalServiceEvents: true`);
    const selectors: unknown = args.props.eventSelectors;
    if (Array.isArray(selectors) && selectors.length > 0) {
      const all = (selectors as EventSelector[]).some((s) => s.includeManagementEvents !== false && (s.readWriteType === undefined || s.readWriteType === "All"));
      if (!all) report(`trail ${args.name} has no event selector recording read and write management events; add one with includeManagementEvents: true and readWriteType: "All"`);
    }
  }),
};
