import type { ResourceRule } from "../types";
import { RDS_INSTANCE, isSetOrPending } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

/** RDS.6. Availability like Performance Insights: it diagnoses outages, it does not prevent breaches. */
export const rdsEnhancedMonitoringEnabled: ResourceRule = {
  name: "rds-enhanced-monitoring-enabled",
  description: "RDS instances should enable Enhanced Monitoring (monitoringInterval above 0 with a monitoringRoleArn), so OS-level metrics of the database host are available when it misbehaves.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.6" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const interval: unknown = args.props.monitoringInterval;
    if (typeof interval !== "number" || interval <= 0) {
      report(`RDS instance ${args.name}: monitoringInterval is ${interval ?? "unset"}; set 1, 5, 10, 15, 30 or 60 seconds with a monitoringRoleArn`);
      return;
    }
    if (!isSetOrPending(args.props, "monitoringRoleArn")) report(`RDS instance ${args.name}: monitoringInterval is set but monitoringRoleArn is not`);
  },
};
