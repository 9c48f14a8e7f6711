/**
 * The lake's curation on the real prod stack (whole stack, shared run): the function's role, judged
 * by the pack's IAM evaluator against the real lake's buckets, tables and workgroup, reads raw and
 * writes curated only; the function is pointed at the real curated bucket, databases and workgroup;
 * it runs daily at 02:00 UTC and its errors alarm to prod's warning topic. dev (lake off) has none.
 */
import { expect } from "chai";
import type { StackRun } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";
import { allows } from "../../policy/rules/iam/evaluate";
import { realStack } from "../support/realStacks";

const REGION = "me-south-1";

function named(run: StackRun, type: string, name: string): CapturedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${name}`);
  return found[0]!;
}

describe("lake curation in the real prod stack (whole stack)", () => {
  let prod: StackRun;
  let doc: unknown;
  let raw: string;
  let curated: string;
  let account: string;
  before(async () => {
    prod = await realStack("prod");
    doc = JSON.parse(named(prod, "aws:iam/rolePolicy:RolePolicy", "prod-lake-curation-fn-policy").inputs.policy as string);
    raw = named(prod, "aws:s3/bucket:Bucket", "prod-lake-raw").outputs.arn as string;
    curated = named(prod, "aws:s3/bucket:Bucket", "prod-lake-curated").outputs.arn as string;
    account = (named(prod, "aws:lambda/function:Function", "prod-lake-curation-fn-function").inputs.role as string).split(":")[4] ?? "";
  });

  const can = (action: string, resource: string, context?: Record<string, string>): boolean => allows([doc], { action, resources: [resource], ...(context ? { context } : {}) });
  const glue = (r: string): string => `arn:aws:glue:${REGION}:${account}:${r}`;

  it("points the function at the real lake: curated bucket, databases, workgroup", () => {
    const env = (named(prod, "aws:lambda/function:Function", "prod-lake-curation-fn-function").inputs.environment as { variables: Record<string, string> }).variables;
    const workgroups = prod.resources.filter((r) => r.type === "aws:athena/workgroup:Workgroup").map((r) => r.inputs.name);
    const databases = prod.resources.filter((r) => r.type === "aws:glue/catalogDatabase:CatalogDatabase").map((r) => r.inputs.name);
    expect(env.CURATED_BUCKET).to.equal(named(prod, "aws:s3/bucket:Bucket", "prod-lake-curated").outputs.bucket);
    expect(workgroups).to.include(env.WORKGROUP);
    expect(databases).to.include.members([env.RAW_DATABASE, env.CURATED_DATABASE]);
    expect(env.RAW_DATABASE).to.equal("tila_prod_raw");
  });

  it("names only tables the lake catalogues, in both databases", () => {
    const tables = new Set(prod.resources.filter((r) => r.type === "aws:glue/catalogTable:CatalogTable").map((r) => `${String(r.inputs.databaseName)}/${String(r.inputs.name)}`));
    const env = (named(prod, "aws:lambda/function:Function", "prod-lake-curation-fn-function").inputs.environment as { variables: Record<string, string> }).variables;
    const topics = JSON.parse(env.TOPICS!) as { table: string; columns: string[] }[];
    expect(topics).to.have.length(4);
    for (const t of topics) expect([...tables]).to.include.members([`tila_prod_raw/${t.table}`, `tila_prod_curated/${t.table}`]);
  });

  it("reads raw and writes curated, and nothing else of the lake", () => {
    expect(can("s3:GetObject", `${raw}/topics/orders/dt=2026-12-04/part-0.parquet`)).to.equal(true);
    expect(can("s3:PutObject", `${curated}/topics/orders/dt=2026-12-04/part-0.parquet`)).to.equal(true);
    expect(can("s3:DeleteObject", `${curated}/topics/cart-events/dt=2026-12-04/part-0.parquet`)).to.equal(true);
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl", "s3:PutBucketPolicy", "s3:PutLifecycleConfiguration"]) {
      expect(can(action, `${raw}/topics/orders/dt=2026-12-04/part-0.parquet`), action).to.equal(false);
      expect(can(action, raw), action).to.equal(false);
    }
    expect(can("s3:PutBucketPolicy", curated)).to.equal(false);
    expect(can("glue:BatchCreatePartition", glue("table/tila_prod_curated/orders"))).to.equal(true);
    expect(can("glue:BatchCreatePartition", glue("table/tila_prod_raw/orders"))).to.equal(false);
    expect(can("glue:UpdateTable", glue("table/tila_prod_curated/orders"))).to.equal(false);
    const key = (doc as { Statement: { Sid?: string; Resource: string }[] }).Statement.find((s) => s.Sid === "DataKeyThroughS3AndAthena")!.Resource;
    expect(key).to.equal((named(prod, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "prod-lake-raw-encryption").inputs.rules as { applyServerSideEncryptionByDefault: { kmsMasterKeyId: string } }[])[0]!.applyServerSideEncryptionByDefault.kmsMasterKeyId);
    expect(can("kms:Decrypt", key, { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).to.equal(true);
    expect(can("kms:Decrypt", key)).to.equal(false);
  });

  it("runs daily at 02:00 UTC and alarms prod's warning topic on errors", () => {
    const schedule = named(prod, "aws:scheduler/schedule:Schedule", "prod-lake-curation-schedule");
    expect(schedule.inputs).to.deep.include({ scheduleExpression: "cron(0 2 * * ? *)", scheduleExpressionTimezone: "UTC", state: "ENABLED" });
    const alarm = named(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "prod-lake-curation-errors");
    const warning = prod.resources.filter((r) => r.type === "aws:sns/topic:Topic" && /warning/.test(r.name)).map((r) => r.outputs.arn);
    expect(warning).to.have.length(1);
    expect(alarm.inputs.alarmActions).to.deep.equal(warning);
    expect(alarm.inputs).to.deep.include({ metricName: "Errors", namespace: "AWS/Lambda" });
  });

  it("is absent where the lake is off (dev)", async () => {
    const dev = await realStack("dev");
    expect(dev.resources.filter((r) => r.type === "tila:analytics:LakeCuration")).to.deep.equal([]);
  });
});
