import { expect } from "chai";
import * as path from "path";
import { parse } from "yaml";
import { readStackFiles } from "../../config/load";
import { EnvironmentSettings } from "../../config/schema";
import { validateStackConfig } from "../../config/validate";
import { CapturedResource } from "../../offline/types";
import { StackRun } from "../../offline/engine";
import { realStacks } from "../support/realStacks";
import { COLLECTOR_IMAGE, COLLECTOR_SERVICE_NAME } from "../../components/observability/prometheus/PrometheusCollector";
import { ECS_TARGETS_FILE, SERVICES_JOB } from "../../components/observability/prometheus/collectorConfig";
import { ENGINE_PROFILES, EngineName } from "../../components/data/engines";
import { metricsEndpoints } from "../../components/data/nodeMetrics";
import { checkDataTierAdmission } from "../../offline/sgChain";
import { nameLimitCheck } from "../../offline/aws/names";
import { analyticsUses } from "../../stacks/analytics";
import { effectiveAnalytics } from "../../config/analyticsSchema";

const ROOT = path.resolve(__dirname, "../..");
const raw = readStackFiles(ROOT).raw;
const ENVIRONMENTS = ["dev", "stage", "preprod", "prod"] as const;

const T = {
  instance: "aws:ec2/instance:Instance",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  service: "aws:ecs/service:Service",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  workspace: "aws:amp/workspace:Workspace",
  rules: "aws:amp/ruleGroupNamespace:RuleGroupNamespace",
  alertManager: "aws:amp/alertManagerDefinition:AlertManagerDefinition",
  topic: "aws:sns/topic:Topic",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  key: "aws:kms/key:Key",
} as const;

