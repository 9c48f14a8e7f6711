/**
 * The analyst role's documents (components/analytics/analystPolicy.ts) and the refusal of an analyst
 * key that could write (config/analystIssues.ts), decided with the pack's IAM evaluator: analysts
 * query in their workgroup, read curated and write only their workgroup's results; raw, the
 * catalogue and the lake are out of reach even with a broad managed policy attached.
 */
import { expect } from "chai";
import * as path from "path";
import { DEFAULT_TOPICS } from "../../components/analytics/analyticsPlan";
import { AnalystScope, analystPermissions, analystTrust } from "../../components/analytics/analystPolicy";
import { analystIssues } from "../../config/analystIssues";
import { readStackFiles } from "../../config/load";
import { validateStackConfig } from "../../config/validate";
import { evaluate } from "../../policy/rules/iam/evaluate";

const ACCOUNT = "444444444444";
const REGION = "me-south-1";
const scope: AnalystScope = {
  partition: "aws", region: REGION, accountId: ACCOUNT, workgroup: "tila-prod-analysts",
  rawDatabase: "tila_prod_raw", curatedDatabase: "tila_prod_curated", topics: DEFAULT_TOPICS.map((t) => t.name),
  rawBucketArn: "arn:aws:s3:::prod-lake-raw-1", curatedBucketArn: "arn:aws:s3:::prod-lake-curated-1", resultsBucketArn: "arn:aws:s3:::prod-lake-results-1",
  keyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k`,
};
const doc = analystPermissions(scope);
const glue = (r: string) => `arn:aws:glue:${REGION}:${ACCOUNT}:${r}`;
const decide = (action: string, resources: string[], context: Record<string, string> = {}, extra: unknown[] = []) => evaluate([doc, ...extra], { action, resources, context });
/** An identity policy as broad as AdministratorAccess, as if someone attached one anyway. */
const ADMIN = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

describe("analyst role", () => {
  it("may run queries only in its own workgroup", () => {
    expect(decide("athena:StartQueryExecution", [`arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/tila-prod-analysts`])).to.equal("allow");
    expect(decide("athena:StartQueryExecution", [`arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/primary`])).to.equal("implicit-deny");
    expect(decide("athena:UpdateWorkGroup", [`arn:aws:athena:${REGION}:${ACCOUNT}:workgroup/tila-prod-analysts`])).to.equal("implicit-deny");
  });

  it("reads the curated catalogue and objects, and nothing of raw", () => {
    expect(decide("glue:GetTable", [glue("catalog"), glue("database/tila_prod_curated"), glue("table/tila_prod_curated/cart_events")])).to.equal("allow");
    expect(decide("s3:GetObject", ["arn:aws:s3:::prod-lake-curated-1/topics/orders/dt=2026-12-01/part-0.parquet"])).to.equal("allow");
    expect(decide("s3:ListBucket", ["arn:aws:s3:::prod-lake-curated-1"])).to.equal("allow");
    expect(decide("glue:GetTable", [glue("catalog"), glue("database/tila_prod_raw"), glue("table/tila_prod_raw/users")])).to.equal("explicit-deny");
    expect(decide("s3:GetObject", ["arn:aws:s3:::prod-lake-raw-1/topics/users/dt=2026-12-01/part-0.parquet"])).to.equal("explicit-deny");
  });

  it("cannot reach raw or write to the lake or the catalogue even with an admin policy attached", () => {
    expect(decide("s3:GetObject", ["arn:aws:s3:::prod-lake-raw-1/topics/users/x.parquet"], {}, [ADMIN])).to.equal("explicit-deny");
    expect(decide("glue:GetPartitions", [glue("catalog"), glue("database/tila_prod_raw"), glue("table/tila_prod_raw/orders")], {}, [ADMIN])).to.equal("explicit-deny");
    for (const [action, resource] of [
      ["s3:PutObject", "arn:aws:s3:::prod-lake-curated-1/topics/orders/x.parquet"],
      ["s3:DeleteObject", "arn:aws:s3:::prod-lake-curated-1/topics/orders/x.parquet"],
      ["s3:PutBucketPolicy", "arn:aws:s3:::prod-lake-curated-1"],
      ["glue:DeleteTable", glue("table/tila_prod_curated/orders")],
      ["glue:UpdateTable", glue("table/tila_prod_curated/orders")],
      ["glue:CreateTable", glue("database/tila_prod_curated")],
    ] as const) expect(decide(action, [resource], {}, [ADMIN]), action).to.equal("explicit-deny");
  });

  it("writes query results only under its workgroup's prefix", () => {
    expect(decide("s3:PutObject", ["arn:aws:s3:::prod-lake-results-1/tila-prod-analysts/q1.csv"])).to.equal("allow");
    expect(decide("s3:PutObject", ["arn:aws:s3:::prod-lake-results-1/other/q1.csv"])).to.equal("implicit-deny");
    expect(decide("s3:ListBucket", ["arn:aws:s3:::prod-lake-results-1"], { "s3:prefix": "tila-prod-analysts/" })).to.equal("allow");
    expect(decide("s3:ListBucket", ["arn:aws:s3:::prod-lake-results-1"], { "s3:prefix": "other/" })).to.equal("implicit-deny");
  });

  it("uses the data key only through S3 or Athena", () => {
    expect(decide("kms:Decrypt", [scope.keyArn], { "kms:ViaService": `s3.${REGION}.amazonaws.com` })).to.equal("allow");
    expect(decide("kms:GenerateDataKey", [scope.keyArn], { "kms:ViaService": `athena.${REGION}.amazonaws.com` })).to.equal("allow");
    expect(decide("kms:Decrypt", [scope.keyArn])).to.equal("implicit-deny");
    expect(decide("kms:Decrypt", [scope.keyArn], { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com` })).to.equal("implicit-deny");
  });

  it("is assumed by the named Identity Center roles, and by named IAM users only with MFA", () => {
    const principals = ["role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_DataAnalyst_*", "user/analyst-*"];
    const roles = analystTrust({ partition: "aws", accountId: ACCOUNT, principals: principals.slice(0, 1) });
    const assume = (arn: string) => evaluate([roles], { action: "sts:AssumeRole", resources: ["*"], principal: { arn, account: ACCOUNT }, context: { "aws:PrincipalArn": arn } });
    expect(assume(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/me-south-1/AWSReservedSSO_DataAnalyst_abc`)).to.equal("allow");
    expect(assume(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/me-south-1/AWSReservedSSO_Admin_abc`)).to.equal("implicit-deny");
    expect(assume(`arn:aws:iam::${ACCOUNT}:user/analyst-sara`)).to.equal("implicit-deny");
    // The evaluator does not model NumericLessThan (the MFA age), so the users' statement is read directly.
    const [roleStatement, userStatement] = analystTrust({ partition: "aws", accountId: ACCOUNT, principals }).Statement as { Condition: Record<string, Record<string, unknown>> }[];
    expect(roleStatement!.Condition.ArnLike).to.deep.equal({ "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:${principals[0]}`] });
    expect(roleStatement!.Condition.Bool).to.equal(undefined);
    expect(userStatement!.Condition.ArnLike).to.deep.equal({ "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:user/analyst-*`] });
    expect(userStatement!.Condition.Bool).to.deep.equal({ "aws:MultiFactorAuthPresent": "true" });
    expect(userStatement!.Condition.NumericLessThan).to.deep.equal({ "aws:MultiFactorAuthAge": "3600" });
  });
});

describe("config validation: analytics.analysts", () => {
  const real = readStackFiles(path.resolve(__dirname, "../..")).raw;
  const withAnalysts = (analysts: unknown) => ({ ...real.prod!, analytics: { ...((real.prod!.analytics as object | undefined) ?? {}), analysts } });

  it("accepts read-only policies and named principals", () => {
    expect(analystIssues(withAnalysts({ principals: ["user/analyst-*"], managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"] }))).to.deep.equal([]);
    expect(analystIssues(real.prod!)).to.deep.equal([]);
  });

  it("refuses a policy that can write, naming the key and saying why", () => {
    const issues = analystIssues(withAnalysts({ managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", "arn:aws:iam::123456789012:policy/lake-writer"] }));
    expect(issues.map((i) => i.path)).to.deep.equal(["tila-platform:analytics.analysts.managedPolicyArns[0]", "tila-platform:analytics.analysts.managedPolicyArns[2]"]);
    expect(issues[0]!.message).to.match(/^AmazonAthenaFullAccess creates and changes workgroups/);
    expect(issues[1]!.message).to.match(/^lake-writer is not a read-only policy by name/);
  });

  it("refuses a principal pattern that matches everyone in the account", () => {
    const issues = analystIssues(withAnalysts({ principals: ["role/*", "user/analyst-*"] }));
    expect(issues).to.deep.equal([{ path: "tila-platform:analytics.analysts.principals[0]", message: '"role/*" matches every role of the account; name the analysts\' permission set or users' }]);
  });

  it("is wired into validateStackConfig, and the schema refuses a malformed principal naming its key", () => {
    const r = validateStackConfig("prod", REGION, withAnalysts({ principals: ["bob"], managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }), real);
    expect(r.ok).to.equal(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).to.include("tila-platform:analytics.analysts.managedPolicyArns[0]");
    expect(paths).to.include("tila-platform:analytics.analysts.principals[0]");
  });
});
