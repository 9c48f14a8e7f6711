import type { ResourceRule } from "../types";
import { isExactDeployPolicy } from "./deployRolePolicy";
import { IDENTITY_POLICY_TYPES, asList, forEachAllow, isServiceWildcard } from "./policyDocument";

export const iamNoServiceWildcardActions: ResourceRule = {
  name: "iam-no-service-wildcard-actions",
  description:
    "No identity-based policy allows a whole service (Action \"service:*\") or uses Allow with NotAction, so every grant names the actions it needs (prefix wildcards such as ec2:Describe* stay allowed). The one exception is a deploy role's inline policy in exactly the shape iam-deploy-role-policy-scoped requires.",
  meta: { category: "security", domain: "iam", appliesTo: IDENTITY_POLICY_TYPES, fsbp: "IAM.21" },
  validateResource: (args, report) => {
    if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
    // A deploy role's policy in exactly the shape iam-deploy-role-policy-scoped proves (region-pinned, with its denies).
    if (isExactDeployPolicy(args.type, args.props)) return;
    forEachAllow(args.type, args.props, report, (s, where) => {
      const wildcards = asList(s.Action).filter(isServiceWildcard);
      if (wildcards.length > 0) report(`${where} allows ${wildcards.join(", ")}; list the actions it needs`);
      if (s.NotAction !== undefined) report(`${where} uses Allow with NotAction, which grants every action not listed`);
    });
  },
};
