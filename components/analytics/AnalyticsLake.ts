/**
 * The analytics lake's storage, catalogue and query layer (docs/analytics.md#lake-storage-catalogue-and-query):
 * the raw, curated and Athena-results buckets on the data key, their access-log bucket, the Glue
 * databases with one Parquet table per topic (partition projection on `dt`), the analysts' Athena
 * workgroup and the analyst role. Decisions live in lakePlan.ts and analystPolicy.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accessLogBucketPolicy, denyInsecureTransport } from "../security/baseline/policies";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { AnalyticsTopic, curatedDatabaseName, rawDatabaseName, tableName, workgroupName } from "./analyticsPlan";
import { ANALYST_POLICY_NAME, analystPermissions, analystRoleName, analystTrust } from "./analystPolicy";
import { LakeBucket, LakeLifecycle, LifecycleRule, accessLogLifecycle, lifecycleIssues, lifecycleRules, scanCutoffBytes, scanCutoffIssues, tableDefinition, topicIssues } from "./lakePlan";
import type { LakeRefs } from "./lakeRefs";
import { applyBucketControls } from "../security/bucketControls";

const SERVICE = "analytics";

export interface AnalyticsLakeArgs {
  readonly environment: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The data tier's key (the data key): every lake bucket and the query results are encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  /** The topics: one table each in raw (every column) and curated (no personal column). */
  readonly topics: readonly AnalyticsTopic[];
  /** Storage-class transitions and expiry of raw and curated. */
  readonly lifecycle: LakeLifecycle;
  /** The most one analyst query may scan, in GB (at least 0.01, Athena's 10 MB floor). */
  readonly bytesScannedCutoffGb: number;
  /** IAM name patterns (`role/...`, `user/...`) in this account that may assume the analyst role. */
  readonly analystPrincipals: readonly string[];
  /** Extra managed policies of the analyst role (validated read-only by config/analystIssues.ts). @default none */
  readonly analystPolicyArns?: readonly string[];
  /** Pulumi `protect` on the raw and curated buckets (prod). @default false */
  readonly protect?: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function analyticsLakeIssues(args: AnalyticsLakeArgs): string[] {
  return [
    ...missingCommonTags(args.tags),
    ...lifecycleIssues(args.lifecycle).map((i) => `lifecycle.${i}`),
    ...scanCutoffIssues(args.bytesScannedCutoffGb),
    ...topicIssues(args.topics),
    ...(args.analystPrincipals.length === 0 ? ["analystPrincipals: name at least one principal pattern"] : []),
  ];
}

export class AnalyticsLake extends pulumi.ComponentResource implements LakeRefs {
  readonly rawBucketName: pulumi.Output<string>;
  readonly rawBucketArn: pulumi.Output<string>;
  readonly curatedBucketName: pulumi.Output<string>;
  readonly curatedBucketArn: pulumi.Output<string>;
  readonly resultsBucketName: pulumi.Output<string>;
  readonly resultsBucketArn: pulumi.Output<string>;
  readonly accessLogBucketName: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly rawDatabase: pulumi.Output<string>;
  readonly curatedDatabase: pulumi.Output<string>;
  readonly workgroup: pulumi.Output<string>;
  readonly analystRoleArn: pulumi.Output<string>;

  constructor(name: string, args: AnalyticsLakeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:analytics:AnalyticsLake", name, {}, opts);
    const issues = analyticsLakeIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`AnalyticsLake "${name}": ${issues.join("; ")}`, this);
    const env = args.environment;
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    this.keyArn = pulumi.output(args.keyArn);

    // Server access logs: SSE-S3, the encryption S3 log delivery writes without a key grant.
    const logsName = `${name}-access-logs`;
    const logs = new aws.s3.Bucket(logsName, { forceDestroy: false, tags: tags("access-logs") }, parent);
    const logGuards = this.guard(logsName, logs, accessLogLifecycle(), { sseAlgorithm: "AES256" });

    const raw = this.lakeBucket(`${name}-raw`, "raw", args, tags("raw"), logs);
    const curated = this.lakeBucket(`${name}-curated`, "curated", args, tags("curated"), logs);
    const results = this.lakeBucket(`${name}-results`, "results", args, tags("results"), logs);

    new aws.s3.BucketPolicy(`${logsName}-policy`, {
      bucket: logs.id,
      policy: pulumi.all([logs.arn, raw.arn, curated.arn, results.arn]).apply(([bucketArn, ...sources]) =>
        JSON.stringify(accessLogBucketPolicy({ bucketArn, sourceBucketArns: sources, accountId: args.accountId }))),
    }, { parent: this, dependsOn: logGuards });

