import type { StackResourceSpec } from "../../../../policy/testing";

export const BUCKET = "aws:s3/bucket:Bucket";
export const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
export const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
export const ENCRYPTION_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
export const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
export const VERSIONING_V2 = "aws:s3/bucketVersioningV2:BucketVersioningV2";
export const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

export function tlsOnlyPolicy(bucket: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "Delivery", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/AWSLogs/*` },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });
}

/**
 * A bucket with every sibling the S3 rules ask for, as stack outputs; `omit` leaves siblings out,
 * `bucketType` picks the token. Logical names are `<name>`, `<name>-pab`, `<name>-sse`, ...
 */
export function compliantBucket(name: string, opts: { omit?: string[]; bucketType?: string } = {}): StackResourceSpec[] {
  const omit = new Set(opts.omit ?? []);
  const sibling = (type: string, suffix: string, props: Record<string, unknown>): StackResourceSpec[] =>
    omit.has(type) ? [] : [{ type, name: `${name}-${suffix}`, props: { bucket: name, ...props }, dependencies: [name] }];
  return [
    { type: opts.bucketType ?? BUCKET, name, props: { bucket: name, arn: `arn:aws:s3:::${name}`, tags: { Environment: "prod" } } },
    ...sibling(PUBLIC_ACCESS_BLOCK, "pab", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    ...sibling(ENCRYPTION, "sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
    ...sibling(VERSIONING, "versioning", { versioningConfiguration: { status: "Enabled" } }),
    ...sibling(POLICY, "policy", { policy: tlsOnlyPolicy(name) }),
  ];
}

/** Replaces the props of the resource named `name` (merging). */
export function withProps(resources: StackResourceSpec[], name: string, props: Record<string, unknown>): StackResourceSpec[] {
  return resources.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props } } : r));
}
