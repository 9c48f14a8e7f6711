import { expect } from "chai";
import { ALARM_KINDS, AlarmSpec, Inventory, compositeRule, pathSlug, planAlarms, routedSeverity } from "../../components/observability/alarmPlan";
import { resolveThresholds } from "../../components/observability/thresholds";

const inventory: Inventory<string> = {
  environment: "prod",
  accountId: "444444444444",
  loadBalancers: [{ name: "public", arnSuffix: "app/prod-public/abc" }, { name: "internal", arnSuffix: "app/prod-internal/def" }],
  services: [{ name: "catalog", clusterName: "tila-prod", serviceName: "catalog", targetGroup: "targetgroup/catalog/123", loadBalancer: "app/prod-public/abc" }],
  nodes: [
    { cluster: "kafka", index: 0, instanceId: "i-0", paths: ["/", "/var/lib/kafka"] },
    { cluster: "kafka", index: 1, instanceId: "i-1", paths: ["/", "/var/lib/kafka"] },
  ],
  mysql: { identifier: "prod-mysql", allocatedStorageGiB: 100, readReplicas: ["prod-mysql-replica"] },
  redis: { replicationGroupId: "prod-redis", memberClusterIds: ["prod-redis-001", "prod-redis-002"] },
  opensearch: { domainName: "prod-search", volumeSizeGiB: 100 },
  natGateways: [{ index: 0, id: "nat-0" }],
  vpnTunnels: [{ label: "riyadh-a-t1", address: "203.0.113.1" }],
  transitAttachments: [{ label: "prod", transitGatewayId: "tgw-1", attachmentId: "tgw-attach-1" }],
};
const strict = resolveThresholds(true, {}, {});
const plan = planAlarms(inventory, strict);
const alarm = (key: string): AlarmSpec<string> => {
  const a = plan.alarms.find((x) => x.key === key);
  if (!a) throw new Error(`no alarm ${key} (${plan.alarms.map((x) => x.key).join(", ")})`);
  return a;
};

