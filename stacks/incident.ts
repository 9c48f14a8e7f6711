/**
 * Incident response and the weekly audit report of one stack, from its `incidentResponse` config
 * (docs/security.md#incident-response), around the stack's SecurityBaseline: the incident response
 * first (the baseline's break-glass alarm publishes to its topic), the baseline, then the audit
 * report (written to the log archive the baseline hosts or names). `buildSecurityAndIncidentResponse`
 * is what the stack programs call.
 */
import * as pulumi from "@pulumi/pulumi";
import { IncidentResponseSettings } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { breakGlassRoleArn } from "../components/security/baseline/identity";
import { AuditReports, ReportBucket } from "../components/security/incident/AuditReports";
import { IncidentResponse } from "../components/security/incident/IncidentResponse";
import { Tags } from "../components/tags";
import { buildSecurity } from "./security";
import { ManagementReference, commonTags } from "./shared";

export interface IncidentWiring {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly settings: IncidentResponseSettings;
  readonly tags: Tags;
}

/** The topic, the finding and sign-in rules, and the isolation Lambda with a quarantine group per VPC. */
export function buildIncidentResponse(
  w: IncidentWiring,
  vpcs: Readonly<Record<string, pulumi.Input<string>>>,
  breakGlassRoleArn: pulumi.Input<string> | undefined,
): IncidentResponse {
  const s = w.settings;
  return new IncidentResponse(`${w.stack}-incident`, {
    environment: w.stack,
    accountId: w.accountId,
    region: w.region,
    notificationEmails: s.notificationEmails,
    guardDutySeverityThreshold: s.guardDutySeverityThreshold,
    dryRun: s.dryRun,
    vpcs,
    breakGlassRoleArn,
    logRetentionDays: s.logRetentionDays,
    tags: w.tags,
  });
}

/** The scheduled audit report, writing to the log archive; returns the stack outputs of both parts. */
export function buildAuditReports(w: IncidentWiring, incident: IncidentResponse, bucket: ReportBucket): Record<string, pulumi.Input<unknown>> {
  const reports = new AuditReports(`${w.stack}-audit-reports`, {
    environment: w.stack,
    accountId: w.accountId,
    region: w.region,
    topicArn: incident.topicArn,
    topicKeyArn: incident.topicKeyArn,
    bucket,
    scheduleExpression: w.settings.auditReport.schedule,
    timezone: w.settings.auditReport.timezone,
    logRetentionDays: w.settings.logRetentionDays,
    tags: w.tags,
  });
  return {
    incidentResponse: {
      securityTopicArn: incident.topicArn,
      isolationDryRun: w.settings.dryRun,
      isolationCodeSha256: incident.isolationCodeHash,
      auditReportPrefix: reports.prefix,
      auditReportCodeSha256: reports.codeHash,
    },
  };
}

/**
 * The stack's security baseline with its incident response and audit report; returns the stack
 * outputs of all three. `vpcs`: the stack's VPCs by label (a quarantine group each). A stack that
 * shares management's account (accountMode single) gets neither: management's baseline, rules and
 * isolation Lambda cover that account.
 */
export function buildSecurityAndIncidentResponse(
  cfg: ValidatedConfig,
  mgmt: ManagementReference | undefined,
  vpcs: Readonly<Record<string, pulumi.Input<string>>>,
): { outputs: Record<string, pulumi.Input<unknown>>; securityTopic?: { arn: pulumi.Output<string>; keyArn: pulumi.Output<string> } } {
  const accountId = cfg.settings.accountId;
  const wiring: IncidentWiring = { stack: cfg.stack, accountId, region: cfg.region, settings: cfg.settings.incidentResponse, tags: commonTags(cfg.stack, cfg.settings.tags) };
  const ownsAccount = cfg.kind === "management" || accountId !== (cfg.plan.managementAccountId ?? accountId);
  const incident = ownsAccount ? buildIncidentResponse(wiring, vpcs, breakGlassRoleArn(accountId)) : undefined;
  const security = buildSecurity(cfg, mgmt, { alarmTopicArn: incident?.topicArn });
  return {
    outputs: { ...security.outputs, ...(incident ? buildAuditReports(wiring, incident, security.reportBucket) : {}) },
    ...(incident ? { securityTopic: { arn: incident.topicArn, keyArn: incident.topicKeyArn } } : {}),
  };
}
