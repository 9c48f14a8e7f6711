import type { ResourceRule } from "../types";
import { isBreakGlassAdminAttachment } from "./breakGlassRole";
import { ROLE_TYPE } from "./policyDocument";

/** Resources that attach managed policies, and the input holding the ARN(s). */
const ATTACHMENTS: Readonly<Record<string, string>> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
  "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
  [ROLE_TYPE]: "managedPolicyArns",
};
const TYPES = Object.keys(ATTACHMENTS);

/**
 * Administrator-grade policies, AWS-managed or not: AdministratorAccess (and its -Amplify/-Beanstalk
 * variants), PowerUserAccess, any *FullAccess (incl. IAMFullAccess) and the job-function
 * *Administrator policies.
 */
export function adminPolicyName(arn: string): string | undefined {
  const m = /:policy\/(.*)$/.exec(arn);
  if (!m) return undefined;
  const path = m[1];
  const name = path.split("/").pop() ?? "";
  if (/^AdministratorAccess/.test(name) || name === "PowerUserAccess" || /FullAccess(?:V\d+)?$/.test(name)) return name;
  if (path.startsWith("job-function/") && /Administrator$/.test(name)) return path;
  return undefined;
}

export const iamNoAdminManagedPolicyAttachments: ResourceRule = {
  name: "iam-no-admin-managed-policy-attachments",
  description:
    "No role, user or group gets AdministratorAccess, PowerUserAccess, a *FullAccess or a job-function administrator managed policy, so every principal holds only the scoped permissions written for it; the one exception is AdministratorAccess on tila-platform-break-glass, which iam-break-glass-role-shaped holds to its trust and alarm.",
  meta: { category: "security", domain: "iam", appliesTo: TYPES },
  validateResource: (args, report) => {
    const field = ATTACHMENTS[args.type];
    if (field === undefined || !(field in args.props)) return;
    // AdministratorAccess on the break-glass role by name: iam-break-glass-role-shaped checks that role's trust and alarm.
    if (isBreakGlassAdminAttachment(args.type, args.props)) return;
    const value: unknown = args.props[field];
    const arns = typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
    for (const arn of arns) {
      const admin = adminPolicyName(arn);
      if (admin) report(`${field} attaches ${admin} (${arn}); attach a policy scoped to what the principal does`);
    }
  },
};
