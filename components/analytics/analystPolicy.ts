/**
 * The analyst role's documents, as pure functions (docs/analytics.md#who-may-read-what): its trust
 * (named principals of this account; IAM users with MFA) and its permissions (Athena in the one
 * workgroup, Glue read of the curated catalogue, S3 read of curated, the results prefix of the
 * workgroup, the data key through S3 only) with explicit denies on the raw data and on every
 * write to the lake or the catalogue, which no managed policy attached later can override.
 */
import { PolicyDocument, Statement, humanRoleTrust } from "../security/baseline/policies";
import { tableName } from "./analyticsPlan";
import type { LakeScope } from "./lakeRefs";
import type { FunctionScope } from "../observability/functionPolicies";

/** The analysts' role name in an environment: `tila-<env>-analyst`. */
export function analystRoleName(environment: string): string {
  return `tila-${environment}-analyst`;
}

/** The role's one inline policy. */
export const ANALYST_POLICY_NAME = "analyst";

/** The Identity Center permission set analysts sign in with, by default. */
export const DEFAULT_ANALYST_PRINCIPALS: readonly string[] = ["role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*"];

/**
 * Trust: the account itself, pinned to the principal name patterns. Identity Center roles
 * (`role/...`) are trusted without the MFA keys, which their sessions do not carry (Identity Center
 * enforces MFA at sign-in); IAM users (`user/...`) only with MFA less than an hour old.
 */
export function analystTrust(p: { partition: string; accountId: string; principals: readonly string[] }): PolicyDocument {
  const roles = p.principals.filter((x) => x.startsWith("role/"));
  const users = p.principals.filter((x) => !x.startsWith("role/"));
  if (roles.length + users.length === 0) throw new Error("analystTrust: name at least one principal pattern");
  const statements: Statement[] = [];
  if (roles.length > 0) statements.push(...humanRoleTrust({ partition: p.partition, accountId: p.accountId, principalPatterns: roles, requireMfa: false }).Statement);
  if (users.length > 0) statements.push(...humanRoleTrust({ partition: p.partition, accountId: p.accountId, principalPatterns: users, requireMfa: true }).Statement);
  return { Version: "2012-10-17", Statement: statements };
}

/** Where the analysts' permissions apply: the account, and the lake (its `topics` are the curated tables). */
export interface AnalystScope extends FunctionScope, LakeScope {}

/** Athena's query actions an analyst needs in the workgroup (Service Authorization Reference, Amazon Athena: resource type workgroup). */
export const ATHENA_QUERY_ACTIONS: readonly string[] = [
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:GetQueryResultsStream",
  "athena:BatchGetQueryExecution",
  "athena:ListQueryExecutions",
  "athena:GetQueryRuntimeStatistics",
  "athena:GetWorkGroup",
];
/** Athena's catalogue browsing, on the account's AwsDataCatalog (resource type datacatalog). */
export const ATHENA_CATALOG_ACTIONS: readonly string[] = ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"];
/** Glue reads Athena makes on the caller's behalf for a query (catalog, database and table resources). */
export const GLUE_READ_ACTIONS: readonly string[] = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"];
/** What no analyst may do to the lake or its catalogue, whatever else is attached. */
export const LAKE_WRITE_ACTIONS: readonly string[] = [
  "s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:PutBucket*", "s3:DeleteBucket*", "s3:PutLifecycleConfiguration", "s3:PutEncryptionConfiguration", "s3:ReplicateObject",
  "glue:Create*", "glue:Update*", "glue:Delete*", "glue:BatchCreate*", "glue:BatchUpdate*", "glue:BatchDelete*", "glue:Put*",
];

const glueArn = (s: AnalystScope, resource: string): string => `arn:${s.partition}:glue:${s.region}:${s.accountId}:${resource}`;

/** The analyst's permissions: read curated, query in the workgroup, write results under its prefix; never raw, never a lake write. */
export function analystPermissions(s: AnalystScope): PolicyDocument {
  const workgroupArn = `arn:${s.partition}:athena:${s.region}:${s.accountId}:workgroup/${s.workgroup}`;
  const resultsPrefix = `${s.workgroup}/`;
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "QueryInTheWorkgroup", Effect: "Allow", Action: [...ATHENA_QUERY_ACTIONS], Resource: workgroupArn },
      { Sid: "BrowseTheCatalog", Effect: "Allow", Action: [...ATHENA_CATALOG_ACTIONS], Resource: `arn:${s.partition}:athena:${s.region}:${s.accountId}:datacatalog/AwsDataCatalog` },
      {
        Sid: "ReadCuratedCatalogue",
        Effect: "Allow",
        Action: [...GLUE_READ_ACTIONS],
        Resource: [glueArn(s, "catalog"), glueArn(s, `database/${s.curatedDatabase}`), ...s.topics.map((t) => glueArn(s, `table/${s.curatedDatabase}/${tableName(t)}`))],
      },
      { Sid: "ReadCuratedObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `${s.curatedBucketArn}/*` },
      { Sid: "ListCurated", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: s.curatedBucketArn },
      // Athena writes and reads query results with the caller's credentials.
      { Sid: "WorkgroupResults", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: `${s.resultsBucketArn}/${resultsPrefix}*` },
      { Sid: "ListWorkgroupResults", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: s.resultsBucketArn, Condition: { StringLike: { "s3:prefix": [`${resultsPrefix}*`] } } },
      {
        Sid: "DataKeyThroughS3Only",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: s.keyArn,
        Condition: { StringEquals: { "kms:ViaService": [`s3.${s.region}.amazonaws.com`, `athena.${s.region}.amazonaws.com`] } },
      },
      {
        Sid: "DenyRawData",
        Effect: "Deny",
        Action: ["s3:*", "glue:*"],
        Resource: [s.rawBucketArn, `${s.rawBucketArn}/*`, glueArn(s, `database/${s.rawDatabase}`), glueArn(s, `table/${s.rawDatabase}/*`)],
      },
      {
        Sid: "DenyLakeWrites",
        Effect: "Deny",
        Action: [...LAKE_WRITE_ACTIONS],
        Resource: [s.curatedBucketArn, `${s.curatedBucketArn}/*`, s.rawBucketArn, `${s.rawBucketArn}/*`, glueArn(s, "catalog"), glueArn(s, "database/*"), glueArn(s, "table/*")],
      },
    ],
  };
}
