/**
 * The security baseline of one captured stack, as the plan prints it (docs/security.md): which
 * trail records the account and where to, which detectors and standards run, how many AWS Config
 * rules check drift, the account hardening and who may assume the deploy, auditor and break-glass
 * roles. Read from the captured resources only, so it shows what the program really builds.
 */
import type { CapturedResource } from "./types";

export interface SecurityLine {
  control: string;
  state: string;
}

const ofType = (resources: readonly CapturedResource[], type: string) => resources.filter((r) => r.type === type);
const yes = (v: unknown) => v === true;

function trustSummary(role: CapturedResource): string {
  let doc: { Statement?: { Condition?: Record<string, Record<string, unknown>> }[] } = {};
  try {
    doc = (typeof role.inputs.assumeRolePolicy === "string" ? JSON.parse(role.inputs.assumeRolePolicy) : role.inputs.assumeRolePolicy) as typeof doc;
  } catch {
    return "trust not readable";
  }
  const values = (doc.Statement ?? []).flatMap((s) => Object.values(s.Condition ?? {}).flatMap((block) => Object.entries(block)))
    .filter(([key]) => /:sub$|aws:PrincipalArn$/.test(key))
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]).map(String))
    .map((v) => v.replace(/^project_path:[^:]+:/, "").replace(/^arn:aws:iam::\d{12}:/, ""));
  const mfa = (doc.Statement ?? []).some((s) => s.Condition?.Bool?.["aws:MultiFactorAuthPresent"] !== undefined);
  return `${values.join(", ") || "no condition"}${mfa ? " (MFA)" : ""}`;
}

