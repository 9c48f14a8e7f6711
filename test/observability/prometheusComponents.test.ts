import { expect } from "chai";
import { parse } from "yaml";
import { CaptureResult } from "../../offline/types";
import { captureError, customResources, expectRequiredTags, ofType, one, run, tagsOf } from "../support/graph";
import { PrometheusWorkspace } from "../../components/observability/prometheus/PrometheusWorkspace";
import { PrometheusCollector, PrometheusCollectorArgs } from "../../components/observability/prometheus/PrometheusCollector";
import { alertManagerDefinition, alertRuleGroups, alertRulesYaml } from "../../components/observability/prometheus/alerting";
import { collectorConfig, collectorConfigYaml, CollectorConfigInput } from "../../components/observability/prometheus/collectorConfig";
import { collectorTaskPolicy, parseClusterArn } from "../../components/observability/prometheus/policies";
import { resolveThresholds } from "../../components/observability/thresholds";

const TAGS = { Environment: "prod", Owner: "platform", CostCenter: "cc-200", ManagedBy: "pulumi" };
const CLUSTER_ARN = "arn:aws:ecs:me-south-1:444444444444:cluster/tila-prod";
const WORKSPACE_ARN = "arn:aws:aps:me-south-1:444444444444:workspace/ws-1234";
const TOPICS = { critical: "arn:aws:sns:me-south-1:444444444444:tila-prod-critical", warning: "arn:aws:sns:me-south-1:444444444444:tila-prod-warning", keyArn: "arn:aws:kms:me-south-1:444444444444:key/k" };

const CONFIG: CollectorConfigInput = {
  environment: "prod",
  region: "me-south-1",
  clusterName: "tila-prod",
  remoteWriteUrl: "https://aps-workspaces.me-south-1.amazonaws.com/workspaces/ws-1234/api/v1/remote_write",
  scrapeIntervalSeconds: 30,
  servicesMetricsPath: "/actuator/prometheus",
  services: [{ service: "orders", port: 8080 }, { service: "cart.v2", port: 9000 }],
  nodes: [
    { job: "node", cluster: "zookeeper", engine: "zookeeper", port: 19100, path: "/metrics", hosts: ["prod-zookeeper-0.prod.internal.tila.sa"] },
    { job: "zookeeper", cluster: "zookeeper", engine: "zookeeper", port: 7000, path: "/metrics", hosts: ["prod-zookeeper-0.prod.internal.tila.sa"] },
  ],
};

function collectorArgs(overrides: Partial<PrometheusCollectorArgs> = {}): PrometheusCollectorArgs {
  return {
    environment: "prod",
    region: "me-south-1",
    vpcId: "vpc-1",
    subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
    cluster: { arn: CLUSTER_ARN, name: "tila-prod" },
    workspace: { arn: WORKSPACE_ARN, remoteWriteUrl: CONFIG.remoteWriteUrl },
    logRetentionDays: 90,
    services: [{ name: "orders", port: 8080, securityGroupId: "sg-orders" }],
    dataClusters: [{ name: "mongodb", engine: "mongodb", securityGroupId: "sg-mongo", nodeDnsNames: ["prod-mongodb-0.prod.internal.tila.sa"], endpoints: [{ job: "node", port: 19100, path: "/metrics" }] }],
    tags: TAGS,
    ...overrides,
  };
}

describe("Prometheus: collector configuration", () => {
  it("looks for each service by its exact name (dots escaped) on its port and path, and writes targets where the receiver reads them", () => {
    const c = collectorConfig(CONFIG) as { extensions: { ecs_observer: { services: { name_pattern: string; metrics_ports: number[]; metrics_path: string }[]; result_file: string } } };
    expect(c.extensions.ecs_observer.services).to.deep.equal([
      { name_pattern: "^cart\\.v2$", metrics_ports: [9000], metrics_path: "/actuator/prometheus", job_name: "ecs-services" },
      { name_pattern: "^orders$", metrics_ports: [8080], metrics_path: "/actuator/prometheus", job_name: "ecs-services" },
    ]);
    const text = collectorConfigYaml(CONFIG);
    expect(parse(text)).to.deep.equal(collectorConfig(CONFIG));
    expect(text).to.contain("scrape_interval: 30s");
  });

  it("leaves ecs_observer out when there are no services, and refuses a value the collector would expand as a variable", () => {
    const c = collectorConfig({ ...CONFIG, services: [] }) as { extensions: Record<string, unknown>; service: { extensions: string[] } };
    expect(Object.keys(c.extensions)).to.deep.equal(["sigv4auth"]);
    expect(c.service.extensions).to.deep.equal(["sigv4auth"]);
    expect(() => collectorConfigYaml({ ...CONFIG, servicesMetricsPath: "/${env:HOME}" })).to.throw(/would expand as a variable/);
  });
});

