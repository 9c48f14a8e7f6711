/**
 * What one SNS message says, read for the Teams notifier. Pure: each message is validated with zod
 * and becomes one `Notice`: a CloudWatch alarm state change (metric or composite alarm, the JSON
 * CloudWatch publishes to SNS), an EventBridge event the security topic carries (a GuardDuty or
 * Security Hub finding, a console sign-in as root or into break-glass), a Lambda on-failure
 * destination record (the incident functions report their failures there), or anything else as plain
 * text. Never throws: an unknown or malformed message is still shown, as text, so nothing published
 * to a watched topic goes unseen.
 */
import { z } from "zod";

export interface Fact {
  readonly title: string;
  readonly value: string;
}

/** The severity a card is coloured by (Adaptive Card TextBlock colours). */
export type Tone = "attention" | "warning" | "good" | "accent" | "default";

export interface Notice {
  readonly kind: "metric-alarm" | "composite-alarm" | "guardduty" | "securityhub" | "sign-in" | "lambda-failure" | "text";
  readonly title: string;
  readonly tone: Tone;
  readonly facts: readonly Fact[];
  /** The longer explanation (the alarm's reason, the finding's description). */
  readonly text?: string;
  /** The runbook line of an alarm's description, shown on its own. */
  readonly runbook?: string;
  /** Links, by button label. */
  readonly links: readonly { readonly title: string; readonly url: string }[];
}

/** One SNS record's notification, as Lambda receives it (`Records[].Sns`). */
export interface SnsNotification {
  readonly Message: string;
  readonly Subject?: string | null;
  readonly TopicArn: string;
  readonly Timestamp?: string;
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;

/** The region code of an ARN (`arn:aws:cloudwatch:me-south-1:...`), when it has a valid one. */
export function regionOfArn(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region !== undefined && REGION.test(region) ? region : undefined;
}

/** The console's home for a service in a region (the commercial partition's console). */
function consoleLink(region: string | undefined, service: string, fragment: string): string | undefined {
  return region ? `https://${region}.console.aws.amazon.com/${service}/home?region=${region}#${fragment}` : undefined;
}

function link(title: string, url: string | undefined): { title: string; url: string }[] {
  return url ? [{ title, url }] : [];
}

// ---- CloudWatch alarms, as CloudWatch publishes a state change to SNS --------------------------

const state = z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]);
const dimension = z.object({ name: z.string(), value: z.string() });
const alarmMessage = z.object({
  AlarmName: z.string().min(1),
  AlarmDescription: z.string().nullish(),
  AWSAccountId: z.string().optional(),
  NewStateValue: state,
  NewStateReason: z.string().default(""),
  StateChangeTime: z.string().default(""),
  /** A display name ("Middle East (Bahrain)"), not a region code. */
  Region: z.string().default(""),
  AlarmArn: z.string().optional(),
  OldStateValue: state.optional(),
  Trigger: z
    .object({
      MetricName: z.string().optional(),
      Namespace: z.string().optional(),
      Statistic: z.string().nullish(),
      ExtendedStatistic: z.string().nullish(),
      Dimensions: z.array(dimension).default([]),
      Period: z.number().optional(),
      EvaluationPeriods: z.number().optional(),
      ComparisonOperator: z.string().optional(),
      Threshold: z.number().optional(),
      Metrics: z.array(z.unknown()).optional(),
    })
    .optional(),
  AlarmRule: z.string().optional(),
  TriggeringChildren: z.array(z.object({ Arn: z.string(), State: z.object({ Value: z.string(), Timestamp: z.string().optional() }).optional() })).optional(),
});
type AlarmMessage = z.infer<typeof alarmMessage>;

const ALARM_TONE: Record<AlarmMessage["NewStateValue"], Tone> = { ALARM: "attention", OK: "good", INSUFFICIENT_DATA: "warning" };

/** The runbook line of a description (`Runbook: ...`), and the description without it. */
export function splitRunbook(description: string): { runbook?: string; rest: string } {
  const lines = description.split(/\r?\n/);
  const i = lines.findIndex((l) => /^\s*runbook\s*[:-]/i.test(l));
  if (i < 0) {
    // A description of one line may carry the runbook inline: "... Runbook: <what to do>".
    const inline = /^(.*?)\s*\bRunbook\s*:\s*(.+)$/i.exec(description.trim());
    return inline ? { runbook: inline[2], rest: inline[1] } : { rest: description.trim() };
  }
  return { runbook: lines[i]!.replace(/^\s*runbook\s*[:-]\s*/i, "").trim(), rest: [...lines.slice(0, i), ...lines.slice(i + 1)].join("\n").trim() };
}