export function summarizeSecurity(resources: readonly CapturedResource[]): SecurityLine[] {
  const baseline = ofType(resources, "tila:security:SecurityBaseline")[0];
  if (!baseline) return [];
  const lines: SecurityLine[] = [];
  const controlsIn = baseline.outputs.accountControlsIn;
  if (typeof controlsIn === "string" && controlsIn !== baseline.outputs.stack) {
    lines.push({ control: "account controls", state: `in the ${controlsIn} stack's baseline (shared account)` });
  }
  for (const t of ofType(resources, "aws:cloudtrail/trail:Trail")) {
    const traits = [yes(t.inputs.isMultiRegionTrail) && "multi-region", yes(t.inputs.enableLogFileValidation) && "validated", t.inputs.kmsKeyId && "KMS", t.inputs.cloudWatchLogsGroupArn && "CloudWatch Logs"].filter(Boolean);
    lines.push({ control: `trail ${String(t.inputs.name)}`, state: `${traits.join(", ")} -> s3://${String(t.inputs.s3BucketName)}/${String(t.inputs.s3KeyPrefix ?? "")}` });
  }
  const lock = ofType(resources, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")[0];
  if (lock) {
    const retention = (lock.inputs.rule as { defaultRetention?: { mode?: string; days?: number } } | undefined)?.defaultRetention;
    lines.push({ control: "log archive", state: `object lock ${retention?.mode ?? "?"} ${retention?.days ?? "?"} days; hosts ${ofType(resources, "aws:guardduty/member:Member").length} member accounts` });
  }
  const features = ofType(resources, "aws:guardduty/detectorFeature:DetectorFeature").filter((f) => f.inputs.status === "ENABLED").map((f) => String(f.inputs.name));
  if (ofType(resources, "aws:guardduty/detector:Detector").length > 0) {
    const admin = ofType(resources, "aws:guardduty/inviteAccepter:InviteAccepter")[0]?.inputs.masterAccountId;
    lines.push({ control: "GuardDuty", state: `${features.join(", ")}${admin ? `; administered by ${String(admin)}` : ""}` });
  }
  const standards = ofType(resources, "aws:securityhub/standardsSubscription:StandardsSubscription").map((s) => String(s.inputs.standardsArn).replace(/^.*(standards|ruleset)\//, ""));
  if (ofType(resources, "aws:securityhub/account:Account").length > 0) {
    const aggregator = ofType(resources, "aws:securityhub/findingAggregator:FindingAggregator").length > 0;
    lines.push({ control: "Security Hub", state: `${standards.join(", ")}${aggregator ? "; aggregates findings" : ""}` });
  }
  const recorder = ofType(resources, "aws:cfg/recorder:Recorder")[0];
  if (recorder) {
    const group = recorder.inputs.recordingGroup as { allSupported?: boolean } | undefined;
    lines.push({ control: "AWS Config", state: `${group?.allSupported ? "all resource types" : "some resource types"}, ${ofType(resources, "aws:cfg/rule:Rule").length} managed rules` });
  }
  const inspector = ofType(resources, "aws:inspector2/enabler:Enabler")[0];
  const analyzer = ofType(resources, "aws:accessanalyzer/analyzer:Analyzer").length > 0;
  if (inspector || analyzer) lines.push({ control: "analyzers", state: [analyzer && "IAM Access Analyzer", inspector && `Inspector (${(inspector.inputs.resourceTypes as string[]).join(", ")})`].filter(Boolean).join(", ") });
  const hardening = [
    ofType(resources, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy")[0] && `password >= ${String(ofType(resources, "aws:iam/accountPasswordPolicy:AccountPasswordPolicy")[0]!.inputs.minimumPasswordLength)}`,
    ofType(resources, "aws:ebs/encryptionByDefault:EncryptionByDefault").length > 0 && "EBS encrypted by default",
    ofType(resources, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock").length > 0 && "S3 account public access block",
    ofType(resources, "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults").length > 0 && "IMDSv2 default",
  ].filter(Boolean);
  if (hardening.length > 0) lines.push({ control: "hardening", state: hardening.join(", ") });
  for (const role of ofType(resources, "aws:iam/role:Role").filter((r) => r.parent === baseline.urn || /^tila-platform-(deploy-|preview-|auditor$|break-glass$)/.test(String(r.inputs.name)))) {
    if (!/^tila-platform-(deploy-|preview-|auditor$|break-glass$)/.test(String(role.inputs.name))) continue;
    lines.push({ control: `role ${String(role.inputs.name)}`, state: trustSummary(role) });
  }
  lines.push(...summarizeIncidentResponse(resources));
  return lines;
}

/** Incident response and the audit report (components/security/incident/): what alerts, who is told, what isolates. */
export function summarizeIncidentResponse(resources: readonly CapturedResource[]): SecurityLine[] {
  const lines: SecurityLine[] = [];
  for (const ir of ofType(resources, "tila:security:IncidentResponse")) {
    const children = resources.filter((r) => r.parent === ir.urn);
    const topic = children.find((r) => r.type === "aws:sns/topic:Topic");
    const rules = children.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule").map((r) => r.name.slice(ir.name.length + 1));
    const recipients = children.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription").map((r) => String(r.inputs.endpoint));
    const fn = children.find((r) => r.type === "aws:lambda/function:Function");
    const env = (fn?.inputs.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {};
    lines.push({ control: "incident response", state: `${rules.join(", ")} -> ${String(topic?.inputs.name ?? "?")} (${recipients.join(", ") || "no e-mail recipients"})` });
    lines.push({ control: "isolation", state: `${String(fn?.inputs.name ?? "?")}${env.DRY_RUN === "true" ? " in DRY RUN" : ""}, quarantine groups in ${Object.keys(JSON.parse(env.QUARANTINE_GROUPS ?? "{}") as object).length} VPC(s)` });
  }
  for (const schedule of ofType(resources, "aws:scheduler/schedule:Schedule").filter((s) => /audit-report/.test(String(s.inputs.name)))) {
    lines.push({ control: "audit report", state: `${String(schedule.inputs.scheduleExpression)} ${String(schedule.inputs.scheduleExpressionTimezone ?? "UTC")}` });
  }
  return lines;
}