describe("Prometheus: alert rules and Alertmanager", () => {
  it("derives the rules from what is scraped: none without targets, ZooKeeper's only with ZooKeeper", () => {
    expect(alertRuleGroups({ environment: "dev", nodeJobs: [], services: false })).to.deep.equal([]);
    const names = (jobs: string[]): string[] => alertRuleGroups({ environment: "dev", nodeJobs: jobs, services: true }).flatMap((g) => g.rules.map((r) => r.alert));
    expect(names(["node"])).to.not.include("ZooKeeperServerDown");
    expect(names(["node", "zookeeper"])).to.include("ZooKeeperServerDown");
    const groups = parse(alertRulesYaml(alertRuleGroups({ environment: "dev", nodeJobs: ["node", "zookeeper"], services: true }))) as { groups: { rules: { labels: { severity: string }; for: string }[] }[] };
    for (const r of groups.groups.flatMap((g) => g.rules)) {
      expect(["critical", "warning"]).to.include(r.labels.severity);
      expect(r.for).to.match(/^\d+m$/);
    }
  });

  it("watches Couchbase only where it is scraped: the relay's up and hard out-of-memory refusals, both critical", () => {
    const rules = (jobs: string[]): { alert: string; expr: string; labels: { severity: string } }[] => alertRuleGroups({ environment: "prod", nodeJobs: jobs, services: false }).flatMap((g) => g.rules);
    expect(rules(["node", "kafka"]).map((r) => r.alert)).to.not.include.members(["CouchbaseMetricsDown"]);
    const cb = rules(["couchbase", "node"]).filter((r) => r.alert.startsWith("Couchbase"));
    expect(cb.map((r) => [r.alert, r.expr, r.labels.severity])).to.deep.equal([
      ["CouchbaseMetricsDown", 'up{job="couchbase"} == 0', "critical"],
      ["CouchbaseOutOfMemoryErrors", 'delta(kv_ep_oom_errors{job="couchbase"}[10m]) > 0', "critical"],
    ]);
    expect(alertRuleGroups({ environment: "prod", nodeJobs: ["couchbase"], services: false }).map((g) => g.name)).to.deep.equal(["tila-prod-couchbase"]);
  });

  it("watches ArangoDB only where it is scraped: the relay's up (critical) and failing Agency heartbeats (warning)", () => {
    const rules = (jobs: string[]): { alert: string; expr: string; labels: { severity: string } }[] => alertRuleGroups({ environment: "prod", nodeJobs: jobs, services: false }).flatMap((g) => g.rules);
    expect(rules(["node", "couchbase"]).map((r) => r.alert).filter((a) => a.startsWith("ArangoDB"))).to.deep.equal([]);
    expect(rules(["arangodb", "node"]).filter((r) => r.alert.startsWith("ArangoDB")).map((r) => [r.alert, r.expr, r.labels.severity])).to.deep.equal([
      ["ArangoDBMetricsDown", 'up{job="arangodb"} == 0', "critical"],
      ["ArangoDBAgencyHeartbeatFailing", 'increase(arangodb_heartbeat_failures_total{job="arangodb"}[10m]) > 0', "warning"],
    ]);
  });

  it("watches MongoDB and Aerospike only where they are scraped: engine down (critical) plus one engine-specific rule each", () => {
    const rules = (jobs: string[]): { alert: string; expr: string; for: string; labels: { severity: string } }[] => alertRuleGroups({ environment: "prod", nodeJobs: jobs, services: false }).flatMap((g) => g.rules);
    expect(rules(["node", "couchbase"]).map((r) => r.alert).filter((a) => a.startsWith("MongoDB") || a.startsWith("Aerospike"))).to.deep.equal([]);
    expect(rules(["mongodb", "node"]).filter((r) => r.alert.startsWith("MongoDB")).map((r) => [r.alert, r.expr, r.for, r.labels.severity])).to.deep.equal([
      ["MongoDBDown", 'up{job="mongodb"} == 0 or mongodb_up{job="mongodb"} == 0', "5m", "critical"],
      ["MongoDBMemberNotServing", 'mongodb_mongod_replset_my_state{job="mongodb"} != 1 and mongodb_mongod_replset_my_state{job="mongodb"} != 2', "10m", "warning"],
    ]);
    expect(rules(["aerospike"]).map((r) => [r.alert, r.expr, r.for, r.labels.severity])).to.deep.equal([
      ["AerospikeDown", 'up{job="aerospike"} == 0 or aerospike_node_up{job="aerospike"} == 0', "5m", "critical"],
      ["AerospikeStopWrites", 'aerospike_namespace_stop_writes{job="aerospike"} == 1', "2m", "critical"],
    ]);
    expect(alertRuleGroups({ environment: "prod", nodeJobs: ["aerospike", "mongodb"], services: false }).map((g) => g.name)).to.deep.equal(["tila-prod-mongodb", "tila-prod-aerospike"]);
  });

  it("routes critical to the critical topic and the rest to warning, with SigV4's region and a subject SNS accepts", () => {
    const doc = parse(alertManagerDefinition({ environment: "preprod", region: "me-south-1", topics: { critical: TOPICS.critical, warning: TOPICS.warning } })) as { alertmanager_config: string };
    expect(doc.alertmanager_config).to.be.a("string");
    const am = parse(doc.alertmanager_config) as { route: { receiver: string; routes: unknown[] }; receivers: { name: string; sns_configs: { topic_arn: string; sigv4: unknown; subject: string }[] }[] };
    expect(am.route.receiver).to.equal("warning");
    expect(am.receivers.map((r) => [r.name, r.sns_configs[0]!.topic_arn])).to.deep.equal([["critical", TOPICS.critical], ["warning", TOPICS.warning]]);
    for (const r of am.receivers) {
      expect(r.sns_configs[0]!.sigv4).to.deep.equal({ region: "me-south-1" });
      // The longest alert name rendered into the subject stays under SNS's 100 characters.
      expect(r.sns_configs[0]!.subject.replace("{{ .CommonLabels.alertname }}", "DataNodeDiskFillingUp").length).to.be.lessThan(100);
    }
  });
});

