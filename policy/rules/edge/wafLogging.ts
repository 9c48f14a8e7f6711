import type { StackRule } from "../types";
import { WEB_ACL_LOGGING_TYPE, WEB_ACL_TYPE } from "./loadBalancers";
import { references } from "./unknowns";

export const wafWebAclLoggingConfigured: StackRule = {
  name: "waf-web-acl-logging-configured",
  description:
    "Every WAFv2 web ACL has a logging configuration (resourceArn = the web ACL's ARN), so blocked and allowed requests can be investigated and rules tuned from evidence.",
  meta: { category: "security", domain: "edge", appliesTo: [WEB_ACL_TYPE, WEB_ACL_LOGGING_TYPE], fsbp: "WAF.11" },
  validateStack: (args, report) => {
    const configs = args.resources.filter((r) => r.type === WEB_ACL_LOGGING_TYPE);
    for (const acl of args.resources.filter((r) => r.type === WEB_ACL_TYPE)) {
      if (!configs.some((c) => references(c, "resourceArn", acl))) {
        report(`web ACL ${acl.name} has no ${WEB_ACL_LOGGING_TYPE}`, acl.urn);
      }
    }
  },
};
