/**
 * Incident response and the weekly audit report of one stack, from its `incidentResponse` config
 * (docs/security.md#incident-response). Two steps around the SecurityBaseline, which needs the
 * security topic for its break-glass alarm and hosts (or names) the log archive the report is
 * written to: `buildIncidentResponse` before the baseline, `buildAuditReports` after it.
 */
import * as pulumi from "@pulumi/pulumi";
import { IncidentResponseSettings } from "../config/schema";
import { AuditReports, ReportBucket } from "../components/security/incident/AuditReports";
import { IncidentResponse } from "../components/security/incident/IncidentResponse";
import { Tags } from "../components/tags";

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
