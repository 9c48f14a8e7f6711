import { expect } from "chai";
import { AlertChannels } from "../../components/observability/AlertChannels";
import { ObservabilityStack } from "../../components/observability/ObservabilityStack";
import { Inventory, planAlarms } from "../../components/observability/alarmPlan";
import { resolveThresholds } from "../../components/observability/thresholds";
import { CaptureResult } from "../../offline/types";
import { StackRun } from "../../offline/engine";
import { WORKLOAD_ACCOUNT, captureError, descendants, ofType, one, run } from "../support/graph";
import { runPack } from "../support/realPolicy";
import { planWeakenedTogether } from "../support/weaken";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const TOPICS = { critical: `arn:aws:sns:me-south-1:${WORKLOAD_ACCOUNT}:tila-prod-alerts-critical`, warning: `arn:aws:sns:me-south-1:${WORKLOAD_ACCOUNT}:tila-prod-alerts-warning`, keyArn: "arn:aws:kms:me-south-1:444444444444:key/k" };
const inventory: Inventory<string> = {
  environment: "prod",
  accountId: WORKLOAD_ACCOUNT,
  loadBalancers: [{ name: "public", arnSuffix: "app/prod-public/abc" }],
  services: [{ name: "catalog", clusterName: "tila-prod", serviceName: "catalog", targetGroup: "targetgroup/catalog/1", loadBalancer: "app/prod-public/abc" }],
  nodes: [],
  natGateways: [],
  vpnTunnels: [],
  transitAttachments: [],
};
const thresholds = resolveThresholds(true, {}, {});

describe("AlertChannels", () => {
  let captured: CaptureResult;
  before(async () => {
    captured = await run(() => {
      const c = new AlertChannels("prod-alerts", { environment: "prod", accountId: WORKLOAD_ACCOUNT, region: "me-south-1", emails: { critical: ["oncall@tila.sa"] }, tags: TAGS });
      return { critical: c.topics.critical };
    });
  });

  it("parents every resource to the component and subscribes exactly the configured addresses", () => {
    const root = one(captured, "tila:observability:AlertChannels", "prod-alerts");
    const custom = captured.resources.filter((r) => r.custom && !r.read && r.type.startsWith("aws:"));
    expect(descendants(captured, root).filter((r) => r.custom)).to.have.length(custom.length);
    const subs = ofType(captured, "aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).to.deep.equal([["email", "oncall@tila.sa"]]);
    expect(subs[0]!.inputs.topic).to.equal(one(captured, "aws:sns/topic:Topic", "prod-alerts-critical").outputs.arn);
  });

  it("gives each topic the policy of its own fixed ARN", () => {
    for (const sev of ["critical", "warning"]) {
      const topic = one(captured, "aws:sns/topic:Topic", `prod-alerts-${sev}`);
      const policy = JSON.parse(String(one(captured, "aws:sns/topicPolicy:TopicPolicy", `prod-alerts-${sev}-policy`).inputs.policy)) as { Statement: { Resource: string }[] };
      expect(policy.Statement.map((s) => s.Resource)).to.deep.equal(Array(4).fill(topic.outputs.arn));
    }
  });

  it("refuses an address that is not an e-mail, naming it", async () => {
    const e = await captureError(() => new AlertChannels("x", { environment: "prod", accountId: WORKLOAD_ACCOUNT, region: "me-south-1", emails: { warning: ["oncall"] }, tags: TAGS }));
    expect(e.message).to.include('emails.warning[0]: "oncall" is not an e-mail address');
  });
});

describe("ObservabilityStack", () => {
  let captured: CaptureResult;
  before(async () => {
    captured = await run(() => {
      new ObservabilityStack("prod-observability", { environment: "prod", inventory, thresholds, topics: TOPICS, tags: TAGS });
      return {};
    });
  });

  it("creates exactly the planned alarms, routed by severity, and a composite created after its children", () => {
    const plan = planAlarms(inventory, thresholds);
    const alarms = ofType(captured, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.name).sort()).to.deep.equal(plan.alarms.map((a) => a.name).sort());
    const composite = one(captured, "aws:cloudwatch/compositeAlarm:CompositeAlarm", "prod-observability-svc-catalog-down");
    expect(composite.inputs.alarmActions).to.deep.equal([TOPICS.critical]);
    const children = alarms.filter((a) => String(composite.inputs.alarmRule).includes(`"${String(a.inputs.name)}"`));
    expect(children).to.have.length(3);
    for (const c of children) expect(c.inputs.alarmActions, c.name).to.deep.equal([TOPICS.warning]);
    expect((composite.options as { dependsOn?: string[] }).dependsOn).to.include.members(children.map((c) => c.urn));
  });

  it("writes a p99 alarm as an extended statistic and a rate as metric math", () => {
    const p99 = one(captured, "aws:cloudwatch/metricAlarm:MetricAlarm", "prod-observability-alb-public-p99");
    expect(p99.inputs).to.deep.include({ extendedStatistic: "p99", metricName: "TargetResponseTime", namespace: "AWS/ApplicationELB" });
    expect(p99.inputs.statistic).to.equal(undefined);
    const rate = one(captured, "aws:cloudwatch/metricAlarm:MetricAlarm", "prod-observability-alb-public-5xx");
    const queries = rate.inputs.metricQueries as { id: string; returnData?: boolean; expression?: string }[];
    expect(queries.filter((q) => q.returnData).map((q) => q.id)).to.deep.equal(["e1"]);
    expect(rate.inputs.metricName).to.equal(undefined);
  });

  it("refuses missing common tags", async () => {
    const e = await captureError(() => new ObservabilityStack("x", { environment: "prod", inventory, thresholds, topics: TOPICS, tags: { Environment: "prod" } }));
    expect(e.message).to.match(/tags\.Owner: required tag is missing/);
  });
});

describe("the pack on a weakened real stack (dev)", () => {
  let weakened: StackRun;
  let hits: Record<string, string[]>;
  before(async function () {
    this.timeout(300_000);
    ({ run: weakened, hits } = await planWeakenedTogether("dev", {
      silentAlarm: (a) => (a.name === "dev-observability-svc-catalog-cpu" ? { ...a.props, alarmActions: [] } : undefined),
      silentComposite: (a) => (a.name === "dev-observability-svc-cart-down" ? { ...a.props, alarmActions: [] } : undefined),
      plainTopic: (a) => (a.name === "dev-alerts-warning" && a.type === "aws:sns/topic:Topic" ? { ...a.props, kmsMasterKeyId: "alias/aws/sns" } : undefined),
    }));
  });

  it("finds an alarm without actions, a composite without actions and a topic on the AWS-managed key, and nothing else", () => {
    expect(hits).to.deep.equal({ silentAlarm: ["dev-observability-svc-catalog-cpu"], silentComposite: ["dev-observability-svc-cart-down"], plainTopic: ["dev-alerts-warning"] });
    const found = runPack(weakened.resources, "dev").violations.filter((v) => v.level === "mandatory" && ["alarms-routed", "sns-topic-cmk-encrypted"].includes(v.policy));
    expect(found.map((f) => `${f.policy} ${f.name}`).sort()).to.deep.equal([
      "alarms-routed dev-observability-svc-cart-down",
      "alarms-routed dev-observability-svc-catalog-cpu",
      "sns-topic-cmk-encrypted dev-alerts-warning",
    ]);
  });
});
