import type { Rule } from "../types";
import { iamBreakGlassRoleShaped } from "./breakGlassRole";
import { iamCrossAccountRolesScoped } from "./crossAccountRolesScoped";
import { iamDeployRolePolicyScoped } from "./deployRolePolicy";
import { iamNoAdminManagedPolicyAttachments } from "./noAdminManagedPolicies";
import { iamNoAllowAllActions } from "./noAllowAllActions";
import { iamNoServiceWildcardActions } from "./noServiceWildcards";
import { iamResourceWildcardOnlyForUnscopableActions } from "./resourceWildcard";
import { iamRoleTrustNamesPrincipal } from "./roleTrust";

/** Every iam rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  iamNoAllowAllActions,
  iamNoServiceWildcardActions,
  iamResourceWildcardOnlyForUnscopableActions,
  iamNoAdminManagedPolicyAttachments,
  iamRoleTrustNamesPrincipal,
  iamCrossAccountRolesScoped,
  iamDeployRolePolicyScoped,
  iamBreakGlassRoleShaped,
];
