/**
 * The AWS Config managed rules that mirror the policy pack after deploy: every mandatory-everywhere
 * (security) rule of the pack is either mapped to the managed rule that checks the same property of
 * the live resource, or listed with the reason none does. A test keeps this table and the pack in
 * step, so a new pack rule cannot be forgotten here. Every identifier and parameter used is in
 * MANAGED_RULE_FACTS with the AWS Config developer guide page it was checked against (a test
 * refuses an identifier or parameter without one); which rules a region lacks is kept in
 * components/aws/securityServices.ts.
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

/** What the AWS Config developer guide says of one managed rule, and when it was read. */
export interface ManagedRuleFact {
  /** The rule's page: https://docs.aws.amazon.com/config/latest/developerguide/<page>.html */
  readonly page: string;
  /** Input parameter names the page documents that we may set (exact spelling). */
  readonly parameters?: readonly string[];
  /** The page's trigger type. */
  readonly trigger: "Configuration changes" | "Periodic" | "Configuration changes and Periodic";
  /** The page's "AWS Region" line as it bears on me-south-1 (Bahrain) and me-central-1 (UAE). */
  readonly regions: string;
  /** Date the page was read (search tool, docs corpus: docs.aws.amazon.com English pages). */
  readonly checked: string;
  /** Where the stored current page lacked a line and an older copy had to serve. */
  readonly note?: string;
}

const DEVGUIDE = "https://docs.aws.amazon.com/config/latest/developerguide/";
/** The awsdocs/aws-config-developer-guide GitHub repository, last content commit 3193df7 (2023-05-19): used only where the current page's line was not in the stored copy. */
const ARCHIVE_2023 = "awsdocs/aws-config-developer-guide@3193df7 doc_source/<page>.md (2023-05)";
const CHECKED = "2026-12-04";

