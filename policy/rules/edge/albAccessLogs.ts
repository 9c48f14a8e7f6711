import type { ResourceRule } from "../types";
import { LOAD_BALANCER_TYPES, isApplication } from "./loadBalancers";
import { present } from "./unknowns";

export const albAccessLogsEnabled: ResourceRule = {
  name: "alb-access-logs-enabled",
  description:
    "Application load balancers write access logs to an S3 bucket (accessLogs.enabled with a bucket), so every request at the edge can be traced during an incident or audit.",
  meta: { category: "security", domain: "edge", appliesTo: LOAD_BALANCER_TYPES, fsbp: "ELB.5" },
  validateResource: (args, report) => {
    if (!LOAD_BALANCER_TYPES.includes(args.type)) return;
    if (!isApplication(args.props.loadBalancerType)) return;
    const logs = args.props.accessLogs;
    if (logs === undefined || logs === null) {
      report("accessLogs is not configured");
      return;
    }
    if (logs.enabled !== true) report("accessLogs.enabled is not true");
    // Presence only: the bucket name is often an output, unknown during preview.
    if (!present(logs, "bucket")) report("accessLogs has no bucket");
  },
};