function firstUrl(text: string | undefined): string | undefined {
  return text ? /https:\/\/[^\s)>\]]+/.exec(text)?.[0] : undefined;
}

function alarmNameOfArn(arn: string): string {
  return arn.split(":alarm:")[1] ?? arn;
}

function fromAlarm(m: AlarmMessage): Notice {
  const composite = m.AlarmRule !== undefined || m.TriggeringChildren !== undefined;
  const region = m.AlarmArn ? regionOfArn(m.AlarmArn) : undefined;
  const { runbook, rest } = splitRunbook(m.AlarmDescription ?? "");
  const facts: Fact[] = [{ title: "State", value: m.OldStateValue ? `${m.OldStateValue} → ${m.NewStateValue}` : m.NewStateValue }];
  if (m.StateChangeTime) facts.push({ title: "Since", value: m.StateChangeTime });
  if (region || m.Region) facts.push({ title: "Region", value: region ?? m.Region });
  if (m.AWSAccountId) facts.push({ title: "Account", value: m.AWSAccountId });
  if (composite) {
    const children = (m.TriggeringChildren ?? []).map((c) => `${alarmNameOfArn(c.Arn)}${c.State ? ` (${c.State.Value})` : ""}`);
    if (children.length > 0) facts.push({ title: "Triggered by", value: children.join(", ") });
    if (m.AlarmRule) facts.push({ title: "Rule", value: m.AlarmRule });
  } else if (m.Trigger) {
    const t = m.Trigger;
    if (t.MetricName) {
      const dims = t.Dimensions.map((d) => `${d.name}=${d.value}`).join(", ");
      facts.push({ title: "Metric", value: `${t.Namespace ?? ""}/${t.MetricName}${dims ? ` (${dims})` : ""}` });
    } else if (t.Metrics) {
      facts.push({ title: "Metric", value: `metric math over ${t.Metrics.length} series` });
    }
    if (t.ComparisonOperator && t.Threshold !== undefined) {
      const stat = t.ExtendedStatistic ?? t.Statistic ?? "";
      const period = t.Period !== undefined && t.EvaluationPeriods !== undefined ? ` over ${t.EvaluationPeriods} x ${t.Period}s` : "";
      facts.push({ title: "Condition", value: `${stat ? `${stat} ` : ""}${t.ComparisonOperator} ${t.Threshold}${period}` });
    }
  }
  const consoleUrl = consoleLink(region, "cloudwatch", `alarmsV2:alarm/${encodeURIComponent(m.AlarmName)}`);
  return {
    kind: composite ? "composite-alarm" : "metric-alarm",
    title: `${m.NewStateValue}: ${m.AlarmName}`,
    tone: ALARM_TONE[m.NewStateValue],
    facts,
    text: [rest, m.NewStateReason].filter((s) => s !== "").join("\n\n") || undefined,
    runbook,
    links: [...link("Open the alarm", consoleUrl), ...link("Runbook", firstUrl(runbook))],
  };
}

// ---- EventBridge events on the security topic -----------------------------------------------

const guardDutyEvent = z.object({
  source: z.literal("aws.guardduty"),
  "detail-type": z.literal("GuardDuty Finding"),
  detail: z.object({
    id: z.string().min(1),
    type: z.string().min(1),
    title: z.string().default(""),
    description: z.string().default(""),
    severity: z.number(),
    accountId: z.string(),
    region: z.string(),
    resource: z
      .object({
        resourceType: z.string().default(""),
        instanceDetails: z.object({ instanceId: z.string().optional() }).optional(),
        ecsClusterDetails: z.object({ name: z.string().optional(), taskDetails: z.object({ arn: z.string().optional() }).optional() }).optional(),
        accessKeyDetails: z.object({ userName: z.string().optional(), principalId: z.string().optional() }).optional(),
        s3BucketDetails: z.array(z.object({ name: z.string().optional() })).optional(),
      })
      .default({ resourceType: "" }),
  }),
});

