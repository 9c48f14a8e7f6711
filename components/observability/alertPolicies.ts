/**
 * Policies of the alert topics and their key (docs/observability.md#topics): CloudWatch alarms and
 * Amazon Managed Prometheus alert manager may publish, each only for this account (and, where AWS
 * documents the key, only from this account's alarms and workspaces); nothing publishes without TLS.
 * Pure, so the statements are tested directly.
 */

export interface AlertScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /**
   * EventBridge rules of this account that forward to the warning topic (the service pipelines'
   * failure rule, components/delivery/PipelineFailureAlerts.ts). @default none
   */
  readonly eventRuleArns?: readonly string[];
}

/** EventBridge may use the key or publish for exactly the listed rules of this account. */
function eventRuleGrant(s: AlertScope, sid: string, action: string | string[], resource: string): Statement[] {
  if (!s.eventRuleArns || s.eventRuleArns.length === 0) return [];
  return [{
    Sid: sid,
    Effect: "Allow",
    Principal: { Service: "events.amazonaws.com" },
    Action: action,
    Resource: resource,
    Condition: { StringEquals: { "aws:SourceAccount": s.accountId }, ArnEquals: { "aws:SourceArn": [...s.eventRuleArns] } },
  }];
}

type Statement = Record<string, unknown>;
export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

/** The services that publish alerts, and the resources they publish for (aws:SourceArn). */
export function alertPublishers(s: AlertScope): { service: string; sourceArn: string }[] {
  return [
    // CloudWatch alarms: arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>.
    { service: "cloudwatch.amazonaws.com", sourceArn: `arn:${s.partition}:cloudwatch:${s.region}:${s.accountId}:alarm:*` },
    // Amazon Managed Prometheus alert manager: arn:<partition>:aps:<region>:<account>:workspace/<id>.
    { service: "aps.amazonaws.com", sourceArn: `arn:${s.partition}:aps:${s.region}:${s.accountId}:workspace/*` },
  ];
}

/**
 * The topics' key: the account administers it (IAM decides who else); each publishing service may
 * generate data keys and decrypt for its own resources in this account. Without these grants a
 * service publishing to an encrypted topic fails silently.
 */
export function alertKeyPolicy(s: AlertScope): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` }, Action: "kms:*", Resource: "*" },
      ...alertPublishers(s).map((p) => ({
        Sid: `${p.service.split(".")[0] === "aps" ? "Prometheus" : "CloudWatchAlarms"}Encrypt`,
        Effect: "Allow",
        Principal: { Service: p.service },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": s.accountId }, ArnLike: { "aws:SourceArn": p.sourceArn } },
      })),
      ...eventRuleGrant(s, "EventBridgeRulesEncrypt", ["kms:GenerateDataKey", "kms:Decrypt"], "*"),
    ],
  };
}

/** One alert topic's policy; `eventRules` admits the scope's EventBridge rules as publishers (the warning topic's). */
export function alertTopicPolicy(s: AlertScope, topicArn: string, eventRules = false): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      ...alertPublishers(s).map((p) => ({
        Sid: `${p.service.split(".")[0] === "aps" ? "Prometheus" : "CloudWatchAlarms"}Publish`,
        Effect: "Allow",
        Principal: { Service: p.service },
        // Alert manager reads the topic's attributes before publishing (AMP user guide).
        Action: p.service.startsWith("aps.") ? ["sns:Publish", "sns:GetTopicAttributes"] : "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": s.accountId }, ArnLike: { "aws:SourceArn": p.sourceArn } },
      })),
      ...(eventRules ? eventRuleGrant(s, "EventBridgeRulesPublish", "sns:Publish", topicArn) : []),
      {
        Sid: "AccountManages",
        Effect: "Allow",
        Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` },
        Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"],
        Resource: topicArn,
      },
      { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ],
  };
}

/** The topic's name: fixed, so its ARN is known before it exists. */
export function alertTopicName(stack: string, severity: string): string {
  return `tila-${stack}-alerts-${severity}`;
}

export function alertTopicArn(s: AlertScope, stack: string, severity: string): string {
  return `arn:${s.partition}:sns:${s.region}:${s.accountId}:${alertTopicName(stack, severity)}`;
}