    // The catalogue: the same tables in both databases, curated without the personal columns.
    const databases = { raw: rawDatabaseName(env), curated: curatedDatabaseName(env) } as const;
    const dbs = (["raw", "curated"] as const).map((kind) => {
      const bucket = kind === "raw" ? raw : curated;
      const db = new aws.glue.CatalogDatabase(`${name}-${kind}-db`, {
        name: databases[kind],
        description: kind === "raw" ? `tila ${env}: events as ingested from Kafka, personal columns included; no analyst reads it` : `tila ${env}: events without personal columns, for analysts`,
        tags: tags(`${kind}-db`),
      }, parent);
      for (const topic of args.topics) {
        const table = bucket.bucket.apply((b) => tableDefinition(topic, kind, b));
        new aws.glue.CatalogTable(`${name}-${kind}-${topic.name}`, {
          name: tableName(topic.name),
          databaseName: db.name,
          tableType: "EXTERNAL_TABLE",
          parameters: table.parameters,
          partitionKeys: table.partitionKeys,
          storageDescriptor: table.storageDescriptor,
        }, parent);
      }
      return db;
    });

    const wg = new aws.athena.Workgroup(`${name}-workgroup`, {
      name: workgroupName(env),
      description: `tila ${env} analysts: curated data only, results encrypted with the data key`,
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: scanCutoffBytes(args.bytesScannedCutoffGb),
        resultConfiguration: {
          outputLocation: pulumi.interpolate`s3://${results.bucket}/${workgroupName(env)}/`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.keyArn },
        },
      },
      tags: tags("workgroup"),
    }, parent);

    const roleName = analystRoleName(env);
    const role = new aws.iam.Role(`${name}-analyst-role`, {
      name: roleName,
      description: `Analysts of tila ${env}: Athena on curated data in ${workgroupName(env)}; no raw data, no writes to the lake`,
      assumeRolePolicy: JSON.stringify(analystTrust({ partition: args.partition, accountId: args.accountId, principals: args.analystPrincipals })),
      maxSessionDuration: 3600 * 4,
      tags: tags("analyst-role"),
    }, parent);
    new aws.iam.RolePolicy(`${name}-analyst-policy`, {
      name: ANALYST_POLICY_NAME,
      // The role's name, not its output: the pack reads which role the policy belongs to before it exists.
      role: roleName,
      policy: pulumi.all([raw.arn, curated.arn, results.arn, args.keyArn]).apply(([rawBucketArn, curatedBucketArn, resultsBucketArn, keyArn]) =>
        JSON.stringify(analystPermissions({
          partition: args.partition, region: args.region, accountId: args.accountId, workgroup: workgroupName(env),
          rawDatabase: databases.raw, curatedDatabase: databases.curated, topics: args.topics.map((t) => t.name),
          rawBucketArn, curatedBucketArn, resultsBucketArn, keyArn,
        }))),
    }, { parent: this, dependsOn: [role] });
    (args.analystPolicyArns ?? []).forEach((policyArn, i) => {
      new aws.iam.RolePolicyAttachment(`${name}-analyst-managed-${i}`, { role: roleName, policyArn }, { parent: this, dependsOn: [role] });
    });

    this.rawBucketName = raw.bucket;
    this.rawBucketArn = raw.arn;
    this.curatedBucketName = curated.bucket;
    this.curatedBucketArn = curated.arn;
    this.resultsBucketName = results.bucket;
    this.resultsBucketArn = results.arn;
    this.accessLogBucketName = logs.bucket;
    this.rawDatabase = dbs[0]!.name;
    this.curatedDatabase = dbs[1]!.name;
    this.workgroup = wg.name;
    this.analystRoleArn = role.arn;
    this.registerOutputs({
      rawBucketName: this.rawBucketName,
      curatedBucketName: this.curatedBucketName,
      resultsBucketName: this.resultsBucketName,
      accessLogBucketName: this.accessLogBucketName,
      rawDatabase: this.rawDatabase,
      curatedDatabase: this.curatedDatabase,
      workgroup: this.workgroup,
      analystRoleArn: this.analystRoleArn,
    });
  }

  /** A lake bucket: SSE-KMS with the data key and bucket keys, access-logged, TLS-only, tiered and expired. */
  private lakeBucket(logical: string, kind: LakeBucket, args: AnalyticsLakeArgs, tags: Record<string, string>, logs: aws.s3.Bucket): aws.s3.Bucket {
    const keep = kind !== "results" && args.protect === true;
    const bucket = new aws.s3.Bucket(logical, { forceDestroy: false, tags }, { parent: this, protect: keep });
    const guards = this.guard(logical, bucket, lifecycleRules(kind, args.lifecycle), { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn });
    new aws.s3.BucketLogging(`${logical}-logging`, { bucket: bucket.id, targetBucket: logs.id, targetPrefix: `${kind}/` }, { parent: this });
    new aws.s3.BucketPolicy(`${logical}-policy`, {
      bucket: bucket.id,
      policy: bucket.arn.apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [denyInsecureTransport(arn)] })),
    }, { parent: this, dependsOn: guards });
    return bucket;
  }

  /** Owner-enforced objects, no public access, versioning, default encryption and the lifecycle; returns what the policy waits for. */
  private guard(logical: string, bucket: aws.s3.Bucket, rules: LifecycleRule[], encryption: { sseAlgorithm: string; kmsMasterKeyId?: pulumi.Input<string> }): pulumi.Resource[] {
    return applyBucketControls(logical, bucket, {
      encryption,
      lifecycleRules: rules.map((r) => ({ ...r, transitions: r.transitions?.map((t) => ({ ...t })) })),
      parent: this,
    });
  }

}
