import { createHash } from "crypto";
import * as fs from "fs";
import { expect } from "chai";
import { AuditReports } from "../../components/security/incident/AuditReports";
import { IncidentResponse, IncidentResponseArgs } from "../../components/security/incident/IncidentResponse";
import { assumedRolePrefix, breakGlassSignInPattern, guardDutyFindingPattern } from "../../components/security/incident/patterns";
import { auditReportBucketStatements, auditReportKeyStatement } from "../../components/security/incident/policies";
import { bundleFunction } from "../../components/data/functionBundle";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { WORKLOAD_ACCOUNT, captureError, childrenOf, expectRequiredTags, ofType, one, only, run } from "../support/graph";
import { resourceRuleFindings } from "../support/realPolicy";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const BREAK_GLASS = `arn:aws:iam::${WORKLOAD_ACCOUNT}:role/tila-platform-break-glass`;
const LOG_BUCKET = "tila-log-archive-111111111111";
const LOG_KEY = "arn:aws:kms:me-south-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666";

function args(over: Partial<IncidentResponseArgs> = {}): IncidentResponseArgs {
  return {
    environment: "prod",
    accountId: WORKLOAD_ACCOUNT,
    region: "me-south-1",
    notificationEmails: ["security@tila.sa", "oncall@tila.sa"],
    vpcs: { prod: "vpc-0aaa1111bbb22222c" },
    breakGlassRoleArn: BREAK_GLASS,
    logRetentionDays: 365,
    tags: TAGS,
    ...over,
  };
}

