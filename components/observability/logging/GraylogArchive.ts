/**
 * The archive of Graylog's indices (docs/observability-logging.md#the-graylog-cluster): an S3 bucket
 * (the cluster's key, versioned, TLS only, public access blocked, owner enforced, Glacier Instant
 * Retrieval after 30 days so snapshots stay restorable, expiry backstop from the index sets) and the
 * role OpenSearch Service assumes to write manual snapshots there. The provisioning step registers
 * the repository and the snapshot policy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { ARCHIVE_GLACIER_AFTER_DAYS, ARCHIVE_NONCURRENT_DAYS, archiveBucketPolicy, snapshotRolePolicy, snapshotTrustPolicy } from "./graylogArchivePlan";

export interface GraylogArchiveArgs {
  readonly environment: string;
  readonly region: string;
  /** Days after which the lifecycle deletes an object (archiveExpiryDays of the index sets). */
  readonly expiryDays: number;
  /** The cluster's customer-managed key: SSE-KMS of every object. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Pulumi `protect` on the bucket. */
  readonly protect: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function graylogArchiveIssues(args: GraylogArchiveArgs): string[] {
  const issues: string[] = [];
  if (!Number.isInteger(args.expiryDays) || args.expiryDays <= ARCHIVE_GLACIER_AFTER_DAYS) {
    issues.push(`expiryDays: ${args.expiryDays} must be a whole number above the ${ARCHIVE_GLACIER_AFTER_DAYS} days after which objects move to Glacier`);
  }
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GraylogArchive extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  /** The role OpenSearch Service assumes: passed as `role_arn` when the repository is registered. */
  readonly snapshotRoleArn: pulumi.Output<string>;

  constructor(name: string, args: GraylogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogArchive", name, {}, opts);
    const issues = graylogArchiveIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GraylogArchive "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "logging", `${name}-${role}`);

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: false, tags: tags("bucket") }, { ...parent, protect: args.protect });
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, parent);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
    }, parent);
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucket.id,
      rules: [{
        id: "archive",
        status: "Enabled",
        filter: {},
        // Instant Retrieval: an S3 repository reads its blobs with GetObject, which Flexible Retrieval would refuse.
        transitions: [{ days: ARCHIVE_GLACIER_AFTER_DAYS, storageClass: "GLACIER_IR" }],
        expiration: { days: args.expiryDays },
        noncurrentVersionExpiration: { noncurrentDays: ARCHIVE_NONCURRENT_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, { ...parent, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(`${name}-policy`, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify(archiveBucketPolicy(arn))),
    }, parent);

    const role = new aws.iam.Role(`${name}-snapshot-role`, {
      description: "OpenSearch Service writes Graylog's index snapshots to the archive bucket",
      assumeRolePolicy: JSON.stringify(snapshotTrustPolicy()),
      tags: tags("snapshot-role"),
    }, parent);
    new aws.iam.RolePolicy(`${name}-snapshot-access`, {
      role: role.name,
      policy: pulumi.all([bucket.arn, args.kmsKeyArn]).apply(([bucketArn, keyArn]) => JSON.stringify(snapshotRolePolicy({ bucketArn, keyArn, region: args.region }))),
    }, parent);

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.snapshotRoleArn = role.arn;
    this.registerOutputs({ bucketName: this.bucketName, snapshotRoleArn: this.snapshotRoleArn });
  }
}
