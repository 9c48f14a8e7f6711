/**
 * LakeCuration (components/analytics/LakeCuration.ts) on the mocked engine with placeholder lake
 * references: the function's role, judged by the pack's IAM evaluator, reads raw and writes curated
 * topics only (no raw write, no other bucket, no other Glue database); the function gets the plan
 * from the contract; the schedule runs daily at 02:00 UTC; errors alarm to the warning topic.
 */
import { expect } from "chai";
import { DEFAULT_TOPICS, curatedColumns } from "../../components/analytics/analyticsPlan";
import { LakeCuration, curationTopics } from "../../components/analytics/LakeCuration";
import { curationPermissions } from "../../components/analytics/curationPolicy";
import type { LakeRefs } from "../../components/analytics/lakeRefs";
import { allows } from "../../policy/rules/iam/evaluate";
import { CaptureResult } from "../../offline/types";
import { WORKLOAD_ACCOUNT, captureError, one, only, policyDocument, run } from "../support/graph";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const R = "me-south-1";
const KEY = `arn:aws:kms:${R}:${WORKLOAD_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const ALERT = `arn:aws:sns:${R}:${WORKLOAD_ACCOUNT}:tila-prod-warning`;
const ALERT_KEY = `arn:aws:kms:${R}:${WORKLOAD_ACCOUNT}:key/99999999-2222-3333-4444-555555555555`;
const ARNS = { raw: "arn:aws:s3:::tila-prod-lake-raw", curated: "arn:aws:s3:::tila-prod-lake-curated", results: "arn:aws:s3:::tila-prod-lake-results" };
const LAKE: LakeRefs = {
  rawBucketName: "tila-prod-lake-raw", rawBucketArn: ARNS.raw,
  curatedBucketName: "tila-prod-lake-curated", curatedBucketArn: ARNS.curated,
  resultsBucketName: "tila-prod-lake-results", resultsBucketArn: ARNS.results,
  keyArn: KEY, rawDatabase: "tila_prod_raw", curatedDatabase: "tila_prod_curated", workgroup: "tila-prod-analysts",
};
const glue = (r: string): string => `arn:aws:glue:${R}:${WORKLOAD_ACCOUNT}:${r}`;

describe("LakeCuration", () => {
  let graph: CaptureResult;
  before(async () => {
    graph = await run(() => {
      new LakeCuration("curation", { environment: "prod", accountId: WORKLOAD_ACCOUNT, region: R, topics: DEFAULT_TOPICS, lake: LAKE, alertTopicArn: ALERT, alertKeyArn: ALERT_KEY, logRetentionDays: 90, tags: TAGS });
      return {};
    });
  });

  const doc = (): unknown => policyDocument(one(graph, "aws:iam/rolePolicy:RolePolicy", "curation-fn-policy"), "policy");
  const can = (action: string, resource: string, context?: Record<string, string>): boolean => allows([doc()], { action, resources: [resource], ...(context ? { context } : {}) });

  it("hands the function the contract's plan: tables, prefixes and only the columns that are not personal", () => {
    const env = (one(graph, "aws:lambda/function:Function", "curation-fn-function").inputs.environment as { variables: Record<string, string> }).variables;
    const topics = JSON.parse(env.TOPICS!) as ReturnType<typeof curationTopics>;
    expect(topics.map((t) => t.table)).to.deep.equal(["orders", "cart_events", "search_queries", "users"]);
    expect(topics.find((t) => t.topic === "users")!.columns).to.deep.equal(["customer_id", "city", "country", "signup_channel", "event_time"]);
    for (const t of DEFAULT_TOPICS) for (const c of t.columns.filter((x) => x.personal === true)) expect(topics.flatMap((x) => x.columns)).not.to.include(c.name);
    expect(env).to.include({ WORKGROUP: "tila-prod-analysts", RAW_DATABASE: "tila_prod_raw", CURATED_DATABASE: "tila_prod_curated", CURATED_BUCKET: "tila-prod-lake-curated" });
  });

  it("lets the role read raw topics and replace curated topics, and nothing else of the lake", () => {
    const via = { "kms:ViaService": `s3.${R}.amazonaws.com` };
    expect(can("s3:GetObject", `${ARNS.raw}/topics/orders/dt=2026-12-04/a.parquet`)).to.equal(true);
    expect(can("s3:PutObject", `${ARNS.curated}/topics/orders/dt=2026-12-04/a.parquet`)).to.equal(true);
    expect(can("s3:DeleteObject", `${ARNS.curated}/topics/users/dt=2026-12-04/a.parquet`)).to.equal(true);
    expect(can("s3:PutObject", `${ARNS.raw}/topics/orders/dt=2026-12-04/a.parquet`)).to.equal(false);
    expect(can("s3:DeleteObject", `${ARNS.raw}/topics/orders/dt=2026-12-04/a.parquet`)).to.equal(false);
    expect(can("s3:PutObject", `${ARNS.curated}/elsewhere/a.parquet`)).to.equal(false);
    expect(can("s3:GetObject", "arn:aws:s3:::some-other-bucket/a")).to.equal(false);
    expect(can("s3:ListBucket", ARNS.raw, { "s3:prefix": "topics/orders/dt=2026-12-04/" })).to.equal(true);
    expect(can("s3:ListBucket", ARNS.raw, { "s3:prefix": "" })).to.equal(false);
    expect(can("s3:PutObject", `${ARNS.results}/tila-prod-analysts/q.csv`)).to.equal(true);
    expect(can("s3:PutObject", `${ARNS.results}/other-workgroup/q.csv`)).to.equal(false);
    expect(can("kms:GenerateDataKey", KEY, via)).to.equal(true);
    expect(can("kms:Decrypt", KEY)).to.equal(false);
  });

  it("lets the role add partitions to curated tables only, and query only in the lake's workgroup", () => {
    expect(can("glue:GetTable", glue("table/tila_prod_raw/orders"))).to.equal(true);
    expect(can("glue:BatchCreatePartition", glue("table/tila_prod_curated/orders"))).to.equal(true);
    expect(can("glue:BatchCreatePartition", glue("table/tila_prod_raw/orders"))).to.equal(false);
    expect(can("glue:UpdateTable", glue("table/tila_prod_curated/orders"))).to.equal(false);
    expect(can("glue:DeleteTable", glue("table/tila_prod_curated/orders"))).to.equal(false);
    expect(can("glue:GetTable", glue("table/tila_prod_other/orders"))).to.equal(false);
    expect(can("athena:StartQueryExecution", `arn:aws:athena:${R}:${WORKLOAD_ACCOUNT}:workgroup/tila-prod-analysts`)).to.equal(true);
    expect(can("athena:StartQueryExecution", `arn:aws:athena:${R}:${WORKLOAD_ACCOUNT}:workgroup/primary`)).to.equal(false);
  });

  it("runs daily at 02:00 UTC through a scheduler role that may invoke only the function", () => {
    const schedule = only(graph, "aws:scheduler/schedule:Schedule");
    expect(schedule.inputs).to.deep.include({ name: "tila-prod-lake-curation", scheduleExpression: "cron(0 2 * * ? *)", scheduleExpressionTimezone: "UTC", state: "ENABLED" });
    const invoke = policyDocument<{ Statement: { Action: string }[] }>(one(graph, "aws:iam/rolePolicy:RolePolicy", "curation-scheduler-invoke"), "policy");
    expect(invoke.Statement.map((s) => s.Action)).to.deep.equal(["lambda:InvokeFunction"]);
  });

  it("alarms the warning topic on any error, and reports failed invocations there", () => {
    const alarm = only(graph, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarm.inputs).to.deep.include({ name: "tila-prod-lake-curation-errors", namespace: "AWS/Lambda", metricName: "Errors", threshold: 0, alarmActions: [ALERT] });
    expect(alarm.inputs.dimensions).to.deep.equal({ FunctionName: "tila-prod-lake-curation" });
    const async = only(graph, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(async.inputs.destinationConfig).to.deep.equal({ onFailure: { destination: ALERT } });
    expect(can("sns:Publish", ALERT)).to.equal(true);
    expect(one(graph, "aws:cloudwatch/logGroup:LogGroup", "curation-fn-logs").inputs.retentionInDays).to.equal(90);
  });

  it("refuses a topic with only personal columns", async () => {
    const personal = { name: "users", columns: [{ name: "email", type: "string", personal: true }] };
    expect(curatedColumns(personal)).to.deep.equal([]);
    const error = await captureError(() => {
      new LakeCuration("bad", { environment: "prod", accountId: WORKLOAD_ACCOUNT, region: R, topics: [personal], lake: LAKE, alertTopicArn: ALERT, alertKeyArn: ALERT_KEY, logRetentionDays: 90, tags: TAGS });
    });
    expect(error.message).to.match(/"users" has only personal columns/);
  });

  it("writes its policy from the scope alone (the same document for the same lake)", () => {
    const scope = { partition: "aws", region: R, accountId: WORKLOAD_ACCOUNT, functionName: "f", topics: ["orders"], workgroup: "w", rawDatabase: "r", curatedDatabase: "c", rawBucketArn: "arn:aws:s3:::r", curatedBucketArn: "arn:aws:s3:::c", resultsBucketArn: "arn:aws:s3:::q", keyArn: KEY, alertTopicArn: ALERT, alertKeyArn: ALERT_KEY };
    expect(allows([curationPermissions(scope)], { action: "s3:PutObject", resources: ["arn:aws:s3:::c/topics/orders/x"] })).to.equal(true);
    expect(allows([curationPermissions(scope)], { action: "s3:PutObject", resources: ["arn:aws:s3:::c/topics/users/x"] })).to.equal(false);
  });
});