/** The managed-rule facts the program relies on: identifier -> its documentation page (List of AWS Config Managed Rules). */
export const MANAGED_RULE_FACTS: Readonly<Record<string, ManagedRuleFact>> = {
  VPC_DEFAULT_SECURITY_GROUP_CLOSED: { page: "vpc-default-security-group-closed", trigger: "Configuration changes", regions: "all supported regions", checked: CHECKED },
  VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS: { page: "vpc-sg-open-only-to-authorized-ports", parameters: ["authorizedTcpPorts", "authorizedUdpPorts"], trigger: "Configuration changes and Periodic", regions: "all except Asia Pacific (Melbourne)", checked: CHECKED },
  RESTRICTED_INCOMING_TRAFFIC: { page: "restricted-common-ports", trigger: "Configuration changes and Periodic", regions: "all supported regions (rule name restricted-common-ports differs from the identifier)", checked: CHECKED },
  SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED: { page: "subnet-auto-assign-public-ip-disabled", trigger: "Configuration changes", regions: "all supported regions", checked: CHECKED },
  ECS_CONTAINER_INSIGHTS_ENABLED: { page: "ecs-container-insights-enabled", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Beijing, Jakarta, Osaka, Melbourne, Milan, GovCloud, Ningxia)", checked: CHECKED, note: `current page not in the stored docs; ${ARCHIVE_2023}` },
  ECS_CONTAINERS_READONLY_ACCESS: { page: "ecs-containers-readonly-access", trigger: "Configuration changes", regions: "all except Thailand, Malaysia, Mexico, Taipei, Calgary", checked: CHECKED },
  ECS_TASK_DEFINITION_LINUX_USER_NON_ROOT: { page: "ecs-task-definition-linux-user-non-root", trigger: "Configuration changes", regions: "all except (New Zealand,) Thailand, Mexico, Taipei", checked: CHECKED },
  ECS_CONTAINERS_NONPRIVILEGED: { page: "ecs-containers-nonprivileged", trigger: "Configuration changes", regions: "all except Thailand, Malaysia, Mexico, Taipei, Calgary", checked: CHECKED },
  ECS_TASK_DEFINITION_LOG_CONFIGURATION: { page: "ecs-task-definition-log-configuration", trigger: "Configuration changes", regions: "all except Thailand, Malaysia, GovCloud, Mexico, Taipei, Calgary (the 2023 page also excluded UAE; the current one does not)", checked: CHECKED },
  ECS_NO_ENVIRONMENT_SECRETS: { page: "ecs-no-environment-secrets", parameters: ["secretKeys"], trigger: "Configuration changes", regions: "all except Thailand, Malaysia, GovCloud, Mexico, Taipei, Calgary", checked: CHECKED },
  ENCRYPTED_VOLUMES: { page: "encrypted-volumes", parameters: ["kmsId"], trigger: "Configuration changes", regions: "all except Beijing, GovCloud, Mexico, Taipei, Ningxia (the .md copy: all regions)", checked: CHECKED },
  EC2_IMDSV2_CHECK: { page: "ec2-imdsv2-check", trigger: "Configuration changes", regions: "all supported regions", checked: CHECKED },
  EC2_INSTANCE_NO_PUBLIC_IP: { page: "ec2-instance-no-public-ip", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Osaka, Melbourne)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  RDS_STORAGE_ENCRYPTED: { page: "rds-storage-encrypted", parameters: ["kmsKeyId"], trigger: "Configuration changes", regions: "all except Beijing, Thailand, GovCloud, Mexico, Taipei, Ningxia (other copies: all regions)", checked: CHECKED },
  RDS_INSTANCE_PUBLIC_ACCESS_CHECK: { page: "rds-instance-public-access-check", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Hyderabad, Melbourne, Spain, Zurich)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED: { page: "rds-instance-iam-authentication-enabled", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Cape Town, Hong Kong, Hyderabad, Osaka, Melbourne, Spain, Zurich)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ELASTICACHE_REPL_GRP_ENCRYPTED_AT_REST: { page: "elasticache-repl-grp-encrypted-at-rest", parameters: ["approvedKMSKeyIds"], trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  ELASTICACHE_REPL_GRP_ENCRYPTED_IN_TRANSIT: { page: "elasticache-repl-grp-encrypted-in-transit", trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  ELASTICACHE_REPL_GRP_REDIS_AUTH_ENABLED: { page: "elasticache-repl-grp-redis-auth-enabled", trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  ELASTICACHE_AUTO_MINOR_VERSION_UPGRADE_CHECK: { page: "elasticache-auto-minor-version-upgrade-check", trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered (evaluates AWS::ElastiCache::CacheCluster)", checked: CHECKED },
  OPENSEARCH_ENCRYPTED_AT_REST: { page: "opensearch-encrypted-at-rest", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK: { page: "opensearch-node-to-node-encryption-check", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  OPENSEARCH_HTTPS_REQUIRED: { page: "opensearch-https-required", parameters: ["tlsPolicies"], trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  OPENSEARCH_IN_VPC_ONLY: { page: "opensearch-in-vpc-only", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  OPENSEARCH_ACCESS_CONTROL_ENABLED: { page: "opensearch-access-control-enabled", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  OPENSEARCH_LOGS_TO_CLOUDWATCH: { page: "opensearch-logs-to-cloudwatch", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED, note: `current page not in the stored docs (every other OpenSearch rule's current page excludes UAE); ${ARCHIVE_2023}` },
  S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED: { page: "s3-bucket-level-public-access-prohibited", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Hyderabad, Osaka, Melbourne, GovCloud, Spain, Zurich)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED: { page: "s3-bucket-server-side-encryption-enabled", trigger: "Configuration changes", regions: "all supported regions", checked: CHECKED },
  S3_BUCKET_SSL_REQUESTS_ONLY: { page: "s3-bucket-ssl-requests-only", trigger: "Configuration changes", regions: "all supported regions", checked: CHECKED },
  CMK_BACKING_KEY_ROTATION_ENABLED: { page: "cmk-backing-key-rotation-enabled", trigger: "Periodic", regions: "all supported regions (older copies and translations excluded UAE)", checked: CHECKED },
  SECRETSMANAGER_USING_CMK: { page: "secretsmanager-using-cmk", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Beijing, GovCloud, Ningxia)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK: { page: "alb-http-to-https-redirection-check", trigger: "Periodic", regions: "both Middle East regions offered (exceptions: Jakarta, Cape Town, Osaka, Melbourne, Milan)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ALB_HTTP_DROP_INVALID_HEADER_ENABLED: { page: "alb-http-drop-invalid-header-enabled", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Jakarta, Cape Town, Osaka, Melbourne, Milan)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ALB_DESYNC_MODE_CHECK: { page: "alb-desync-mode-check", parameters: ["desyncMode"], trigger: "Configuration changes", regions: "all except Thailand, Malaysia, Mexico, Taipei, Calgary; desyncMode is a CSV of at most 2 of defensive, strictest, monitor", checked: CHECKED },
  ELB_LOGGING_ENABLED: { page: "elb-logging-enabled", trigger: "Configuration changes", regions: "both Middle East regions offered (exceptions: Hyderabad, Melbourne, Spain, Zurich)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ALB_WAF_ENABLED: { page: "alb-waf-enabled", parameters: ["wafWebAclIds"], trigger: "Configuration changes", regions: "all except Asia Pacific (Osaka) (older copies excluded UAE)", checked: CHECKED },
  WAFV2_LOGGING_ENABLED: { page: "wafv2-logging-enabled", trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED, note: `current page not in the stored docs; ${ARCHIVE_2023}` },
  IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS: { page: "iam-policy-no-statements-with-admin-access", parameters: ["excludePermissionBoundaryPolicy"], trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED },
  IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS: { page: "iam-policy-no-statements-with-full-access", trigger: "Configuration changes", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED, note: `current page found but its Region line was not in the stored excerpt; ${ARCHIVE_2023}` },
  VPC_FLOW_LOGS_ENABLED: { page: "vpc-flow-logs-enabled", trigger: "Periodic", regions: "both Middle East regions offered (exception: Melbourne)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  CW_LOGGROUP_RETENTION_PERIOD_CHECK: { page: "cw-loggroup-retention-period-check", parameters: ["LogGroupNames", "MinRetentionTime"], trigger: "Periodic", regions: "NOT Middle East (UAE) in the .html page (its .md copy says all regions): treated as not offered in UAE", checked: CHECKED },
  MULTI_REGION_CLOUD_TRAIL_ENABLED: { page: "multi-region-cloudtrail-enabled", trigger: "Periodic", regions: "all supported regions (rule name multi-region-cloudtrail-enabled; older copies excluded UAE)", checked: CHECKED },
  CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: { page: "cloud-trail-log-file-validation-enabled", trigger: "Periodic", regions: "all supported regions", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  CLOUD_TRAIL_ENCRYPTION_ENABLED: { page: "cloud-trail-encryption-enabled", trigger: "Periodic", regions: "all supported regions", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ECR_PRIVATE_TAG_IMMUTABILITY_ENABLED: { page: "ecr-private-tag-immutability-enabled", trigger: "Configuration changes", regions: "all except Thailand, Malaysia, Mexico, Tel Aviv, Taipei, Calgary", checked: CHECKED },
  ECR_PRIVATE_IMAGE_SCANNING_ENABLED: { page: "ecr-private-image-scanning-enabled", trigger: "Periodic", regions: "all except Beijing, Thailand, Malaysia, Mexico, Taipei, Calgary, Ningxia", checked: CHECKED },
  ECR_PRIVATE_LIFECYCLE_POLICY_CONFIGURED: { page: "ecr-private-lifecycle-policy-configured", trigger: "Configuration changes", regions: "both Middle East regions offered (checked by the baseline's author, issue 11)", checked: CHECKED },
  GUARDDUTY_ENABLED_CENTRALIZED: { page: "guardduty-enabled-centralized", parameters: ["CentralMonitoringAccount"], trigger: "Periodic", regions: "all except (New Zealand,) Thailand, Mexico, Taipei (the 2023 page excluded both Bahrain and UAE)", checked: CHECKED },
  GUARDDUTY_RUNTIME_MONITORING_ENABLED: { page: "guardduty-runtime-monitoring-enabled", trigger: "Periodic", regions: "NOT Middle East (Bahrain)", checked: CHECKED, note: "not deployed; listed so the region table may name it" },
  GUARDDUTY_EC2_PROTECTION_RUNTIME_ENABLED: { page: "guardduty-ec2-protection-runtime-enabled", trigger: "Periodic", regions: "NOT Middle East (Bahrain) in the .html page (its .md copy omits Bahrain); UAE offered", checked: CHECKED, note: "not deployed; listed so the region table may name it" },
  SECURITYHUB_ENABLED: { page: "securityhub-enabled", trigger: "Periodic", regions: "all supported regions", checked: CHECKED },
  EC2_EBS_ENCRYPTION_BY_DEFAULT: { page: "ec2-ebs-encryption-by-default", trigger: "Periodic", regions: "all supported regions (the 2023 page excluded UAE)", checked: CHECKED },
  S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC: { page: "s3-account-level-public-access-blocks-periodic", trigger: "Periodic", regions: "both Middle East regions offered (exceptions: Beijing, Hyderabad, Melbourne, GovCloud, Spain, Ningxia, Zurich)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  IAM_PASSWORD_POLICY: { page: "iam-password-policy", trigger: "Periodic", regions: "both Middle East regions offered (exception: Melbourne)", checked: CHECKED, note: `current page not re-read in time; ${ARCHIVE_2023}` },
  ROOT_ACCOUNT_MFA_ENABLED: { page: "root-account-mfa-enabled", trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered (global IAM types are recorded only in regions AWS Config had before February 2022)", checked: CHECKED },
  ACCESS_KEYS_ROTATED: { page: "access-keys-rotated", parameters: ["maxAccessKeyAge"], trigger: "Periodic", regions: "NOT Middle East (UAE); Bahrain offered", checked: CHECKED, note: `current page found (maxAccessKeyAge, default 90) but its Region line was not in the stored excerpt; ${ARCHIVE_2023}` },
};

/** The documentation address of a managed rule's page. */
export function managedRuleSource(identifier: string): string | undefined {
  const fact = MANAGED_RULE_FACTS[identifier];
  return fact ? `${DEVGUIDE}${fact.page}.html (read ${fact.checked})` : undefined;
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
  "alarms-routed": "CLOUDWATCH_ALARM_ACTION_CHECK judges each metric alarm alone: it cannot count a child routed through its composite, and ignores composite alarms",
  "sns-topic-cmk-encrypted": "SNS_ENCRYPTED_KMS accepts the AWS-managed alias/aws/sns key, which cannot grant CloudWatch or EventBridge; the pack requires a customer-managed key",
  "ecs-services-no-public-ip": "checked by Security Hub control ECS.2 (FSBP)",
  "ecs-container-images-pinned": "a naming convention of image tags; no managed rule",
  "ecs-service-logs-shipped": "FireLens to this platform's Graylog (output options, router image, the fallback tag) is our design; no managed rule reads it",
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
  "iam-deploy-role-policy-scoped": "a shape of our own deploy-role policy; IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS/_FULL_ACCESS cover the wildcards, the scoping is the pack's",
  "iam-break-glass-role-shaped": "a shape of our own break-glass role and its alarm; no managed rule reads it, CloudTrail records its use",
  "taggable-resources-carry-required-tags": "REQUIRED_TAGS takes at most six keys per rule and no per-type list; tag drift is reported by the plan",
  "environment-tag-names-a-stack": "a convention of ours; no managed rule",
  "environment-isolation": "a property of the whole route graph; no managed rule",
  "environment-tables-blackhole-other-environments": "a property of the whole route graph; no managed rule",
  "graylog-ingress-inputs-only": "ports of ours per group (Graylog's inputs outside management and the offices); the managed rules check only public sources and fixed ports",
  "graylog-index-retention-floors": "reads the provisioning step's input; Graylog's index sets live inside Graylog, where no managed rule looks",
  "graylog-archive-outlives-index-sets": "compares a bucket's lifecycle with Graylog's index sets; no managed rule reads either",
  "pipeline-approval-before-prod": "the managed CodePipeline rules (CODEPIPELINE_DEPLOYMENT_COUNT_CHECK, _REGION_FANOUT_CHECK) count deployments and regions, never approvals, and neither runs in me-south-1",
  "pipeline-artifacts-encrypted": "no managed rule reads a pipeline's artifact store key; S3_DEFAULT_ENCRYPTION_KMS would judge every bucket, not the artefact store's",
  "pipeline-deploy-role-scoped": "a scope of ours (one ECS service, its family and roles); IAM Access Analyzer (deployed) reports the cross-account trust",
  "logging-functions-log-groups-encrypted": "CLOUDWATCH_LOG_GROUP_ENCRYPTED judges every log group alone; this ties central logging's functions to declared groups, which no managed rule does",
  "athena-workgroup-enforced": "ATHENA_WORKGROUP_ENFORCE_WORKGROUP_CONFIGURATION checks only the override and ATHENA_WORKGROUP_ENCRYPTED_AT_REST accepts SSE_S3 and is not offered in Middle East (UAE); neither checks the result location or the key (a candidate pair of mirrors, not deployed yet)",
  "athena-workgroup-scan-limit": "no managed rule reads a workgroup's BytesScannedCutoffPerQuery",
  "lake-buckets-encrypted-private": "S3_DEFAULT_ENCRYPTION_KMS would judge every bucket, not the lake's (found through the Glue catalogue and the workgroups); S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED already mirrors the generic block",
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
