/**
 * Cross-field rules of the `security` key (docs/security.md): prod deploys only from exact
 * protected branches, and management names the e-mail of every environment account it invites to
 * GuardDuty. Pure; reported with key paths.
 */
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { ENVIRONMENTS, StackName, managementSecuritySchema, securitySchema } from "./schema";

type RawConfig = Record<string, unknown>;

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
      if (ref.type === "branch" && ref.name.includes("*")) {
        issues.push({ path: keyPath(["security", "gitlab", "deployRefs", i, "name"]), message: `prod deploys only from named protected branches, not a pattern ("${ref.name}")` });
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
