/**
 * The one S3 object every log router of an environment fetches at start (firelens.ts, fallbackConfig):
 * a private, encrypted, versioned bucket that admits TLS only, and the file in it. The routers read it
 * with their task roles (s3:GetObject on this object, s3:GetBucketLocation on this bucket), so the
 * bucket needs no policy statement for them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { environmentIssues } from "./computeChecks";
import { EXCLUDED_SERVICES_TAG, FALLBACK_CONFIG_KEY, fallbackConfig } from "./firelens";

const MAX_OBJECT_TAGS = 10;
const MAX_OBJECT_TAG_VALUE = 256;

/** Earlier versions of the file are kept this long, for a rollback to an older task definition's router. */
export const NONCURRENT_CONFIG_DAYS = 90;

export interface FirelensConfigArgs {
  /** Environment name (`dev` ... `prod`). */
  readonly environment: string;
  /** Services of the environment that keep CloudWatch only: named on the file's tags, where the policy pack reads the exemption. @default [] */
  readonly excludedServices?: readonly string[];
  /** Delete the bucket with its versions on `pulumi destroy`. @default false */
  readonly forceDestroy?: boolean;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` is `logging`. */
  readonly tags: Tags;
}

export class FirelensConfig extends pulumi.ComponentResource {
  /** `arn:<partition>:s3:::<bucket>/<key>`: the routers' `aws_fluent_bit_init_s3_1`. */
  readonly configObjectArn: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;

  constructor(name: string, args: FirelensConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:compute:FirelensConfig", name, {}, opts);
    const issues = [...environmentIssues(args.environment), ...missingCommonTags(args.tags)];
    const excluded = [...new Set(args.excludedServices ?? [])].sort();
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "logging", `${name}-${role}`);
    const objectTags = excluded.length > 0 ? { ...tags("service-logs"), [EXCLUDED_SERVICES_TAG]: excluded.join(" ") } : tags("service-logs");
    // S3 object tagging: at most 10 tags, values of at most 256 characters (S3 user guide, "Categorizing your storage using tags").
    if (Object.keys(objectTags).length > MAX_OBJECT_TAGS) issues.push(`tags: the FireLens file would carry ${Object.keys(objectTags).length} tags; S3 objects hold at most ${MAX_OBJECT_TAGS}`);
    if (excluded.join(" ").length > MAX_OBJECT_TAG_VALUE) issues.push(`excludedServices: ${excluded.length} names take ${excluded.join(" ").length} characters; an S3 object tag value holds at most ${MAX_OBJECT_TAG_VALUE}`);
    if (issues.length > 0) throw new pulumi.ResourceError(`FirelensConfig "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };

    const bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: args.forceDestroy ?? false, tags: tags("bucket") }, parent);
    const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, parent);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, parent);
    // SSE-S3: the routers' task roles then need no kms:Decrypt, and the file holds no secret.
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    }, parent);
    const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, parent);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
      bucket: bucket.id,
      rules: [{
        id: "expire-old-config-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_CONFIG_DAYS },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
      }],
    }, { parent: this, dependsOn: [versioning] });
    new aws.s3.BucketPolicy(`${name}-policy`, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }],
      })),
    }, { parent: this, dependsOn: [publicAccess, ownership] });
    const object = new aws.s3.BucketObjectv2(`${name}-service-logs`, {
      bucket: bucket.id,
      key: FALLBACK_CONFIG_KEY,
      content: fallbackConfig(),
      contentType: "text/plain",
      tags: objectTags,
    }, { parent: this, dependsOn: [encryption, versioning] });

    this.bucketName = bucket.bucket;
    this.configObjectArn = pulumi.interpolate`${bucket.arn}/${object.key}`;
    this.registerOutputs({ bucketName: this.bucketName, configObjectArn: this.configObjectArn });
  }
}
