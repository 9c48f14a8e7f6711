/**
 * Region facts the security baseline relies on: which GuardDuty protection plans a region offers,
 * the ARNs of the Security Hub standards it enables there, and the AWS Config managed rules AWS
 * does not offer there. Hand-kept from AWS documentation, each fact with its source; pure data and
 * lookups, read by components/security/ and by config validation (an unknown region is refused).
 */

export interface SecurityRegionFacts {
  /** GuardDuty detector features (aws.guardduty.DetectorFeature `name`) the region offers. */
  readonly guardDutyFeatures: readonly GuardDutyFeature[];
  /** Runtime Monitoring's automated agent management the region offers (`additionalConfigurations`). */
  readonly runtimeAgents: readonly RuntimeAgent[];
  /** AWS Config managed rule identifiers AWS lists as not available in the region. */
  readonly configRulesUnavailable: readonly string[];
  readonly sources: readonly string[];
}

export type GuardDutyFeature = "S3_DATA_EVENTS" | "EBS_MALWARE_PROTECTION" | "RUNTIME_MONITORING" | "RDS_LOGIN_EVENTS" | "LAMBDA_NETWORK_LOGS";
export type RuntimeAgent = "ECS_FARGATE_AGENT_MANAGEMENT" | "EC2_AGENT_MANAGEMENT";

const SOURCES = {
  guardDutyRegions: "https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_regions.html (Region-specific feature availability: lists no exception for me-south-1 or me-central-1)",
  detectorFeature: "@pulumi/aws 7.48.0 guardduty/detectorFeature.d.ts: name is one of S3_DATA_EVENTS, EKS_AUDIT_LOGS, EBS_MALWARE_PROTECTION, RDS_LOGIN_EVENTS, EKS_RUNTIME_MONITORING, LAMBDA_NETWORK_LOGS, RUNTIME_MONITORING; additional configurations ECS_FARGATE_AGENT_MANAGEMENT, EC2_AGENT_MANAGEMENT",
  configRuntimeRule: "https://docs.aws.amazon.com/config/latest/developerguide/guardduty-runtime-monitoring-enabled.html (all regions except Middle East (Bahrain), among others)",
  configRulesBahrain: "AWS Config developer guide, each deployed rule's page (components/security/baseline/configRules.ts MANAGED_RULE_FACTS), read 2026-12-04: only the GuardDuty runtime rules exclude Middle East (Bahrain)",
  configRulesUae: "AWS Config developer guide, each deployed rule's page (components/security/baseline/configRules.ts MANAGED_RULE_FACTS), read 2026-12-04: the ElastiCache, OpenSearch, IAM-policy, WAFv2-logging, log-retention, root-MFA and access-key rules exclude Middle East (UAE)",
};

/**
 * AWS Config managed rules whose documentation page excludes Middle East (UAE), me-central-1
 * (read 2026-12-04; the page of each is in MANAGED_RULE_FACTS). Where the current page was not
 * stored, its 2023 copy (awsdocs/aws-config-developer-guide) served, and where two current copies
 * disagreed the rule is treated as not offered: a rule AWS refuses fails the deploy, a skipped one
 * only loses a live check the policy pack still makes before deploy.
 */
const CONFIG_RULES_NOT_IN_UAE: readonly string[] = [
  "ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST",
  "ELASTICACHE_REPL_GRP_ENCRYPTED_IN_TRANSIT",
  "ELASTICACHE_REPL_GRP_REDIS_AUTH_ENABLED",
  "ELASTICACHE_AUTO_MINOR_VERSION_UPGRADE_CHECK",
  "OPENSEARCH_ENCRYPTED_AT_REST",
  "OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK",
  "OPENSEARCH_HTTPS_REQUIRED",
  "OPENSEARCH_IN_VPC_ONLY",
  "OPENSEARCH_ACCESS_CONTROL_ENABLED",
  "OPENSEARCH_LOGS_TO_CLOUDWATCH",
  "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS",
  "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS",
  "WAFV2_LOGGING_ENABLED",
  "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
  "ROOT_ACCOUNT_MFA_ENABLED",
  "ACCESS_KEYS_ROTATED",
];

const ALL_FEATURES: readonly GuardDutyFeature[] = ["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"];
const ALL_AGENTS: readonly RuntimeAgent[] = ["ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"];

export const SECURITY_REGIONS: Readonly<Record<string, SecurityRegionFacts>> = {
  "me-south-1": {
    guardDutyFeatures: ALL_FEATURES,
    runtimeAgents: ALL_AGENTS,
    configRulesUnavailable: ["GUARDDUTY_RUNTIME_MONITORING_ENABLED", "GUARDDUTY_EC2_PROTECTION_RUNTIME_ENABLED"],
    sources: [SOURCES.guardDutyRegions, SOURCES.detectorFeature, SOURCES.configRuntimeRule, SOURCES.configRulesBahrain],
  },
  "me-central-1": {
    guardDutyFeatures: ALL_FEATURES,
    runtimeAgents: ALL_AGENTS,
    configRulesUnavailable: CONFIG_RULES_NOT_IN_UAE,
    sources: [SOURCES.guardDutyRegions, SOURCES.detectorFeature, SOURCES.configRulesUae],
  },
};

export function securityRegion(region: string): SecurityRegionFacts | undefined {
  return SECURITY_REGIONS[region];
}

/**
 * Security Hub standards by name. FSBP is regional (`arn:<p>:securityhub:<region>::standards/...`);
 * CIS v3.0.0 too (the v1.2.0 `ruleset/` ARN is global and superseded). Source, read 2026-12-04: the
 * AWS provider's StandardsSubscription `standardsArn` table (pulumi_aws docs, "Currently available
 * standards": FSBP .../standards/aws-foundational-security-best-practices/v/1.0.0, CIS v1.4.0 and
 * v3.0.0 .../standards/cis-aws-foundations-benchmark/v/<version>, both with the region). Not
 * confirmed: that CIS v3.0.0 is offered in me-south-1 and me-central-1. The Security Hub user
 * guide's standards pages were not in the stored documentation; its "Regional limits" page covers
 * controls, not standards. DescribeStandards in each region settles it before the first deploy
 * (docs/security.md, Open points).
 */
export const SECURITY_HUB_STANDARDS = {
  fsbp: (partition: string, region: string) => `arn:${partition}:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`,
  cis: (partition: string, region: string) => `arn:${partition}:securityhub:${region}::standards/cis-aws-foundations-benchmark/v/3.0.0`,
} as const;

/** Which standard an ARN is, for the policy pack and the plan report. */
export function standardKind(arn: string): "fsbp" | "cis" | undefined {
  if (/:standards\/aws-foundational-security-best-practices\/v\//.test(arn)) return "fsbp";
  if (/:(standards|ruleset)\/cis-aws-foundations-benchmark\/v\//.test(arn)) return "cis";
  return undefined;
}
