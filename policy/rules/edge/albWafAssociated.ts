import type { StackRule } from "../types";
import { LOAD_BALANCER_TYPES, WEB_ACL_ASSOCIATION_TYPE, isApplication } from "./loadBalancers";
import { UNKNOWN, known, references } from "./unknowns";

export const albInternetFacingWafAssociated: StackRule = {
  name: "alb-internet-facing-waf-associated",
  description:
    "Every internet-facing application load balancer has a WAFv2 web ACL association (resourceArn = the ALB's ARN), so no public entry point is exposed without the managed rules and the per-IP rate limit.",
  meta: { category: "security", domain: "edge", appliesTo: [...LOAD_BALANCER_TYPES, WEB_ACL_ASSOCIATION_TYPE], fsbp: "ELB.16" },
  validateStack: (args, report) => {
    const associations = args.resources.filter((r) => r.type === WEB_ACL_ASSOCIATION_TYPE);
    for (const lb of args.resources.filter((r) => LOAD_BALANCER_TYPES.includes(r.type))) {
      const application = known(() => isApplication(lb.props.loadBalancerType));
      const internal = known(() => lb.props.internal as unknown);
      // AWS creates an internet-facing load balancer when `internal` is omitted.
      if (application !== true || internal === UNKNOWN || internal === true) continue;
      if (!associations.some((a) => references(a, "resourceArn", lb))) {
        report(`internet-facing ALB ${lb.name} has no ${WEB_ACL_ASSOCIATION_TYPE}; associate the environment's web ACL with it`, lb.urn);
      }
    }
  },
};