describe("Prometheus: the collector's task policy", () => {
  it("pins discovery to the one cluster and remote write to the one workspace", () => {
    const doc = JSON.parse(collectorTaskPolicy({ workspaceArn: WORKSPACE_ARN, clusterArn: CLUSTER_ARN })) as { Statement: { Sid: string; Resource: unknown; Condition?: unknown }[] };
    expect(doc.Statement.map((s) => s.Sid)).to.deep.equal(["RemoteWriteOwnWorkspace", "ListOwnCluster", "DescribeOwnCluster", "ReadTaskDefinitions"]);
    expect(doc.Statement[1]!.Condition).to.deep.equal({ ArnEquals: { "ecs:cluster": CLUSTER_ARN } });
    expect(doc.Statement[2]!.Resource).to.deep.equal(["arn:aws:ecs:me-south-1:444444444444:service/tila-prod/*", "arn:aws:ecs:me-south-1:444444444444:task/tila-prod/*"]);
    const writeOnly = JSON.parse(collectorTaskPolicy({ workspaceArn: WORKSPACE_ARN })) as { Statement: unknown[] };
    expect(writeOnly.Statement).to.have.length(1);
    expect(() => parseClusterArn("arn:aws:ecs:me-south-1:444444444444:service/tila-prod/orders")).to.throw(/not an ECS cluster ARN/);
  });
});

