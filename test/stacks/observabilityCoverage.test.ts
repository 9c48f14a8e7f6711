import { expect } from "chai";
import { STACK_ORDER } from "../../offline/stackConfig";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { ofType } from "../support/graph";
import { realStacks } from "../support/realStacks";

type Dims = Record<string, unknown>;
interface Watched {
  alarm: CapturedResource;
  namespace: string;
  metricName: string;
  dims: Dims;
}

/** Every metric an alarm reads, single or inside its metric math. */
function metricsOf(run: StackRun): Watched[] {
  const out: Watched[] = [];
  for (const alarm of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
    const i = alarm.inputs as { namespace?: string; metricName?: string; dimensions?: Dims; metricQueries?: { metric?: { namespace: string; metricName: string; dimensions?: Dims } }[] };
    if (i.metricName) out.push({ alarm, namespace: i.namespace!, metricName: i.metricName, dims: i.dimensions ?? {} });
    for (const q of i.metricQueries ?? []) if (q.metric) out.push({ alarm, namespace: q.metric.namespace, metricName: q.metric.metricName, dims: q.metric.dimensions ?? {} });
  }
  return out;
}

/** The metric names alarmed in `namespace` on exactly these dimension values. */
function alarmedMetrics(watched: readonly Watched[], namespace: string, dims: Dims): string[] {
  const same = (d: Dims) => Object.keys(d).length === Object.keys(dims).length && Object.entries(dims).every(([k, v]) => d[k] === v);
  return [...new Set(watched.filter((w) => w.namespace === namespace && same(w.dims)).map((w) => w.metricName))].sort();
}

const topicsOf = (run: StackRun, stack: string) => ({
  critical: ofType(run, "aws:sns/topic:Topic").find((t) => t.inputs.name === `tila-${stack}-alerts-critical`)!.outputs.arn as string,
  warning: ofType(run, "aws:sns/topic:Topic").find((t) => t.inputs.name === `tila-${stack}-alerts-warning`)!.outputs.arn as string,
});

/** Metrics whose alarms page. */
const CRITICAL_METRICS = ["StatusCheckFailed_Instance", "FreeStorageSpace", "ClusterStatus.red", "MasterReachableFromNode"];

