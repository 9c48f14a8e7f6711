/**
 * The controls every private platform bucket carries, as separate resources on an existing bucket:
 * owner-enforced objects (no ACLs), all four public-access blocks, default encryption (bucket keys
 * on with KMS), versioning and a lifecycle applied after it. Returns what a bucket policy should
 * wait for (S3 refuses a policy while a public-access block is being written). Children are parented
 * to the caller's component and named `<logical>-ownership`, `-public-access`, `-encryption`,
 * `-versioning`, `-lifecycle`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface BucketControls {
  /** Default encryption: `aws:kms` with a customer key, or `AES256` where KMS cannot be used. */
  readonly encryption: { readonly sseAlgorithm: string; readonly kmsMasterKeyId?: pulumi.Input<string> };
  readonly lifecycleRules: pulumi.Input<aws.types.input.s3.BucketLifecycleConfigurationRule>[];
  readonly parent: pulumi.Resource;
}

export function applyBucketControls(logical: string, bucket: aws.s3.Bucket, c: BucketControls): pulumi.Resource[] {
  const parent = { parent: c.parent };
  const ownership = new aws.s3.BucketOwnershipControls(`${logical}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
  const publicAccess = new aws.s3.BucketPublicAccessBlock(`${logical}-public-access`, {
    bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
  }, parent);
  new aws.s3.BucketServerSideEncryptionConfiguration(`${logical}-encryption`, {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { ...c.encryption }, bucketKeyEnabled: c.encryption.sseAlgorithm === "aws:kms" }],
  }, parent);
  const versioning = new aws.s3.BucketVersioning(`${logical}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
  new aws.s3.BucketLifecycleConfiguration(`${logical}-lifecycle`, { bucket: bucket.id, rules: c.lifecycleRules }, { parent: c.parent, dependsOn: [versioning] });
  return [ownership, publicAccess];
}