/** GuardDuty's bands: 1.0-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical. */
export function guardDutyBand(severity: number): string {
  return severity >= 9 ? "critical" : severity >= 7 ? "high" : severity >= 4 ? "medium" : "low";
}

function guardDutyResource(r: z.infer<typeof guardDutyEvent>["detail"]["resource"]): string {
  if (r.instanceDetails?.instanceId) return `EC2 instance ${r.instanceDetails.instanceId}`;
  if (r.ecsClusterDetails?.taskDetails?.arn) return `ECS task ${r.ecsClusterDetails.taskDetails.arn}`;
  if (r.ecsClusterDetails?.name) return `ECS cluster ${r.ecsClusterDetails.name}`;
  if (r.accessKeyDetails?.userName) return `IAM principal ${r.accessKeyDetails.userName}`;
  const buckets = (r.s3BucketDetails ?? []).map((b) => b.name).filter((n): n is string => !!n);
  if (buckets.length > 0) return `S3 bucket ${buckets.join(", ")}`;
  return r.resourceType || "unknown";
}

function fromGuardDuty(e: z.infer<typeof guardDutyEvent>): Notice {
  const d = e.detail;
  const band = guardDutyBand(d.severity);
  return {
    kind: "guardduty",
    title: `GuardDuty ${band} finding: ${d.title || d.type}`,
    tone: band === "critical" || band === "high" ? "attention" : "warning",
    facts: [
      { title: "Severity", value: `${d.severity} (${band})` },
      { title: "Type", value: d.type },
      { title: "Resource", value: guardDutyResource(d.resource) },
      { title: "Account", value: d.accountId },
      { title: "Region", value: d.region },
      { title: "Finding", value: d.id },
    ],
    text: d.description || undefined,
    links: link("Open in GuardDuty", consoleLink(REGION.test(d.region) ? d.region : undefined, "guardduty", `/findings?macros=current&fId=${encodeURIComponent(d.id)}`)),
  };
}

const securityHubEvent = z.object({
  source: z.literal("aws.securityhub"),
  "detail-type": z.literal("Security Hub Findings - Imported"),
  detail: z.object({
    findings: z
      .array(
        z.object({
          Id: z.string().min(1),
          AwsAccountId: z.string(),
          Region: z.string().default(""),
          Title: z.string().default(""),
          Description: z.string().default(""),
          Types: z.array(z.string()).default([]),
          Severity: z.object({ Label: z.string() }),
          Resources: z.array(z.object({ Type: z.string(), Id: z.string() })).default([]),
          Remediation: z.object({ Recommendation: z.object({ Text: z.string().optional(), Url: z.string().optional() }).optional() }).optional(),
        }),
      )
      .min(1),
  }),
});

function fromSecurityHub(e: z.infer<typeof securityHubEvent>): Notice {
  const f = e.detail.findings[0]!;
  const rec = f.Remediation?.Recommendation;
  const facts: Fact[] = [
    { title: "Severity", value: f.Severity.Label },
    { title: "Resources", value: f.Resources.map((r) => `${r.Type} ${r.Id}`).join(", ") || "none named" },
    { title: "Account", value: f.AwsAccountId },
  ];
  if (f.Region) facts.push({ title: "Region", value: f.Region });
  if (f.Types.length > 0) facts.push({ title: "Type", value: f.Types.join(", ") });
  facts.push({ title: "Finding", value: f.Id });
  const more = e.detail.findings.length > 1 ? `\n\n(${e.detail.findings.length - 1} more findings in this event)` : "";
  return {
    kind: "securityhub",
    title: `Security Hub ${f.Severity.Label.toLowerCase()} finding: ${f.Title || f.Id}`,
    tone: f.Severity.Label === "CRITICAL" || f.Severity.Label === "HIGH" ? "attention" : "warning",
    facts,
    text: `${f.Description}${more}`.trim() || undefined,
    runbook: rec?.Text,
    links: [...link("Open in Security Hub", consoleLink(regionOfArn(f.Id), "securityhub", "/findings")), ...link("Remediation", rec?.Url?.startsWith("https://") ? rec.Url : undefined)],
  };
}