describe("observability coverage (all five real stacks)", () => {
  let runs: Record<string, StackRun>;
  before(async function () {
    this.timeout(300_000);
    runs = await realStacks();
  });

  it("gives every stack an encrypted critical and warning topic under a rotated key of its own", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const topics = ofType(run, "aws:sns/topic:Topic").filter((t) => String(t.inputs.name).startsWith(`tila-${stack}-alerts-`));
      expect(topics.map((t) => t.inputs.name).sort(), stack).to.deep.equal([`tila-${stack}-alerts-critical`, `tila-${stack}-alerts-warning`]);
      const key = ofType(run, "aws:kms/key:Key").find((k) => k.name === `${stack}-alerts-key`)!;
      expect(key.inputs.enableKeyRotation, stack).to.equal(true);
      for (const t of topics) expect(t.inputs.kmsMasterKeyId, stack).to.equal(key.outputs.arn);
    }
  });

  it("routes every alarm and composite of a stack to its own alert topics, none unrouted, with the right severity", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const topics = topicsOf(run, stack);
      const own = [topics.critical, topics.warning];
      const composites = ofType(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
      const children = new Set(composites.flatMap((c) => [...String(c.inputs.alarmRule).matchAll(/ALARM\("([^"]+)"\)/g)].map((m) => m[1]!)));
      for (const c of composites) expect(c.inputs.alarmActions, `${stack} ${c.name}`).to.deep.equal([topics.critical]);
      for (const a of ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")) {
        const actions = (a.inputs.alarmActions as string[] | undefined) ?? [];
        const sns = actions.filter((x) => !x.includes(":automate:"));
        expect(sns, `${stack} ${a.name} notifies no topic`).to.not.be.empty;
        for (const x of sns) expect(own, `${stack} ${a.name} notifies ${x}`).to.include(x);
        const name = String(a.inputs.name ?? "");
        if (children.has(name)) expect(sns, `${stack} ${name}: a composite's child only warns`).to.deep.equal([topics.warning]);
        else if (name.startsWith(`tila-${stack}-`) && CRITICAL_METRICS.includes(String(a.inputs.metricName))) expect(sns, `${stack} ${name} pages`).to.deep.equal([topics.critical]);
      }
      for (const child of children) expect(ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").some((a) => a.inputs.name === child), `${stack}: composite child ${child} exists`).to.equal(true);
    }
  });

  it("watches every ECS service of the catalogue: CPU, memory, running below desired, and a service-down composite", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const services = ofType(run, "aws:ecs/service:Service").filter((s) => ofType(run, "tila:compute:MicroserviceService").some((m) => s.urn.includes(`${m.name}$`) || s.parent === m.urn));
      if (stack !== "management") expect(services, stack).to.not.be.empty;
      for (const s of services) {
        const cluster = ofType(run, "aws:ecs/cluster:Cluster").find((c) => c.outputs.arn === s.inputs.cluster)!;
        const dims = { ClusterName: cluster.outputs.name, ServiceName: s.outputs.name };
        expect(alarmedMetrics(watched, "AWS/ECS", dims), `${stack} ${s.name}`).to.deep.equal(["CPUUtilization", "MemoryUtilization"]);
        expect(alarmedMetrics(watched, "ECS/ContainerInsights", dims), `${stack} ${s.name}`).to.deep.equal(["DesiredTaskCount", "RunningTaskCount"]);
      }
      const composites = ofType(run, "aws:cloudwatch/compositeAlarm:CompositeAlarm").filter((c) => String(c.inputs.alarmName).endsWith("-down"));
      expect(composites, stack).to.have.length(services.length);
    }
  });

  it("watches the Prometheus collector's own ECS service (CPU, memory, running below desired) on the warning topic", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const collectors = ofType(run, "aws:ecs/service:Service").filter((s) => s.inputs.name === "prometheus-collector");
      expect(collectors, stack).to.have.length(stack === "management" ? 0 : 1);
      for (const s of collectors) {
        const cluster = ofType(run, "aws:ecs/cluster:Cluster").find((c) => c.outputs.arn === s.inputs.cluster)!;
        const dims = { ClusterName: cluster.outputs.name, ServiceName: s.outputs.name };
        expect(alarmedMetrics(watched, "AWS/ECS", dims), stack).to.deep.equal(["CPUUtilization", "MemoryUtilization"]);
        expect(alarmedMetrics(watched, "ECS/ContainerInsights", dims), stack).to.deep.equal(["DesiredTaskCount", "RunningTaskCount"]);
        const alarms = [...new Set(watched.filter((w) => w.dims.ServiceName === s.outputs.name && w.dims.ClusterName === cluster.outputs.name).map((w) => w.alarm))];
        expect(alarms.map((a) => a.inputs.name).sort(), stack).to.deep.equal([
          `tila-${stack}-svc-prometheus-collector-below-desired`, `tila-${stack}-svc-prometheus-collector-cpu`, `tila-${stack}-svc-prometheus-collector-memory`,
        ]);
        for (const a of alarms) {
          expect(a.inputs.alarmActions, `${stack} ${a.name}`).to.deep.equal([topicsOf(run, stack).warning]);
          expect(String(a.inputs.alarmDescription), `${stack} ${a.name}`).to.match(/Runbook: .*(prometheus-collector|PrometheusCollector\.ts)/);
        }
      }
    }
  });

  it("watches every ALB target group (unhealthy hosts, 5xx rate) and every ALB (5xx rate, p99 latency)", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const albs = ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter((lb) => (lb.inputs.loadBalancerType ?? "application") === "application");
      for (const lb of albs) {
        expect(alarmedMetrics(watched, "AWS/ApplicationELB", { LoadBalancer: lb.outputs.arnSuffix }), `${stack} ${lb.name}`).to.deep.equal(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount", "TargetResponseTime"]);
      }
      const albArns = new Set(albs.map((lb) => lb.outputs.arn));
      const albTargetGroups = ofType(run, "aws:lb/targetGroup:TargetGroup").filter((tg) => (tg.inputs.protocol ?? "HTTP") !== "TCP");
      for (const tg of albTargetGroups) {
        const lbSuffix = watched.find((w) => w.dims.TargetGroup === tg.outputs.arnSuffix)?.dims.LoadBalancer;
        expect(lbSuffix, `${stack} ${tg.name} has no alarm`).to.not.equal(undefined);
        expect(albs.some((lb) => lb.outputs.arnSuffix === lbSuffix && albArns.has(lb.outputs.arn)), `${stack} ${tg.name}`).to.equal(true);
        expect(alarmedMetrics(watched, "AWS/ApplicationELB", { TargetGroup: tg.outputs.arnSuffix, LoadBalancer: lbSuffix }), `${stack} ${tg.name}`).to.deep.equal(["HTTPCode_Target_5XX_Count", "RequestCount", "UnHealthyHostCount"]);
      }
    }
  });

  it("watches every NLB target group (healthy hosts), paging on the stack's critical topic", () => {
    let seen = 0;
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const nlbs = ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter((lb) => lb.inputs.loadBalancerType === "network");
      for (const tg of ofType(run, "aws:lb/targetGroup:TargetGroup").filter((t) => t.inputs.protocol === "TCP")) {
        const listener = ofType(run, "aws:lb/listener:Listener").find((l) => (l.inputs.defaultActions as { targetGroupArn?: string }[])[0]?.targetGroupArn === tg.outputs.arn)!;
        const lb = nlbs.find((n) => n.outputs.arn === listener.inputs.loadBalancerArn)!;
        const dims = { TargetGroup: tg.outputs.arnSuffix as string, LoadBalancer: lb.outputs.arnSuffix as string };
        expect(alarmedMetrics(watched, "AWS/NetworkELB", dims), `${stack} ${tg.name}`).to.deep.equal(["HealthyHostCount"]);
        const alarm = watched.find((w) => w.namespace === "AWS/NetworkELB" && w.dims.TargetGroup === dims.TargetGroup)!.alarm;
        expect(alarm.inputs.alarmActions, `${stack} ${tg.name}`).to.deep.equal([topicsOf(run, stack).critical]);
        seen++;
      }
    }
    expect(seen, "management's Glowroot collector target group").to.be.at.least(1);
  });

  it("watches every data node: instance status, system recovery, memory and each monitored file system", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const nodes = ofType(run, "aws:ec2/instance:Instance");
      if (stack !== "management") expect(nodes, stack).to.not.be.empty;
      for (const n of nodes) {
        const id = n.id;
        expect(alarmedMetrics(watched, "AWS/EC2", { InstanceId: id }), `${stack} ${n.name}`).to.deep.equal(["StatusCheckFailed_Instance", "StatusCheckFailed_System"]);
        expect(alarmedMetrics(watched, "CWAgent", { InstanceId: id }), `${stack} ${n.name}`).to.deep.equal(["mem_used_percent"]);
        const paths = watched.filter((w) => w.namespace === "CWAgent" && w.metricName === "disk_used_percent" && w.dims.InstanceId === id).map((w) => w.dims.path);
        expect(paths, `${stack} ${n.name}`).to.include("/");
        // Glowroot central's and Graylog's nodes (management) have no data volume: only their root file system (Graylog's journal is on it).
        const dataVolumes = n.name.startsWith("management-glowroot-central-") || n.name.startsWith("management-graylog-node-") ? 0 : 1;
        expect(paths, `${stack} ${n.name}: the data volume`).to.have.length(1 + dataVolumes);
      }
    }
  });

  it("watches every RDS instance, Redis member and OpenSearch domain", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      for (const db of ofType(run, "aws:rds/instance:Instance")) {
        expect(alarmedMetrics(watched, "AWS/RDS", { DBInstanceIdentifier: db.inputs.identifier }), `${stack} ${db.name}`).to.deep.equal(["CPUUtilization", "DatabaseConnections", "FreeStorageSpace"]);
      }
      for (const rg of ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup")) {
        const members = Array.from({ length: rg.inputs.numCacheClusters as number }, (_, i) => `${rg.inputs.replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
        for (const m of members) {
          expect(alarmedMetrics(watched, "AWS/ElastiCache", { CacheClusterId: m }), `${stack} ${m}`).to.deep.equal(["DatabaseMemoryUsagePercentage", "EngineCPUUtilization", "Evictions", "ReplicationLag"]);
        }
      }
      for (const d of ofType(run, "aws:opensearch/domain:Domain")) {
        const account = String(d.outputs.arn).split(":")[4];
        expect(alarmedMetrics(watched, "AWS/ES", { DomainName: d.inputs.domainName, ClientId: account }), `${stack} ${d.name}`).to.deep.equal(["ClusterStatus.red", "ClusterStatus.yellow", "FreeStorageSpace", "JVMMemoryPressure", "MasterReachableFromNode"]);
      }
    }
  });

  it("watches every NAT gateway, VPN tunnel and transit attachment of the stack", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const watched = metricsOf(run);
      const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
      expect(nats, stack).to.not.be.empty;
      for (const nat of nats) expect(alarmedMetrics(watched, "AWS/NATGateway", { NatGatewayId: nat.id }), `${stack} ${nat.name}`).to.deep.equal(["ErrorPortAllocation"]);
      const vpns = ofType(run, "aws:ec2/vpnConnection:VpnConnection");
      if (stack === "management") expect(vpns).to.not.be.empty;
      for (const vpn of vpns) {
        for (const address of [vpn.outputs.tunnel1Address, vpn.outputs.tunnel2Address]) {
          expect(address, `${stack} ${vpn.name}`).to.be.a("string").and.not.equal("");
          expect(alarmedMetrics(watched, "AWS/VPN", { TunnelIpAddress: address }), `${stack} ${vpn.name} ${String(address)}`).to.deep.equal(["TunnelState"]);
        }
      }
      const attachments = [
        ...ofType(run, "aws:ec2transitgateway/vpcAttachment:VpcAttachment").map((a) => a.id),
        ...vpns.map((v) => v.outputs.transitGatewayAttachmentId),
      ];
      expect(attachments, stack).to.not.be.empty;
      for (const id of attachments) {
        const drops = watched.filter((w) => w.namespace === "AWS/TransitGateway" && w.dims.TransitGatewayAttachment === id).map((w) => w.metricName).sort();
        expect(drops, `${stack} ${String(id)}`).to.deep.equal(["PacketDropCountBlackhole", "PacketDropCountNoRoute"]);
      }
    }
  });

  it("gives each environment a dashboard of its own, and management one across environments", () => {
    for (const stack of STACK_ORDER) {
      const run = runs[stack]!;
      const names = ofType(run, "aws:cloudwatch/dashboard:Dashboard").map((d) => d.inputs.dashboardName);
      expect(names, stack).to.deep.equal([stack === "management" ? "tila-platform" : `tila-${stack}`]);
    }
  });
});
