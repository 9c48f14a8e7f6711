import { createHash } from "crypto";
import * as fs from "fs";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { summarizeIncidentResponse } from "../../offline/securitySummary";
import { STACK_ORDER } from "../../offline/stackConfig";
import type { StackRun } from "../../offline/engine";
import { ofType, one, only } from "../support/graph";
import { realStacks } from "../support/realStacks";

const bundleHash = (code: string) => createHash("sha256").update(fs.readFileSync(bundleFunction(code))).digest("base64");
const envOf = (fn: { inputs: Record<string, unknown> }) => (fn.inputs.environment as { variables: Record<string, string> }).variables;

describe("incident response in every stack", () => {
  let stacks: Record<string, StackRun>;
  before(async () => {
    stacks = await realStacks();
  });

  it("every stack routes findings and sign-ins to its own encrypted topic and isolation Lambda", () => {
    for (const stack of STACK_ORDER) {
      const run = stacks[stack]!;
      expect(ofType(run, "tila:security:IncidentResponse"), stack).to.have.length(1);
      const topic = one(run, "aws:sns/topic:Topic", `${stack}-incident-topic`);
      expect(topic.inputs.name).to.equal(`tila-${stack}-security`);
      expect(topic.inputs.kmsMasterKeyId, stack).to.equal(one(run, "aws:kms/key:Key", `${stack}-incident-topic-key`).outputs.arn);
      const rules = ofType(run, "aws:cloudwatch/eventRule:EventRule").filter((r) => r.name.startsWith(`${stack}-incident-`)).map((r) => r.name.slice(`${stack}-incident-`.length));
      expect(rules, stack).to.have.members(["guardduty", "securityhub-critical", "root-sign-in", "break-glass-sign-in"]);
      const gd = JSON.parse(String(one(run, "aws:cloudwatch/eventRule:EventRule", `${stack}-incident-guardduty`).inputs.eventPattern));
      expect(gd.detail.severity, stack).to.deep.equal([{ numeric: [">=", 7] }]);
      // Its e-mail subscribers; the Teams notifier's subscription is tested with the notifier.
      const subs = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.topic === topic.outputs.arn && s.inputs.protocol === "email");
      expect(subs.map((s) => s.inputs.endpoint), stack).to.deep.equal(["security@tila.sa"]);
    }
  });

  it("puts a quarantine group with no rules in the stack's own VPC, and tells the Lambda", () => {
    for (const stack of STACK_ORDER) {
      const run = stacks[stack]!;
      const vpc = only(run, "aws:ec2/vpc:Vpc");
      const sg = one(run, "aws:ec2/securityGroup:SecurityGroup", `${stack}-incident-quarantine-${stack}`);
      expect(sg.inputs.vpcId, stack).to.equal(vpc.id);
      const rulesOfSg = [...ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), ...ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")].filter((r) => r.inputs.securityGroupId === sg.id);
      expect(rulesOfSg, stack).to.deep.equal([]);
      const fn = one(run, "aws:lambda/function:Function", `${stack}-incident-isolation-function`);
      expect(JSON.parse(envOf(fn).QUARANTINE_GROUPS!), stack).to.deep.equal({ [String(vpc.id)]: sg.id });
      expect(envOf(fn).DRY_RUN, stack).to.equal("true");
    }
  });

  it("deploys the repository's handlers, recording each bundle's SHA-256 in the plan", () => {
    for (const stack of STACK_ORDER) {
      const run = stacks[stack]!;
      expect(one(run, "aws:lambda/function:Function", `${stack}-incident-isolation-function`).inputs.sourceCodeHash, stack).to.equal(bundleHash("incident-isolation"));
      expect(one(run, "aws:lambda/function:Function", `${stack}-audit-reports-report-function`).inputs.sourceCodeHash, stack).to.equal(bundleHash("audit-report"));
    }
  });

  it("alarms the break-glass role's use on the stack's security topic", () => {
    for (const stack of STACK_ORDER) {
      const run = stacks[stack]!;
      const topicArn = one(run, "aws:sns/topic:Topic", `${stack}-incident-topic`).outputs.arn;
      const alarm = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.endsWith("break-glass-used-alarm"));
      expect(alarm.map((t) => t.inputs.arn), stack).to.deep.equal([topicArn]);
    }
  });

  it("shows in the plan what alerts, who is told, whether isolation is in dry run and when the report runs", () => {
    expect(summarizeIncidentResponse(stacks.prod!.resources)).to.deep.equal([
      { control: "incident response", state: "guardduty, securityhub-critical, root-sign-in, break-glass-sign-in -> tila-prod-security (security@tila.sa)" },
      { control: "isolation", state: "tila-prod-incident-isolation in DRY RUN, quarantine groups in 1 VPC(s)" },
      { control: "audit report", state: "cron(0 8 ? * MON *) Asia/Riyadh" },
    ]);
  });

  it("writes every stack's audit report to management's Config archive, under the stack's own prefix, with management's archive key", () => {
    const archive = stacks.management!.outputs.configArchiveBucket;
    expect(archive).to.be.a("string");
    for (const stack of STACK_ORDER) {
      const run = stacks[stack]!;
      const fn = one(run, "aws:lambda/function:Function", `${stack}-audit-reports-report-function`);
      const account = String(envOf(fn).ACCOUNT_ID);
      expect(envOf(fn), stack).to.deep.include({ REPORT_BUCKET: archive, REPORT_PREFIX: `audit-reports/${stack}/${account}`, REPORT_KMS_KEY_ARN: stacks.management!.outputs.archiveKeyArn });
      const schedule = one(run, "aws:scheduler/schedule:Schedule", `${stack}-audit-reports-schedule`);
      expect(schedule.inputs.scheduleExpression, stack).to.equal("cron(0 8 ? * MON *)");
    }
  });
});
