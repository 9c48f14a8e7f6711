/**
 * The log archive in management: the trail bucket (versioned, object lock in governance mode,
 * SSE-KMS, access-logged, TLS-only, writable by each account's trail only), the AWS Config bucket
 * beside it (AWS Config cannot deliver to a bucket with object lock; the weekly audit reports go
 * there too) and the server-access-log bucket both log to.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TrailSource, accessLogBucketPolicy, configArchivePolicy, trailArchivePolicy } from "./policies";

export interface LogArchiveWiring {
  readonly name: string;
  /** Object-lock retention of every trail object, in days (governance mode). */
  readonly retentionDays: number;
  /** Days the server access logs and AWS Config history are kept. */
  readonly accessLogRetentionDays: number;
  readonly keyArn: pulumi.Input<string>;
  readonly accountId: string;
  /** Every trail that delivers here, management's own included. */
  readonly trails: readonly TrailSource[];
  /** Every account whose AWS Config delivers here. */
  readonly configAccounts: readonly string[];
  /** Other writers of the Config archive (audit reports), as statements for its bucket policy. */
  readonly configBucketGrants?: (bucketArn: string) => Record<string, unknown>[];
  readonly tags: (role: string) => Record<string, string>;
  readonly parent: pulumi.Resource;
}

export interface LogArchive {
  readonly trailBucket: aws.s3.Bucket;
  readonly trailBucketPolicy: aws.s3.BucketPolicy;
  readonly configBucket: aws.s3.Bucket;
  readonly configBucketPolicy: aws.s3.BucketPolicy;
}

/** The controls every bucket here shares: owner-enforced objects, no public access, versioning. */
function lockedDown(name: string, bucket: aws.s3.Bucket, opts: pulumi.CustomResourceOptions): { versioning: aws.s3.BucketVersioning; guards: pulumi.Resource[] } {
  const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, opts);
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
  return { versioning, guards: [ownership, publicAccess] };
}

export function createLogArchive(w: LogArchiveWiring): LogArchive {
  const opts = { parent: w.parent };

  // Server access logs: SSE-S3, the only default encryption S3 server access logging delivers to.
  const logsName = `${w.name}-access-logs`;
  const accessLogs = new aws.s3.Bucket(logsName, { tags: w.tags("access-logs") }, opts);
  const logs = lockedDown(logsName, accessLogs, opts);
  new aws.s3.BucketServerSideEncryptionConfiguration(`${logsName}-encryption`, {
    bucket: accessLogs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  }, opts);
  new aws.s3.BucketLifecycleConfiguration(`${logsName}-lifecycle`, {
    bucket: accessLogs.id,
    rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: w.accessLogRetentionDays }, noncurrentVersionExpiration: { noncurrentDays: 30 } }],
  }, { parent: w.parent, dependsOn: [logs.versioning] });

  const archive = (role: string, objectLock: boolean) => {
    const name = `${w.name}-${role}`;
    const bucket = new aws.s3.Bucket(name, { objectLockEnabled: objectLock, tags: w.tags(role) }, { parent: w.parent, protect: true });
    const guarded = lockedDown(name, bucket, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: w.keyArn }, bucketKeyEnabled: true }],
    }, opts);
    new aws.s3.BucketLogging(`${name}-logging`, { bucket: bucket.id, targetBucket: accessLogs.id, targetPrefix: `${role}/` }, opts);
    return { bucket, guarded };
  };

  const trail = archive("trail-archive", true);
  new aws.s3.BucketObjectLockConfiguration(`${w.name}-trail-archive-object-lock`, {
    bucket: trail.bucket.id,
    objectLockEnabled: "Enabled",
    rule: { defaultRetention: { mode: "GOVERNANCE", days: w.retentionDays } },
  }, { parent: w.parent, dependsOn: [trail.guarded.versioning] });
  const trailBucketPolicy = new aws.s3.BucketPolicy(`${w.name}-trail-archive-policy`, {
    bucket: trail.bucket.id,
    policy: trail.bucket.arn.apply((bucketArn) => JSON.stringify(trailArchivePolicy({ bucketArn, trails: w.trails }))),
  }, { parent: w.parent, dependsOn: trail.guarded.guards });

  const config = archive("config-archive", false);
  new aws.s3.BucketLifecycleConfiguration(`${w.name}-config-archive-lifecycle`, {
    bucket: config.bucket.id,
    rules: [{ id: "expire-noncurrent", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: w.accessLogRetentionDays } }],
  }, { parent: w.parent, dependsOn: [config.guarded.versioning] });
  const configBucketPolicy = new aws.s3.BucketPolicy(`${w.name}-config-archive-policy`, {
    bucket: config.bucket.id,
    policy: config.bucket.arn.apply((bucketArn) => JSON.stringify(configArchivePolicy({ bucketArn, accounts: w.configAccounts, extra: w.configBucketGrants?.(bucketArn) }))),
  }, { parent: w.parent, dependsOn: config.guarded.guards });

  new aws.s3.BucketPolicy(`${logsName}-policy`, {
    bucket: accessLogs.id,
    policy: pulumi.all([accessLogs.arn, trail.bucket.arn, config.bucket.arn]).apply(([bucketArn, ...sources]) =>
      JSON.stringify(accessLogBucketPolicy({ bucketArn, sourceBucketArns: sources, accountId: w.accountId })),
    ),
  }, { parent: w.parent, dependsOn: logs.guards });

  return { trailBucket: trail.bucket, trailBucketPolicy, configBucket: config.bucket, configBucketPolicy };
}
