import { createHash } from "crypto";
import * as fs from "fs";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS, TeamsNotifier, TeamsNotifierArgs, notifierNames } from "../../components/observability/TeamsNotifier";
import { notifierPolicy } from "../../components/observability/teamsNotifierPolicy";
import { NAME_RULES, ruleProblems } from "../../offline/aws/nameRules";
import { nameLimitCheck } from "../../offline/aws/names";
import { CaptureResult } from "../../offline/types";
import { WORKLOAD_ACCOUNT, captureError, childrenOf, descendants, expectRequiredTags, ofType, one, only, policyDocument, run } from "../support/graph";
import { resourceRuleFindings } from "../support/realPolicy";
import { realStacks } from "../support/realStacks";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const REGION = "me-south-1";
const TOPICS = {
  critical: `arn:aws:sns:${REGION}:${WORKLOAD_ACCOUNT}:tila-prod-critical`,
  warning: `arn:aws:sns:${REGION}:${WORKLOAD_ACCOUNT}:tila-prod-warning`,
  security: `arn:aws:sns:${REGION}:${WORKLOAD_ACCOUNT}:tila-prod-security`,
};

function args(over: Partial<TeamsNotifierArgs> = {}): TeamsNotifierArgs {
  return {
    environment: "prod",
    topics: Object.entries(TOPICS).map(([name, arn]) => ({ name, arn })),
    logRetentionDays: 365,
    tags: TAGS,
    alarmTopicArn: TOPICS.warning,
    ...over,
  };
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string>>; Principal?: unknown };
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

