import { expect } from "chai";
import { Inventory } from "../../components/observability/alarmPlan";
import { MAX_WIDGETS, Widget, crossEnvironmentWidgets, environmentWidgets, networkWidgets, renderBody } from "../../components/observability/dashboard";
import { SHARED_RESOURCE_TYPES, sinkPolicy } from "../../components/observability/CrossAccountObservability";
import { ofType } from "../support/graph";
import { realStacks } from "../support/realStacks";
import { StackRun } from "../../offline/engine";

const inv: Inventory<string> = {
  environment: "prod",
  accountId: "444444444444",
  loadBalancers: [{ name: "public", arnSuffix: "app/prod-public/abc" }],
  services: [{ name: "catalog", clusterName: "tila-prod", serviceName: "catalog", targetGroup: "targetgroup/catalog/1", loadBalancer: "app/prod-public/abc" }],
  nodes: [{ cluster: "kafka", index: 0, instanceId: "i-0", paths: ["/", "/var/lib/kafka"] }],
  mysql: { identifier: "prod-mysql", allocatedStorageGiB: 100, readReplicas: [] },
  redis: { replicationGroupId: "prod-redis", memberClusterIds: ["prod-redis-001"] },
  opensearch: { domainName: "prod-search", volumeSizeGiB: 100 },
  natGateways: [{ index: 0, id: "nat-0" }],
  vpnTunnels: [{ label: "riyadh-a-t1", address: "203.0.113.1" }],
  transitAttachments: [{ label: "prod", transitGatewayId: "tgw-1", attachmentId: "tgw-attach-1" }],
};

type Body = { widgets: (Widget<string> & { x: number; y: number })[] };
const titles = (ws: readonly Widget<string>[]) => ws.map((w) => w.properties.title).filter(Boolean);

describe("dashboards", () => {
  it("shows each service's golden signals: requests, errors, p99 latency, saturation", () => {
    expect(titles(environmentWidgets(inv, "me-south-1", "prod-waf"))).to.include.members(["catalog requests", "catalog errors", "catalog p99 latency", "catalog CPU and memory", "WAF allowed and blocked", "public ALB p99 latency", "kafka nodes: disk and memory used %"]);
  });

  it("reads the same metrics and dimensions the alarms do", () => {
    const w = environmentWidgets(inv, "me-south-1").find((x) => x.properties.title === "catalog errors")!;
    expect(w.properties.metrics![0]).to.deep.equal(["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "TargetGroup", "targetgroup/catalog/1", "LoadBalancer", "app/prod-public/abc"]);
  });

  it("lays widgets out in rows of 24 units", () => {
    const body = JSON.parse(renderBody("tila-prod", environmentWidgets(inv, "me-south-1"))) as Body;
    for (const w of body.widgets) expect(w.x + w.width).to.be.at.most(24);
    expect(body.widgets[1]).to.include({ x: 0, y: 1 });
  });

  it("refuses a widget with more metrics than CloudWatch allows", () => {
    const many = { type: "metric" as const, width: 6, height: 6, properties: { title: "too many", metrics: Array.from({ length: 501 }, () => ["AWS/EC2", "CPUUtilization"]) } };
    expect(() => renderBody("x", [many])).to.throw(/501 metrics/);
    expect(MAX_WIDGETS).to.equal(500);
  });

  it("shows management the network and each environment's signals through its account", () => {
    expect(titles(networkWidgets(inv, "me-south-1"))).to.deep.equal(["VPN tunnel state (1 = up)", "Transit packet drops", "NAT port allocation errors"]);
    const cross = crossEnvironmentWidgets([{ name: "prod", accountId: "444444444444" }], "me-south-1");
    const line = cross.find((w) => w.properties.title === "prod: ALB 5xx")!.properties.metrics![0]![0] as { expression: string; accountId: string };
    expect(line.accountId).to.equal("444444444444");
    expect(line.expression).to.match(/^SEARCH\('\{AWS\/ApplicationELB,LoadBalancer\} MetricName="HTTPCode_Target_5XX_Count"', 'Sum', 300\)$/);
  });

  it("lets exactly the environment accounts link to management's sink, sharing metrics only", () => {
    const p = sinkPolicy(["222222222222", "444444444444"]) as { Statement: { Principal: unknown; Action: unknown; Condition: unknown }[] };
    expect(p.Statement[0]!.Principal).to.deep.equal({ AWS: ["222222222222", "444444444444"] });
    expect(p.Statement[0]!.Action).to.deep.equal(["oam:CreateLink", "oam:UpdateLink"]);
    expect(p.Statement[0]!.Condition).to.deep.equal({ "ForAllValues:StringEquals": { "oam:ResourceTypes": ["AWS::CloudWatch::Metric"] } });
    expect(SHARED_RESOURCE_TYPES).to.deep.equal(["AWS::CloudWatch::Metric"]);
  });
});

describe("dashboards and cross-account observability (real stacks)", () => {
  let runs: Record<string, StackRun>;
  before(async function () {
    this.timeout(300_000);
    runs = await realStacks();
  });

  it("renders every stack's dashboard within CloudWatch's limits, its widgets on captured resources' dimensions", () => {
    for (const [stack, run] of Object.entries(runs)) {
      const d = only(run, "aws:cloudwatch/dashboard:Dashboard");
      const body = JSON.parse(String(d.inputs.dashboardBody)) as Body;
      expect(body.widgets.length, stack).to.be.within(2, MAX_WIDGETS);
      expect(String(d.inputs.dashboardName), stack).to.match(/^[A-Za-z0-9_-]{1,255}$/);
      if (stack !== "management") {
        const text = JSON.stringify(body);
        for (const tg of ofType(run, "aws:lb/targetGroup:TargetGroup").filter((t) => t.inputs.protocol !== "TCP")) expect(text, `${stack} ${tg.name}`).to.include(String(tg.outputs.arnSuffix));
      }
    }
  });

  it("links each environment in an account of its own to management's sink, and the sink admits exactly those accounts", () => {
    const sink = only(runs.management!, "aws:oam/sink:Sink");
    const policy = JSON.parse(String(only(runs.management!, "aws:oam/sinkPolicy:SinkPolicy").inputs.policy)) as { Statement: { Principal: { AWS: string[] } }[] };
    const linked: string[] = [];
    for (const env of ["dev", "stage", "preprod", "prod"]) {
      const links = ofType(runs[env]!, "aws:oam/link:Link");
      const account = String(only(runs[env]!, "aws:sns/topic:Topic", (t) => String(t.inputs.name).endsWith("-alerts-critical")).outputs.arn).split(":")[4]!;
      if (account === String(sink.outputs.arn).split(":")[4]) {
        expect(links, env).to.have.length(0);
        continue;
      }
      expect(links, env).to.have.length(1);
      expect(links[0]!.inputs.sinkIdentifier, env).to.equal(sink.outputs.arn);
      expect(links[0]!.inputs.resourceTypes, env).to.deep.equal(["AWS::CloudWatch::Metric"]);
      linked.push(account);
    }
    expect(policy.Statement[0]!.Principal.AWS.sort()).to.deep.equal([...new Set(linked)].sort());
  });
});

function only(run: StackRun, type: string, match: (r: StackRun["resources"][number]) => boolean = () => true): StackRun["resources"][number] {
  const found = ofType(run, type).filter(match);
  if (found.length !== 1) throw new Error(`${run.stack}: expected one ${type}, found ${found.length}`);
  return found[0]!;
}
