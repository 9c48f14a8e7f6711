import type { ResourceRule } from "../types";
import { LOAD_BALANCER_TYPES, isApplication } from "./loadBalancers";

const ACCEPTED = ["defensive", "strictest"];

export const albDesyncMitigationDefensiveOrStrictest: ResourceRule = {
  name: "alb-desync-mitigation-defensive-or-strictest",
  description:
    "Application load balancers run HTTP desync mitigation in defensive or strictest mode (AWS's default is defensive), never monitor, so ambiguous requests used for HTTP request smuggling are blocked rather than only logged.",
  meta: { category: "security", domain: "edge", appliesTo: LOAD_BALANCER_TYPES, fsbp: "ELB.12" },
  validateResource: (args, report) => {
    if (!LOAD_BALANCER_TYPES.includes(args.type)) return;
    if (!isApplication(args.props.loadBalancerType)) return;
    const mode: unknown = args.props.desyncMitigationMode;
    if (mode === undefined || mode === null) return;
    if (!ACCEPTED.includes(String(mode))) report(`desyncMitigationMode is "${String(mode)}"; use "defensive" or "strictest"`);
  },
};
