/**
 * The audit report itself: one JSON document for machines and a Markdown rendering for people, plus
 * the short summary sent to the security topic. Pure functions of the collected rows and the date.
 */
import type { CredentialItem, FailedControl, Vulnerability } from "./collect";

export interface AuditReport {
  readonly generatedAt: string;
  readonly date: string;
  readonly environment: string;
  readonly accountId: string;
  readonly counts: {
    readonly vulnerabilities: Readonly<Record<string, number>>;
    readonly fixable: number;
    readonly failedControls: Readonly<Record<string, number>>;
    readonly credentialItems: number;
  };
  readonly vulnerabilities: readonly Vulnerability[];
  readonly failedControls: readonly FailedControl[];
  readonly credentials: readonly CredentialItem[];
}

const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNTRIAGED"];
const rank = (s: string) => (SEVERITY_ORDER.indexOf(s) === -1 ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(s));
const bySeverity = <T extends { severity: string }>(a: T, b: T) => rank(a.severity) - rank(b.severity);

function countBy<T>(rows: readonly T[], key: (r: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[key(r)] = (out[key(r)] ?? 0) + 1;
  return out;
}

export function buildReport(input: {
  now: Date;
  environment: string;
  accountId: string;
  vulnerabilities: readonly Vulnerability[];
  failedControls: readonly FailedControl[];
  credentials: readonly CredentialItem[];
}): AuditReport {
  const vulnerabilities = [...input.vulnerabilities].sort(bySeverity);
  const failedControls = [...input.failedControls].sort(bySeverity);
  const credentials = [...input.credentials].sort(bySeverity);
  return {
    generatedAt: input.now.toISOString(),
    date: input.now.toISOString().slice(0, 10),
    environment: input.environment,
    accountId: input.accountId,
    counts: {
      vulnerabilities: countBy(vulnerabilities, (v) => v.severity),
      fixable: vulnerabilities.filter((v) => v.fixAvailable === "YES" || v.fixAvailable === "PARTIAL").length,
      failedControls: countBy(failedControls, (c) => c.severity),
      credentialItems: credentials.length,
    },
    vulnerabilities,
    failedControls,
    credentials,
  };
}

/** A Markdown table cell: no pipes or line breaks. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function table(headers: readonly string[], rows: readonly (readonly string[])[], empty: string): string {
  if (rows.length === 0) return `${empty}\n`;
  return [`| ${headers.join(" | ")} |`, `|${headers.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)].join("\n") + "\n";
}

function counts(c: Readonly<Record<string, number>>): string {
  const parts = SEVERITY_ORDER.filter((s) => c[s]).map((s) => `${c[s]} ${s.toLowerCase()}`);
  return parts.length > 0 ? parts.join(", ") : "none";
}

export function renderMarkdown(r: AuditReport): string {
  return [
    `# Security audit report: ${r.environment} (${r.accountId}), ${r.date}`,
    "",
    `Generated ${r.generatedAt}.`,
    "",
    `- Known vulnerabilities (Inspector, ECR images and EC2 instances): ${counts(r.counts.vulnerabilities)}; ${r.counts.fixable} with a fix available`,
    `- Failed Security Hub controls: ${counts(r.counts.failedControls)}`,
    `- IAM credential items: ${r.counts.credentialItems}`,
    "",
    "## Known vulnerabilities",
    "",
    table(
      ["CVE", "Severity", "Fix available", "Resource type", "Resource", "Packages"],
      r.vulnerabilities.map((v) => [v.vulnerabilityId, v.severity, v.fixAvailable, v.resourceType, v.resource, v.packages]),
      "No active package vulnerabilities.",
    ),
    "## Failed Security Hub controls",
    "",
    table(["Control", "Severity", "Account", "Resource", "Title"], r.failedControls.map((c) => [c.controlId, c.severity, c.accountId, c.resource, c.title]), "No failed controls."),
    "## IAM credential report",
    "",
    table(["User", "Severity", "Issue"], r.credentials.map((c) => [c.user, c.severity, c.issue]), "No credential issues."),
  ].join("\n");
}

/** The message for the security topic (SNS holds 256 KB; this stays far below). */
export function summary(r: AuditReport, location: string): { subject: string; message: string } {
  const critical = (r.counts.vulnerabilities.CRITICAL ?? 0) + (r.counts.failedControls.CRITICAL ?? 0) + r.credentials.filter((c) => c.severity === "CRITICAL").length;
  const empty = r.vulnerabilities.length + r.failedControls.length + r.credentials.length === 0;
  const subject = `Audit report ${r.environment} ${r.date}: ${empty ? "nothing to report" : `${critical} critical`}`.slice(0, 100);
  const message = [
    `Weekly security audit report for ${r.environment} (${r.accountId}), ${r.date}.`,
    "",
    `Known vulnerabilities: ${counts(r.counts.vulnerabilities)} (${r.counts.fixable} fixable)`,
    `Failed Security Hub controls: ${counts(r.counts.failedControls)}`,
    `IAM credential items: ${r.counts.credentialItems}`,
    ...r.vulnerabilities.filter((v) => v.severity === "CRITICAL").slice(0, 10).map((v) => `  CRITICAL ${v.vulnerabilityId} on ${v.resourceType} ${v.resource} (fix: ${v.fixAvailable})`),
    "",
    `Full report: ${location}`,
  ].join("\n");
  return { subject, message };
}
