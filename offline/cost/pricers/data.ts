/**
 * Pricers for data, observability and security resource types (owned by cost-data; docs/cost.md): one Pricer per
 * Pulumi type token, and the types known to cost nothing by themselves. The registry (pricers/index.ts) combines them.
 * The pricers live in dataStores.ts (EC2, EBS, DLM, RDS, ElastiCache, OpenSearch) and dataObservability.ts
 * (CloudWatch, S3, Secrets Manager, KMS, DynamoDB, Prometheus).
 */
import type { Pricer } from "../types";
import {
  priceBucket,
  priceCompositeAlarm,
  priceDashboard,
  priceKey,
  priceLogGroup,
  priceMetricAlarm,
  priceMetricStream,
  priceSecret,
  priceTable,
  priceWorkspace,
} from "./dataObservability";
import { priceDbInstance, priceInstance, priceReplicationGroup, priceSearchDomain, priceSnapshotPolicy, priceVolume } from "./dataStores";

/** Pricer per Pulumi type token (`aws:rds/instance:Instance`, ...). */
export const DATA_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({
  "aws:ec2/instance:Instance": priceInstance,
  "aws:ebs/volume:Volume": priceVolume,
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": priceSnapshotPolicy,
  "aws:rds/instance:Instance": priceDbInstance,
  "aws:elasticache/replicationGroup:ReplicationGroup": priceReplicationGroup,
  "aws:opensearch/domain:Domain": priceSearchDomain,
  "aws:secretsmanager/secret:Secret": priceSecret,
  "aws:kms/key:Key": priceKey,
  "aws:cloudwatch/metricAlarm:MetricAlarm": priceMetricAlarm,
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": priceCompositeAlarm,
  "aws:cloudwatch/logGroup:LogGroup": priceLogGroup,
  "aws:cloudwatch/dashboard:Dashboard": priceDashboard,
  "aws:cloudwatch/metricStream:MetricStream": priceMetricStream,
  "aws:s3/bucket:Bucket": priceBucket,
  "aws:dynamodb/table:Table": priceTable,
  "aws:amp/workspace:Workspace": priceWorkspace,
});

/**
 * Type tokens this domain knows to be free by themselves. Some carry usage charges the estimate does not model;
 * docs/cost.md says which and why (GuardDuty, Security Hub, Config, CloudTrail data events, Inspector, Firehose,
 * SNS and SQS at this volume, EventBridge's AWS service events).
 */
export const DATA_FREE_TYPES: readonly string[] = Object.freeze([
  // IAM and account settings: no charge.
  "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
  "aws:iam/instanceProfile:InstanceProfile",
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
  "aws:iam/role:Role",
  "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  "aws:iam/serviceLinkedRole:ServiceLinkedRole",
  "aws:accessanalyzer/analyzer:Analyzer",
  "aws:ebs/defaultKmsKey:DefaultKmsKey",
  "aws:ebs/encryptionByDefault:EncryptionByDefault",
  "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
  "aws:ec2/volumeAttachment:VolumeAttachment",
  // Parts of a priced resource: the volume, secret, key, instance, cache, domain or bucket carries the charge.
  "aws:kms/alias:Alias",
  "aws:secretsmanager/secretVersion:SecretVersion",
  "aws:rds/parameterGroup:ParameterGroup",
  "aws:rds/subnetGroup:SubnetGroup",
  "aws:elasticache/subnetGroup:SubnetGroup",
  "aws:elasticache/user:User",
  "aws:elasticache/userGroup:UserGroup",
  "aws:opensearch/domainPolicy:DomainPolicy",
  "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLogging:BucketLogging",
  "aws:s3/bucketNotification:BucketNotification",
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  "aws:s3/bucketObjectv2:BucketObjectv2",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  "aws:amp/alertManagerDefinition:AlertManagerDefinition",
  "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
  "aws:oam/link:Link",
  "aws:oam/sink:Sink",
  "aws:oam/sinkPolicy:SinkPolicy",
  "random:index/randomId:RandomId",
  "random:index/randomPassword:RandomPassword",
  // Alerting at this volume stays inside the free tiers (SNS, SQS, EventBridge's AWS service events).
  "aws:sns/topic:Topic",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sqs/queue:Queue",
  "aws:sqs/queuePolicy:QueuePolicy",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/eventTarget:EventTarget",
  // Usage-priced security and delivery services with no fixed charge (docs/cost.md lists what they bill).
  "aws:guardduty/detector:Detector",
  "aws:guardduty/detectorFeature:DetectorFeature",
  "aws:guardduty/inviteAccepter:InviteAccepter",
  "aws:guardduty/member:Member",
  "aws:securityhub/account:Account",
  "aws:securityhub/findingAggregator:FindingAggregator",
  "aws:securityhub/inviteAccepter:InviteAccepter",
  "aws:securityhub/member:Member",
  "aws:securityhub/standardsSubscription:StandardsSubscription",
  "aws:cfg/deliveryChannel:DeliveryChannel",
  "aws:cfg/recorder:Recorder",
  "aws:cfg/recorderStatus:RecorderStatus",
  "aws:cfg/rule:Rule",
  "aws:cloudtrail/trail:Trail",
  "aws:inspector2/enabler:Enabler",
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
]);
