/**
 * Cross-field rules of the `security` key (docs/security.md): prod deploys only from exact
 * protected branches or the hot-fix pattern, and management names the e-mail of every environment account it invites to
 * GuardDuty. Pure; reported with key paths.
 */
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { ENVIRONMENTS, StackName, managementSecuritySchema, securitySchema } from "./schema";

type RawConfig = Record<string, unknown>;

/**
 * The hot-fix branches (`hotfix/<name>`): the one branch pattern prod's deploy role may trust. GitLab
 * protects branch patterns as it does names, so who may create `hotfix/*` is a protected-branch
 * rule, and the prod job runs in the protected `prod` environment (docs/security.md#deploy-roles-and-people).
 */
export const HOTFIX_BRANCH_PATTERN = "hotfix/*";

/** Environments in an account other than management's: the members management administers. */
export function memberEnvironments(all: Partial<Record<StackName, RawConfig>>): StackName[] {
  const management = all.management?.accountId;
  return ENVIRONMENTS.filter((e) => {
    const account = all[e]?.accountId;
    return typeof account === "string" && account !== management;
  });
}

export function securityIssues(stack: StackName, raw: RawConfig, all: Partial<Record<StackName, RawConfig>>): ConfigIssue[] {
  const parsed = securitySchema.safeParse(raw.security);
  const management = stack === "management" ? managementSecuritySchema.safeParse(raw.security) : undefined;
  if (!parsed.success && !management?.success) return []; // the schema pass reports it
  const s = management?.success ? management.data : parsed.data!;
  const issues: ConfigIssue[] = [];
  if (stack === "prod") {
    s.gitlab.deployRefs.forEach((ref, i) => {
      if (ref.type === "branch" && ref.name.includes("*") && ref.name !== HOTFIX_BRANCH_PATTERN) {
        issues.push({ path: keyPath(["security", "gitlab", "deployRefs", i, "name"]), message: `prod deploys only from named protected branches or ${HOTFIX_BRANCH_PATTERN}, not a pattern ("${ref.name}")` });
      }
      if (ref.name === "*") issues.push({ path: keyPath(["security", "gitlab", "deployRefs", i, "name"]), message: "prod cannot trust every ref" });
    });
  }
  if (management?.success) {
    const emails = management.data.memberEmails;
    const members = memberEnvironments(all);
    for (const env of members) {
      if (!emails[env]) issues.push({ path: keyPath(["security", "memberEmails", env]), message: `required: ${env} is in account ${String(all[env]?.accountId)}, which management invites to GuardDuty (an invitation needs the account's e-mail)` });
    }
    for (const key of Object.keys(emails)) {
      if (!(members as string[]).includes(key)) issues.push({ path: keyPath(["security", "memberEmails", key]), message: `not an environment in an account of its own (${members.join(", ") || "none"})` });
    }
  }
  return issues;
}
