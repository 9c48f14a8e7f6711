/**
 * The curation function's permissions as a pure document (docs/analytics.md#curation): Athena in the
 * lake's workgroup, Glue read of the raw catalogue and partition writes in the curated one, S3 read of
 * raw topics, write and delete of curated topics, the workgroup's results prefix, the data key through
 * S3 and Athena only, and its failure reports to the warning topic. Nothing else of the lake.
 */
import { FunctionScope, PolicyDocument, ownLogsStatement, policyDocument } from "../observability/functionPolicies";
import { tableName, topicPrefix } from "./analyticsPlan";
import type { LakeScope } from "./lakeRefs";

export interface CurationScope extends FunctionScope, LakeScope {
  readonly functionName: string;
  /** Where failed invocations are reported, and the key that topic is encrypted with. */
  readonly alertTopicArn: string;
  readonly alertKeyArn: string;
}

/** Athena calls the handler makes (Service Authorization Reference, Amazon Athena: resource type workgroup). */
export const CURATION_ATHENA_ACTIONS: readonly string[] = ["athena:StartQueryExecution", "athena:GetQueryExecution"];
/** Glue reads Athena makes with the caller's credentials to plan a query. */
export const CURATION_GLUE_READ: readonly string[] = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"];
/** Glue writes an INSERT INTO makes when it adds (or refreshes) the day's curated partition. */
export const CURATION_GLUE_WRITE: readonly string[] = ["glue:CreatePartition", "glue:BatchCreatePartition", "glue:UpdatePartition"];

export function curationPermissions(s: CurationScope): PolicyDocument {
  const glue = (resource: string): string => `arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;
  const tables = (db: string): string[] => s.topics.map((t) => glue(`table/${db}/${tableName(t)}`));
  const objects = (bucketArn: string): string[] => s.topics.map((t) => `${bucketArn}/${topicPrefix(t)}*`);
  const prefixes = s.topics.map((t) => `${topicPrefix(t)}*`);
  const results = `${s.workgroup}/`;
  return policyDocument(
    ownLogsStatement(s, s.functionName),
    { Sid: "QueryInTheWorkgroup", Effect: "Allow", Action: [...CURATION_ATHENA_ACTIONS], Resource: `arn:${s.partition}:athena:${s.region}:${s.accountId}:workgroup/${s.workgroup}` },
    { Sid: "ReadRawCatalogue", Effect: "Allow", Action: [...CURATION_GLUE_READ], Resource: [glue("catalog"), glue(`database/${s.rawDatabase}`), ...tables(s.rawDatabase)] },
    { Sid: "ReadCuratedCatalogue", Effect: "Allow", Action: [...CURATION_GLUE_READ], Resource: [glue("catalog"), glue(`database/${s.curatedDatabase}`), ...tables(s.curatedDatabase)] },
    { Sid: "AddCuratedPartitions", Effect: "Allow", Action: [...CURATION_GLUE_WRITE], Resource: [glue("catalog"), glue(`database/${s.curatedDatabase}`), ...tables(s.curatedDatabase)] },
    { Sid: "ReadRawTopics", Effect: "Allow", Action: "s3:GetObject", Resource: objects(s.rawBucketArn) },
    { Sid: "ListRawTopics", Effect: "Allow", Action: "s3:ListBucket", Resource: s.rawBucketArn, Condition: { StringLike: { "s3:prefix": prefixes } } },
    // The handler empties the day's partition before the copy; Athena writes the new objects.
    { Sid: "ReplaceCuratedTopics", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: objects(s.curatedBucketArn) },
    { Sid: "ListCuratedTopics", Effect: "Allow", Action: "s3:ListBucket", Resource: s.curatedBucketArn, Condition: { StringLike: { "s3:prefix": prefixes } } },
    { Sid: "WorkgroupResults", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: `${s.resultsBucketArn}/${results}*` },
    { Sid: "ListWorkgroupResults", Effect: "Allow", Action: "s3:ListBucket", Resource: s.resultsBucketArn, Condition: { StringLike: { "s3:prefix": [`${results}*`] } } },
    // GetBucketLocation carries no s3:prefix, so it cannot share the prefix-conditioned statements.
    { Sid: "LocateLakeBuckets", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: [s.rawBucketArn, s.curatedBucketArn, s.resultsBucketArn] },
    {
      Sid: "DataKeyThroughS3AndAthena",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: s.keyArn,
      Condition: { StringEquals: { "kms:ViaService": [`s3.${s.region}.amazonaws.com`, `athena.${s.region}.amazonaws.com`] } },
    },
    { Sid: "ReportFailures", Effect: "Allow", Action: "sns:Publish", Resource: s.alertTopicArn },
    { Sid: "EncryptFailureReports", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: s.alertKeyArn, Condition: { StringEquals: { "kms:ViaService": `sns.${s.region}.amazonaws.com` } } },
  );
}
