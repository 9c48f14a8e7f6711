/**
 * Cross-field rules of management's `delivery` key (docs/delivery.md#service-pipelines-codepipeline)
 * that its schema cannot see: what AWS would refuse at deploy time, or what would silently widen
 * who may publish. Pure; reported with key paths. (An environment's file cannot carry the key: its
 * schema is strict.)
 */
import { deliverySchema } from "./deliverySchema";
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { managementSecuritySchema } from "./schema";

type RawConfig = Record<string, unknown>;

/** An OIDC issuer as IAM names its provider: the URL without scheme or trailing slash, host lower-cased. */
function providerUrl(url: string): string {
  const bare = url.replace(/^https:\/\//, "").replace(/\/$/, "");
  const slash = bare.indexOf("/");
  return slash < 0 ? bare.toLowerCase() : `${bare.slice(0, slash).toLowerCase()}${bare.slice(slash)}`;
}

export function deliveryIssues(raw: RawConfig): ConfigIssue[] {
  if (raw.delivery === undefined) return [];
  const parsed = deliverySchema.safeParse(raw.delivery);
  if (!parsed.success) return [];
  const d = parsed.data;
  const issues: ConfigIssue[] = [];

  // IAM keeps one OIDC provider per URL in an account: the deploy roles' GitLab provider already has it.
  const security = managementSecuritySchema.safeParse(raw.security);
  if (security.success && providerUrl(security.data.gitlab.url) === providerUrl(d.jenkins.issuerUrl)) {
    issues.push({
      path: keyPath(["delivery", "jenkins", "issuerUrl"]),
      message: `"${d.jenkins.issuerUrl}" is also security.gitlab.url: the account can hold one OIDC provider per URL, and GitLab's jobs would be trusted as Jenkins; give Jenkins' own issuer, https://<jenkins>/oidc`,
    });
  }

  const seen = new Map<string, number>();
  d.approvers.forEach((email, i) => {
    const first = seen.get(email.toLowerCase());
    if (first !== undefined) {
      issues.push({ path: keyPath(["delivery", "approvers", i]), message: `"${email}" is already approvers[${first}] (compared without case): the same mailbox would be subscribed twice; list it once` });
    } else seen.set(email.toLowerCase(), i);
  });

  d.jenkins.subjects.forEach((subject, i) => {
    if (/^[*?]+$/.test(subject)) {
      issues.push({ path: keyPath(["delivery", "jenkins", "subjects", i]), message: `"${subject}" matches every job of the Jenkins instance; name the jobs (e.g. ${d.jenkins.issuerUrl.replace(/\/oidc\/?$/, "")}/job/services/job/*)` });
    }
  });
  return issues;
}
