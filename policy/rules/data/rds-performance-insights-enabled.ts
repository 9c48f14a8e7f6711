import type { ResourceRule } from "../types";
import { RDS_INSTANCE } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

/**
 * Availability rather than security: Performance Insights is how a slow or stalled database is
 * diagnosed, so it is required where outages matter (prod, preprod) and advisory in dev and stage.
 */
export const rdsPerformanceInsightsEnabled: ResourceRule = {
  name: "rds-performance-insights-enabled",
  description: "RDS instances should enable Performance Insights, so database load and the queries behind it can be diagnosed during an incident.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.performanceInsightsEnabled !== true) report(`RDS instance ${args.name}: set performanceInsightsEnabled: true`);
  },
};
