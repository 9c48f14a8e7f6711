import type { Rule } from "../types";
import { clusterQuorumSurvivesAzLoss } from "./cluster-quorum-survives-az-loss";
import { ebsDataVolumesSnapshotted } from "./ebs-data-volumes-snapshotted";
import { ebsSnapshotsRetainedInProd } from "./ebs-snapshots-retained-in-prod";
import { ebsVolumeEncrypted } from "./ebs-volume-encrypted";
import { ec2InstanceImdsv2Required } from "./ec2-instance-imdsv2-required";
import { ec2InstanceNoPublicIp } from "./ec2-instance-no-public-ip";
import { ec2InstanceVolumesEncrypted } from "./ec2-instance-volumes-encrypted";
import { elasticacheAuthRequired } from "./elasticache-auth-required";
import { elasticacheAutoMinorVersionUpgrade } from "./elasticache-auto-minor-version-upgrade";
import { elasticacheEncryptedAtRest } from "./elasticache-encrypted-at-rest";
import { elasticacheEncryptedInTransit } from "./elasticache-encrypted-in-transit";
import { elasticacheFailoverInProd } from "./elasticache-failover-in-prod";
import { elasticacheSnapshotsInProd } from "./elasticache-snapshots-in-prod";
import { kmsKeyRotationEnabled } from "./kms-key-rotation-enabled";
import { opensearchDedicatedMastersInProd } from "./opensearch-dedicated-masters-in-prod";
import { opensearchEncryptedAtRest } from "./opensearch-encrypted-at-rest";
import { opensearchErrorLogsPublished } from "./opensearch-error-logs-published";
import { opensearchFineGrainedAccess } from "./opensearch-fine-grained-access";
import { opensearchHttpsTls12 } from "./opensearch-https-tls12";
import { opensearchInVpc } from "./opensearch-in-vpc";
import { opensearchNodeToNodeEncryption } from "./opensearch-node-to-node-encryption";
import { opensearchZoneAwarenessInProd } from "./opensearch-zone-awareness-in-prod";
import { rdsBackupRetention } from "./rds-backup-retention";
import { rdsDeletionProtectionInProd } from "./rds-deletion-protection-in-prod";
import { rdsEnhancedMonitoringEnabled } from "./rds-enhanced-monitoring-enabled";
import { rdsFinalSnapshotInProd } from "./rds-final-snapshot-in-prod";
import { rdsIamAuthenticationEnabled } from "./rds-iam-authentication-enabled";
import { rdsMultiAzInProd } from "./rds-multi-az-in-prod";
import { rdsNotPubliclyAccessible } from "./rds-not-publicly-accessible";
import { rdsPerformanceInsightsEnabled } from "./rds-performance-insights-enabled";
import { rdsStorageEncrypted } from "./rds-storage-encrypted";
import { s3BucketEncrypted } from "./s3-bucket-encrypted";
import { s3BucketPublicAccessBlocked } from "./s3-bucket-public-access-blocked";
import { s3BucketTlsOnly } from "./s3-bucket-tls-only";
import { s3BucketVersioningEnabled } from "./s3-bucket-versioning-enabled";
import { secretCustomerManagedKey } from "./secret-customer-managed-key";
import { secretRecoveryWindow } from "./secret-recovery-window";
import { statefulResourcesProtectedInProd } from "./stateful-resources-protected-in-prod";

/** Every data rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  // EC2 and EBS
  ebsVolumeEncrypted,
  ec2InstanceVolumesEncrypted,
  ec2InstanceImdsv2Required,
  ec2InstanceNoPublicIp,
  ebsDataVolumesSnapshotted,
  ebsSnapshotsRetainedInProd,
  clusterQuorumSurvivesAzLoss,
  // RDS
  rdsStorageEncrypted,
  rdsNotPubliclyAccessible,
  rdsIamAuthenticationEnabled,
  rdsBackupRetention,
  rdsMultiAzInProd,
  rdsDeletionProtectionInProd,
  rdsFinalSnapshotInProd,
  rdsPerformanceInsightsEnabled,
  rdsEnhancedMonitoringEnabled,
  // ElastiCache
  elasticacheEncryptedAtRest,
  elasticacheEncryptedInTransit,
  elasticacheAuthRequired,
  elasticacheAutoMinorVersionUpgrade,
  elasticacheFailoverInProd,
  elasticacheSnapshotsInProd,
  // OpenSearch
  opensearchEncryptedAtRest,
  opensearchNodeToNodeEncryption,
  opensearchHttpsTls12,
  opensearchInVpc,
  opensearchFineGrainedAccess,
  opensearchErrorLogsPublished,
  opensearchZoneAwarenessInProd,
  opensearchDedicatedMastersInProd,
  // S3
  s3BucketPublicAccessBlocked,
  s3BucketEncrypted,
  s3BucketVersioningEnabled,
  s3BucketTlsOnly,
  // Secrets Manager and KMS
  secretCustomerManagedKey,
  secretRecoveryWindow,
  kmsKeyRotationEnabled,
  // Deletion protection across the tier
  statefulResourcesProtectedInProd,
];
