/**
 * What `tila-platform:analytics.analysts` may not say (docs/analytics.md#who-may-read-what): the
 * analyst role reads curated data and nothing else, so an extra managed policy must be read-only,
 * and the principals must name someone rather than every role or user of the account.
 * Pure: every issue names its key path.
 */
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";

/**
 * AWS managed policies known to grant writes an analyst must never have; each refused with the
 * reason. Not the rule itself (any name not ending in ReadOnlyAccess is refused), but what it says.
 */
export const KNOWN_WRITE_POLICIES: Readonly<Record<string, string>> = Object.freeze({
  AdministratorAccess: "grants every action on every resource",
  PowerUserAccess: "grants every action but IAM's",
  AmazonS3FullAccess: "writes and deletes objects in every bucket, the lake's included",
  AmazonAthenaFullAccess: "creates and changes workgroups, including one without the scan limit or encrypted results",
  AWSGlueConsoleFullAccess: "creates, changes and deletes Glue databases and tables",
  AWSGlueServiceRole: "writes Glue's catalogue and S3 objects",
  AWSLakeFormationDataAdmin: "administers the catalogue's permissions",
  "job-function/DataScientist": "writes S3 objects and the Glue catalogue",
  "job-function/DatabaseAdministrator": "creates and deletes data stores",
});

/** The one name shape accepted for an extra analyst policy: an IAM read-only policy (`...ReadOnlyAccess`). */
export const READ_ONLY_SUFFIX = "ReadOnlyAccess";

/** The policy's name (with its path) from its ARN: `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` -> `job-function/ViewOnlyAccess`. */
function policyName(arn: string): string {
  return arn.replace(/^arn:[^:]+:iam::[^:]*:policy\//, "");
}

/**
 * Issues with `analytics.analysts` of an environment's raw config: an extra managed policy that is
 * not read-only by name (AWS's `...ReadOnlyAccess`; a customer-managed policy cannot be read at plan
 * time, so it must say so by its name, and its content is its owner's promise), and a principal
 * pattern that matches every role or user of the account. Shape errors are the schema's.
 */
export function analystIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const analytics = raw.analytics as { analysts?: { managedPolicyArns?: unknown; principals?: unknown } } | undefined;
  const analysts = analytics?.analysts;
  if (analysts === undefined || analysts === null || typeof analysts !== "object") return [];
  const issues: ConfigIssue[] = [];
  const arns = Array.isArray(analysts.managedPolicyArns) ? analysts.managedPolicyArns : [];
  arns.forEach((arn, i) => {
    if (typeof arn !== "string") return;
    const name = policyName(arn);
    const known = KNOWN_WRITE_POLICIES[name];
    const path = keyPath(["analytics", "analysts", "managedPolicyArns", i]);
    if (known !== undefined) issues.push({ path, message: `${name} ${known}; the analyst role is read-only (only ...${READ_ONLY_SUFFIX} policies may be added)` });
    else if (!name.endsWith(READ_ONLY_SUFFIX)) issues.push({ path, message: `${name} is not a read-only policy by name; the analyst role takes only ...${READ_ONLY_SUFFIX} policies, so it can never write` });
  });
  const principals = Array.isArray(analysts.principals) ? analysts.principals : [];
  principals.forEach((p, i) => {
    if (typeof p === "string" && /^(role|user)\/[*?/]*$/.test(p)) {
      issues.push({ path: keyPath(["analytics", "analysts", "principals", i]), message: `"${p}" matches every ${p.split("/")[0]} of the account; name the analysts' permission set or users` });
    }
  });
  return issues;
}
