/**
 * The account's CloudTrail: multi-region, log-file validation, KMS-encrypted with the account's
 * audit key, delivered to the log archive in management and to a CloudWatch Logs group through a
 * delivery role; management events (read and write) and S3 object-level write events for every
 * bucket of the account (state, logs, artefacts: the account holds no other kind), plus reads of
 * the archive buckets where they live.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TRAIL_PREFIX, cloudTrailLogsPermissions, cloudTrailLogsTrust } from "./policies";

export interface TrailWiring {
  readonly name: string;
  /** The trail's name: fixed, because the archive's bucket policy names the trail ARN. */
  readonly trailName: string;
  readonly trailArn: string;
  readonly accountId: string;
  readonly archiveBucketName: pulumi.Input<string>;
  /** Buckets whose object reads are recorded too (the archive itself, in management). */
  readonly readEventBucketArns: readonly pulumi.Input<string>[];
  readonly keyArn: pulumi.Input<string>;
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly tags: (role: string) => Record<string, string>;
  readonly parent: pulumi.Resource;
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export function createTrail(w: TrailWiring): aws.cloudtrail.Trail {
  const opts = { parent: w.parent };
  const logGroup = new aws.cloudwatch.LogGroup(`${w.name}-trail-logs`, {
    name: w.logGroupName,
    retentionInDays: w.logRetentionDays,
    kmsKeyId: w.keyArn,
    tags: w.tags("trail-logs"),
  }, opts);
  const role = new aws.iam.Role(`${w.name}-trail-logs-role`, {
    assumeRolePolicy: JSON.stringify(cloudTrailLogsTrust({ accountId: w.accountId, trailArn: w.trailArn })),
    tags: w.tags("trail-logs-role"),
  }, opts);
  const rolePolicy = new aws.iam.RolePolicy(`${w.name}-trail-logs-delivery`, {
    role: role.id,
    policy: logGroup.arn.apply((arn) => JSON.stringify(cloudTrailLogsPermissions(arn))),
  }, opts);

  const selectors: aws.types.input.cloudtrail.TrailAdvancedEventSelector[] = [
    { name: "Management events, read and write", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    {
      name: "S3 object writes and deletes, every bucket",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        { field: "readOnly", equals: ["false"] },
      ],
    },
  ];
  if (w.readEventBucketArns.length > 0) {
    selectors.push({
      name: "S3 object reads of the archive",
      fieldSelectors: [
        { field: "eventCategory", equals: ["Data"] },
        { field: "resources.type", equals: ["AWS::S3::Object"] },
        { field: "readOnly", equals: ["true"] },
        { field: "resources.ARN", startsWiths: w.readEventBucketArns.map((arn) => pulumi.interpolate`${arn}/`) },
      ],
    });
  }

  return new aws.cloudtrail.Trail(`${w.name}-trail`, {
    name: w.trailName,
    s3BucketName: w.archiveBucketName,
    s3KeyPrefix: TRAIL_PREFIX,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogFileValidation: true,
    enableLogging: true,
    kmsKeyId: w.keyArn,
    cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
    cloudWatchLogsRoleArn: role.arn,
    advancedEventSelectors: selectors,
    tags: w.tags("trail"),
  }, { parent: w.parent, dependsOn: [rolePolicy, ...w.dependsOn] });
}
