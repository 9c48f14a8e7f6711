import type { ResourceRule } from "../types";
import { LOAD_BALANCER_TYPES, isApplication } from "./loadBalancers";

export const albDropsInvalidHeaderFields: ResourceRule = {
  name: "alb-drops-invalid-header-fields",
  description:
    "Application load balancers drop HTTP headers with invalid names (dropInvalidHeaderFields), so malformed headers used for request smuggling and header injection never reach the services.",
  meta: { category: "security", domain: "edge", appliesTo: LOAD_BALANCER_TYPES, fsbp: "ELB.4" },
  validateResource: (args, report) => {
    if (!LOAD_BALANCER_TYPES.includes(args.type)) return;
    if (!isApplication(args.props.loadBalancerType)) return;
    if (args.props.dropInvalidHeaderFields !== true) report("dropInvalidHeaderFields is not true (AWS defaults it to false)");
  },
};
