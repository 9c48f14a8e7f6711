/**
 * The EventBridge patterns incident response routes (docs/security.md, "Incident response"). Pure:
 * the event shapes are those of the EventBridge event reference for GuardDuty ("GuardDuty Finding",
 * numeric `detail.severity`), Security Hub CSPM ("Security Hub Findings - Imported", one ASFF
 * finding per event) and AWS Sign-In ("AWS Console Sign In via CloudTrail").
 */

/** GuardDuty's scale: 1.0-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical. */
export const DEFAULT_GUARDDUTY_SEVERITY = 7;

/** Mondays 08:00 Riyadh time: the week's audit report is there when the week starts. */
export const DEFAULT_AUDIT_SCHEDULE = "cron(0 8 ? * MON *)";
export const DEFAULT_AUDIT_TIMEZONE = "Asia/Riyadh";

export type EventPattern = Record<string, unknown>;

/** GuardDuty findings at or above `threshold`, by numeric matching on `detail.severity`. */
export function guardDutyFindingPattern(threshold: number): EventPattern {
  if (!(threshold >= 1 && threshold <= 10)) throw new Error(`guardDutySeverityThreshold: must be 1 to 10 (got ${threshold})`);
  return { source: ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], detail: { severity: [{ numeric: [">=", threshold] }] } };
}

/**
 * Critical Security Hub findings that are active and not yet triaged. Resolved or suppressed
 * findings are re-imported with a new workflow status; matching only NEW keeps those updates from
 * paging anyone (or re-running the isolation) again.
 */
export function securityHubCriticalPattern(): EventPattern {
  return {
    source: ["aws.securityhub"],
    "detail-type": ["Security Hub Findings - Imported"],
    detail: { findings: { Severity: { Label: ["CRITICAL"] }, RecordState: ["ACTIVE"], Workflow: { Status: ["NEW"] } } },
  };
}

/** Any console sign-in as the account's root user, successful or not. */
export function rootSignInPattern(): EventPattern {
  return { source: ["aws.signin"], "detail-type": ["AWS Console Sign In via CloudTrail"], detail: { userIdentity: { type: ["Root"] } } };
}

/**
 * The session ARN prefix of a role (`arn:aws:sts::<account>:assumed-role/<name>/`): sign-in events
 * name the session, not the role, and the session ARN drops the role's path.
 */
export function assumedRolePrefix(roleArn: string): string {
  const m = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw new Error(`breakGlassRoleArn: "${roleArn}" is not an IAM role ARN`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
}

/**
 * A console sign-in (or switch-role) into a session of the break-glass role. Its AssumeRole call is
 * alarmed by the SecurityBaseline's own rule on that role; this one catches the console session.
 */
export function breakGlassSignInPattern(roleArn: string): EventPattern {
  return {
    source: ["aws.signin"],
    "detail-type": ["AWS Console Sign In via CloudTrail"],
    detail: { userIdentity: { arn: [{ prefix: assumedRolePrefix(roleArn) }] } },
  };
}
