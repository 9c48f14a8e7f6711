/**
 * The weekly audit-report Lambda (docs/security.md, "Audit reports"): EventBridge Scheduler invokes
 * it with `{"report": "weekly"}`. It collects Inspector's active vulnerabilities (ECR images, EC2
 * instances), Security Hub's failed controls and the IAM credential report, writes the dated report
 * as JSON and Markdown under this environment's prefix of the log-archive bucket, and sends a
 * summary to the security topic.
 *
 * Any other event is logged and ignored. A source or write that fails is published as a failure and
 * thrown, so the invocation fails (Scheduler and Lambda retry; the on-failure destination reports).
 * Writing the same date again overwrites that day's report, so a retry leaves one report, not two.
 */
import { IAMClient } from "@aws-sdk/client-iam";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SecurityHubClient } from "@aws-sdk/client-securityhub";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { z } from "zod";
import { credentialReport, failedControls, inspectorFindings } from "./collect";
import { AuditReport, buildReport, renderMarkdown, summary } from "./report";

export interface Clients {
  readonly inspector: Inspector2Client;
  readonly securityHub: SecurityHubClient;
  readonly iam: IAMClient;
  readonly s3: S3Client;
  readonly sns: SNSClient;
}

export interface Dependencies {
  readonly clients: Clients;
  /** TOPIC_ARN, REPORT_BUCKET, REPORT_PREFIX, REPORT_KMS_KEY_ARN (optional), ENVIRONMENT, ACCOUNT_ID. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

export type Result = { readonly status: "ignored"; readonly reason: string } | { readonly status: "written"; readonly keys: readonly string[]; readonly counts: AuditReport["counts"] };

export const EventSchema = z.object({ report: z.literal("weekly") });

const Settings = z.object({
  TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, "must be an SNS topic ARN"),
  REPORT_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
  REPORT_PREFIX: z.string().regex(/^[A-Za-z0-9!_.*'()/-]+[^/]$/, "must be a key prefix without a trailing slash"),
  REPORT_KMS_KEY_ARN: z.string().regex(/^arn:aws[a-z-]*:kms:/).optional(),
  ENVIRONMENT: z.string().min(1),
  ACCOUNT_ID: z.string().regex(/^\d{12}$/),
});

/** `<prefix>/YYYY/MM/DD/audit-report-YYYY-MM-DD.<ext>`: one folder per day, sorted by date. */
export function reportKey(prefix: string, date: string, ext: "json" | "md"): string {
  const [y, m, d] = date.split("-");
  return `${prefix}/${y}/${m}/${d}/audit-report-${date}.${ext}`;
}

export function makeHandler(deps: Dependencies): (event: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return async (event) => {
    const settings = Settings.safeParse(deps.env);
    if (!settings.success) throw new Error(`audit-report Lambda misconfigured: ${settings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const s = settings.data;
    const parsed = EventSchema.safeParse(event);
    if (!parsed.success) {
      const reason = `not a report request: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`;
      log(JSON.stringify({ level: "warn", ignored: reason }));
      return { status: "ignored", reason };
    }
    const { clients } = deps;
    const at = now();
    try {
      const [vulnerabilities, controls, credentials] = await Promise.all([
        inspectorFindings(clients.inspector),
        failedControls(clients.securityHub),
        credentialReport(clients.iam, at, { sleep }),
      ]);
      const report = buildReport({ now: at, environment: s.ENVIRONMENT, accountId: s.ACCOUNT_ID, vulnerabilities, failedControls: controls, credentials });
      const encryption = s.REPORT_KMS_KEY_ARN ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: s.REPORT_KMS_KEY_ARN, BucketKeyEnabled: true } : {};
      const objects = [
        { Key: reportKey(s.REPORT_PREFIX, report.date, "json"), Body: JSON.stringify(report, null, 2), ContentType: "application/json" },
        { Key: reportKey(s.REPORT_PREFIX, report.date, "md"), Body: renderMarkdown(report), ContentType: "text/markdown; charset=utf-8" },
      ];
      for (const o of objects) {
        try {
          // A checksum on every put: S3 verifies the body it stores (and a bucket with object lock requires one).
          await clients.s3.send(new PutObjectCommand({ Bucket: s.REPORT_BUCKET, ...o, ChecksumAlgorithm: "SHA256", ...encryption }));
        } catch (e) {
          throw new Error(`writing s3://${s.REPORT_BUCKET}/${o.Key}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
        }
      }
      const { subject, message } = summary(report, `s3://${s.REPORT_BUCKET}/${objects[1]!.Key}`);
      await clients.sns.send(new PublishCommand({ TopicArn: s.TOPIC_ARN, Subject: subject, Message: message }));
      log(JSON.stringify({ level: "info", written: objects.map((o) => o.Key), counts: report.counts }));
      return { status: "written", keys: objects.map((o) => o.Key), counts: report.counts };
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      log(JSON.stringify({ level: "error", error }));
      try {
        await clients.sns.send(
          new PublishCommand({ TopicArn: s.TOPIC_ARN, Subject: `FAILED audit report ${s.ENVIRONMENT} ${at.toISOString().slice(0, 10)}`.slice(0, 100), Message: `The weekly audit report was not produced.\n\n${error}` }),
        );
      } catch (p) {
        log(JSON.stringify({ level: "error", publishFailed: p instanceof Error ? p.message : String(p) }));
      }
      throw e;
    }
  };
}

let cached: ((event: unknown) => Promise<Result>) | undefined;

/** The Lambda entry point: clients are created once per container, on first use. */
export async function handler(event: unknown): Promise<Result> {
  cached ??= makeHandler({
    clients: { inspector: new Inspector2Client({}), securityHub: new SecurityHubClient({}), iam: new IAMClient({}), s3: new S3Client({}), sns: new SNSClient({}) },
    env: process.env,
  });
  return cached(event);
}
