/**
 * The three sources of the weekly audit report, each read whole (every page): Inspector's active
 * package vulnerabilities on ECR images and EC2 instances, Security Hub's failed controls, and the
 * IAM credential report's risky items. Each collector returns plain rows; a failed call rejects with
 * the source's name so the handler can say which part of the report is missing.
 */
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from "@aws-sdk/client-iam";
import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";

export interface Vulnerability {
  readonly vulnerabilityId: string;
  readonly severity: string;
  /** Inspector's `fixAvailable`: YES, PARTIAL or NO. */
  readonly fixAvailable: string;
  readonly resourceType: "ECR image" | "EC2 instance";
  readonly resource: string;
  readonly packages: string;
  readonly title: string;
}

export interface FailedControl {
  readonly controlId: string;
  readonly severity: string;
  readonly title: string;
  readonly accountId: string;
  readonly resource: string;
}

export interface CredentialItem {
  readonly user: string;
  readonly issue: string;
  readonly severity: "CRITICAL" | "HIGH" | "MEDIUM";
}

export class SourceError extends Error {
  constructor(
    readonly source: string,
    cause: unknown,
  ) {
    super(`${source}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    this.name = "SourceError";
  }
}

async function as<T>(source: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof SourceError ? e : new SourceError(source, e);
  }
}

const RESOURCE_TYPES = { AWS_ECR_CONTAINER_IMAGE: "ECR image", AWS_EC2_INSTANCE: "EC2 instance" } as const;

export function inspectorFindings(client: Inspector2Client): Promise<Vulnerability[]> {
  return as("Inspector findings", async () => {
    const rows: Vulnerability[] = [];
    let nextToken: string | undefined;
    do {
      const out = await client.send(
        new ListFindingsCommand({
          maxResults: 100,
          nextToken,
          filterCriteria: {
            findingStatus: [{ comparison: "EQUALS", value: "ACTIVE" }],
            findingType: [{ comparison: "EQUALS", value: "PACKAGE_VULNERABILITY" }],
            resourceType: Object.keys(RESOURCE_TYPES).map((value) => ({ comparison: "EQUALS" as const, value })),
          },
        }),
      );
      for (const f of out.findings ?? []) {
        const r = f.resources?.find((x) => x.type !== undefined && x.type in RESOURCE_TYPES);
        if (!r?.type) continue;
        const image = r.details?.awsEcrContainerImage;
        rows.push({
          vulnerabilityId: f.packageVulnerabilityDetails?.vulnerabilityId ?? "(none)",
          severity: f.severity ?? "UNTRIAGED",
          fixAvailable: f.fixAvailable ?? "NO",
          resourceType: RESOURCE_TYPES[r.type as keyof typeof RESOURCE_TYPES],
          resource: image ? `${image.repositoryName ?? "?"}:${(image.imageTags ?? []).join(",") || (image.imageHash ?? "").slice(0, 19)}` : (r.id ?? "?"),
          packages: (f.packageVulnerabilityDetails?.vulnerablePackages ?? []).map((p) => `${p.name ?? "?"} ${p.version ?? ""}${p.fixedInVersion ? ` -> ${p.fixedInVersion}` : ""}`.trim()).join("; "),
          title: f.title ?? "",
        });
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return rows;
  });
}

export function failedControls(client: SecurityHubClient): Promise<FailedControl[]> {
  return as("Security Hub failed controls", async () => {
    const rows: FailedControl[] = [];
    let NextToken: string | undefined;
    do {
      const out = await client.send(
        new GetFindingsCommand({
          MaxResults: 100,
          NextToken,
          Filters: {
            ComplianceStatus: [{ Value: "FAILED", Comparison: "EQUALS" }],
            RecordState: [{ Value: "ACTIVE", Comparison: "EQUALS" }],
            WorkflowStatus: [
              { Value: "NEW", Comparison: "EQUALS" },
              { Value: "NOTIFIED", Comparison: "EQUALS" },
            ],
          },
        }),
      );
      for (const f of out.Findings ?? []) {
        rows.push({
          controlId: f.Compliance?.SecurityControlId ?? f.GeneratorId ?? "?",
          severity: f.Severity?.Label ?? "INFORMATIONAL",
          title: f.Title ?? "",
          accountId: f.AwsAccountId ?? "?",
          resource: f.Resources?.[0]?.Id ?? "?",
        });
      }
      NextToken = out.NextToken;
    } while (NextToken);
    return rows;
  });
}

/** RFC 4180 enough for the credential report (no quoted commas in its fields, but handle them). */
export function parseCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string) => (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map((c) => c.replace(/,$/, "").replace(/^"|"$/g, "").replace(/""/g, '"')).slice(0, -1);
  const header = split(lines[0] ?? "");
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""]));
  });
}

const DAY = 86_400_000;
export const KEY_MAX_AGE_DAYS = 90;

/** What the credential report says is risky: root keys or no root MFA, humans without MFA, any access key (humans use roles), old keys. */
export function credentialItems(rows: readonly Record<string, string>[], now: Date): CredentialItem[] {
  const items: CredentialItem[] = [];
  for (const r of rows) {
    const user = r.user ?? "?";
    const root = user === "<root_account>";
    if (root && r.mfa_active !== "true") items.push({ user, issue: "root user has no MFA", severity: "CRITICAL" });
    if (!root && r.password_enabled === "true" && r.mfa_active !== "true") items.push({ user, issue: "console password without MFA", severity: "HIGH" });
    for (const n of ["1", "2"]) {
      if (r[`access_key_${n}_active`] !== "true") continue;
      if (root) {
        items.push({ user, issue: `root access key ${n} is active`, severity: "CRITICAL" });
        continue;
      }
      const rotated = Date.parse(r[`access_key_${n}_last_rotated`] ?? "");
      const age = Number.isNaN(rotated) ? undefined : Math.floor((now.getTime() - rotated) / DAY);
      items.push({
        user,
        issue: `access key ${n} is active${age === undefined ? "" : ` (${age} days old)`}; humans use roles, not keys`,
        severity: age !== undefined && age > KEY_MAX_AGE_DAYS ? "HIGH" : "MEDIUM",
      });
    }
  }
  return items;
}

export interface CredentialReportOptions {
  readonly sleep: (ms: number) => Promise<void>;
  /** GenerateCredentialReport is asked this many times before giving up. */
  readonly attempts?: number;
}

export function credentialReport(client: IAMClient, now: Date, options: CredentialReportOptions): Promise<CredentialItem[]> {
  return as("IAM credential report", async () => {
    const attempts = options.attempts ?? 10;
    for (let i = 0; i < attempts; i++) {
      const state = await client.send(new GenerateCredentialReportCommand({}));
      if (state.State === "COMPLETE") {
        const out = await client.send(new GetCredentialReportCommand({}));
        return credentialItems(parseCsv(Buffer.from(out.Content ?? new Uint8Array()).toString("utf8")), now);
      }
      await options.sleep(2000);
    }
    throw new Error(`the credential report was not ready after ${attempts} attempts`);
  });
}