describe("TeamsNotifier", () => {
  let prod: CaptureResult;
  let minimal: CaptureResult;
  const FN = "teams-function";
  before(async () => {
    prod = await run(() => {
      const n = new TeamsNotifier("teams", args());
      return { functionArn: n.functionArn, dlq: n.deadLetterQueueArn, secret: n.webhookSecretArn, name: n.functionName };
    });
    minimal = await run(() => {
      new TeamsNotifier("teams", args({ environment: "dev", tags: { ...TAGS, Environment: "dev" }, topics: [{ name: "critical", arn: TOPICS.critical }], alarmTopicArn: undefined, maxAttempts: 2, logRetentionDays: 30 }));
      return {};
    }, "dev");
  });

  const fn = () => one(prod, "aws:lambda/function:Function", FN);
  const queue = () => only(prod, "aws:sqs/queue:Queue");
  const secret = () => only(prod, "aws:secretsmanager/secret:Secret");
  const key = () => only(prod, "aws:kms/key:Key");
  const statements = (): Statement[] => policyDocument<{ Statement: Statement[] }>(only(prod, "aws:iam/rolePolicy:RolePolicy"), "policy").Statement;

  it("bundles functions/teams-notifier for the project's runtime, with the bundle's hash, and names the secret, the stack and the attempts", () => {
    const f = fn();
    expect(f.inputs).to.deep.include({ name: "tila-prod-teams-notifier", runtime: "nodejs22.x", handler: "index.handler", architectures: ["arm64"], timeout: 120 });
    expect(f.inputs.sourceCodeHash).to.equal(createHash("sha256").update(fs.readFileSync(bundleFunction("teams-notifier"))).digest("base64"));
    expect(f.inputs.environment).to.deep.equal({ variables: { WEBHOOK_SECRET_ARN: secret().outputs.arn, ENVIRONMENT: "prod", MAX_ATTEMPTS: "4" } });
    expect(one(minimal, "aws:lambda/function:Function", FN).inputs.environment).to.deep.include({ variables: { WEBHOOK_SECRET_ARN: only(minimal, "aws:secretsmanager/secret:Secret").outputs.arn, ENVIRONMENT: "dev", MAX_ATTEMPTS: "2" } });
  });

  it("holds the webhook URL in a secret under its own rotating customer key, with no value in the program", () => {
    expect(secret().inputs).to.deep.include({ name: "tila/prod/teams-webhook", kmsKeyId: key().outputs.arn });
    expect(ofType(prod, "aws:secretsmanager/secretVersion:SecretVersion")).to.deep.equal([]);
    expect(key().inputs.enableKeyRotation).to.equal(true);
  });

  it("creates its log group with the retention before the function, named as Lambda names it", () => {
    const logs = only(prod, "aws:cloudwatch/logGroup:LogGroup");
    expect(logs.inputs).to.deep.include({ name: "/aws/lambda/tila-prod-teams-notifier", retentionInDays: 365 });
    expect(fn().options.dependsOn).to.include(logs.urn);
    expect(only(minimal, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).to.equal(30);
  });

  it("keeps failed events 14 days in a KMS-encrypted dead-letter queue, both as the DLQ and as the on-failure destination", () => {
    expect(queue().inputs).to.deep.include({ name: "tila-prod-teams-notifier-dlq", kmsMasterKeyId: key().outputs.arn, messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS });
    expect(DEAD_LETTER_RETENTION_SECONDS).to.equal(14 * 24 * 3600);
    expect(fn().inputs.deadLetterConfig).to.deep.equal({ targetArn: queue().outputs.arn });
    const async = only(prod, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(async.inputs).to.deep.include({ functionName: fn().outputs.name, maximumRetryAttempts: ASYNC_RETRIES, destinationConfig: { onFailure: { destination: queue().outputs.arn } } });
    expect(ASYNC_RETRIES).to.equal(2);
    const tls = policyDocument<{ Statement: Statement[] }>(only(prod, "aws:sqs/queuePolicy:QueuePolicy"), "policy").Statement;
    expect(tls).to.deep.equal([{ Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queue().outputs.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }]);
  });

  it("subscribes the function to each topic, after SNS may invoke it from exactly that topic", () => {
    const permissions = ofType(prod, "aws:lambda/permission:Permission");
    const subscriptions = ofType(prod, "aws:sns/topicSubscription:TopicSubscription");
    expect(permissions.map((p) => p.inputs.sourceArn)).to.have.members(Object.values(TOPICS));
    expect(subscriptions.map((s) => s.inputs.topic)).to.have.members(Object.values(TOPICS));
    for (const [name, arn] of Object.entries(TOPICS)) {
      const p = one(prod, "aws:lambda/permission:Permission", `teams-invoke-${name}`);
      expect(p.inputs).to.deep.equal({ action: "lambda:InvokeFunction", function: fn().outputs.name, principal: "sns.amazonaws.com", sourceArn: arn });
      const s = one(prod, "aws:sns/topicSubscription:TopicSubscription", `teams-${name}`);
      expect(s.inputs).to.deep.include({ topic: arn, protocol: "lambda", endpoint: fn().outputs.arn });
      expect(s.options.dependsOn).to.include(p.urn);
    }
    expect(ofType(minimal, "aws:sns/topicSubscription:TopicSubscription")).to.have.length(1);
  });

  it("gives the role exactly its logs, the one secret, the one queue and their key through those services", () => {
    const s = statements();
    const by = (sid: string) => s.find((x) => x.Sid === sid)!;
    const fnName = "tila-prod-teams-notifier";
    const group = `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/aws/lambda/${fnName}`;
    expect(s.map((x) => x.Sid)).to.deep.equal(["OwnLogs", "ReadWebhookSecret", "DecryptWebhookSecret", "DeadLetter", "EncryptDeadLetters"]);
    expect(s.every((x) => x.Effect === "Allow")).to.equal(true);
    expect(by("OwnLogs")).to.deep.include({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [group, `${group}:log-stream:*`] });
    expect(by("ReadWebhookSecret")).to.deep.include({ Action: "secretsmanager:GetSecretValue", Resource: secret().outputs.arn });
    expect(by("DecryptWebhookSecret")).to.deep.include({
      Action: "kms:Decrypt",
      Resource: key().outputs.arn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${REGION}.amazonaws.com`, "kms:EncryptionContext:SecretARN": secret().outputs.arn } },
    });
    expect(by("DeadLetter")).to.deep.include({ Action: "sqs:SendMessage", Resource: queue().outputs.arn });
    expect(by("EncryptDeadLetters")).to.deep.include({ Resource: key().outputs.arn, Condition: { StringEquals: { "kms:ViaService": `sqs.${REGION}.amazonaws.com` } } });
    // No wildcard action, and no resource wider than the log group's own streams.
    for (const x of s) {
      for (const a of list(x.Action)) expect(a).to.not.contain("*");
      for (const r of list(x.Resource)) expect(r === "*" || (r.endsWith("*") && !r.endsWith(":log-stream:*")), r).to.equal(false);
    }
    const trust = policyDocument<{ Statement: Statement[] }>(only(prod, "aws:iam/role:Role"), "assumeRolePolicy").Statement;
    expect(trust).to.deep.equal([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": WORKLOAD_ACCOUNT } } }]);
    expect(fn().inputs.role).to.equal(only(prod, "aws:iam/role:Role").outputs.arn);
  });

  it("alarms on dead letters and function errors to the alarm topic when given one, with a runbook line", () => {
    const alarms = ofType(prod, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.name)).to.have.members(["tila-prod-teams-notifier-dead-letters", "tila-prod-teams-notifier-errors"]);
    for (const a of alarms) {
      expect(a.inputs.alarmActions).to.deep.equal([TOPICS.warning]);
      expect(String(a.inputs.alarmDescription)).to.contain("Runbook:");
    }
    expect(one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "teams-dead-letters").inputs.dimensions).to.deep.equal({ QueueName: "tila-prod-teams-notifier-dlq" });
    expect(ofType(minimal, "aws:cloudwatch/metricAlarm:MetricAlarm")).to.deep.equal([]);
  });

  it("passes every resource rule of the policy pack", () => {
    expect(resourceRuleFindings(prod.resources)).to.deep.equal([]);
  });

  it("keeps every name within AWS's limits in every stack", async () => {
    for (const env of ["management", "dev", "stage", "preprod", "prod"]) {
      const names = notifierNames(env);
      expect(names.functionName.length, env).to.be.at.most(64);
      expect(names.roleName.length, env).to.be.at.most(64);
      expect(names.queueName, env).to.match(/^[A-Za-z0-9_-]{1,80}$/);
    }
    const findings = nameLimitCheck(prod.resources, { stack: "prod", region: REGION, accountId: WORKLOAD_ACCOUNT });
    expect(findings).to.deep.equal([]);
  });

  it("tags every resource and parents everything under the component", () => {
    const component = only(prod, "tila:observability:TeamsNotifier");
    const under = new Set(descendants(prod, component).map((r) => r.urn));
    const own = prod.resources.filter((r) => r.custom && !r.read && !r.type.startsWith("pulumi:providers:"));
    expect(own.length).to.be.greaterThan(15);
    expect(own.filter((r) => !under.has(r.urn)).map((r) => r.name)).to.deep.equal([]);
    expect(childrenOf(prod, component).length).to.be.greaterThan(10);
    for (const r of own.filter((x) => "tags" in x.inputs)) expectRequiredTags(r);
    expect(component.outputs).to.have.keys(["functionArn", "functionName", "deadLetterQueueArn", "webhookSecretArn", "codeHash"]);
  });

  it("refuses bad arguments whole, naming each field", async () => {
    const e = await captureError(
      () =>
        new TeamsNotifier("x", {
          ...args(),
          environment: "Prod",
          topics: [{ name: "critical", arn: TOPICS.critical }, { name: "critical", arn: TOPICS.warning }, { name: "Bad Name", arn: TOPICS.security }],
          logRetentionDays: 0,
          maxAttempts: 11,
          tags: { Environment: "prod" },
        }),
    );
    expect(e.message)
      .to.contain('environment: "Prod" must be a lower-case stack name')
      .and.contain('topics[1].name: "critical" is listed twice')
      .and.contain('topics[2].name: "Bad Name" must be a short lower-case label')
      .and.contain("logRetentionDays: must be a whole number of days")
      .and.contain("maxAttempts: must be 1 to 10 (got 11)")
      .and.contain("tags.Owner: required tag is missing");
    const none = await captureError(() => new TeamsNotifier("x", args({ topics: [] })));
    expect(none.message).to.contain("topics: at least one topic");
  });
});

describe("teamsNotifierPolicy", () => {
  it("scopes the key statements by service, so the key is usable only through Secrets Manager and SQS", () => {
    const doc = notifierPolicy({ partition: "aws", region: "me-central-1", accountId: WORKLOAD_ACCOUNT }, { functionName: "f", secretArn: "arn:s", queueArn: "arn:q", keyArn: "arn:k" });
    const kms = doc.Statement.filter((s) => list(s.Action as string | string[]).some((a) => a.startsWith("kms:")));
    expect(kms.map((s) => (s.Condition as Record<string, Record<string, string>>).StringEquals!["kms:ViaService"])).to.deep.equal(["secretsmanager.me-central-1.amazonaws.com", "sqs.me-central-1.amazonaws.com"]);
  });
});

describe("TeamsNotifier in the real stacks", () => {
  let stacks: Record<string, CaptureResult>;
  before(async () => {
    stacks = await realStacks();
  });

  it("subscribes one notifier per stack to topics of that stack, the security topic among them, each through its own permission", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const notifier = only(stack, "tila:observability:TeamsNotifier");
      const mine = descendants(stack, notifier);
      const topicArns = new Set(ofType(stack, "aws:sns/topic:Topic").map((t) => t.outputs.arn));
      const subscriptions = mine.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription");
      const permissions = mine.filter((r) => r.type === "aws:lambda/permission:Permission");
      expect(subscriptions.length, name).to.be.at.least(2);
      for (const s of subscriptions) {
        expect(topicArns.has(s.inputs.topic), `${name} ${s.name}`).to.equal(true);
        expect(permissions.filter((p) => p.inputs.sourceArn === s.inputs.topic && p.inputs.principal === "sns.amazonaws.com"), `${name} ${s.name}`).to.have.length(1);
      }
      const security = ofType(stack, "aws:sns/topic:Topic").find((t) => t.inputs.name === `tila-${name}-security`);
      expect(security, `${name} security topic`).to.not.equal(undefined);
      expect(subscriptions.map((s) => s.inputs.topic), name).to.include(security!.outputs.arn);
    }
  });

  it("points each function at its own stack's empty webhook secret and its own dead-letter queue", () => {
    for (const [name, stack] of Object.entries(stacks)) {
      const mine = descendants(stack, only(stack, "tila:observability:TeamsNotifier"));
      const fnR = mine.find((r) => r.type === "aws:lambda/function:Function")!;
      const secretR = mine.find((r) => r.type === "aws:secretsmanager/secret:Secret")!;
      const queueR = mine.find((r) => r.type === "aws:sqs/queue:Queue")!;
      expect(secretR.inputs.name, name).to.equal(`tila/${name}/teams-webhook`);
      expect((fnR.inputs.environment as { variables: Record<string, unknown> }).variables.WEBHOOK_SECRET_ARN, name).to.equal(secretR.outputs.arn);
      expect(ofType(stack, "aws:secretsmanager/secretVersion:SecretVersion").filter((v) => v.inputs.secretId === secretR.outputs.arn || v.inputs.secretId === secretR.id), name).to.deep.equal([]);
      expect(fnR.inputs.deadLetterConfig, name).to.deep.equal({ targetArn: queueR.outputs.arn });
      const async = mine.find((r) => r.type === "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")!;
      expect(async.inputs.destinationConfig, name).to.deep.equal({ onFailure: { destination: queueR.outputs.arn } });
    }
  });
});

describe("SQS queue name rule (offline/aws/nameRules.ts)", () => {
  const sqs = NAME_RULES["aws:sqs/queue:Queue"]![0]!;
  it("takes the notifier's queue names and refuses what CreateQueue refuses", () => {
    expect(ruleProblems(sqs, "tila-preprod-teams-notifier-dlq")).to.deep.equal([]);
    expect(ruleProblems(sqs, "orders.fifo")).to.deep.equal([]);
    expect(ruleProblems(sqs, "a".repeat(81)).join("; ")).to.match(/at most 80/);
    expect(ruleProblems(sqs, "tila/prod").join("; ")).to.match(/contains "\/"/);
    expect(ruleProblems(sqs, "tila.prod").join("; ")).to.match(/only in a ".fifo" suffix/);
  });
});
