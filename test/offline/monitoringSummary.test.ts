import { expect } from "chai";
import { PlanResult, summarizeRun } from "../../offline/plan";
import { formatStack, planJson } from "../../offline/report";
import { formatMonitoring, summarizeMonitoring } from "../../offline/monitoringSummary";
import { StackRun } from "../../offline/engine";
import { ofType } from "../support/graph";
import { realStack } from "../support/realStacks";

describe("plan summaries: monitoring", () => {
  let dev: StackRun;
  let prod: StackRun;
  let management: StackRun;
  before(async function () {
    this.timeout(300_000);
    management = await realStack("management");
    dev = await realStack("dev");
    prod = await realStack("prod");
  });

  it("counts an environment's alarms by what they watch, matching the captured alarms", () => {
    const m = summarizeMonitoring("dev", dev.resources)!;
    const alarms = ofType(dev, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(Object.values(m.alarms).reduce((a, b) => a + b, 0)).to.equal(alarms.length);
    const services = ofType(dev, "tila:compute:MicroserviceService").length;
    // Each catalogue service and the Prometheus collector's own service: CPU, memory, running below desired.
    const collectors = ofType(dev, "aws:ecs/service:Service").filter((s) => s.inputs.name === "prometheus-collector").length;
    expect(collectors).to.equal(1);
    expect(m.alarms["ECS services"]).to.equal((services + collectors) * 3);
    expect(m.composites).to.equal(services);
    expect(m.alarms["data nodes"]).to.equal(ofType(dev, "aws:ec2/instance:Instance").length * 5);
    expect(m.unrouted).to.equal(0);
    expect(m.dashboards).to.deep.equal(["tila-dev"]);
  });

  it("says where alerts go: dev to Teams only, prod critical by e-mail and Teams and warnings by e-mail only", () => {
    expect(summarizeMonitoring("dev", dev.resources)!.topics).to.deep.equal([
      { topic: "critical", name: "tila-dev-alerts-critical", emails: 0, teams: true },
      { topic: "warning", name: "tila-dev-alerts-warning", emails: 0, teams: true },
      { topic: "security", name: "tila-dev-security", emails: 1, teams: true },
    ]);
    const prodTopics = summarizeMonitoring("prod", prod.resources)!.topics;
    expect(prodTopics.find((t) => t.topic === "critical")).to.deep.include({ emails: 1, teams: true });
    expect(prodTopics.find((t) => t.topic === "warning")).to.deep.include({ emails: 1, teams: false });
  });

  it("shows management's network alarms and its cross-environment dashboard", () => {
    const m = summarizeMonitoring("management", management.resources)!;
    expect(m.alarms["VPN tunnels"]).to.equal(ofType(management, "aws:ec2/vpnConnection:VpnConnection").length * 2);
    expect(m.alarms["NAT gateways"]).to.equal(ofType(management, "aws:ec2/natGateway:NatGateway").length);
    expect(m.dashboards).to.deep.equal(["tila-platform"]);
  });

  it("counts an alarm without an SNS action as unrouted", () => {
    const alarm = ofType(dev, "aws:cloudwatch/metricAlarm:MetricAlarm")[0]!;
    const broken = dev.resources.map((r) => (r === alarm ? { ...r, inputs: { ...r.inputs, alarmActions: [] } } : r));
    expect(summarizeMonitoring("dev", broken)!.unrouted).to.equal(1);
  });

  it("prints the monitoring block in the text report and carries it in the JSON", () => {
    const plan = summarizeRun(dev);
    const text = formatStack(plan);
    expect(text).to.include(formatMonitoring(plan.monitoring!)[0]);
    expect(text).to.match(/ {4}critical +tila-dev-alerts-critical +0 e-mails, Teams on/);
    const json = planJson({ stacks: [plan], runs: {}, totals: { stacks: 1, ok: 1, failed: 0, resources: plan.resourceCount, wallMs: 0 } } as PlanResult);
    expect(JSON.parse(JSON.stringify(json)).stacks[0].monitoring.topics).to.have.length(3);
  });

  it("reports nothing for a stack without alert topics", () => {
    expect(summarizeMonitoring("dev", dev.resources.filter((r) => r.type !== "aws:sns/topic:Topic"))).to.equal(undefined);
  });

  it("says what each environment's Prometheus collector scrapes, from its captured config and rules", () => {
    for (const run of [dev, prod]) {
      const p = summarizeMonitoring(run.stack, run.resources)!.prometheus!;
      expect(p.workspace).to.equal(`tila-${run.stack}`);
      expect(p.services).to.equal(ofType(run, "tila:compute:MicroserviceService").length);
      // node_exporter on every data node at least, besides the engines' own endpoints.
      expect(p.endpoints).to.be.at.least(ofType(run, "aws:ec2/instance:Instance").length);
      expect(p.rules).to.be.greaterThan(0);
    }
    expect(summarizeMonitoring("management", management.resources)!.prometheus).to.equal(undefined);
  });

  it("says which services carry APM agents: prod's New Relic on all and Glowroot on its Java services, none in dev", () => {
    const apm = summarizeMonitoring("prod", prod.resources)!.apm!;
    const observability = JSON.parse(String(prod.config.config["tila-platform:observability"])) as { apm: { glowroot: { javaServices: string[] } } };
    const javaServices = observability.apm.glowroot.javaServices;
    expect(apm).to.deep.equal({
      newRelicAgents: ofType(prod, "tila:compute:MicroserviceService").length,
      metricStreamTo: "aws-api.eu01.nr-data.net",
      glowrootAgents: javaServices.length,
    });
    expect(summarizeMonitoring("dev", dev.resources)!.apm).to.equal(undefined);
    expect(summarizeMonitoring("management", management.resources)!.apm!.glowrootCollector).to.match(/^glowroot\.management\.internal\.[a-z.]+:8181$/);
    const lines = formatMonitoring(summarizeMonitoring("prod", prod.resources)!);
    expect(lines).to.include(`  apm: New Relic agents on ${apm.newRelicAgents} services; New Relic metric stream to aws-api.eu01.nr-data.net; Glowroot agents on ${javaServices.length} services`);
  });
});
