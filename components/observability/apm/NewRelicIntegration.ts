/**
 * New Relic's AWS integration of one account and region (docs/observability-apm.md#the-aws-integration):
 * the role New Relic assumes (its account, our New Relic account id as external id, the read
 * permissions New Relic documents for metric streams) and, optionally, a CloudWatch metric stream
 * delivering through Kinesis Data Firehose to New Relic's endpoint with the license key read from
 * Secrets Manager, failed batches backed up to an encrypted bucket of its own.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import {
  BACKUP_RETENTION_DAYS,
  DELIVERY_FRESHNESS_SECONDS,
  METRIC_STREAM_ENDPOINTS,
  METRIC_STREAM_OUTPUT_FORMAT,
  NewRelicRegion,
  backupBucketPolicy,
  firehosePolicy,
  firehoseTrustPolicy,
  integrationReadPolicy,
  integrationTrustPolicy,
  metricStreamPolicy,
  metricStreamTrustPolicy,
} from "./newRelicPlan";

export interface NewRelicIntegrationArgs {
  readonly environment: string;
  /** The New Relic account id: the external id New Relic presents when it assumes the role. */
  readonly newRelicAccountId: string;
  /** The New Relic data centre the account lives in: the metric stream's endpoint. */
  readonly newRelicRegion: NewRelicRegion;
  /** This stack's AWS account, region and partition. */
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /**
   * The license key secret and its key (NewRelicLicense). Required with `metricStream`: Firehose
   * authenticates to New Relic with it.
   */
  readonly license?: { readonly secretArn: pulumi.Input<string>; readonly keyArn: pulumi.Input<string> };
  /** Stream this account's CloudWatch metrics (every namespace) to New Relic. @default true */
  readonly metricStream?: boolean;
  /**
   * The stack's warning topic: an alarm there when the stream falls behind (the oldest record waits
   * longer than Firehose's 15-minute buffering limit). @default no alarm
   */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** Empty the backup bucket when it is destroyed (everything but prod). @default false */
  readonly forceDestroy?: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function newRelicIntegrationIssues(args: NewRelicIntegrationArgs): string[] {
  const issues: string[] = [];
  if (!/^[0-9]{1,12}$/.test(args.newRelicAccountId)) issues.push(`newRelicAccountId: "${args.newRelicAccountId}" must be the New Relic account id (digits)`);
  if (!(args.newRelicRegion in METRIC_STREAM_ENDPOINTS)) issues.push(`newRelicRegion: must be one of ${Object.keys(METRIC_STREAM_ENDPOINTS).join(", ")}`);
  if (!/^\d{12}$/.test(args.accountId)) issues.push(`accountId: "${args.accountId}" is not an AWS account id`);
  if ((args.metricStream ?? true) && args.license === undefined) issues.push("license: the metric stream authenticates with the license key secret; give it, or set metricStream: false");
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class NewRelicIntegration extends pulumi.ComponentResource {
  /** The role to enter in New Relic's "Link AWS account" form. */
  readonly integrationRoleArn: pulumi.Output<string>;
  readonly deliveryStreamArn?: pulumi.Output<string>;
  readonly metricStreamName?: pulumi.Output<string>;
  readonly backupBucketName?: pulumi.Output<string>;

  constructor(name: string, args: NewRelicIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:NewRelicIntegration", name, {}, opts);
    const issues = newRelicIntegrationIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`NewRelicIntegration "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "apm", `${name}-${role}`);

    const integration = new aws.iam.Role(`${name}-integration`, {
      description: `New Relic reads ${args.environment}'s metrics, inventory and tags (external id: the New Relic account id)`,
      assumeRolePolicy: JSON.stringify(integrationTrustPolicy(args.newRelicAccountId, args.partition)),
      maxSessionDuration: 3600,
      tags: tags("integration"),
    }, parent);
    new aws.iam.RolePolicy(`${name}-integration-read`, { role: integration.name, policy: JSON.stringify(integrationReadPolicy(args.region)) }, parent);
    this.integrationRoleArn = integration.arn;

    if ((args.metricStream ?? true) && args.license) {
      const license = args.license;
      const bucket = new aws.s3.Bucket(`${name}-backup`, { forceDestroy: args.forceDestroy ?? false, tags: tags("backup") }, parent);
      const ownership = new aws.s3.BucketOwnershipControls(`${name}-backup-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
      const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-backup-public-access`, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
      }, parent);
      // SSE-S3: failed metric batches are no secret, and an S3-managed key keeps the Firehose role free of KMS grants.
      new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-backup-encryption`, {
        bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      }, parent);
      const versioning = new aws.s3.BucketVersioning(`${name}-backup-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
      new aws.s3.BucketLifecycleConfiguration(`${name}-backup-lifecycle`, {
        bucket: bucket.id,
        rules: [{
          id: "expire-failed-batches",
          status: "Enabled",
          filter: {},
          expiration: { days: BACKUP_RETENTION_DAYS },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        }],
      }, { parent: this, dependsOn: [versioning] });
      new aws.s3.BucketPolicy(`${name}-backup-policy`, {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify(backupBucketPolicy(arn))),
      }, { parent: this, dependsOn: [publicAccess, ownership] });

      const firehoseRole = new aws.iam.Role(`${name}-firehose`, {
        description: `Firehose delivers ${args.environment}'s metric stream to New Relic`,
        assumeRolePolicy: JSON.stringify(firehoseTrustPolicy(args.accountId)),
        tags: tags("firehose"),
      }, parent);
      const firehoseGrant = new aws.iam.RolePolicy(`${name}-firehose-access`, {
        role: firehoseRole.name,
        policy: pulumi.all([bucket.arn, license.secretArn, license.keyArn]).apply(([bucketArn, secretArn, secretKeyArn]) =>
          JSON.stringify(firehosePolicy({ bucketArn, secretArn, secretKeyArn, region: args.region, partition: args.partition }))),
      }, parent);

      // A fixed name (DeliveryStreamName: 1-64 of [a-zA-Z0-9_.-]): the delivery alarm's dimension, and recognisable in New Relic.
      const stream = new aws.kinesis.FirehoseDeliveryStream(`${name}-metrics`, {
        name: `tila-${args.environment}-newrelic-metrics`,
        destination: "http_endpoint",
        // Direct PUT from the metric stream; encrypted at rest with an AWS-owned key.
        serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" },
        httpEndpointConfiguration: {
          url: METRIC_STREAM_ENDPOINTS[args.newRelicRegion],
          name: `New Relic ${args.newRelicRegion}`,
          // The access key is read by Firehose from the secret: never in this program or its state.
          secretsManagerConfiguration: { enabled: true, secretArn: license.secretArn, roleArn: firehoseRole.arn },
          // New Relic's documented settings: GZIP, 60 s retry, 1 MB / 60 s buffers, failed data to S3.
          requestConfiguration: { contentEncoding: "GZIP" },
          retryDuration: 60,
          bufferingSize: 1,
          bufferingInterval: 60,
          roleArn: firehoseRole.arn,
          s3BackupMode: "FailedDataOnly",
          s3Configuration: { roleArn: firehoseRole.arn, bucketArn: bucket.arn, compressionFormat: "GZIP", bufferingSize: 5, bufferingInterval: 300 },
        },
        tags: tags("metrics"),
      }, { parent: this, dependsOn: [firehoseGrant] });

      const streamRole = new aws.iam.Role(`${name}-stream`, {
        description: `CloudWatch metric stream of ${args.environment} writes to its Firehose`,
        assumeRolePolicy: JSON.stringify(metricStreamTrustPolicy()),
        tags: tags("stream"),
      }, parent);
      const streamGrant = new aws.iam.RolePolicy(`${name}-stream-put`, {
        role: streamRole.name,
        policy: stream.arn.apply((arn) => JSON.stringify(metricStreamPolicy(arn))),
      }, parent);
      const metricStream = new aws.cloudwatch.MetricStream(`${name}-stream`, {
        firehoseArn: stream.arn,
        roleArn: streamRole.arn,
        outputFormat: METRIC_STREAM_OUTPUT_FORMAT,
        tags: tags("stream"),
      }, { parent: this, dependsOn: [streamGrant] });

      if (args.alarmTopicArn !== undefined) {
        // Firehose's own advice: alarm when DataFreshness exceeds the buffering limit (15 minutes).
        new aws.cloudwatch.MetricAlarm(`${name}-delivery-stale`, {
          name: `tila-${args.environment}-newrelic-delivery-stale`,
          alarmDescription: `${args.environment}'s metrics reach New Relic late: the oldest record has waited over ${DELIVERY_FRESHNESS_SECONDS / 60} minutes. Runbook: look at the stream's DeliveryToHttpEndpoint.Success and the backup bucket; 401/403 means the license key secret is empty or wrong (docs/observability-apm.md#the-license-key)`,
          namespace: "AWS/Firehose",
          metricName: "DeliveryToHttpEndpoint.DataFreshness",
          dimensions: { DeliveryStreamName: stream.name },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 3,
          threshold: DELIVERY_FRESHNESS_SECONDS,
          comparisonOperator: "GreaterThanThreshold",
          // No records (no metrics to stream) is no failure.
          treatMissingData: "notBreaching",
          alarmActions: [args.alarmTopicArn],
          okActions: [args.alarmTopicArn],
          tags: tags("delivery-stale"),
        }, parent);
      }

      this.deliveryStreamArn = stream.arn;
      this.metricStreamName = metricStream.name;
      this.backupBucketName = bucket.bucket;
    }
    this.registerOutputs({
      integrationRoleArn: this.integrationRoleArn,
      deliveryStreamArn: this.deliveryStreamArn,
      metricStreamName: this.metricStreamName,
      backupBucketName: this.backupBucketName,
    });
  }
}
