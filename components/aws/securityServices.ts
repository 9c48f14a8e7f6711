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
  opensearchHttpsRule: "https://docs.aws.amazon.com/config/latest/developerguide/opensearch-https-required.html (all regions except Middle East (UAE), among others)",
  configRuntimeRule: "https://docs.aws.amazon.com/config/latest/developerguide/guardduty-runtime-monitoring-enabled.html (all regions except Middle East (Bahrain), among others)",
};

const ALL_FEATURES: readonly GuardDutyFeature[] = ["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING", "RDS_LOGIN_EVENTS", "LAMBDA_NETWORK_LOGS"];
const ALL_AGENTS: readonly RuntimeAgent[] = ["ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"];

export const SECURITY_REGIONS: Readonly<Record<string, SecurityRegionFacts>> = {
  "me-south-1": {
    guardDutyFeatures: ALL_FEATURES,
    runtimeAgents: ALL_AGENTS,
    configRulesUnavailable: ["GUARDDUTY_RUNTIME_MONITORING_ENABLED", "GUARDDUTY_EC2_PROTECTION_RUNTIME_ENABLED"],
    sources: [SOURCES.guardDutyRegions, SOURCES.detectorFeature, SOURCES.configRuntimeRule],
  },
  "me-central-1": {
    guardDutyFeatures: ALL_FEATURES,
    runtimeAgents: ALL_AGENTS,
    configRulesUnavailable: ["OPENSEARCH_HTTPS_REQUIRED"],
    sources: [SOURCES.guardDutyRegions, SOURCES.detectorFeature, SOURCES.opensearchHttpsRule],
  },
};

export function securityRegion(region: string): SecurityRegionFacts | undefined {
  return SECURITY_REGIONS[region];
}

/**
 * Security Hub standards by name. FSBP is regional (`arn:<p>:securityhub:<region>::standards/...`);
 * CIS v3.0.0 too (the v1.2.0 `ruleset/` ARN is global and superseded). Source: Security Hub user
 * guide, "Standards reference" and DescribeStandards.
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
