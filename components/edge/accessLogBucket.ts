/**
 * The S3 bucket an Application Load Balancer writes its access logs to, with everything a log
 * bucket needs: encryption, versioning, no public access, owner-only objects, expiry and a policy
 * that admits only ELB's log delivery under one prefix. Split from ApplicationLoadBalancer because
 * it is seven resources that say nothing about load balancing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ABORT_MULTIPART_DAYS, NONCURRENT_VERSION_DAYS, accessLogBucketPolicy } from "./albPlan";

export interface AccessLogBucketWiring {
  /** Component logical name; prefix of every logical name here. */
  readonly name: string;
  /** Key prefix ELB writes under (`<prefix>/AWSLogs/<account>/...`). */
  readonly prefix: string;
  readonly retentionDays: number;
  readonly forceDestroy: boolean;
  /** Tags for a resource with this role. */
  readonly tags: (role: string) => Record<string, string>;
  readonly parent: pulumi.Resource;
}

export interface AccessLogBucket {
  readonly bucket: aws.s3.Bucket;
  /** Create the load balancer after this, or ELB's test write on enabling logs is refused. */
  readonly policy: aws.s3.BucketPolicy;
}

export function createAccessLogBucket(w: AccessLogBucketWiring): AccessLogBucket {
  const { name, parent } = w;
  const opts = { parent };
  const bucket = new aws.s3.Bucket(`${name}-access-logs`, { forceDestroy: w.forceDestroy, tags: w.tags("access-logs") }, opts);

  const ownership = new aws.s3.BucketOwnershipControls(`${name}-access-logs-ownership`, {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  }, opts);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-access-logs-public-access`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }, opts);
  // SSE-S3, not KMS: "The only server-side encryption option that's supported is Amazon
  // S3-managed keys (SSE-S3)" (ALB user guide, "Enable access logs", bucket requirements).
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-access-logs-encryption`, {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  }, opts);
  const versioning = new aws.s3.BucketVersioning(`${name}-access-logs-versioning`, {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  }, opts);
  new aws.s3.BucketLifecycleConfiguration(`${name}-access-logs-lifecycle`, {
    bucket: bucket.id,
    rules: [{
      id: "expire-access-logs",
      status: "Enabled",
      filter: {},
      expiration: { days: w.retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
    }],
  }, { parent, dependsOn: [versioning] });

  // Account, partition and region of the provider the component runs under (its parent's).
  const caller = aws.getCallerIdentityOutput({}, { parent });
  const region = aws.getRegionOutput({}, { parent });
  const policy = new aws.s3.BucketPolicy(`${name}-access-logs-policy`, {
    bucket: bucket.id,
    policy: pulumi.all([bucket.arn, caller.accountId, caller.arn, region.region]).apply(([bucketArn, accountId, callerArn, reg]) =>
      JSON.stringify(accessLogBucketPolicy({ bucketArn, prefix: w.prefix, accountId, region: reg, partition: callerArn.split(":")[1] })),
    ),
  }, { parent, dependsOn: [publicAccess, ownership] });

  return { bucket, policy };
}