const signInEvent = z.object({
  source: z.literal("aws.signin"),
  "detail-type": z.literal("AWS Console Sign In via CloudTrail"),
  account: z.string().optional(),
  region: z.string().optional(),
  time: z.string().optional(),
  detail: z.object({
    userIdentity: z.object({ type: z.string().default(""), arn: z.string().optional() }).default({ type: "" }),
    sourceIPAddress: z.string().optional(),
    eventTime: z.string().optional(),
    responseElements: z.object({ ConsoleLogin: z.string().optional() }).nullish(),
  }),
});

function fromSignIn(e: z.infer<typeof signInEvent>): Notice {
  const d = e.detail;
  const who = d.userIdentity.type === "Root" ? "root user" : d.userIdentity.arn ?? d.userIdentity.type;
  const outcome = d.responseElements?.ConsoleLogin ?? "unknown";
  const facts: Fact[] = [{ title: "Identity", value: who }, { title: "Outcome", value: outcome }];
  if (d.sourceIPAddress) facts.push({ title: "From", value: d.sourceIPAddress });
  if (d.eventTime ?? e.time) facts.push({ title: "At", value: (d.eventTime ?? e.time)! });
  if (e.account) facts.push({ title: "Account", value: e.account });
  return { kind: "sign-in", title: `Console sign-in (${outcome}) as ${who}`, tone: "attention", facts, links: [] };
}

// ---- Lambda on-failure destination records (the incident functions report to the security topic)

const invocationRecord = z.object({
  version: z.string().optional(),
  timestamp: z.string().optional(),
  requestContext: z.object({
    requestId: z.string().optional(),
    functionArn: z.string().min(1),
    condition: z.string().min(1),
    approximateInvokeCount: z.number().optional(),
  }),
  responsePayload: z.object({ errorType: z.string().optional(), errorMessage: z.string().optional() }).passthrough().nullish(),
});

function fromInvocationRecord(r: z.infer<typeof invocationRecord>): Notice {
  const c = r.requestContext;
  // `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`
  const fn = c.functionArn.split(":function:")[1]?.split(":")[0] ?? c.functionArn;
  const error = r.responsePayload?.errorMessage ? `${r.responsePayload.errorType ? `${r.responsePayload.errorType}: ` : ""}${r.responsePayload.errorMessage}` : undefined;
  const facts: Fact[] = [{ title: "Function", value: fn }, { title: "Condition", value: c.condition }];
  if (c.approximateInvokeCount !== undefined) facts.push({ title: "Attempts", value: String(c.approximateInvokeCount) });
  if (r.timestamp) facts.push({ title: "At", value: r.timestamp });
  if (c.requestId) facts.push({ title: "Request", value: c.requestId });
  const region = regionOfArn(c.functionArn);
  return {
    kind: "lambda-failure",
    title: `Lambda ${fn} failed (${c.condition})`,
    tone: "attention",
    facts,
    text: error,
    links: link("Open the function", consoleLink(region, "lambda", `/functions/${encodeURIComponent(fn)}`)),
  };
}

// ---- Anything else --------------------------------------------------------------------------

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fromText(n: SnsNotification): Notice {
  const parsed = parseJson(n.Message);
  // A JSON message nobody recognised is shown indented, so it stays readable.
  const text = parsed !== undefined && typeof parsed === "object" ? JSON.stringify(parsed, null, 2) : n.Message;
  return {
    kind: "text",
    title: n.Subject?.trim() || "Notification",
    tone: "default",
    facts: n.Timestamp ? [{ title: "Published", value: n.Timestamp }] : [],
    text,
    links: [],
  };
}

function tryRead<T>(schema: z.ZodType<T>, read: (e: T) => Notice, o: unknown): Notice | undefined {
  const parsed = schema.safeParse(o);
  return parsed.success ? read(parsed.data) : undefined;
}

/** The notice one SNS notification becomes. */
export function readNotification(n: SnsNotification): Notice {
  const parsed = parseJson(n.Message);
  if (typeof parsed === "object" && parsed !== null) {
    const o = parsed as Record<string, unknown>;
    if ("AlarmName" in o && "NewStateValue" in o) {
      const alarm = alarmMessage.safeParse(o);
      if (alarm.success) return fromAlarm(alarm.data);
    }
    const event =
      tryRead(guardDutyEvent, fromGuardDuty, o) ??
      tryRead(securityHubEvent, fromSecurityHub, o) ??
      tryRead(signInEvent, fromSignIn, o) ??
      tryRead(invocationRecord, fromInvocationRecord, o);
    if (event) return event;
  }
  return fromText(n);
}
