/**
 * The lake on the captured graphs of the real stacks (docs/analytics.md#lake-storage-catalogue-and-query):
 * in prod and preprod every lake bucket is on the data key, private, versioned, TLS-only, access-logged
 * and tiered as config says; the tables match the contract (curated without personal columns); the
 * workgroup is enforced with encrypted results and the cutoff; the analyst role, evaluated with the
 * pack's IAM evaluator on its captured policy, reads curated but cannot read raw or write the lake.
 * Dev (lake off by default) has none of it; a preprod with other lake settings follows them.
 */
import { expect } from "chai";
import * as path from "path";
import { DEFAULT_TOPICS, curatedColumns, curatedDatabaseName, rawDatabaseName, tableName, topicPrefix, workgroupName } from "../../components/analytics/analyticsPlan";
import { analystRoleName } from "../../components/analytics/analystPolicy";
import { lifecycleRules, scanCutoffBytes } from "../../components/analytics/lakePlan";
import { analyticsSchema, effectiveAnalytics } from "../../config/analyticsSchema";
import { readStackFiles } from "../../config/load";
import type { StackRun } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";
import { evaluate } from "../../policy/rules/iam/evaluate";
import { stackWithConfig } from "../support/configVariants";
import { realStack } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");
const LAKE = "tila:analytics:AnalyticsLake";
const BUCKET = "aws:s3/bucket:Bucket";

interface Lake {
  run: StackRun;
  children: CapturedResource[];
  bucket: (role: "raw" | "curated" | "results" | "access-logs") => CapturedResource;
  of: (type: string, bucket: CapturedResource) => CapturedResource[];
}

function lakeOf(run: StackRun): Lake {
  const components = run.resources.filter((r) => r.type === LAKE);
  expect(components, `${run.stack}: one AnalyticsLake`).to.have.length(1);
  const children = run.resources.filter((r) => r.parent === components[0]!.urn);
  const bucket = (role: string) => {
    const found = children.filter((r) => r.type === BUCKET && r.name === `${run.stack}-lake-${role}`);
    expect(found, `${run.stack} ${role} bucket`).to.have.length(1);
    return found[0]!;
  };
  const of = (type: string, b: CapturedResource) => children.filter((r) => r.type === type && r.inputs.bucket === b.id);
  return { run, children, bucket, of };
}

const settingsOf = (stack: string) => effectiveAnalytics(stack, analyticsSchema.parse(readStackFiles(ROOT).raw[stack as "prod"]?.analytics ?? {}));
const dataKeyArn = (run: StackRun): string => String(run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === `${run.stack}-data-key`)!.outputs.arn);
const one = <T>(list: T[], what: string): T => {
  expect(list, what).to.have.length(1);
  return list[0]!;
};

