import type { StackRule } from "../types";
import { LISTENER_RULE_TYPES, LISTENER_TYPES, httpsRedirectProblem, isPlainHttp } from "./loadBalancers";
import { UNKNOWN, known, references } from "./unknowns";

/**
 * The listener-rule half of ELB.1: a rule attached to an HTTP listener runs before its default
 * redirect, so a forward there serves plain HTTP. A resource rule cannot tell which listener an ARN
 * names, hence a stack rule joining each listener rule to its listener.
 */
export const lbHttpListenerRulesRedirectToHttps: StackRule = {
  name: "lb-http-listener-rules-redirect-to-https",
  description:
    "Listener rules on a plain-HTTP listener only redirect to HTTPS on port 443, so no path or host condition can bypass the listener's redirect and serve traffic unencrypted.",
  meta: { category: "security", domain: "edge", appliesTo: [...LISTENER_RULE_TYPES, ...LISTENER_TYPES], fsbp: "ELB.1" },
  validateStack: (args, report) => {
    const httpListeners = args.resources.filter((r) => LISTENER_TYPES.includes(r.type) && known(() => isPlainHttp(r.props.protocol)) === true);
    if (httpListeners.length === 0) return;
    for (const rule of args.resources.filter((r) => LISTENER_RULE_TYPES.includes(r.type))) {
      const listener = httpListeners.find((l) => references(rule, "listenerArn", l));
      if (!listener) continue;
      const actions = known(() => rule.props.actions as unknown);
      if (actions === UNKNOWN) continue;
      if (!Array.isArray(actions) || actions.length === 0) continue;
      actions.forEach((action: unknown, i: number) => {
        const problem = known(() => httpsRedirectProblem(action));
        if (typeof problem === "string") report(`listener rule ${rule.name} on HTTP listener ${listener.name}: actions[${i}]: ${problem}`, rule.urn);
      });
    }
  },
};
