import { expect } from "chai";
import type { CapturedResource } from "../../offline/types";
import type { StackRun } from "../../offline/engine";
import { realStack } from "../support/realStacks";
import { GRAYLOG_PROVISIONING } from "../../stacks/graylogProvisioning";
import { GRAYLOG_HTTPS_PORT } from "../../components/observability/logging/graylogPlan";
import { provisionerPolicy, provisioningKeyPolicy, relayPolicy } from "../../components/observability/logging/graylogProvisioningPolicy";
import { GraylogProvisioning, GraylogProvisioningArgs } from "../../components/observability/logging/GraylogProvisioning";
import { graylogSpec } from "../../components/observability/logging/graylogProvisioningSpec";
import { MANAGEMENT_ACCOUNT, captureError, ofType as ofTypeIn, one, run as capture } from "../support/graph";

const SCOPE = { partition: "aws", region: "me-south-1", accountId: "111111111111" };
const COMMON = {
  adminSecretArn: "arn:aws:secretsmanager:me-south-1:111111111111:secret:graylog-admin-AbCd",
  secretsKeyArn: "arn:aws:kms:me-south-1:111111111111:key/graylog",
  queueArn: "arn:aws:sqs:me-south-1:111111111111:tila-management-graylog-alerts-dlq",
  keyArn: "arn:aws:kms:me-south-1:111111111111:key/provisioning",
};
type Statement = { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> };
const grants = (doc: { Statement: readonly Record<string, unknown>[] }): string[] =>
  (doc.Statement as unknown as Statement[]).flatMap((s) => [s.Action].flat().map((a) => `${a} ${[s.Resource].flat().join(",")}`)).sort();