describe("analytics lake (real stacks)", () => {
  const lakes: Record<string, Lake> = {};
  before(async () => {
    for (const stack of ["prod", "preprod"]) lakes[stack] = lakeOf(await realStack(stack));
  });

  it("encrypts raw, curated and results with the data key (bucket keys on), and the access logs with SSE-S3", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const key = dataKeyArn(lake.run);
      for (const role of ["raw", "curated", "results"] as const) {
        const enc = one(lake.of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", lake.bucket(role)), `${stack} ${role} encryption`);
        expect(enc.inputs.rules, `${stack} ${role}`).to.deep.equal([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true }]);
      }
      const logs = one(lake.of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", lake.bucket("access-logs")), `${stack} logs encryption`);
      expect((logs.inputs.rules as { applyServerSideEncryptionByDefault: { sseAlgorithm: string } }[])[0]!.applyServerSideEncryptionByDefault.sseAlgorithm).to.equal("AES256");
    }
  });

  it("blocks public access, enforces ownership, versions, refuses plain HTTP and logs access for every lake bucket", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const logs = lake.bucket("access-logs");
      for (const role of ["raw", "curated", "results", "access-logs"] as const) {
        const b = lake.bucket(role);
        const what = `${stack} ${role}`;
        expect(one(lake.of("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b), what).inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(one(lake.of("aws:s3/bucketOwnershipControls:BucketOwnershipControls", b), what).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        expect(one(lake.of("aws:s3/bucketVersioning:BucketVersioning", b), what).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        const policy = JSON.parse(String(one(lake.of("aws:s3/bucketPolicy:BucketPolicy", b), what).inputs.policy)) as { Statement: { Sid?: string; Effect: string; Principal?: unknown; Condition?: unknown }[] };
        expect(policy.Statement.find((s) => s.Sid === "DenyInsecureTransport"), what).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        // Nothing in any lake bucket policy allows anyone but S3's log delivery.
        for (const s of policy.Statement.filter((x) => x.Effect === "Allow")) expect(s.Principal, what).to.deep.equal({ Service: "logging.s3.amazonaws.com" });
        if (role !== "access-logs") {
          expect(one(lake.of("aws:s3/bucketLogging:BucketLogging", b), what).inputs).to.deep.include({ targetBucket: logs.id, targetPrefix: `${role}/` });
        }
      }
      const logPolicy = JSON.parse(String(one(lake.of("aws:s3/bucketPolicy:BucketPolicy", logs), stack).inputs.policy)) as { Statement: { Sid?: string; Condition?: { ArnEquals?: Record<string, string[]> } }[] };
      const sources = logPolicy.Statement.find((s) => s.Sid === "S3ServerAccessLogs")!.Condition!.ArnEquals!["aws:SourceArn"];
      expect(sources).to.have.members((["raw", "curated", "results"] as const).map((r) => String(lake.bucket(r).outputs.arn)));
    }
  });

  it("tiers and expires raw and curated as the stack's analytics.lake says, and results after a week", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const settings = settingsOf(stack);
      for (const role of ["raw", "curated", "results"] as const) {
        const lc = one(lake.of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", lake.bucket(role)), `${stack} ${role}`);
        expect(lc.inputs.rules, `${stack} ${role}`).to.deep.equal(JSON.parse(JSON.stringify(lifecycleRules(role, settings.lake))));
      }
    }
  });

  it("protects raw and curated in prod only", () => {
    for (const role of ["raw", "curated"] as const) {
      expect(lakes.prod!.bucket(role).options.protect, `prod ${role}`).to.equal(true);
      expect(lakes.preprod!.bucket(role).options.protect, `preprod ${role}`).to.equal(false);
    }
  });

  it("catalogues every topic in raw (all columns) and curated (no personal column), each over its own bucket's topic prefix", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const dbs = lake.children.filter((r) => r.type === "aws:glue/catalogDatabase:CatalogDatabase").map((r) => r.inputs.name);
      expect(dbs, stack).to.have.members([rawDatabaseName(stack), curatedDatabaseName(stack)]);
      const tables = lake.children.filter((r) => r.type === "aws:glue/catalogTable:CatalogTable");
      expect(tables, stack).to.have.length(2 * settingsOf(stack).topics.length);
      for (const topic of settingsOf(stack).topics) {
        for (const kind of ["raw", "curated"] as const) {
          const db = kind === "raw" ? rawDatabaseName(stack) : curatedDatabaseName(stack);
          const t = one(tables.filter((x) => x.inputs.databaseName === db && x.inputs.name === tableName(topic.name)), `${stack} ${db}.${topic.name}`);
          const sd = t.inputs.storageDescriptor as { location: string; columns: { name: string; type: string }[] };
          const expected = kind === "raw" ? topic.columns : curatedColumns(topic);
          expect(sd.columns.map((c) => `${c.name} ${c.type}`), `${stack} ${db}.${topic.name}`).to.deep.equal(expected.map((c) => `${c.name} ${c.type}`));
          expect(sd.location).to.equal(`s3://${String(lake.bucket(kind).outputs.bucket)}/${topicPrefix(topic.name)}`);
          expect((t.inputs.parameters as Record<string, string>)["projection.enabled"]).to.equal("true");
        }
      }
      // The contract's personal columns are nowhere in curated.
      const curatedNames = tables.filter((x) => x.inputs.databaseName === curatedDatabaseName(stack)).flatMap((x) => (x.inputs.storageDescriptor as { columns: { name: string }[] }).columns.map((c) => c.name));
      for (const personal of DEFAULT_TOPICS.flatMap((t) => t.columns.filter((c) => c.personal).map((c) => c.name))) expect(curatedNames, `${stack} ${personal}`).to.not.include(personal);
    }
  });

  it("enforces the analysts' workgroup: results encrypted with the data key under the workgroup's prefix, the scan cutoff, metrics on", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const wg = one(lake.children.filter((r) => r.type === "aws:athena/workgroup:Workgroup"), stack);
      expect(wg.inputs.name).to.equal(workgroupName(stack));
      expect(wg.inputs.configuration, stack).to.deep.equal({
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: scanCutoffBytes(settingsOf(stack).athena.bytesScannedCutoffGb),
        resultConfiguration: {
          outputLocation: `s3://${String(lake.bucket("results").outputs.bucket)}/${workgroupName(stack)}/`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: dataKeyArn(lake.run) },
        },
      });
    }
  });

  it("lets the analyst role read curated and query, but not read raw or write the lake (its captured policy, evaluated)", () => {
    for (const [stack, lake] of Object.entries(lakes)) {
      const name = analystRoleName(stack);
      one(lake.run.resources.filter((r) => r.type === "aws:iam/role:Role" && r.inputs.name === name), `${stack} analyst role`);
      const documents = lake.run.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === name).map((r) => JSON.parse(String(r.inputs.policy)) as unknown);
      expect(documents, stack).to.have.length(1);
      expect(lake.run.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === name), stack).to.deep.equal([]);
      const region = lake.run.config.region;
      const account = lake.run.config.accountId;
      const decide = (action: string, resources: string[], context: Record<string, string> = {}) => evaluate(documents, { action, resources, context });
      const raw = String(lake.bucket("raw").outputs.arn);
      const curated = String(lake.bucket("curated").outputs.arn);
      const results = String(lake.bucket("results").outputs.arn);
      expect(decide("athena:StartQueryExecution", [`arn:aws:athena:${region}:${account}:workgroup/${workgroupName(stack)}`]), stack).to.equal("allow");
      expect(decide("s3:GetObject", [`${curated}/topics/orders/dt=2026-12-01/a.parquet`]), stack).to.equal("allow");
      expect(decide("s3:PutObject", [`${results}/${workgroupName(stack)}/q.csv`]), stack).to.equal("allow");
      expect(decide("s3:GetObject", [`${raw}/topics/users/dt=2026-12-01/a.parquet`]), stack).to.equal("explicit-deny");
      expect(decide("glue:GetTable", [`arn:aws:glue:${region}:${account}:table/${rawDatabaseName(stack)}/users`]), stack).to.equal("explicit-deny");
      expect(decide("s3:PutObject", [`${curated}/topics/orders/x.parquet`]), stack).to.equal("explicit-deny");
      expect(decide("s3:DeleteObject", [`${raw}/topics/orders/x.parquet`]), stack).to.equal("explicit-deny");
      expect(decide("glue:DeleteTable", [`arn:aws:glue:${region}:${account}:table/${curatedDatabaseName(stack)}/orders`]), stack).to.equal("explicit-deny");
      expect(decide("kms:Decrypt", [dataKeyArn(lake.run)], { "kms:ViaService": `s3.${region}.amazonaws.com` }), stack).to.equal("allow");
      expect(decide("kms:Decrypt", [dataKeyArn(lake.run)]), stack).to.equal("implicit-deny");
    }
  });

  it("builds nothing of the lake in dev, where it is off by default", async () => {
    const dev = await realStack("dev");
    expect(settingsOf("dev").enabled).to.equal(false);
    expect(dev.resources.filter((r) => r.type === LAKE || r.type.startsWith("aws:glue/") || r.type.startsWith("aws:athena/"))).to.deep.equal([]);
    expect(dev.resources.filter((r) => r.type === "aws:iam/role:Role" && r.inputs.name === analystRoleName("dev"))).to.deep.equal([]);
  });

  it("follows the stack's config: other lifecycle days and scan cutoff in preprod change the buckets and the workgroup", async () => {
    const lake = lakeOf(await stackWithConfig("preprod", [
      [["tila-platform:analytics", "lake"], { infrequentAccessDays: 45, glacierDays: 120, rawRetentionDays: 400, curatedRetentionDays: 900 }],
      [["tila-platform:analytics", "athena"], { bytesScannedCutoffGb: 25 }],
    ]));
    const raw = one(lake.of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", lake.bucket("raw")), "raw lifecycle");
    const rule = (raw.inputs.rules as { transitions: unknown; expiration: unknown }[])[0]!;
    expect(rule.transitions).to.deep.equal([{ days: 45, storageClass: "STANDARD_IA" }, { days: 120, storageClass: "GLACIER_IR" }]);
    expect(rule.expiration).to.deep.equal({ days: 400 });
    const curated = one(lake.of("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", lake.bucket("curated")), "curated lifecycle");
    expect((curated.inputs.rules as { expiration: unknown }[])[0]!.expiration).to.deep.equal({ days: 900 });
    const wg = one(lake.children.filter((r) => r.type === "aws:athena/workgroup:Workgroup"), "workgroup");
    expect((wg.inputs.configuration as { bytesScannedCutoffPerQuery: number }).bytesScannedCutoffPerQuery).to.equal(25_000_000_000);
  });
});