const ofType = (run: StackRun, type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
const only = (run: StackRun, type: string, name?: string): CapturedResource => {
  const found = ofType(run, type).filter((r) => name === undefined || r.name === name);
  expect(found, `${type} ${name ?? ""}`).to.have.length(1);
  return found[0]!;
};

interface CollectorYaml {
  extensions: { ecs_observer?: { cluster_name: string; result_file: string; services: { name_pattern: string; metrics_ports: number[]; metrics_path: string; job_name: string }[] }; sigv4auth: { region: string; service: string } };
  receivers: { prometheus: { config: { scrape_configs: { job_name: string; metrics_path?: string; file_sd_configs?: { files: string[] }[]; static_configs?: { targets: string[]; labels: Record<string, string> }[] }[] } } };
  exporters: { prometheusremotewrite: { endpoint: string; auth: { authenticator: string } } };
}

function collectorOf(run: StackRun): { td: CapturedResource; config: CollectorYaml; container: Record<string, unknown> } {
  const td = ofType(run, T.taskDefinition).find((t) => String(t.inputs.family).endsWith(`-${COLLECTOR_SERVICE_NAME}`));
  expect(td, "the collector's task definition").to.not.equal(undefined);
  const [container] = JSON.parse(String(td!.inputs.containerDefinitions)) as { environment: { name: string; value: string }[] }[];
  const content = container!.environment.find((e) => e.name === "AOT_CONFIG_CONTENT")!.value;
  return { td: td!, config: parse(content) as CollectorYaml, container: container as unknown as Record<string, unknown> };
}

/** The stack's settings with every default applied, as the program sees them. */
function settingsOf(stack: string): EnvironmentSettings {
  const r = validateStackConfig(stack, "me-south-1", raw[stack as keyof typeof raw]!, raw);
  if (!r.ok || r.config.kind !== "environment") throw new Error(`${stack} does not validate`);
  return r.config.settings;
}
const catalog = (stack: string): { name: string; port: number }[] => settingsOf(stack).services.catalog.map((s) => ({ name: s.name, port: s.port }));
const clusters = (stack: string): { name: string; engine: EngineName }[] => settingsOf(stack).data.clusters.map((c) => ({ name: c.name ?? c.engine, engine: c.engine }));

describe("Prometheus on the real stacks", function () {
  this.timeout(120000);
  let runs: Record<string, StackRun>;
  before(async () => {
    runs = await realStacks();
  });

  for (const stack of ENVIRONMENTS) {
    describe(stack, () => {
      it("scrapes every data node's node_exporter and every engine endpoint by its private DNS name, with the cluster as a label", () => {
        const run = runs[stack]!;
        const { config } = collectorOf(run);
        const jobs = config.receivers.prometheus.config.scrape_configs;
        const instances = ofType(run, T.instance).filter((i) => i.inputs.tags && (i.inputs.tags as Record<string, string>).Cluster !== undefined);
        const zone = String(run.outputs.privateZoneName);
        // Every data node the stack runs, from the captured instances (not from the collector's own inputs).
        const expected = new Map<string, string[]>();
        for (const i of instances) {
          const t = i.inputs.tags as Record<string, string>;
          const engine = t.Engine as EngineName;
          for (const e of metricsEndpoints(engine)) (expected.get(e.job) ?? expected.set(e.job, []).get(e.job)!).push(`${t.Cluster}-${t.NodeIndex}.${zone}:${e.port}`);
        }
        expect(instances.length, "data nodes").to.be.greaterThan(0);
        expect(expected.get("node")!.length).to.equal(instances.length);
        for (const [job, targets] of expected) {
          const sc = jobs.find((j) => j.job_name === job);
          expect(sc, job).to.not.equal(undefined);
          expect(sc!.static_configs!.flatMap((g) => g.targets).sort(), job).to.deep.equal(targets.sort());
          for (const g of sc!.static_configs!) expect(g.targets.every((t) => t.startsWith(`${stack}-${g.labels.cluster}-`)), `${job} ${g.labels.cluster}`).to.equal(true);
        }
      });

      it("scrapes the MongoDB and Aerospike exporters on every node of those clusters (9216, 9145), and the groups admit the collector there", () => {
        const run = runs[stack]!;
        const { config } = collectorOf(run);
        const jobs = config.receivers.prometheus.config.scrape_configs;
        const zone = String(run.outputs.privateZoneName);
        const collectorSg = only(run, T.sg, `${stack}-prometheus-collector-sg`);
        for (const [engine, port] of [["mongodb", 9216], ["aerospike", 9145]] as const) {
          const nodes = ofType(run, T.instance).map((i) => i.inputs.tags as Record<string, string> | undefined).filter((t) => t?.Engine === engine);
          const sc = jobs.find((j) => j.job_name === engine);
          if (nodes.length === 0) {
            expect(sc, engine).to.equal(undefined);
            continue;
          }
          expect(sc!.static_configs!.flatMap((g) => g.targets).sort(), engine).to.deep.equal(nodes.map((t) => `${t!.Cluster}-${t!.NodeIndex}.${zone}:${port}`).sort());
          for (const c of clusters(stack).filter((x) => x.engine === engine)) {
            const sg = only(run, T.sg, `${stack}-${c.name}-sg`);
            const rule = ofType(run, T.ingress).find((r) => r.inputs.securityGroupId === sg.id && r.inputs.referencedSecurityGroupId === collectorSg.id && r.inputs.fromPort === port);
            expect(rule, `${c.name} admits the collector on ${port}`).to.not.equal(undefined);
            expect(rule!.inputs.toPort).to.equal(port);
          }
        }
      });

      it("discovers every service of the catalogue on its container port, on the environment's own cluster", () => {
        const run = runs[stack]!;
        const { config } = collectorOf(run);
        const obs = config.extensions.ecs_observer!;
        expect(obs.cluster_name).to.equal(`tila-${stack}`);
        expect(obs.result_file).to.equal(ECS_TARGETS_FILE);
        const found = obs.services.map((s) => [s.name_pattern, s.metrics_ports, s.job_name]).sort();
        expect(found).to.deep.equal(catalog(stack).map((s) => [`^${s.name}$`, [s.port], SERVICES_JOB]).sort());
        const ecsServices = ofType(run, T.service).map((s) => String(s.inputs.name)).filter((n) => n !== COLLECTOR_SERVICE_NAME && n !== "analytics-connect").sort();
        // The analytics workers (docs/analytics.md) expose no Prometheus metrics: not a scrape target.
        expect(ecsServices, "every ECS service is a catalogue service the collector looks for").to.deep.equal(catalog(stack).map((s) => s.name).sort());
        const sd = config.receivers.prometheus.config.scrape_configs.find((j) => j.job_name === SERVICES_JOB)!;
        expect(sd.file_sd_configs).to.deep.equal([{ files: [ECS_TARGETS_FILE], refresh_interval: "30s" }]);
      });

      it("remote-writes with SigV4 to the environment's own workspace, and may write nowhere else", () => {
        const run = runs[stack]!;
        const { config, td } = collectorOf(run);
        const ws = only(run, T.workspace);
        expect(config.exporters.prometheusremotewrite.endpoint).to.equal(`${String(ws.outputs.prometheusEndpoint)}api/v1/remote_write`);
        expect(config.exporters.prometheusremotewrite.auth).to.deep.equal({ authenticator: "sigv4auth" });
        expect(config.extensions.sigv4auth).to.deep.equal({ region: "me-south-1", service: "aps" });
        const taskRole = run.resources.find((r) => r.type === T.role && r.outputs.arn === td.inputs.taskRoleArn)!;
        const policies = ofType(run, T.rolePolicy).filter((p) => p.inputs.role === taskRole.outputs.name);
        expect(policies).to.have.length(1);
        const doc = JSON.parse(String(policies[0]!.inputs.policy)) as { Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] };
        const cluster = String(only(run, "aws:ecs/cluster:Cluster").outputs.arn);
        const [prefix, name] = [cluster.slice(0, cluster.indexOf("cluster/")), cluster.slice(cluster.indexOf("cluster/") + 8)];
        expect(doc.Statement).to.deep.equal([
          { Sid: "RemoteWriteOwnWorkspace", Effect: "Allow", Action: "aps:RemoteWrite", Resource: ws.outputs.arn },
          { Sid: "ListOwnCluster", Effect: "Allow", Action: ["ecs:ListServices", "ecs:ListTasks"], Resource: "*", Condition: { ArnEquals: { "ecs:cluster": cluster } } },
          { Sid: "DescribeOwnCluster", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:DescribeTasks"], Resource: [`${prefix}service/${name}/*`, `${prefix}task/${name}/*`] },
          { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*" },
        ]);
        expect(String(ws.outputs.arn)).to.match(/^arn:aws:aps:me-south-1:\d{12}:workspace\/ws-/);
      });

      it("runs the pinned collector image as its non-root user on a read-only root filesystem", () => {
        const { container } = collectorOf(runs[stack]!);
        expect(container.image).to.equal(COLLECTOR_IMAGE);
        expect(container.user).to.equal("4317:4317");
        expect(container.readonlyRootFilesystem).to.equal(true);
        expect((container.logConfiguration as { logDriver: string }).logDriver).to.equal("awslogs");
      });

      it("opens exactly the scrape paths: the data groups admit only the collector on only their exporter ports, the services only on their port", () => {
        const run = runs[stack]!;
        const collectorSg = only(run, T.sg, `${stack}-prometheus-collector-sg`);
        const fromCollector = ofType(run, T.ingress).filter((r) => r.inputs.referencedSecurityGroupId === collectorSg.id);
        const expected: string[] = [];
        for (const c of clusters(stack)) {
          const sg = only(run, T.sg, `${stack}-${c.name}-sg`);
          for (const port of [...new Set(metricsEndpoints(c.engine).map((e) => e.port))]) expected.push(`${String(sg.id)}:${port}`);
          // Nothing else from the collector reaches the cluster: not its client or peer ports.
          for (const port of [...ENGINE_PROFILES[c.engine].clientPorts, ...ENGINE_PROFILES[c.engine].peerPorts]) {
            expect(fromCollector.some((r) => r.inputs.securityGroupId === sg.id && Number(r.inputs.fromPort) <= port && port <= Number(r.inputs.toPort)), `${c.name} ${port}`).to.equal(false);
          }
        }
        for (const s of catalog(stack)) {
          const sg = only(run, T.sg, `${stack}-services-${s.name}`);
          expected.push(`${String(sg.id)}:${s.port}`);
        }
        expect(fromCollector.map((r) => `${String(r.inputs.securityGroupId)}:${String(r.inputs.fromPort)}`).sort()).to.deep.equal(expected.sort());
        for (const r of fromCollector) expect([r.inputs.ipProtocol, r.inputs.fromPort]).to.deep.equal(["tcp", r.inputs.toPort]);
        expect(ofType(run, T.ingress).filter((r) => r.inputs.securityGroupId === collectorSg.id), "nothing may connect to the collector").to.deep.equal([]);
        const egress = ofType(run, T.egress).filter((r) => r.inputs.securityGroupId === collectorSg.id);
        expect(egress.filter((r) => r.inputs.cidrIpv4 !== undefined).map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([["0.0.0.0/0", 443, 443]]);
        expect(egress.filter((r) => r.inputs.referencedSecurityGroupId !== undefined).map((r) => `${String(r.inputs.referencedSecurityGroupId)}:${String(r.inputs.fromPort)}`).sort()).to.deep.equal(expected.sort());
      });

      it("keeps the workspace encrypted with its own key and logging to a log group with retention", () => {
        const run = runs[stack]!;
        const ws = only(run, T.workspace);
        const key = run.resources.find((r) => r.type === T.key && r.outputs.arn === ws.inputs.kmsKeyArn);
        expect(key, "the workspace's key").to.not.equal(undefined);
        expect(key!.inputs.enableKeyRotation).to.equal(true);
        const logArn = String((ws.inputs.loggingConfiguration as { logGroupArn: string }).logGroupArn);
        const group = ofType(run, T.logGroup).find((g) => `${String(g.outputs.arn)}:*` === logArn);
        expect(group, "the workspace's log group").to.not.equal(undefined);
        expect(group!.inputs.retentionInDays).to.be.a("number").and.at.least(stack === "prod" ? 90 : 1);
      });

      it("gives every alert rule a severity of critical or warning and a runbook, and routes each severity to the stack's topic of that name", () => {
        const run = runs[stack]!;
        const rules = parse(String(only(run, T.rules).inputs.data)) as { groups: { name: string; rules: { alert: string; expr: string; labels: { severity: string }; annotations: { runbook: string; summary: string } }[] }[] };
        const all = rules.groups.flatMap((g) => g.rules);
        expect(all.map((r) => r.alert)).to.include.members(["DataNodeExporterDown", "DataNodeDiskAlmostFull", "DataNodeMemoryPressure", "ServiceTargetDown"]);
        if (clusters(stack).some((c) => c.engine === "zookeeper")) expect(all.map((r) => r.alert)).to.include("ZooKeeperServerDown");
        if (clusters(stack).some((c) => c.engine === "solr")) expect(all.map((r) => r.alert)).to.include("SolrExporterDown");
        if (clusters(stack).some((c) => c.engine === "kafka")) expect(all.map((r) => r.alert)).to.include("KafkaBrokerDown");
        if (clusters(stack).some((c) => c.engine === "couchbase")) expect(all.map((r) => r.alert)).to.include.members(["CouchbaseMetricsDown", "CouchbaseOutOfMemoryErrors"]);
        else expect(all.map((r) => r.alert)).to.not.include("CouchbaseMetricsDown");
        if (clusters(stack).some((c) => c.engine === "arangodb")) expect(all.map((r) => r.alert)).to.include.members(["ArangoDBMetricsDown", "ArangoDBAgencyHeartbeatFailing"]);
        else expect(all.map((r) => r.alert)).to.not.include("ArangoDBMetricsDown");
        if (clusters(stack).some((c) => c.engine === "mongodb")) expect(all.map((r) => r.alert)).to.include.members(["MongoDBDown", "MongoDBMemberNotServing"]);
        else expect(all.map((r) => r.alert)).to.not.include("MongoDBDown");
        if (clusters(stack).some((c) => c.engine === "aerospike")) expect(all.map((r) => r.alert)).to.include.members(["AerospikeDown", "AerospikeStopWrites"]);
        else expect(all.map((r) => r.alert)).to.not.include("AerospikeDown");
        for (const r of all) {
          expect(["critical", "warning"], r.alert).to.include(r.labels.severity);
          expect(r.annotations.runbook, r.alert).to.match(/^docs\/observability-prometheus\.md#runbooks: \S.{20,}/);
          expect(r.annotations.summary, r.alert).to.be.a("string").and.not.empty;
        }
        const definition = parse(String(only(run, T.alertManager).inputs.definition)) as { alertmanager_config: string };
        const am = parse(definition.alertmanager_config) as { route: { receiver: string; routes: { receiver: string; matchers: string[] }[] }; receivers: { name: string; sns_configs: { topic_arn: string; sigv4: { region: string }; api_url?: string }[] }[] };
        const topicArn = (severity: string): string => {
          const t = ofType(run, T.topic).filter((x) => String(x.outputs.arn).endsWith(`-${severity}`) || x.name.endsWith(`-${severity}`) || x.name.includes(`-${severity}-`));
          expect(t, `${severity} topic`).to.have.length(1);
          return String(t[0]!.outputs.arn);
        };
        expect(am.route.receiver).to.equal("warning");
        expect(am.route.routes).to.deep.equal([{ receiver: "critical", matchers: ['severity="critical"'] }]);
        expect(am.receivers.map((r) => r.name).sort()).to.deep.equal(["critical", "warning"]);
        for (const r of am.receivers) {
          expect(r.sns_configs.map((c) => c.topic_arn), r.name).to.deep.equal([topicArn(r.name)]);
          for (const c of r.sns_configs) {
            expect(c.sigv4).to.deep.equal({ region: "me-south-1" });
            expect(c.api_url).to.equal(undefined);
          }
        }
      });
    });
  }

  it("the security-group chain check accepts the collector on a cluster's metrics ports and catches it on any other", () => {
    const run = runs.prod!;
    const settings = settingsOf("prod");
    const uses = { ...Object.fromEntries(settings.services.catalog.map((x) => [x.name, x.uses])), ...analyticsUses(effectiveAnalytics("prod", settings.analytics).enabled, settings.data.clusters) };
    expect(checkDataTierAdmission(run.resources, "prod", uses)).to.deep.equal([]);
    const collectorSg = only(run, T.sg, "prod-prometheus-collector-sg");
    const mongo = only(run, T.sg, "prod-mongodb-sg");
    const template = ofType(run, T.ingress).find((r) => r.name === "prod-prometheus-collector-in-mongodb-19100")!;
    const leak: CapturedResource = { ...template, urn: `${template.urn}-leak`, name: "leak", inputs: { ...template.inputs, securityGroupId: mongo.id, referencedSecurityGroupId: collectorSg.id, fromPort: 27017, toPort: 27017 } };
    expect(checkDataTierAdmission([...run.resources, leak], "prod", uses)).to.deep.equal([
      { resource: "mongodb", rule: "leak", message: "mongodb admits the Prometheus collector on 27017-27017, which is not a metrics port of its nodes" },
    ]);
  });

  it("keeps every name the Prometheus components give AWS within its limit (and the check does flag one that is not)", () => {
    for (const stack of ENVIRONMENTS) {
      const run = runs[stack]!;
      const mine = run.resources.filter((r) => /-prometheus(-|$)/.test(r.name));
      expect(mine.filter((r) => r.type === T.role).length, stack).to.equal(2);
      expect(nameLimitCheck(mine, { stack, region: "me-south-1", accountId: "444444444444" }), stack).to.deep.equal([]);
    }
    const role = runs.prod!.resources.find((r) => r.type === T.role && r.name === "prod-prometheus-collector-task-role")!;
    const long: CapturedResource = { ...role, inputs: { ...role.inputs, name: "x".repeat(65) }, outputs: { ...role.outputs, name: "x".repeat(65) } };
    expect(nameLimitCheck([long], { stack: "prod", region: "me-south-1", accountId: "444444444444" })).to.have.length(1);
  });

  it("gives management no workspace and no collector: it runs nothing to scrape", () => {
    const run = runs.management!;
    expect(run.resources.filter((r) => r.type.startsWith("aws:amp/") || /prometheus/i.test(r.name)).map((r) => r.name)).to.deep.equal([]);
    expect(run.outputs.prometheus).to.deep.equal({ enabled: false, reason: "management runs nothing to scrape" });
  });
});