describe("the alarm planner", () => {
  it("plans every alarm kind from a full inventory, each named for its stack", () => {
    expect([...new Set(plan.alarms.map((a) => a.kind))].sort()).to.deep.equal([...ALARM_KINDS].sort());
    for (const a of plan.alarms) expect(a.name).to.equal(`tila-prod-${a.key}`);
  });

  it("gives every alarm exactly one metric or one expression, and a runbook line", () => {
    for (const a of plan.alarms) {
      expect(Boolean(a.metric) !== Boolean(a.math), a.key).to.equal(true);
      expect(a.description, a.key).to.match(/Runbook: /);
      expect(a.datapointsToAlarm, a.key).to.be.at.most(a.evaluationPeriods);
    }
  });

  it("computes the ALB 5xx rate from ELB and target 5xx over requests, per load balancer", () => {
    const a = alarm("alb-public-5xx");
    expect(a.math!.expression).to.equal("100 * (FILL(elb, 0) + FILL(target, 0)) / FILL(requests, 1)");
    expect(Object.values(a.math!.metrics).map((m) => m.metricName)).to.deep.equal(["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "RequestCount"]);
    for (const m of Object.values(a.math!.metrics)) expect(m.dimensions).to.deep.equal({ LoadBalancer: "app/prod-public/abc" });
    expect(a.threshold).to.equal(1);
    expect(alarm("alb-internal-p99").metric).to.deep.include({ metricName: "TargetResponseTime", stat: "p99" });
  });

  it("watches each service's target group by TargetGroup and LoadBalancer, and its tasks by ClusterName and ServiceName", () => {
    expect(alarm("svc-catalog-unhealthy").metric!.dimensions).to.deep.equal({ TargetGroup: "targetgroup/catalog/123", LoadBalancer: "app/prod-public/abc" });
    const below = alarm("svc-catalog-below-desired");
    expect(below.math!.expression).to.equal("desired - running");
    expect(below.math!.metrics.desired).to.deep.equal({ namespace: "ECS/ContainerInsights", metricName: "DesiredTaskCount", dimensions: { ClusterName: "tila-prod", ServiceName: "catalog" }, stat: "Maximum" });
    expect(alarm("svc-catalog-cpu").metric).to.deep.include({ namespace: "AWS/ECS", metricName: "CPUUtilization" });
  });

  it("alarms on both file systems and the memory of every data node, from the CloudWatch agent's exact dimensions", () => {
    expect(alarm("node-kafka-1-disk-var-lib-kafka").metric).to.deep.equal({ namespace: "CWAgent", metricName: "disk_used_percent", dimensions: { InstanceId: "i-1", path: "/var/lib/kafka" }, stat: "Maximum" });
    expect(alarm("node-kafka-0-disk-root").metric!.dimensions).to.deep.equal({ InstanceId: "i-0", path: "/" });
    expect(alarm("node-kafka-0-memory").metric!.dimensions).to.deep.equal({ InstanceId: "i-0" });
    expect(alarm("node-kafka-0-status").metric!.metricName).to.equal("StatusCheckFailed_Instance");
  });

  it("turns storage percentages into the metric's unit: bytes for RDS, MiB for OpenSearch", () => {
    expect(alarm("mysql-storage").threshold).to.equal(Math.round(100 * 1024 ** 3 * 0.15));
    expect(alarm("search-storage").threshold).to.equal(Math.round(100 * 1024 * 0.25));
    expect(alarm("mysql-prod-mysql-replica-replica-lag").metric!.dimensions).to.deep.equal({ DBInstanceIdentifier: "prod-mysql-replica" });
  });

  it("watches every Redis member and the OpenSearch domain by DomainName and ClientId", () => {
    expect(plan.alarms.filter((a) => a.kind === "redis-evictions").map((a) => a.metric!.dimensions)).to.deep.equal([{ CacheClusterId: "prod-redis-001" }, { CacheClusterId: "prod-redis-002" }]);
    expect(alarm("search-master").metric).to.deep.equal({ namespace: "AWS/ES", metricName: "MasterReachableFromNode", dimensions: { DomainName: "prod-search", ClientId: "444444444444" }, stat: "Minimum" });
  });

  it("alarms on each VPN tunnel by its address, NAT port allocation and transit drops per attachment", () => {
    expect(alarm("vpn-riyadh-a-t1-down").metric).to.deep.include({ namespace: "AWS/VPN", metricName: "TunnelState", dimensions: { TunnelIpAddress: "203.0.113.1" } });
    expect(alarm("vpn-riyadh-a-t1-down").comparison).to.equal("LessThanThreshold");
    expect(alarm("nat-0-port-allocation").metric!.dimensions).to.deep.equal({ NatGatewayId: "nat-0" });
    const drops = alarm("tgw-prod-drops");
    expect(Object.values(drops.math!.metrics).map((m) => [m.metricName, m.dimensions])).to.deep.equal([
      ["PacketDropCountBlackhole", { TransitGateway: "tgw-1", TransitGatewayAttachment: "tgw-attach-1" }],
      ["PacketDropCountNoRoute", { TransitGateway: "tgw-1", TransitGatewayAttachment: "tgw-attach-1" }],
    ]);
  });

  it("makes a service-down composite of 5xx, unhealthy hosts and missing tasks that pages, its children only warning", () => {
    expect(plan.composites).to.have.length(1);
    const c = plan.composites[0]!;
    expect(c.severity).to.equal("critical");
    expect(c.children).to.deep.equal(["tila-prod-svc-catalog-5xx", "tila-prod-svc-catalog-unhealthy", "tila-prod-svc-catalog-below-desired"]);
    expect(compositeRule(c)).to.equal('ALARM("tila-prod-svc-catalog-5xx") OR ALARM("tila-prod-svc-catalog-unhealthy") OR ALARM("tila-prod-svc-catalog-below-desired")');
    for (const k of ["svc-catalog-5xx", "svc-catalog-unhealthy"]) expect(routedSeverity(alarm(k), plan.composites)).to.equal("warning");
    expect(routedSeverity(alarm("search-red"), plan.composites)).to.equal("critical");
  });

  it("takes thresholds from the stack, then per-resource overrides", () => {
    const relaxed = planAlarms(inventory, resolveThresholds(false, { serviceCpuPercent: 70 }, { catalog: { serviceCpuPercent: 95 }, public: { lb5xxPercent: 9 } }));
    const of = (key: string) => relaxed.alarms.find((a) => a.key === key)!.threshold;
    expect(of("svc-catalog-cpu")).to.equal(95);
    expect(of("svc-catalog-memory")).to.equal(90);
    expect(of("alb-public-5xx")).to.equal(9);
    expect(of("alb-internal-5xx")).to.equal(5);
  });

  it("refuses an alarm name AWS would refuse", () => {
    expect(() => planAlarms({ ...inventory, environment: "x".repeat(250) }, strict)).to.throw(/longer than 255 characters/);
  });

  it("names paths as name parts", () => {
    expect(pathSlug("/")).to.equal("root");
    expect(pathSlug("/var/lib/arangodb3")).to.equal("var-lib-arangodb3");
  });
});
