/**
 * The isolation Lambda (docs/security.md, "Incident response"): EventBridge sends it GuardDuty
 * findings at or above the configured severity and critical Security Hub findings. For an EC2
 * instance it snapshots the volumes, moves the instance into the quarantine security group and tags
 * it; for an ECS task it captures the task's metadata and stops it. What it did is logged, published
 * to the security topic and returned.
 *
 * A malformed or unsupported event, or a finding from another account, is logged and ignored
 * (returned, never thrown): retrying cannot fix it. A failed AWS call is published as a failure and
 * then thrown, so the invocation fails and Lambda's own retries and on-failure destination apply.
 * `DRY_RUN=true` reads everything and records what it would do, changing nothing.
 */
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { z } from "zod";
import { isolateInstance } from "./ec2";
import { stopTask } from "./ecs";
import { classify } from "./finding";
import { IsolationRecord, changedAnything } from "./record";

export interface Clients {
  readonly ec2: EC2Client;
  readonly ecs: ECSClient;
  readonly sns: SNSClient;
}

export interface Dependencies {
  readonly clients: Clients;
  /** TOPIC_ARN, ACCOUNT_ID, DRY_RUN, QUARANTINE_GROUPS (JSON: VPC id -> group id). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

export type Result =
  | { readonly status: "ignored"; readonly reason: string }
  | { readonly status: "handled"; readonly record: IsolationRecord };

const Settings = z.object({
  TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, "must be an SNS topic ARN"),
  ACCOUNT_ID: z.string().regex(/^\d{12}$/, "must be a 12-digit account id"),
  DRY_RUN: z.enum(["true", "false"]),
  QUARANTINE_GROUPS: z.string().transform((s, ctx) => {
    try {
      return z.record(z.string().regex(/^vpc-[0-9a-f]+$/), z.string().regex(/^sg-[0-9a-f]+$/)).parse(JSON.parse(s));
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `must be a JSON map of VPC id to security group id (${e instanceof Error ? e.message : String(e)})` });
      return z.NEVER;
    }
  }),
});

/** SNS subjects hold 100 printable ASCII characters. */
function subject(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
}

/** SNS messages hold 256 KB; evidence is cut before the record is. */
function message(record: IsolationRecord): string {
  const full = JSON.stringify(record, null, 2);
  return full.length <= 250_000 ? full : JSON.stringify({ ...record, evidence: { truncated: true } }, null, 2);
}

export function makeHandler(deps: Dependencies): (event: unknown) => Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const now = deps.now ?? (() => new Date());
  return async (event) => {
    const settings = Settings.safeParse(deps.env);
    if (!settings.success) {
      // A configuration fault: every event would fail the same way, so fail loudly (the on-failure
      // destination reports it) rather than ignore findings silently.
      throw new Error(`isolation Lambda misconfigured: ${settings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    const s = settings.data;
    const classified = classify(event);
    if (!classified.ok) {
      log(JSON.stringify({ level: "warn", ignored: classified.reason }));
      return { status: "ignored", reason: classified.reason };
    }
    const finding = classified.finding;
    if (finding.accountId !== s.ACCOUNT_ID) {
      // Findings aggregated from member accounts reach management's bus too; each account isolates its own.
      const reason = `finding ${finding.id} is about account ${finding.accountId}; this function acts in ${s.ACCOUNT_ID} only`;
      log(JSON.stringify({ level: "info", ignored: reason }));
      return { status: "ignored", reason };
    }

    const dryRun = s.DRY_RUN === "true";
    const record: IsolationRecord = { finding, dryRun, startedAt: now().toISOString(), steps: [] };
    const publish = (subjectLine: string) =>
      deps.clients.sns.send(new PublishCommand({ TopicArn: s.TOPIC_ARN, Subject: subject(subjectLine), Message: message(record) }));
    const what = finding.target.kind === "ec2-instance" ? finding.target.instanceId : finding.target.taskArn;
    try {
      if (finding.target.kind === "ec2-instance") {
        await isolateInstance(deps.clients.ec2, record, finding.target.instanceId, { dryRun, quarantineGroups: s.QUARANTINE_GROUPS, now });
        record.outcome ??= "isolated";
      } else {
        await stopTask(deps.clients.ecs, record, finding.target.clusterArn, finding.target.taskArn, { dryRun });
        record.outcome ??= "stopped";
      }
    } catch (e) {
      record.outcome = "failed";
      record.error = e instanceof Error ? e.message : String(e);
      log(JSON.stringify({ level: "error", record }));
      try {
        await publish(`FAILED isolation of ${what}`);
      } catch (p) {
        log(JSON.stringify({ level: "error", publishFailed: p instanceof Error ? p.message : String(p) }));
      }
      throw e;
    }

    if (record.outcome !== "not-found" && !changedAnything(record)) {
      record.outcome = "already-handled";
      log(JSON.stringify({ level: "info", record }));
      return { status: "handled", record };
    }
    if (dryRun && record.outcome !== "not-found") record.outcome = "dry-run";
    log(JSON.stringify({ level: record.outcome === "not-found" ? "warn" : "info", record }));
    const verb = record.outcome === "dry-run" ? "DRY RUN: would isolate" : record.outcome === "not-found" ? "Not found, not isolated:" : record.outcome === "stopped" ? "Stopped task" : "Isolated";
    await publish(`${verb} ${what}`);
    return { status: "handled", record };
  };
}

let cached: ((event: unknown) => Promise<Result>) | undefined;

/** The Lambda entry point: clients are created once per container, on first use. */
export async function handler(event: unknown): Promise<Result> {
  cached ??= makeHandler({ clients: { ec2: new EC2Client({}), ecs: new ECSClient({}), sns: new SNSClient({}) }, env: process.env });
  return cached(event);
}
