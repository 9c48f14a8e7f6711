import type { ResourceRule } from "../types";
import { IDENTITY_POLICY_TYPES, asList, forEachAllow, isAllActions, onAllResources } from "./policyDocument";

export const iamNoAllowAllActions: ResourceRule = {
  name: "iam-no-allow-all-actions",
  description:
    "No identity-based policy (managed, role/user/group inline, role inlinePolicies) allows Action \"*\", so no principal the platform creates is an administrator of the account or of a resource.",
  meta: { category: "security", domain: "iam", appliesTo: IDENTITY_POLICY_TYPES, fsbp: "IAM.1" },
  validateResource: (args, report) => {
    if (!IDENTITY_POLICY_TYPES.includes(args.type)) return;
    forEachAllow(args.type, args.props, report, (s, where) => {
      if (!asList(s.Action).some(isAllActions)) return;
      report(`${where} allows every action${onAllResources(s) ? " on every resource (full administrator)" : ""}; list the actions it needs`);
    });
  },
};