function json(r: CapturedResource, key: string): Record<string, unknown> {
  const v = r.inputs[key];
  return (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>;
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, unknown>; Principal?: unknown };
const ISOLATION_FN = "security-isolation-function";
const isolationFn = (r: CaptureResult) => one(r, "aws:lambda/function:Function", ISOLATION_FN);
const targetsOf = (r: CaptureResult, rule: string) => ofType(r, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.startsWith(`${rule}-`));
const statements = (r: CapturedResource, key = "policy") => (json(r, key).Statement as Statement[]);
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resources = (s: Statement) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

describe("IncidentResponse", () => {
  let prod: CaptureResult;
  let dryRunOff: CaptureResult;
  before(async () => {
    prod = await run(() => {
      const ir = new IncidentResponse("security", args());
      const reports = new AuditReports("audit", {
        environment: "prod",
        accountId: WORKLOAD_ACCOUNT,
        region: "me-south-1",
        topicArn: ir.topicArn,
        topicKeyArn: ir.topicKeyArn,
        bucket: { name: LOG_BUCKET, kmsKeyArn: LOG_KEY },
        logRetentionDays: 365,
        tags: TAGS,
      });
      return { topicArn: ir.topicArn, hash: ir.isolationCodeHash, prefix: reports.prefix };
    });
    dryRunOff = await run(() => {
      new IncidentResponse("security", args({ dryRun: false, breakGlassRoleArn: undefined, guardDutySeverityThreshold: 4 }));
      return {};
    }, "dev");
  });

  it("encrypts the security topic with its own rotating key that EventBridge may use for this account only", () => {
    const key = one(prod, "aws:kms/key:Key", "security-topic-key");
    expect(key.inputs.enableKeyRotation).to.equal(true);
    const events = statements(key).find((s) => s.Sid === "EventBridgePublishes")!;
    expect(events.Principal).to.deep.equal({ Service: "events.amazonaws.com" });
    expect(actions(events)).to.have.members(["kms:GenerateDataKey", "kms:Decrypt"]);
    expect(events.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": WORKLOAD_ACCOUNT } });
    const topic = only(prod, "aws:sns/topic:Topic");
    expect(topic.inputs.name).to.equal("tila-prod-security");
    expect(topic.inputs.kmsMasterKeyId).to.equal(key.outputs.arn);
  });

  it("lets this account's EventBridge rules publish to the topic, and nobody publish without TLS", () => {
    const policy = statements(only(prod, "aws:sns/topicPolicy:TopicPolicy"));
    const allow = policy.find((s) => s.Sid === "EventBridgePublishes")!;
    expect(allow.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": WORKLOAD_ACCOUNT } });
    expect(policy.find((s) => s.Sid === "TlsOnly")).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("subscribes every configured address by e-mail", () => {
    const subs = ofType(prod, "aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([["email", "security@tila.sa"], ["email", "oncall@tila.sa"]]);
  });

  it("routes GuardDuty findings at the threshold and critical Security Hub findings to the topic and the isolation Lambda", () => {
    const fn = isolationFn(prod);
    for (const role of ["guardduty", "securityhub-critical"]) {
      const rule = one(prod, "aws:cloudwatch/eventRule:EventRule", `security-${role}`);
      const targets = targetsOf(prod, `security-${role}`);
      for (const t of targets) expect(t.inputs.rule).to.equal(rule.outputs.name);
      expect(targets.map((t) => t.inputs.arn)).to.have.members([only(prod, "aws:sns/topic:Topic").outputs.arn, fn.outputs.arn]);
      const permission = one(prod, "aws:lambda/permission:Permission", `security-${role}-invoke`);
      expect(permission.inputs).to.deep.include({ principal: "events.amazonaws.com", sourceArn: rule.outputs.arn, action: "lambda:InvokeFunction" });
    }
    const gd = json(one(prod, "aws:cloudwatch/eventRule:EventRule", "security-guardduty"), "eventPattern");
    expect(gd).to.deep.equal(guardDutyFindingPattern(7));
    expect(json(one(dryRunOff, "aws:cloudwatch/eventRule:EventRule", "security-guardduty"), "eventPattern")).to.deep.equal({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", 4] }] },
    });
  });

  it("alarms root and break-glass console sign-ins on the topic only (nothing to isolate)", () => {
    const topicArn = only(prod, "aws:sns/topic:Topic").outputs.arn;
    for (const role of ["root-sign-in", "break-glass-sign-in"]) {
      const targets = targetsOf(prod, `security-${role}`);
      expect(targets.map((t) => t.inputs.arn)).to.deep.equal([topicArn]);
    }
    expect(json(one(prod, "aws:cloudwatch/eventRule:EventRule", "security-break-glass-sign-in"), "eventPattern")).to.deep.equal(breakGlassSignInPattern(BREAK_GLASS));
    expect(ofType(dryRunOff, "aws:cloudwatch/eventRule:EventRule").map((r) => r.name)).to.not.include("security-break-glass-sign-in");
  });

  it("creates a quarantine group with no rules in each VPC and hands the function the VPC-to-group map", () => {
    const sg = one(prod, "aws:ec2/securityGroup:SecurityGroup", "security-quarantine-prod");
    expect(sg.inputs.vpcId).to.equal("vpc-0aaa1111bbb22222c");
    expect(sg.inputs.ingress ?? []).to.deep.equal([]);
    expect(sg.inputs.egress ?? []).to.deep.equal([]);
    expect(ofType(prod, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").concat(ofType(prod, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"))).to.deep.equal([]);
    const env = (isolationFn(prod).inputs.environment as { variables: Record<string, string> }).variables;
    expect(JSON.parse(env.QUARANTINE_GROUPS!)).to.deep.equal({ "vpc-0aaa1111bbb22222c": sg.id });
    expect(sg.id).to.match(/^sg-/);
  });

  it("deploys the bundled handler for the Lambda runtime, with the bundle's SHA-256 as sourceCodeHash", () => {
    const fn = isolationFn(prod);
    const bundle = fs.readFileSync(bundleFunction("incident-isolation"));
    expect(fn.inputs).to.deep.include({ name: "tila-prod-incident-isolation", handler: "index.handler", runtime: "nodejs22.x", sourceCodeHash: createHash("sha256").update(bundle).digest("base64") });
    expect(prod.outputs.hash).to.equal(fn.inputs.sourceCodeHash);
  });

  it("starts in dry run unless told otherwise", () => {
    const env = (fn: CaptureResult) => (isolationFn(fn).inputs.environment as { variables: Record<string, string> }).variables;
    expect(env(prod).DRY_RUN).to.equal("true");
    expect(env(dryRunOff).DRY_RUN).to.equal("false");
  });

  it("gives the isolation role exactly the calls the handler makes, in this account and region", () => {
    const policy = one(prod, "aws:iam/rolePolicy:RolePolicy", "security-isolation-policy");
    const all = statements(policy);
    expect(all.flatMap(actions).sort()).to.deep.equal(
      [
        "ec2:CreateSnapshot", "ec2:CreateTags", "ec2:CreateTags", "ec2:DescribeInstances", "ec2:DescribeSnapshots", "ec2:ModifyNetworkInterfaceAttribute",
        "ecs:DescribeTasks", "ecs:StopTask", "ecs:TagResource", "kms:Decrypt", "kms:GenerateDataKey", "logs:CreateLogStream", "logs:PutLogEvents", "sns:Publish",
      ].sort(),
    );
    for (const s of all) {
      if (resources(s).includes("*")) expect(actions(s), "only Describe calls may use *").to.have.members(["ec2:DescribeInstances", "ec2:DescribeSnapshots"]);
      for (const r of resources(s)) if (r !== "*") expect(r).to.satisfy((x: string) => x.includes(WORKLOAD_ACCOUNT) || x.startsWith("arn:aws:ec2:me-south-1::snapshot/"));
    }
    const tagSnapshots = all.find((s) => s.Sid === "TagNewSnapshots")!;
    expect(tagSnapshots.Condition).to.deep.equal({ StringEquals: { "ec2:CreateAction": "CreateSnapshot" } });
  });

  it("reports failed invocations to the topic after two retries", () => {
    const configs = ofType(prod, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(configs).to.have.length(2);
    for (const c of configs) {
      expect(c.inputs).to.deep.include({ maximumRetryAttempts: 2, destinationConfig: { onFailure: { destination: only(prod, "aws:sns/topic:Topic").outputs.arn } } });
    }
  });

  it("passes every resource rule of the policy pack (IAM scoping, tagging, logging, encryption)", () => {
    expect(resourceRuleFindings(prod.resources)).to.deep.equal([]);
  });

  it("tags every resource and parents it under its component", () => {
    const component = only(prod, "tila:security:IncidentResponse");
    expect(childrenOf(prod, component).length).to.be.greaterThan(10);
    for (const r of prod.resources.filter((x) => x.custom && "tags" in x.inputs)) expectRequiredTags(r);
  });

  it("refuses a severity outside 1-10 and no VPC, naming each", async () => {
    const e = await captureError(() => new IncidentResponse("x", args({ guardDutySeverityThreshold: 11, vpcs: {} })));
    expect(e.message).to.contain("guardDutySeverityThreshold: must be 1 to 10 (got 11)").and.contain("vpcs:");
  });
});

describe("AuditReports", () => {
  let prod: CaptureResult;
  before(async () => {
    prod = await run(() => {
      new AuditReports("audit", {
        environment: "prod",
        accountId: WORKLOAD_ACCOUNT,
        region: "me-south-1",
        topicArn: `arn:aws:sns:me-south-1:${WORKLOAD_ACCOUNT}:tila-prod-security`,
        topicKeyArn: `arn:aws:kms:me-south-1:${WORKLOAD_ACCOUNT}:key/1111`,
        bucket: { name: LOG_BUCKET, kmsKeyArn: LOG_KEY },
        logRetentionDays: 365,
        tags: TAGS,
      });
      return {};
    });
  });

  it("runs weekly through EventBridge Scheduler with a role that may invoke only this function", () => {
    const schedule = only(prod, "aws:scheduler/schedule:Schedule");
    const fn = only(prod, "aws:lambda/function:Function");
    expect(schedule.inputs).to.deep.include({ scheduleExpression: "cron(0 8 ? * MON *)", scheduleExpressionTimezone: "Asia/Riyadh", flexibleTimeWindow: { mode: "OFF" } });
    const target = schedule.inputs.target as { arn: string; roleArn: string; input: string };
    expect(target.arn).to.equal(fn.outputs.arn);
    expect(JSON.parse(target.input)).to.deep.equal({ report: "weekly" });
    const invoke = statements(one(prod, "aws:iam/rolePolicy:RolePolicy", "audit-scheduler-invoke"));
    expect(invoke).to.deep.equal([{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: fn.outputs.arn }]);
    const trust = json(one(prod, "aws:iam/role:Role", "audit-scheduler-role"), "assumeRolePolicy").Statement as Statement[];
    expect(trust[0]).to.deep.include({ Principal: { Service: "scheduler.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": WORKLOAD_ACCOUNT } } });
  });

  it("writes only under its own prefix of the log-archive bucket, through the bucket's key", () => {
    const fn = only(prod, "aws:lambda/function:Function");
    const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(env).to.deep.include({ REPORT_BUCKET: LOG_BUCKET, REPORT_PREFIX: `audit-reports/prod/${WORKLOAD_ACCOUNT}`, REPORT_KMS_KEY_ARN: LOG_KEY });
    const all = statements(one(prod, "aws:iam/rolePolicy:RolePolicy", "audit-report-policy"));
    expect(all.find((s) => s.Sid === "WriteOwnReports")).to.deep.include({ Action: "s3:PutObject", Resource: `arn:aws:s3:::${LOG_BUCKET}/audit-reports/prod/${WORKLOAD_ACCOUNT}/*` });
    expect(all.find((s) => s.Sid === "EncryptReports")).to.deep.include({ Action: "kms:GenerateDataKey", Resource: LOG_KEY });
    expect(one(prod, "aws:iam/role:Role", "audit-report-role").inputs.name).to.equal("tila-prod-audit-report");
  });

  it("states the bucket and key policy statements management must add, one per writer, each scoped to its prefix and role", () => {
    const s = auditReportBucketStatements("aws", `arn:aws:s3:::${LOG_BUCKET}`, [{ stack: "prod", accountId: WORKLOAD_ACCOUNT }, { stack: "dev", accountId: "222222222222" }]);
    expect(s[1]).to.deep.equal({
      Sid: "AuditReportsdev",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${LOG_BUCKET}/audit-reports/dev/222222222222/*`,
      Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:role/tila-dev-audit-report" } },
    });
    const k = auditReportKeyStatement("aws", "me-south-1", [{ stack: "prod", accountId: WORKLOAD_ACCOUNT }]);
    expect(k.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.me-south-1.amazonaws.com" }, ArnEquals: { "aws:PrincipalArn": [`arn:aws:iam::${WORKLOAD_ACCOUNT}:role/tila-prod-audit-report`] } });
  });

  it("refuses a schedule that is not cron() or rate()", async () => {
    const e = await captureError(
      () => new AuditReports("a", { environment: "prod", accountId: WORKLOAD_ACCOUNT, region: "me-south-1", topicArn: "t", topicKeyArn: "k", bucket: { name: LOG_BUCKET }, scheduleExpression: "every monday", logRetentionDays: 30, tags: TAGS }),
    );
    expect(e.message).to.contain('scheduleExpression: "every monday" must be cron(...) or rate(...)');
  });
});

describe("incident-response event patterns", () => {
  it("refuses a GuardDuty threshold outside 1-10", () => {
    expect(() => guardDutyFindingPattern(0)).to.throw(/must be 1 to 10/);
    expect(() => guardDutyFindingPattern(10.5)).to.throw(/must be 1 to 10/);
  });

  it("matches break-glass sessions by their STS ARN, whatever the role's path", () => {
    expect(assumedRolePrefix("arn:aws:iam::444444444444:role/tila-platform-break-glass")).to.equal("arn:aws:sts::444444444444:assumed-role/tila-platform-break-glass/");
    expect(assumedRolePrefix("arn:aws:iam::444444444444:role/ops/emergency/bg")).to.equal("arn:aws:sts::444444444444:assumed-role/bg/");
    expect(() => assumedRolePrefix("arn:aws:iam::444444444444:user/bob")).to.throw(/not an IAM role ARN/);
  });
});