describe("GraylogProvisioning", () => {
  describe("its policies (graylogProvisioningPolicy.ts)", () => {
    it("lets the provisioner read the admin secret through Secrets Manager only, and nothing of the domain without the archive", () => {
      const doc = provisionerPolicy(SCOPE, { ...COMMON, functionName: "tila-management-graylog-provisioner" });
      expect(grants(doc)).to.deep.equal([
        `kms:Decrypt ${COMMON.secretsKeyArn}`,
        `kms:Decrypt ${COMMON.keyArn}`,
        `kms:GenerateDataKey ${COMMON.keyArn}`,
        "logs:CreateLogStream arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/tila-management-graylog-provisioner,arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/tila-management-graylog-provisioner:log-stream:*",
        "logs:PutLogEvents arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/tila-management-graylog-provisioner,arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/tila-management-graylog-provisioner:log-stream:*",
        `secretsmanager:GetSecretValue ${COMMON.adminSecretArn}`,
        `sqs:SendMessage ${COMMON.queueArn}`,
      ]);
      const decrypt = (doc.Statement as unknown as Statement[]).find((s) => s.Sid === "DecryptGraylogAdmin")!;
      expect(decrypt.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com", "kms:EncryptionContext:SecretARN": COMMON.adminSecretArn } });
    });

    it("adds the domain's HTTP API and passing the snapshot role only, with the archive", () => {
      const archive = { domainArn: "arn:aws:es:me-south-1:111111111111:domain/management-graylog", snapshotRoleArn: "arn:aws:iam::111111111111:role/management-graylog-snapshots" };
      const extra = grants(provisionerPolicy(SCOPE, { ...COMMON, functionName: "f", archive })).filter((g) => /^(es|iam):/.test(g));
      expect(extra).to.deep.equal([
        `es:ESHttpGet ${archive.domainArn}/*`,
        `es:ESHttpPost ${archive.domainArn}/*`,
        `es:ESHttpPut ${archive.domainArn}/*`,
        `iam:PassRole ${archive.snapshotRoleArn}`,
      ]);
    });

    it("lets the relay publish to the two topics (their key through SNS only) and read and write its table's items", () => {
      const doc = relayPolicy(SCOPE, { ...COMMON, functionName: "f", topicArns: ["arn:aws:sns:me-south-1:111111111111:w", "arn:aws:sns:me-south-1:111111111111:c"], topicsKeyArn: "arn:aws:kms:me-south-1:111111111111:key/topics", tableArn: "arn:aws:dynamodb:me-south-1:111111111111:table/t" });
      const g = grants(doc).filter((x) => /^(sns|dynamodb|kms:GenerateDataKey arn:aws:kms:me-south-1:111111111111:key\/topics)/.test(x));
      expect(g).to.deep.equal([
        "dynamodb:GetItem arn:aws:dynamodb:me-south-1:111111111111:table/t",
        "dynamodb:PutItem arn:aws:dynamodb:me-south-1:111111111111:table/t",
        "kms:GenerateDataKey arn:aws:kms:me-south-1:111111111111:key/topics",
        "sns:Publish arn:aws:sns:me-south-1:111111111111:c,arn:aws:sns:me-south-1:111111111111:w",
      ]);
      expect((doc.Statement as unknown as Statement[]).find((s) => s.Sid === "EncryptAlerts")!.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "sns.me-south-1.amazonaws.com" } });
    });

    it("lets CloudWatch Logs use the key only for the two functions' groups", () => {
      const doc = provisioningKeyPolicy(SCOPE, ["/aws/lambda/a", "/aws/lambda/b"]);
      const logs = (doc.Statement as unknown as Statement[]).find((s) => s.Sid === "CloudWatchLogsEncryptsFunctionLogs")!;
      expect(logs.Condition).to.deep.equal({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/a", "arn:aws:logs:me-south-1:111111111111:log-group:/aws/lambda/b"] } });
    });
  });

  describe("the component on its own", () => {
    const TAGS = { Environment: "management", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
    const SPEC = graylogSpec({ indexSets: [{ stack: "management", prefix: "tila-management", hotDays: 90, archiveDays: 0 }, { stack: "dev", prefix: "tila-dev", hotDays: 7, archiveDays: 0 }], services: [{ environment: "dev", service: "orders" }], errorsPerFiveMinutes: 50 });
    const args = (over: Partial<GraylogProvisioningArgs> = {}): GraylogProvisioningArgs => ({
      environment: "management",
      region: "me-south-1",
      partition: "aws",
      accountId: MANAGEMENT_ACCOUNT,
      endpoints: {
        url: "https://graylog.management.internal.tila.sa",
        adminSecretArn: `arn:aws:secretsmanager:me-south-1:${MANAGEMENT_ACCOUNT}:secret:graylog-admin-AbCd`,
        secretsKeyArn: `arn:aws:kms:me-south-1:${MANAGEMENT_ACCOUNT}:key/graylog`,
        loadBalancerSecurityGroupId: "sg-0123456789abcdef0",
        vpcId: "vpc-0123456789abcdef0",
        subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      },
      spec: SPEC,
      topics: { critical: `arn:aws:sns:me-south-1:${MANAGEMENT_ACCOUNT}:c`, warning: `arn:aws:sns:me-south-1:${MANAGEMENT_ACCOUNT}:w`, keyArn: `arn:aws:kms:me-south-1:${MANAGEMENT_ACCOUNT}:key/topics` },
      logRetentionDays: 90,
      tags: TAGS,
      ...over,
    });

    it("without an archive, invokes with the spec alone and grants nothing of a domain or a snapshot role", async () => {
      const result = await capture(() => {
        new GraylogProvisioning("p", args());
        return {};
      }, "management");
      const input = JSON.parse(String(ofTypeIn(result, "aws:lambda/invocation:Invocation")[0]!.inputs.input)) as Record<string, unknown>;
      expect(input).to.deep.equal(JSON.parse(JSON.stringify(SPEC)));
      const doc = JSON.parse(String(one(result, "aws:iam/rolePolicy:RolePolicy", "p-provisioner-policy").inputs.policy)) as { Statement: Statement[] };
      expect(doc.Statement.flatMap((x) => [x.Action].flat()).filter((a) => /^(es|iam):/.test(a))).to.deep.equal([]);
    });

    it("refuses bad arguments whole, naming each field", async () => {
      const e = await captureError(() => new GraylogProvisioning("p", args({
        environment: "Management",
        endpoints: { ...args().endpoints, subnetIds: [] },
        spec: { ...SPEC, indexSets: [] },
        logRetentionDays: 0,
        provisionerTimeoutSeconds: 1000,
        tags: { Environment: "management" },
      })), "management");
      expect(e.message)
        .to.contain('environment: "Management" must be a lower-case stack name')
        .and.contain("endpoints.subnetIds: the functions need management's app subnets")
        .and.contain("spec.indexSets: Graylog needs at least one index set")
        .and.contain("logRetentionDays: must be a whole number of days (got 0)")
        .and.contain("provisionerTimeoutSeconds: must be 60 to 900, Lambda's limit (got 1000)")
        .and.contain("tags.Owner: required tag is missing");
    });
  });

  describe("in management's captured graph", () => {
    let run: StackRun;
    let mine: CapturedResource[];
    const ofType = (type: string): CapturedResource[] => mine.filter((r) => r.type === type);
    const named = (name: string): CapturedResource => {
      const r = mine.find((x) => x.name === name);
      if (!r) throw new Error(`no resource ${name}`);
      return r;
    };
    const policyOf = (name: string): Statement[] => (JSON.parse(String(named(name).inputs.policy)) as { Statement: Statement[] }).Statement;

    before(async function () {
      this.timeout(300_000);
      run = await realStack("management");
      mine = run.resources.filter((r) => r.name.startsWith(GRAYLOG_PROVISIONING));
    });

    it("invokes the provisioner with every environment's streams and every service's alert", () => {
      const invocations = ofType("aws:lambda/invocation:Invocation");
      expect(invocations).to.have.length(1);
      const input = JSON.parse(String(invocations[0]!.inputs.input)) as { indexSets: { stack: string }[]; streams: { title: string }[]; alerts: { title: string; severity: string }[]; archive?: { policies: { name: string }[] } };
      expect(input.indexSets.map((s) => s.stack).sort()).to.deep.equal(["dev", "management", "preprod", "prod", "stage"]);
      const titles = new Set(input.streams.map((s) => s.title));
      const alerts = new Set(input.alerts.map((a) => a.title));
      const services = run.resources.filter((r) => r.type === "aws:ecr/repository:Repository").length;
      expect(services, "management holds a repository per service").to.be.greaterThan(0);
      for (const env of ["dev", "stage", "preprod", "prod"]) {
        expect(titles.has(`tila ${env}`), env).to.equal(true);
        const own = [...titles].filter((t) => t.startsWith(`tila ${env} `));
        expect(own.length, `${env}'s services`).to.be.greaterThan(0);
        for (const t of own) expect(alerts.has(`${t} errors`), t).to.equal(true);
      }
      expect(input.alerts.filter((a) => a.severity === "critical").map((a) => a.title)).to.deep.equal(["tila prod error spike"]);
      expect(input.archive?.policies.map((p) => p.name)).to.deep.equal(["tila-management-archive", "tila-preprod-archive", "tila-prod-archive"]);
      const master = run.resources.find((r) => r.type === "aws:secretsmanager/secret:Secret" && /graylog-search-master-user$/.test(r.name));
      expect(master, "the domain's master user secret").to.not.equal(undefined);
      expect((input.archive as { masterSecretArn?: string }).masterSecretArn).to.equal(master!.outputs.arn);
      expect(invocations[0]!.inputs.functionName).to.equal(named(`${GRAYLOG_PROVISIONING}-provisioner`).outputs.name);
    });

    it("gives each role exactly its grants: the admin secret, its queue, its logs; the domain and the snapshot role for the provisioner; the topics and its table for the relay", () => {
      const actions = (name: string) => [...new Set(policyOf(name).flatMap((s) => [s.Action].flat()))].sort();
      expect(actions(`${GRAYLOG_PROVISIONING}-provisioner-policy`)).to.deep.equal([
        "es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut", "iam:PassRole", "kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "sqs:SendMessage",
      ]);
      expect(actions(`${GRAYLOG_PROVISIONING}-alerts-policy`)).to.deep.equal([
        "dynamodb:GetItem", "dynamodb:PutItem", "kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "secretsmanager:GetSecretValue", "sns:Publish", "sqs:SendMessage",
      ]);
      const topics = run.resources.filter((r) => r.type === "aws:sns/topic:Topic" && /tila-management-alerts-(critical|warning)$/.test(String(r.inputs.name))).map((t) => String(t.outputs.arn)).sort();
      expect(topics).to.have.length(2);
      expect(policyOf(`${GRAYLOG_PROVISIONING}-alerts-policy`).find((s) => s.Sid === "PublishAlerts")!.Resource).to.deep.equal(topics);
      for (const name of [`${GRAYLOG_PROVISIONING}-provisioner-policy`, `${GRAYLOG_PROVISIONING}-alerts-policy`]) {
        for (const s of policyOf(name)) {
          expect([s.Resource].flat().some((r) => r === "*"), `${name} ${s.Sid}`).to.equal(false);
          expect([s.Action].flat().some((a) => a.includes("*")), `${name} ${s.Sid}`).to.equal(false);
        }
      }
      const read = policyOf(`${GRAYLOG_PROVISIONING}-provisioner-policy`).find((s) => s.Sid === "ReadGraylogAdmin")!;
      const secrets = run.resources.filter((r) => r.type === "aws:secretsmanager/secret:Secret" && /^management-graylog-(admin|search-master-user)/.test(r.name)).map((r) => r.outputs.arn);
      expect([read.Resource].flat().sort(), "the admin and the domain's master user only").to.deep.equal([...secrets].sort());
      expect(policyOf(`${GRAYLOG_PROVISIONING}-alerts-policy`).find((s) => s.Sid === "ReadGraylogAdmin")!.Resource, "the relay reads the admin only").to.be.a("string");
      const pass = policyOf(`${GRAYLOG_PROVISIONING}-provisioner-policy`).find((s) => s.Sid === "PassSnapshotRole")!;
      const snapshotRole = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.outputs.arn === pass.Resource);
      expect(snapshotRole, "passes the archive's snapshot role").to.not.equal(undefined);
      expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => String(a.inputs.policyArn))).to.deep.equal([
        "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
      ]);
    });

    it("runs both functions in management's app subnets with a group of its own: no ingress, 443 to the load balancer's group (which admits it), HTTPS out", () => {
      const sg = named(`${GRAYLOG_PROVISIONING}-sg`);
      const appSubnets = run.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && (r.inputs.tags as Record<string, string>).Tier === "app").map((s) => s.id).sort();
      for (const f of ofType("aws:lambda/function:Function")) {
        const vpc = f.inputs.vpcConfig as { subnetIds: string[]; securityGroupIds: string[] };
        expect([...vpc.subnetIds].sort(), f.name).to.deep.equal(appSubnets);
        expect(vpc.securityGroupIds, f.name).to.deep.equal([sg.id]);
      }
      const lbGroup = run.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "management-graylog-lb-sg")!;
      expect(named(`${GRAYLOG_PROVISIONING}-out-graylog`).inputs).to.deep.include({ securityGroupId: sg.id, fromPort: GRAYLOG_HTTPS_PORT, toPort: GRAYLOG_HTTPS_PORT, referencedSecurityGroupId: lbGroup.id });
      expect(named(`${GRAYLOG_PROVISIONING}-in-graylog`).inputs).to.deep.include({ securityGroupId: lbGroup.id, fromPort: 443, referencedSecurityGroupId: sg.id });
      expect(run.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.securityGroupId === sg.id)).to.deep.equal([]);
    });

    it("encrypts its log groups with its own key and keeps them the stack's retention; the relay runs every minute and its failures alarm the warning topic", () => {
      const key = named(`${GRAYLOG_PROVISIONING}-key-key`);
      for (const g of ofType("aws:cloudwatch/logGroup:LogGroup")) {
        expect(g.inputs.kmsKeyId, g.name).to.equal(key.outputs.arn);
        expect(g.inputs.retentionInDays, g.name).to.be.a("number");
      }
      expect(ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => g.inputs.name).sort()).to.deep.equal(["/aws/lambda/tila-management-graylog-alerts", "/aws/lambda/tila-management-graylog-provisioner"]);
      expect(named(`${GRAYLOG_PROVISIONING}-schedule`).inputs.scheduleExpression).to.equal("rate(1 minute)");
      expect(named(`${GRAYLOG_PROVISIONING}-schedule-target`).inputs.arn).to.equal(named(`${GRAYLOG_PROVISIONING}-alerts`).outputs.arn);
      const warning = run.resources.find((r) => r.type === "aws:sns/topic:Topic" && r.inputs.name === "tila-management-alerts-warning")!.outputs.arn;
      const alarms = ofType("aws:cloudwatch/metricAlarm:MetricAlarm");
      expect(alarms.map((a) => a.name).sort()).to.deep.equal([`${GRAYLOG_PROVISIONING}-alerts-dead-letters`, `${GRAYLOG_PROVISIONING}-alerts-errors`, `${GRAYLOG_PROVISIONING}-provisioner-errors`]);
      for (const a of alarms) expect(a.inputs.alarmActions, a.name).to.deep.equal([warning]);
      expect(named(`${GRAYLOG_PROVISIONING}-alerts`).inputs.deadLetterConfig).to.deep.equal({ targetArn: named(`${GRAYLOG_PROVISIONING}-dlq`).outputs.arn });
      expect(named(`${GRAYLOG_PROVISIONING}-dlq`).inputs.kmsMasterKeyId).to.equal(key.outputs.arn);
    });
  });
});
