/**
 * What the isolation Lambda acts on, read from an EventBridge event: a GuardDuty finding or a
 * Security Hub (ASFF) finding about an EC2 instance or an ECS task. Pure: validates the event with
 * zod and names the one resource to isolate, or says why there is nothing to do. Never throws, so a
 * malformed event is logged and dropped instead of being retried.
 */
import { createHash } from "crypto";
import { z } from "zod";

export type Target =
  | { readonly kind: "ec2-instance"; readonly instanceId: string }
  | { readonly kind: "ecs-task"; readonly taskArn: string; readonly clusterArn: string };

export interface Finding {
  readonly source: "guardduty" | "securityhub";
  /** The finding's own id (GuardDuty id or ASFF `Id`). */
  readonly id: string;
  readonly type: string;
  readonly title: string;
  /** GuardDuty's number (0-10) or Security Hub's label. */
  readonly severity: string;
  readonly accountId: string;
  readonly region: string;
  readonly target: Target;
}

export type Classified = { readonly ok: true; readonly finding: Finding } | { readonly ok: false; readonly reason: string };

const nonEmpty = z.string().min(1);
const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
/** `arn:aws:ecs:<region>:<account>:task/<cluster>/<task-id>` (the long ARN format; the only one since 2021). */
const TASK_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):task\/([A-Za-z0-9_-]+)\/[0-9a-f]{32}$/;

const guardDutyEvent = z.object({
  source: z.literal("aws.guardduty"),
  "detail-type": z.literal("GuardDuty Finding"),
  detail: z.object({
    id: nonEmpty,
    type: nonEmpty,
    title: z.string().default(""),
    severity: z.number().min(0).max(10),
    accountId: z.string().regex(/^\d{12}$/),
    region: nonEmpty,
    resource: z.object({
      resourceType: nonEmpty,
      instanceDetails: z.object({ instanceId: z.string().regex(INSTANCE_ID) }).optional(),
      ecsClusterDetails: z
        .object({
          arn: z.string().optional(),
          taskDetails: z.object({ arn: z.string().regex(TASK_ARN) }).optional(),
        })
        .optional(),
    }),
  }),
});

const asffResource = z.object({ Type: nonEmpty, Id: nonEmpty });

const securityHubEvent = z.object({
  source: z.literal("aws.securityhub"),
  "detail-type": z.literal("Security Hub Findings - Imported"),
  detail: z.object({
    findings: z
      .array(
        z.object({
          Id: nonEmpty,
          AwsAccountId: z.string().regex(/^\d{12}$/),
          Region: nonEmpty,
          Title: z.string().default(""),
          Types: z.array(z.string()).default([]),
          Severity: z.object({ Label: nonEmpty }),
          Resources: z.array(asffResource).min(1),
        }),
      )
      .length(1, "Security Hub sends one finding per event"),
  }),
});

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
}

/** The cluster ARN a task ARN belongs to. */
export function clusterOfTask(taskArn: string): string | undefined {
  const m = TASK_ARN.exec(taskArn);
  if (!m) return undefined;
  const partition = taskArn.split(":")[1];
  return `arn:${partition}:ecs:${m[1]}:${m[2]}:cluster/${m[3]}`;
}

function ecsTarget(taskArn: string): Target | undefined {
  const clusterArn = clusterOfTask(taskArn);
  return clusterArn ? { kind: "ecs-task", taskArn, clusterArn } : undefined;
}

function fromGuardDuty(event: z.infer<typeof guardDutyEvent>): Classified {
  const d = event.detail;
  const base = { source: "guardduty" as const, id: d.id, type: d.type, title: d.title, severity: String(d.severity), accountId: d.accountId, region: d.region };
  const r = d.resource;
  if (r.resourceType === "Instance") {
    if (!r.instanceDetails) return { ok: false, reason: `GuardDuty finding ${d.id}: resource.instanceDetails.instanceId is missing` };
    return { ok: true, finding: { ...base, target: { kind: "ec2-instance", instanceId: r.instanceDetails.instanceId } } };
  }
  if (r.resourceType === "ECSCluster") {
    const arn = r.ecsClusterDetails?.taskDetails?.arn;
    const target = arn ? ecsTarget(arn) : undefined;
    if (!target) return { ok: false, reason: `GuardDuty finding ${d.id}: an ECS finding without a task (resource.ecsClusterDetails.taskDetails.arn) has nothing to stop` };
    return { ok: true, finding: { ...base, target } };
  }
  return { ok: false, reason: `GuardDuty finding ${d.id}: no isolation action for resource type ${r.resourceType}` };
}

function fromSecurityHub(event: z.infer<typeof securityHubEvent>): Classified {
  const f = event.detail.findings[0]!;
  const base = { source: "securityhub" as const, id: f.Id, type: f.Types[0] ?? "", title: f.Title, severity: f.Severity.Label, accountId: f.AwsAccountId, region: f.Region };
  for (const r of f.Resources) {
    if (r.Type === "AwsEc2Instance") {
      // The ASFF Id of an instance is its ARN (`arn:aws:ec2:<region>:<account>:instance/i-...`).
      const instanceId = r.Id.split("/").pop() ?? "";
      if (INSTANCE_ID.test(instanceId)) return { ok: true, finding: { ...base, target: { kind: "ec2-instance", instanceId } } };
    }
    if (r.Type === "AwsEcsTask") {
      const target = ecsTarget(r.Id);
      if (target) return { ok: true, finding: { ...base, target } };
    }
  }
  return { ok: false, reason: `Security Hub finding ${f.Id}: no isolation action for resource types ${f.Resources.map((r) => r.Type).join(", ")}` };
}

/** The finding in an EventBridge event and the resource it names, or why the event is ignored. */
export function classify(event: unknown): Classified {
  const source = typeof event === "object" && event !== null ? (event as { source?: unknown }).source : undefined;
  if (source === "aws.guardduty") {
    const parsed = guardDutyEvent.safeParse(event);
    return parsed.success ? fromGuardDuty(parsed.data) : { ok: false, reason: `malformed GuardDuty event: ${issues(parsed.error)}` };
  }
  if (source === "aws.securityhub") {
    const parsed = securityHubEvent.safeParse(event);
    return parsed.success ? fromSecurityHub(parsed.data) : { ok: false, reason: `malformed Security Hub event: ${issues(parsed.error)}` };
  }
  return { ok: false, reason: `unknown event source ${JSON.stringify(source ?? null)}` };
}

/**
 * The value the finding is tagged with. EC2 and ECS tag values hold 256 characters; an ASFF id can
 * be longer, so a long id is replaced by its SHA-256 (the record keeps the full id).
 */
export function findingTagValue(id: string): string {
  return id.length <= 256 ? id : `sha256:${createHash("sha256").update(id).digest("hex")}`;
}
