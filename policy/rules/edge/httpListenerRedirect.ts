import type { ResourceRule } from "../types";
import { LISTENER_TYPES, httpsRedirectProblem, isPlainHttp } from "./loadBalancers";

export const lbHttpListenersRedirectToHttps: ResourceRule = {
  name: "lb-http-listeners-redirect-to-https",
  description:
    "Plain-HTTP listeners only redirect (301/302) to HTTPS on port 443 and never forward or answer, so no request or response crosses the internet unencrypted.",
  meta: { category: "security", domain: "edge", appliesTo: LISTENER_TYPES, fsbp: "ELB.1" },
  validateResource: (args, report) => {
    if (!LISTENER_TYPES.includes(args.type)) return;
    const props = args.props;
    if (!isPlainHttp(props.protocol)) return;
    const actions: unknown = props.defaultActions;
    if (!Array.isArray(actions) || actions.length === 0) {
      report("HTTP listener has no default action; its only action must redirect to HTTPS on 443");
      return;
    }
    actions.forEach((action: unknown, i: number) => {
      const problem = httpsRedirectProblem(action);
      if (problem) report(`HTTP listener defaultActions[${i}]: ${problem}`);
    });
  },
};
