import type { ResourceRule } from "../types";
import { TARGET_GROUP_TYPES } from "./loadBalancers";

export const lbTargetGroupsHealthChecked: ResourceRule = {
  name: "lb-target-groups-health-checked",
  description:
    "Target groups of instance or IP targets keep health checks enabled, so the load balancer stops routing to failed tasks and deployments can detect unhealthy ones.",
  meta: { category: "availability", domain: "edge", appliesTo: TARGET_GROUP_TYPES },
  validateResource: (args, report) => {
    if (!TARGET_GROUP_TYPES.includes(args.type)) return;
    // Lambda targets have health checks off by default and are not polled the same way.
    if (args.props.targetType === "lambda") return;
    if (args.props.healthCheck?.enabled === false) report("healthCheck.enabled is false");
  },
};
