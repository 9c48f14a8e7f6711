/**
 * What every service pipeline in management shares (docs/delivery.md#service-pipelines-codepipeline):
 * one customer-managed key, the versioned source bucket Jenkins writes each service's
 * imagedefinitions.zip to, the artefact store, and the approvers' topic the manual approvals and
 * the failure rule notify. Decisions (policies, names) are in deliveryPolicies.ts and deliveryPlan.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { APPROVERS_TOPIC_NAME, artifactBucketName, sourceBucketName } from "./deliveryPlan";
import { DeliveryScope, DeployRoleRef, approversTopicPolicy, artifactBucketPolicy, deliveryKeyPolicy, sourceBucketPolicy } from "./deliveryPolicies";
import { applyBucketControls } from "../security/bucketControls";

const SERVICE = "delivery";
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;
/** Days before an unfinished multipart upload is aborted. */
export const ABORT_MULTIPART_DAYS = 7;
/** The shortest retention: an approval may wait 7 days, and a rollback re-runs an older artefact. */
export const MIN_RETENTION_DAYS = 30;

export interface DeliveryArtifactsArgs {
  /** Management's partition, region and account: the fixed bucket, topic and rule names are built in them. */
  readonly scope: DeliveryScope;
  /** Every environment deploy role a pipeline assumes: each may read artefacts and decrypt them through S3. */
  readonly deployRoles: readonly DeployRoleRef[];
  /** E-mail subscriptions of the approvers' topic (each address confirms once). */
  readonly approvers: readonly string[];
  /**
   * Days artefacts, and superseded versions of source objects, are kept. The current source object
   * of each service never expires: it is what a re-run of the pipeline deploys.
   */
  readonly retentionDays: number;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function deliveryArtifactsIssues(args: DeliveryArtifactsArgs): string[] {
  const issues = [...missingCommonTags(args.tags)];
  if (args.approvers.length === 0) issues.push("approvers: name at least one approver; the approvals before preprod and prod would notify nobody");
  args.approvers.forEach((e, i) => {
    if (!EMAIL.test(e)) issues.push(`approvers[${i}]: "${e}" is not an e-mail address`);
  });
  if (!Number.isInteger(args.retentionDays) || args.retentionDays < MIN_RETENTION_DAYS) {
    issues.push(`retentionDays: ${args.retentionDays} must be a whole number of days, at least ${MIN_RETENTION_DAYS}`);
  }
  return issues;
}

export class DeliveryArtifacts extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly sourceBucketName: pulumi.Output<string>;
  readonly sourceBucketArn: pulumi.Output<string>;
  readonly artifactBucketName: pulumi.Output<string>;
  readonly artifactBucketArn: pulumi.Output<string>;
  readonly approversTopicArn: pulumi.Output<string>;

  constructor(name: string, args: DeliveryArtifactsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:delivery:DeliveryArtifacts", name, {}, opts);
    const issues = deliveryArtifactsIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`DeliveryArtifacts "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const s = args.scope;

    const key = new EncryptionKey(`${name}-key`, {
      purpose: "delivery",
      environment: "management",
      policy: JSON.stringify(deliveryKeyPolicy(s, args.deployRoles)),
      tags: args.tags,
    }, parent);

    const source = this.bucket(`${name}-source`, sourceBucketName(s.accountId, s.region), key.keyArn, tags("source"), {
      id: "expire-superseded-sources",
      status: "Enabled",
      filter: {},
      noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
    }, (arn) => sourceBucketPolicy(arn));
    const artifacts = this.bucket(`${name}-artifacts`, artifactBucketName(s.accountId, s.region), key.keyArn, tags("artifacts"), {
      id: "expire-artifacts",
      status: "Enabled",
      filter: {},
      expiration: { days: args.retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: args.retentionDays },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
    }, (arn) => artifactBucketPolicy(s, arn, args.deployRoles));

    const topic = new aws.sns.Topic(`${name}-approvers`, {
      name: APPROVERS_TOPIC_NAME,
      displayName: "tila releases awaiting approval",
      kmsMasterKeyId: key.keyArn,
      tags: tags("approvers"),
    }, parent);
    new aws.sns.TopicPolicy(`${name}-approvers-policy`, { arn: topic.arn, policy: JSON.stringify(approversTopicPolicy(s)) }, parent);
    args.approvers.forEach((endpoint, i) => {
      new aws.sns.TopicSubscription(`${name}-approvers-email-${i}`, { topic: topic.arn, protocol: "email", endpoint }, parent);
    });

    this.keyArn = key.keyArn;
    this.sourceBucketName = source.bucket;
    this.sourceBucketArn = source.arn;
    this.artifactBucketName = artifacts.bucket;
    this.artifactBucketArn = artifacts.arn;
    this.approversTopicArn = topic.arn;
    this.registerOutputs({
      keyArn: this.keyArn,
      sourceBucketName: this.sourceBucketName,
      artifactBucketName: this.artifactBucketName,
      approversTopicArn: this.approversTopicArn,
    });
  }

  /** A bucket with the platform's controls: owner-enforced, no public access, versioned, SSE-KMS with the delivery key, TLS only. */
  private bucket(
    logical: string,
    bucketName: string,
    keyArn: pulumi.Output<string>,
    tags: Record<string, string>,
    rule: aws.types.input.s3.BucketLifecycleConfigurationRule,
    policy: (bucketArn: string) => unknown,
  ): aws.s3.Bucket {
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(logical, { bucket: bucketName, forceDestroy: false, tags }, parent);
    // The S3 source action requires a versioned bucket; the artefact store keeps versions for a rollback.
    const guards = applyBucketControls(logical, bucket, { encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, lifecycleRules: [rule], parent: this });
    new aws.s3.BucketPolicy(`${logical}-policy`, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify(policy(arn))),
    }, { parent: this, dependsOn: guards });
    return bucket;
  }
}
