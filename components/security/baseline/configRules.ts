/**
 * The AWS Config managed rules that mirror the policy pack after deploy: every mandatory-everywhere
 * (security) rule of the pack is either mapped to the managed rule that checks the same property of
 * the live resource, or listed with the reason none does. A test keeps this table and the pack in
 * step, so a new pack rule cannot be forgotten here. Identifiers are from the AWS Config developer
 * guide, "List of AWS Config Managed Rules" (one page per rule, read 2026-12).
 */

export interface ConfigRuleSpec {
  /** Our name for the Config rule (`tila-<name>`), after the pack rule it mirrors or the control it adds. */
  readonly name: string;
  /** AWS Config managed rule identifier (`source.sourceIdentifier`). */
  readonly identifier: string;
  readonly description: string;
  readonly parameters?: Readonly<Record<string, string>>;
}

export interface ManagedRuleRef {
  readonly identifier: string;
  readonly parameters?: Record<string, string>;
}

/** Pack rule name -> the managed rule(s) that check the deployed resource for the same thing. */
export const MIRRORED: Readonly<Record<string, ManagedRuleRef | readonly ManagedRuleRef[]>> = {
  "default-security-group-no-rules": { identifier: "VPC_DEFAULT_SECURITY_GROUP_CLOSED" },
  "sg-open-ingress-only-alb-web-ports": { identifier: "VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS", parameters: { authorizedTcpPorts: "80,443" } },
  "sg-no-public-admin-ports": { identifier: "RESTRICTED_INCOMING_TRAFFIC" },
  "subnet-no-auto-public-ip": { identifier: "SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED" },
  "ecs-clusters-container-insights": { identifier: "ECS_CONTAINER_INSIGHTS_ENABLED" },
  "ecs-containers-read-only-root-filesystem": { identifier: "ECS_CONTAINERS_READONLY_ACCESS" },
  "ecs-containers-run-as-non-root": { identifier: "ECS_TASK_DEFINITION_LINUX_USER_NON_ROOT" },
  "ecs-containers-not-privileged": { identifier: "ECS_CONTAINERS_NONPRIVILEGED" },
  "ecs-containers-log-to-awslogs": { identifier: "ECS_TASK_DEFINITION_LOG_CONFIGURATION" },
  "ecs-no-secrets-in-environment": { identifier: "ECS_NO_ENVIRONMENT_SECRETS", parameters: { secretKeys: "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA" } },
  "ebs-volume-encrypted": { identifier: "ENCRYPTED_VOLUMES" },
  "ec2-instance-imdsv2-required": { identifier: "EC2_IMDSV2_CHECK" },
  "ec2-instance-no-public-ip": { identifier: "EC2_INSTANCE_NO_PUBLIC_IP" },
  "rds-storage-encrypted": { identifier: "RDS_STORAGE_ENCRYPTED" },
  "rds-not-publicly-accessible": { identifier: "RDS_INSTANCE_PUBLIC_ACCESS_CHECK" },
  "rds-iam-authentication-enabled": { identifier: "RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED" },
  "elasticache-encrypted-at-rest": { identifier: "ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST" },
  "elasticache-encrypted-in-transit": { identifier: "ELASTICACHE_REPL_GRP_ENCRYPTED_IN_TRANSIT" },
  "elasticache-auth-required": { identifier: "ELASTICACHE_REPL_GRP_REDIS_AUTH_ENABLED" },
  "elasticache-auto-minor-version-upgrade": { identifier: "ELASTICACHE_AUTO_MINOR_VERSION_UPGRADE_CHECK" },
  "opensearch-encrypted-at-rest": { identifier: "OPENSEARCH_ENCRYPTED_AT_REST" },
  "opensearch-node-to-node-encryption": { identifier: "OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK" },
  "opensearch-https-tls12": { identifier: "OPENSEARCH_HTTPS_REQUIRED" },
  "opensearch-in-vpc": { identifier: "OPENSEARCH_IN_VPC_ONLY" },
  "opensearch-fine-grained-access": { identifier: "OPENSEARCH_ACCESS_CONTROL_ENABLED" },
  "opensearch-error-logs-published": { identifier: "OPENSEARCH_LOGS_TO_CLOUDWATCH" },
  "s3-bucket-public-access-blocked": { identifier: "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED" },
  "s3-bucket-encrypted": { identifier: "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED" },
  "s3-bucket-tls-only": { identifier: "S3_BUCKET_SSL_REQUESTS_ONLY" },
  "kms-key-rotation-enabled": { identifier: "CMK_BACKING_KEY_ROTATION_ENABLED" },
  "secret-customer-managed-key": { identifier: "SECRETSMANAGER_USING_CMK" },
  "lb-http-listeners-redirect-to-https": { identifier: "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK" },
  "alb-drops-invalid-header-fields": { identifier: "ALB_HTTP_DROP_INVALID_HEADER_ENABLED" },
  "alb-desync-mitigation-defensive-or-strictest": { identifier: "ALB_DESYNC_MODE_CHECK", parameters: { desyncMode: "defensive,strictest" } },
  "alb-access-logs-enabled": { identifier: "ELB_LOGGING_ENABLED" },
  "alb-internet-facing-waf-associated": { identifier: "ALB_WAF_ENABLED" },
  "waf-web-acl-logging-configured": { identifier: "WAFV2_LOGGING_ENABLED" },
  "iam-no-allow-all-actions": { identifier: "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS" },
  "iam-no-service-wildcard-actions": { identifier: "IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS" },
  "vpc-flow-logs-enabled": { identifier: "VPC_FLOW_LOGS_ENABLED" },
  "log-group-retention-set": { identifier: "CW_LOGGROUP_RETENTION_PERIOD_CHECK" },
  "cloudtrail-multi-region": { identifier: "MULTI_REGION_CLOUD_TRAIL_ENABLED" },
  "cloudtrail-log-file-validation": { identifier: "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED" },
  "cloudtrail-kms-encrypted": { identifier: "CLOUD_TRAIL_ENCRYPTION_ENABLED" },
  "ecr-repositories-hardened": [
    { identifier: "ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED" },
    { identifier: "ECR_PRIVATE_IMAGE_SCANNING_ENABLED" },
    { identifier: "ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED" },
  ],
};