describe("PrometheusWorkspace", () => {
  const capture = (topics: boolean): Promise<CaptureResult> => run(() => {
    const ws = new PrometheusWorkspace("prod-prometheus", {
      environment: "prod",
      region: "me-south-1",
      logRetentionDays: 90,
      ruleGroups: alertRuleGroups({ environment: "prod", nodeJobs: ["node"], services: true }),
      topics: topics ? TOPICS : undefined,
      protect: true,
      tags: TAGS,
    });
    return { remoteWriteUrl: ws.remoteWriteUrl, alerting: ws.alerting };
  });

  it("creates rules and an Alertmanager definition only with topics to route them to", async () => {
    const withTopics = await capture(true);
    expect(ofType(withTopics, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")).to.have.length(1);
    expect(ofType(withTopics, "aws:amp/alertManagerDefinition:AlertManagerDefinition")).to.have.length(1);
    expect(withTopics.outputs.alerting).to.equal(true);
    const without = await capture(false);
    expect(ofType(without, "aws:amp/ruleGroupNamespace:RuleGroupNamespace")).to.deep.equal([]);
    expect(ofType(without, "aws:amp/alertManagerDefinition:AlertManagerDefinition")).to.deep.equal([]);
    expect(without.outputs.alerting).to.equal(false);
  });

  it("protects the workspace in prod, encrypts it with its own key and remote-writes to its endpoint", async () => {
    const result = await capture(true);
    const ws = one(result, "aws:amp/workspace:Workspace", "prod-prometheus-workspace");
    expect(ws.options.protect).to.equal(true);
    expect(ws.inputs.kmsKeyArn).to.match(/^arn:aws:kms:/);
    expect(result.outputs.remoteWriteUrl).to.equal(`${String(ws.outputs.prometheusEndpoint)}api/v1/remote_write`);
    for (const r of customResources(result)) if (tagsOf(r) !== undefined) expectRequiredTags(r);
  });
});

describe("PrometheusCollector", () => {
  it("refuses a service listed twice, a port that is not one and the collector's own name, naming each", async () => {
    const e = await captureError(() => new PrometheusCollector("prod-prometheus-collector", collectorArgs({
      services: [
        { name: "orders", port: 8080, securityGroupId: "sg-1" },
        { name: "orders", port: 70000, securityGroupId: "sg-2" },
        { name: "prometheus-collector", port: 8080, securityGroupId: "sg-3" },
      ],
    })));
    expect(e.message).to.contain('services: "orders" is listed twice');
    expect(e.message).to.contain("services.orders.port: 70000 is not a TCP port");
    expect(e.message).to.contain('"prometheus-collector" is the collector\'s own service name');
  });

  it("holds exactly one task, with a scaling target and a scheduled action on its desired count", async () => {
    const result = await run(() => {
      new PrometheusCollector("prod-prometheus-collector", collectorArgs());
      return {};
    });
    const service = one(result, "aws:ecs/service:Service", "prod-prometheus-collector-service");
    expect(service.inputs.desiredCount).to.equal(1);
    expect(service.inputs.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
    const target = one(result, "aws:appautoscaling/target:Target", "prod-prometheus-collector-scaling-target");
    expect([target.inputs.minCapacity, target.inputs.maxCapacity]).to.deep.equal([1, 1]);
    expect(target.inputs.resourceId).to.equal("service/tila-prod/prometheus-collector");
    const hold = one(result, "aws:appautoscaling/scheduledAction:ScheduledAction", "prod-prometheus-collector-hold-one");
    expect(hold.inputs.scalableTargetAction).to.deep.equal({ minCapacity: 1, maxCapacity: 1 });
    const execution = JSON.parse(String(one(result, "aws:iam/rolePolicy:RolePolicy", "prod-prometheus-collector-execution-policy").inputs.policy)) as { Statement: { Action: string[]; Resource: string }[] };
    expect(execution.Statement).to.have.length(1);
    expect(execution.Statement[0]!.Action).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
    expect(execution.Statement[0]!.Resource).to.match(/^arn:aws:logs:me-south-1:\d+:log-group:\/tila\/prod\/prometheus\/collector:\*$/);
  });
  it("watches its own ECS service with the planner's service alarms on the given topic, thresholds and overrides included, and creates none without a topic", async () => {
    const thresholds = resolveThresholds(true, {}, { "prometheus-collector": { serviceMemoryPercent: 70 } });
    const result = await run(() => {
      new PrometheusCollector("prod-prometheus-collector", collectorArgs({ alarms: { topicArn: TOPICS.warning, thresholds } }));
      return {};
    });
    const alarms = ofType(result, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.name).sort()).to.deep.equal([
      "tila-prod-svc-prometheus-collector-below-desired", "tila-prod-svc-prometheus-collector-cpu", "tila-prod-svc-prometheus-collector-memory",
    ]);
    for (const a of alarms) {
      expect(a.inputs.alarmActions, a.name).to.deep.equal([TOPICS.warning]);
      expect(a.inputs.okActions, a.name).to.deep.equal([TOPICS.warning]);
      expect(a.parent, a.name).to.contain("PrometheusCollector");
      expect(String(a.inputs.alarmDescription)).to.not.contain("scaling.max");
      expectRequiredTags(a);
    }
    const byName = (n: string) => alarms.find((a) => a.inputs.name === `tila-prod-svc-prometheus-collector-${n}`)!;
    expect(byName("cpu").inputs).to.include({ namespace: "AWS/ECS", metricName: "CPUUtilization", threshold: 80 });
    expect(byName("cpu").inputs.dimensions).to.deep.equal({ ClusterName: "tila-prod", ServiceName: "prometheus-collector" });
    expect(byName("memory").inputs.threshold).to.equal(70);
    expect(byName("below-desired").inputs.treatMissingData).to.equal("breaching");
    const none = await run(() => {
      new PrometheusCollector("prod-prometheus-collector", collectorArgs());
      return {};
    });
    expect(ofType(none, "aws:cloudwatch/metricAlarm:MetricAlarm")).to.deep.equal([]);
  });
});
