/**
 * Where the refresh script finds each data, observability and security price in the AWS Price List API's public
 * offer files (docs/cost.md): price key -> offer code, usage-type suffix (after the region prefix, `MES1-` for
 * me-south-1, `MEC1-` for me-central-1) and the product attributes that tell rows of one usage type apart. Same
 * shape as the network domain's map (networkOffers.ts).
 */
import type { OfferRow } from "./networkOffers";

/** EC2 Linux on-demand rows: shared tenancy, no pre-installed software, capacity in use (the R3dn copy's columns). */
const LINUX = Object.freeze({ operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" });

const ec2 = (type: string): OfferRow => ({ offer: "AmazonEC2", usagetypeSuffix: `BoxUsage:${type}`, attributes: LINUX });
const rds = (cls: string, multi: boolean): OfferRow => ({
  offer: "AmazonRDS",
  usagetypeSuffix: `${multi ? "Multi-AZUsage" : "InstanceUsage"}:${cls}`,
  attributes: { databaseEngine: "MySQL", deploymentOption: multi ? "Multi-AZ" : "Single-AZ" },
});
const cache = (node: string): OfferRow => ({ offer: "AmazonElastiCache", usagetypeSuffix: `NodeUsage:${node}`, attributes: { cacheEngine: "Redis" } });
const search = (type: string): OfferRow => ({ offer: "AmazonES", usagetypeSuffix: `ESInstance:${type.replace(/\.search$/, "")}`, attributes: { instanceType: type } });

/**
 * Read from copies of offer rows (R3dn/saudi-cloud-cost-estimator-cli: MES1-BoxUsage:<type>, MES1-EBS:VolumeUsage.gp3,
 * MES1-TimedStorage-ByteHrs) and from Infracost's product filters, which query the same Price List data
 * (internal/resources/aws/db_instance.go: RDS:GP3-Storage, RDS:Multi-AZ-GP3-Storage, RDS:ChargedBackupUsage;
 * cloudwatch_log_group.go: DataProcessing-Bytes, TimedStorage-ByteHrs; cloudwatch_metric_alarm.go: the Alarm family's
 * alarmType). The rest are the usage types AWS bills under, not yet checked against an offer file: the refresh
 * reports a key whose row it cannot find rather than guessing (UNCHECKED_DATA_OFFERS).
 */
export const DATA_OFFERS: Readonly<Record<string, OfferRow>> = Object.freeze({
  "ec2.instance.m6i.large": ec2("m6i.large"),
  "ec2.instance.m7g.medium": ec2("m7g.medium"),
  "ec2.instance.m7g.large": ec2("m7g.large"),
  "ec2.instance.m7g.xlarge": ec2("m7g.xlarge"),
  "ec2.instance.r6i.large": ec2("r6i.large"),
  "ec2.instance.r6i.xlarge": ec2("r6i.xlarge"),
  "ec2.instance.r7g.large": ec2("r7g.large"),
  "ec2.instance.r7g.xlarge": ec2("r7g.xlarge"),
  "ec2.instance.r7g.2xlarge": ec2("r7g.2xlarge"),
  "ebs.gp3.storage": { offer: "AmazonEC2", usagetypeSuffix: "EBS:VolumeUsage.gp3" },
  "ebs.gp3.iops": { offer: "AmazonEC2", usagetypeSuffix: "EBS:VolumeP-IOPS.gp3" },
  "ebs.gp3.throughput": { offer: "AmazonEC2", usagetypeSuffix: "EBS:VolumeP-Throughput.gp3" },
  "ebs.snapshot.storage": { offer: "AmazonEC2", usagetypeSuffix: "EBS:SnapshotUsage" },
  "rds.instance.mysql.db.t4g.medium.single-az": rds("db.t4g.medium", false),
  "rds.instance.mysql.db.t4g.large.single-az": rds("db.t4g.large", false),
  "rds.instance.mysql.db.r7g.large.multi-az": rds("db.r7g.large", true),
  "rds.instance.mysql.db.r7g.xlarge.multi-az": rds("db.r7g.xlarge", true),
  "rds.storage.gp3.single-az": { offer: "AmazonRDS", usagetypeSuffix: "RDS:GP3-Storage", attributes: { deploymentOption: "Single-AZ" } },
  "rds.storage.gp3.multi-az": { offer: "AmazonRDS", usagetypeSuffix: "RDS:Multi-AZ-GP3-Storage", attributes: { deploymentOption: "Multi-AZ" } },
  "rds.backup.storage": { offer: "AmazonRDS", usagetypeSuffix: "RDS:ChargedBackupUsage", attributes: { databaseEngine: "Any" } },
  "elasticache.node.redis.cache.t4g.small": cache("cache.t4g.small"),
  "elasticache.node.redis.cache.t4g.medium": cache("cache.t4g.medium"),
  "elasticache.node.redis.cache.r7g.large": cache("cache.r7g.large"),
  "opensearch.instance.t3.small.search": search("t3.small.search"),
  "opensearch.instance.t3.medium.search": search("t3.medium.search"),
  "opensearch.instance.m6g.large.search": search("m6g.large.search"),
  "opensearch.instance.r6g.large.search": search("r6g.large.search"),
  "opensearch.instance.m7g.large.search": search("m7g.large.search"),
  "opensearch.instance.r7g.large.search": search("r7g.large.search"),
  "opensearch.storage.gp3": { offer: "AmazonES", usagetypeSuffix: "ES:GP3-Storage" },
  "secretsmanager.secret": { offer: "AWSSecretsManager", usagetypeSuffix: "AWSSecretsManager-Secrets" },
  "kms.key": { offer: "awskms", usagetypeSuffix: "KMS-Keys" },
  "cloudwatch.metric": { offer: "AmazonCloudWatch", usagetypeSuffix: "CW:MetricMonitorUsage" },
  "cloudwatch.alarm.standard": { offer: "AmazonCloudWatch", usagetypeSuffix: "CW:AlarmMonitorUsage", attributes: { productFamily: "Alarm", alarmType: "Standard" } },
  "cloudwatch.alarm.high-resolution": {
    offer: "AmazonCloudWatch",
    usagetypeSuffix: "CW:HighResAlarmMonitorUsage",
    attributes: { productFamily: "Alarm", alarmType: "High Resolution" },
  },
  "cloudwatch.alarm.composite": { offer: "AmazonCloudWatch", usagetypeSuffix: "CW:CompositeAlarmMonitorUsage", attributes: { productFamily: "Alarm" } },
  "cloudwatch.logs.ingestion": { offer: "AmazonCloudWatch", usagetypeSuffix: "DataProcessing-Bytes", attributes: { productFamily: "Data Payload" } },
  "cloudwatch.logs.ingestion.infrequent-access": { offer: "AmazonCloudWatch", usagetypeSuffix: "DataProcessingIA-Bytes", attributes: { productFamily: "Data Payload" } },
  "cloudwatch.logs.storage": { offer: "AmazonCloudWatch", usagetypeSuffix: "TimedStorage-ByteHrs", attributes: { productFamily: "Storage Snapshot" } },
  "cloudwatch.dashboard": { offer: "AmazonCloudWatch", usagetypeSuffix: "DashboardsUsageHour" },
  "cloudwatch.metric-stream.updates": { offer: "AmazonCloudWatch", usagetypeSuffix: "CW:MetricStreamUsage" },
  "s3.storage.standard": { offer: "AmazonS3", usagetypeSuffix: "TimedStorage-ByteHrs", attributes: { volumeType: "Standard" } },
  "dynamodb.write-request": { offer: "AmazonDynamoDB", usagetypeSuffix: "WriteRequestUnits" },
  "amp.samples": { offer: "AmazonPrometheus", usagetypeSuffix: "AMP:MetricSampleCount" },
});

/** Keys whose usage type no copy of an offer row or Infracost filter read here confirms: the first refresh checks them. */
export const UNCHECKED_DATA_OFFERS: readonly string[] = Object.freeze([
  "ebs.gp3.iops",
  "ebs.gp3.throughput",
  "ebs.snapshot.storage",
  "rds.instance.mysql.db.t4g.medium.single-az",
  "rds.instance.mysql.db.t4g.large.single-az",
  "rds.instance.mysql.db.r7g.large.multi-az",
  "rds.instance.mysql.db.r7g.xlarge.multi-az",
  "elasticache.node.redis.cache.t4g.small",
  "elasticache.node.redis.cache.t4g.medium",
  "elasticache.node.redis.cache.r7g.large",
  "opensearch.instance.t3.small.search",
  "opensearch.instance.t3.medium.search",
  "opensearch.instance.m6g.large.search",
  "opensearch.instance.r6g.large.search",
  "opensearch.instance.m7g.large.search",
  "opensearch.instance.r7g.large.search",
  "opensearch.storage.gp3",
  "secretsmanager.secret",
  "kms.key",
  "cloudwatch.metric",
  "cloudwatch.alarm.standard",
  "cloudwatch.alarm.high-resolution",
  "cloudwatch.alarm.composite",
  "cloudwatch.logs.ingestion.infrequent-access",
  "cloudwatch.dashboard",
  "cloudwatch.metric-stream.updates",
  "dynamodb.write-request",
  "amp.samples",
]);
