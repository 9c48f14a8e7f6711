/**
 * VPC flow log wiring for EnvironmentNetwork: the destination (a CloudWatch log group with its
 * delivery role, or a dedicated S3 bucket) and the flow log itself. Split out because the S3
 * destination alone is six resources, none of which say anything about the network.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPlan } from "./networkPlan";

/** Noncurrent versions only exist after a delete or expiry; a month is enough to notice a mistaken one. */
const NONCURRENT_VERSION_DAYS = 30;
const ABORT_MULTIPART_DAYS = 7;

export interface FlowLogWiring {
  /** Component logical name; prefix of every logical name here. */
  name: string;
  environment: string;
  vpc: aws.ec2.Vpc;
  region: string;
  settings: NetworkPlan["flowLogs"];
  kmsKeyArn?: pulumi.Input<string>;
  /** Tags for a resource with this role (the component's `resourceTags` closure). */
  tags: (role: string) => Record<string, string>;
  parent: pulumi.Resource;
}

/** Where the flow log writes: what a reader of the records (the log shipper) subscribes to. */
export type FlowLogDestinationOutput =
  | { readonly kind: "s3"; readonly bucketName: pulumi.Output<string>; readonly bucketArn: pulumi.Output<string>; readonly kmsKeyArn?: pulumi.Input<string> }
  | { readonly kind: "cloudwatch"; readonly logGroupName: pulumi.Output<string>; readonly logGroupArn: pulumi.Output<string> };

/** Creates the flow log of `w.vpc` and its destination, all parented to `w.parent`. */
export function createVpcFlowLog(w: FlowLogWiring): { flowLog: aws.ec2.FlowLog; destination: FlowLogDestinationOutput } {
  return w.settings.destination === "s3" ? toS3(w) : toCloudWatch(w);
}

/** Account and partition without an invoke: the VPC reports its owner and its ARN. */
function accountOf(vpc: aws.ec2.Vpc): { accountId: pulumi.Output<string>; partition: pulumi.Output<string> } {
  return { accountId: vpc.ownerId, partition: vpc.arn.apply((arn) => arn.split(":")[1]) };
}

function toCloudWatch(w: FlowLogWiring): { flowLog: aws.ec2.FlowLog; destination: FlowLogDestinationOutput } {
  const { name, vpc, settings, parent } = w;
  const { accountId, partition } = accountOf(vpc);
  const logGroup = new aws.cloudwatch.LogGroup(`${name}-flow-log-group`, {
    name: `/tila/${w.environment}/${name}/vpc-flow-logs`,
    retentionInDays: settings.retentionDays,
    kmsKeyId: w.kmsKeyArn,
    tags: w.tags("flow-log-group"),
  }, { parent });

  // Confused-deputy guard: only flow logs of this account may assume the role.
  const role = new aws.iam.Role(`${name}-flow-log-role`, {
    description: `Delivers VPC flow logs of ${w.environment} to ${name}-flow-log-group`,
    assumeRolePolicy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [{
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${w.region}:${accountId}:vpc-flow-log/*` },
        },
      }],
    }),
    tags: w.tags("flow-log-role"),
  }, { parent });

  // logs:DescribeLogGroups is left out on purpose: it cannot be scoped to one log group.
  const policy = new aws.iam.RolePolicy(`${name}-flow-log-policy`, {
    role: role.name,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [{
        Sid: "DeliverToThisLogGroupOnly",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroup.arn, pulumi.interpolate`${logGroup.arn}:*`],
      }],
    }),
  }, { parent });

  const flowLog = new aws.ec2.FlowLog(`${name}-flow-log`, {
    vpcId: vpc.id,
    trafficType: settings.trafficType,
    logDestinationType: "cloud-watch-logs",
    logDestination: logGroup.arn,
    iamRoleArn: role.arn,
    tags: w.tags("flow-log"),
  }, { parent, dependsOn: [policy] });
  return { flowLog, destination: { kind: "cloudwatch", logGroupName: logGroup.name, logGroupArn: logGroup.arn } };
}

function toS3(w: FlowLogWiring): { flowLog: aws.ec2.FlowLog; destination: FlowLogDestinationOutput } {
  const { name, vpc, settings, parent } = w;
  const { accountId, partition } = accountOf(vpc);
  const bucket = new aws.s3.Bucket(`${name}-flow-logs`, { forceDestroy: false, tags: w.tags("flow-logs") }, { parent });

  const ownership = new aws.s3.BucketOwnershipControls(`${name}-flow-logs-ownership`, {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  }, { parent });
  const publicAccess = new aws.s3.BucketPublicAccessBlock(`${name}-flow-logs-public-access`, {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  }, { parent });
  new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-flow-logs-encryption`, {
    bucket: bucket.id,
    rules: [{
      applyServerSideEncryptionByDefault: w.kmsKeyArn === undefined
        ? { sseAlgorithm: "AES256" }
        : { sseAlgorithm: "aws:kms", kmsMasterKeyId: w.kmsKeyArn },
      // S3 Bucket Keys cut KMS request charges by ~99% for a bucket written this often.
      bucketKeyEnabled: w.kmsKeyArn !== undefined,
    }],
  }, { parent });
  const versioning = new aws.s3.BucketVersioning(`${name}-flow-logs-versioning`, {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  }, { parent });
  new aws.s3.BucketLifecycleConfiguration(`${name}-flow-logs-lifecycle`, {
    bucket: bucket.id,
    rules: [{
      id: "expire-flow-logs",
      status: "Enabled",
      filter: {},
      expiration: { days: settings.retentionDays },
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_MULTIPART_DAYS },
    }],
  }, { parent, dependsOn: [versioning] });

  // Written explicitly so CreateFlowLogs does not edit an unmanaged policy behind our back.
  const sourceArn = pulumi.interpolate`arn:${partition}:logs:${w.region}:${accountId}:*`;
  const policy = new aws.s3.BucketPolicy(`${name}-flow-logs-policy`, {
    bucket: bucket.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AWSLogDeliveryWrite",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${accountId}/*`,
          Condition: {
            StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
            ArnLike: { "aws:SourceArn": sourceArn },
          },
        },
        {
          Sid: "AWSLogDeliveryAclCheck",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: ["s3:GetBucketAcl", "s3:ListBucket"],
          Resource: bucket.arn,
          Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    }),
  }, { parent, dependsOn: [publicAccess, ownership] });

  const flowLog = new aws.ec2.FlowLog(`${name}-flow-log`, {
    vpcId: vpc.id,
    trafficType: settings.trafficType,
    logDestinationType: "s3",
    logDestination: bucket.arn,
    tags: w.tags("flow-log"),
  }, { parent, dependsOn: [policy] });
  return { flowLog, destination: { kind: "s3", bucketName: bucket.bucket, bucketArn: bucket.arn, ...(w.kmsKeyArn !== undefined ? { kmsKeyArn: w.kmsKeyArn } : {}) } };
}