/** Pack rules no managed rule checks as written, and why; the pack remains their only check. */
export const NOT_MIRRORED: Readonly<Record<string, string>> = {
  "tgw-default-route-tables-disabled": "no managed rule reads a transit gateway's default route-table settings",
  "tgw-auto-accept-only-when-shared": "EC2.23's managed rule flags auto-accept on any TGW; ours allows it on a shared hub",
  "tgw-attachment-no-default-routing": "no managed rule reads attachment association defaults",
  "vpn-tunnels-ikev2-strong-crypto": "no managed rule reads VPN tunnel options",
  "vpn-tunnel-logging-enabled": "checked by Security Hub control EC2.171 (FSBP), not a managed rule we deploy",
  "ecs-services-no-public-ip": "checked by Security Hub control ECS.2 (FSBP)",
  "ecs-container-images-pinned": "a naming convention of image tags; no managed rule",
  "ec2-instance-volumes-encrypted": "ENCRYPTED_VOLUMES (deployed for ebs-volume-encrypted) covers attached volumes",
  "lb-https-listeners-use-tls12-and-certificate": "checked by Security Hub control ELB.17 (FSBP)",
  "lb-http-listener-rules-redirect-to-https": "ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK (deployed for lb-http-listeners-redirect-to-https) covers rules too",
  "waf-web-acl-rate-limit-and-common-rules": "no managed rule reads a web ACL's rule set",
  "waf-rate-limit-bounded": "a threshold of ours; no managed rule",
  "edge-logs-retained-for-audit": "retention floors of ours; CW_LOGGROUP_RETENTION_PERIOD_CHECK covers the log groups",
  "flow-logs-retained-for-audit": "retention floors of ours; CW_LOGGROUP_RETENTION_PERIOD_CHECK covers the log groups",
  "flow-logs-capture-all-traffic": "VPC_FLOW_LOGS_ENABLED (deployed for vpc-flow-logs-enabled) takes trafficType ALL by default",
  "log-group-kms-key-is-arn": "an input format the API itself refuses; nothing to detect after deploy",
  "acm-certificates-dns-validated": "no managed rule reads the validation method",
  "iam-resource-wildcard-only-for-unscopable-actions": "an allow-list of ours; IAM Access Analyzer policy checks cover it in review",
  "iam-no-admin-managed-policy-attachments": "IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS covers customer policies; AWS-managed attachments are in the trail",
  "iam-role-trust-names-principal": "IAM Access Analyzer (deployed) reports roles trusted from outside the account",
  "iam-cross-account-roles-scoped": "IAM Access Analyzer (deployed) reports roles trusted from outside the account; the scoping is a review of ours",
  "taggable-resources-carry-required-tags": "REQUIRED_TAGS takes at most six keys per rule and no per-type list; tag drift is reported by the plan",
  "environment-tag-names-a-stack": "a convention of ours; no managed rule",
  "environment-isolation": "a property of the whole route graph; no managed rule",
  "environment-tables-blackhole-other-environments": "a property of the whole route graph; no managed rule",
};

/** Account-level controls of the baseline itself, checked live as well. */
export const BASELINE_CONFIG_RULES: readonly ConfigRuleSpec[] = [
  { name: "guardduty-enabled", identifier: "GUARDDUTY_ENABLED_CENTRALIZED", description: "GuardDuty is enabled in the account and region." },
  { name: "securityhub-enabled", identifier: "SECURITYHUB_ENABLED", description: "Security Hub is enabled in the account." },
  { name: "ebs-encryption-by-default", identifier: "EC2_EBS_ENCRYPTION_BY_DEFAULT", description: "New EBS volumes are encrypted by default." },
  { name: "s3-account-public-access-blocks", identifier: "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC", description: "The account-level S3 public access block is on." },
  { name: "iam-password-policy", identifier: "IAM_PASSWORD_POLICY", description: "The account password policy meets the baseline." },
  { name: "root-account-mfa", identifier: "ROOT_ACCOUNT_MFA_ENABLED", description: "The root user has MFA." },
  { name: "iam-user-no-access-keys", identifier: "ACCESS_KEYS_ROTATED", description: "Any access key that exists is rotated within 90 days (people use roles, not keys).", parameters: { maxAccessKeyAge: "90" } },
];

/** The full set one account deploys: the mirrored pack rules, then the baseline's own. */
export function configRuleSet(): ConfigRuleSpec[] {
  const mirrored = Object.entries(MIRRORED).flatMap(([rule, refs]) => {
    const list: readonly ManagedRuleRef[] = Array.isArray(refs) ? refs : [refs as ManagedRuleRef];
    return list.map((m, i) => ({
      name: list.length === 1 ? rule : `${rule}-${i + 1}`,
      identifier: m.identifier,
      description: `Mirrors the policy pack's ${rule} on the deployed resources.`,
      parameters: m.parameters,
    }));
  });
  return [...mirrored, ...BASELINE_CONFIG_RULES];
}
