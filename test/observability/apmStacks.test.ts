import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { readStackFiles } from "../../config/load";
import { CapturedResource } from "../../offline/types";
import { StackRun } from "../../offline/engine";
import { engineWithRealManagement, realStack } from "../support/realStacks";
import { METRIC_STREAM_ENDPOINTS, NEW_RELIC_AWS_ACCOUNT_ID } from "../../components/observability/apm/newRelicPlan";
import { GRAYLOG_INPUT_PORTS } from "../../components/observability/logging/graylogPlan";

const ROOT = path.resolve(__dirname, "../..");
const raw = readStackFiles(ROOT).raw;

const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

interface Container {
  name: string;
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
}

const ofType = (run: StackRun, type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
const one = (run: StackRun, type: string, name: string): CapturedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0]!;
};
const containers = (td: CapturedResource): Container[] => JSON.parse(String(td.inputs.containerDefinitions)) as Container[];
const serviceOf = (td: CapturedResource): string => String(td.inputs.family).replace(/^(dev|stage|preprod|prod)-/, "");
/** The task definitions of the catalogue's services (other task definitions, such as collectors, are not services). */
const serviceTasks = (run: StackRun, stack: string): CapturedResource[] => {
  const names = (((raw[stack as keyof typeof raw]!.services as { catalog: { name: string }[] }).catalog) ?? []).map((s) => `${stack}-${s.name}`);
  const tds = ofType(run, TASK_DEFINITION).filter((td) => names.includes(String(td.inputs.family)));
  expect(tds.map((t) => t.inputs.family).sort(), `${stack} task definitions`).to.deep.equal([...names].sort());
  return tds;
};
const apmSettings = (stack: string): { glowroot?: { javaServices?: string[] } } =>
  (((raw[stack as keyof typeof raw]?.observability as Record<string, unknown> | undefined)?.apm ?? {}) as { glowroot?: { javaServices?: string[] } });

describe("APM on the real stacks", () => {
  let prod: StackRun;
  let dev: StackRun;
  let management: StackRun;
  before(async () => {
    management = await realStack("management");
    dev = await realStack("dev");
    prod = await realStack("prod");
  });

  it("gives every prod service its New Relic app name, distributed tracing and the license key from the secret only", () => {
    const license = one(prod, SECRET, "prod-newrelic-secret");
    const arn = String(license.outputs.arn);
    const tds = serviceTasks(prod, "prod");
    for (const td of tds) {
      const c = containers(td)[0]!;
      const env = Object.fromEntries(c.environment.map((e) => [e.name, e.value]));
      const service = serviceOf(td);
      expect(env.NEW_RELIC_APP_NAME, service).to.equal(`${service}-prod`);
      expect(env.NEW_RELIC_DISTRIBUTED_TRACING_ENABLED, service).to.equal("true");
      expect(env.NEW_RELIC_LICENSE_KEY, service).to.equal(undefined);
      expect(c.secrets.filter((s) => s.name === "NEW_RELIC_LICENSE_KEY").map((s) => s.valueFrom), service).to.deep.equal([`${arn}:api_key::`]);
    }
  });

  it("lets each prod execution role read exactly the license secret and decrypt with exactly its key", () => {
    const arn = String(one(prod, SECRET, "prod-newrelic-secret").outputs.arn);
    const keyArn = String(one(prod, "aws:kms/key:Key", "prod-newrelic-key-key").outputs.arn);
    const policies = ofType(prod, ROLE_POLICY).filter((p) => /-execution/.test(p.name) && String(p.inputs.policy).includes("ReadInjectedSecrets"));
    expect(policies.length).to.equal(serviceTasks(prod, "prod").length);
    for (const p of policies) {
      const doc = JSON.parse(String(p.inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
      expect(doc.Statement.find((s) => s.Sid === "ReadInjectedSecrets")!.Resource, p.name).to.include(arn);
      expect(doc.Statement.find((s) => s.Sid === "DecryptInjectedSecrets")!.Resource, p.name).to.include(keyArn);
    }
  });

  it("attaches Glowroot to exactly the configured Java services, pointing at the collector's name in prod's zone", () => {
    const java = apmSettings("prod").glowroot?.javaServices ?? [];
    expect(java.length).to.be.greaterThan(0);
    const withAgent = serviceTasks(prod, "prod").filter((td) => containers(td)[0]!.environment.some((e) => e.name === "JAVA_TOOL_OPTIONS")).map(serviceOf).sort();
    expect(withAgent).to.deep.equal([...java].sort());
    for (const td of serviceTasks(prod, "prod").filter((t) => java.includes(serviceOf(t)))) {
      const opts = containers(td)[0]!.environment.find((e) => e.name === "JAVA_TOOL_OPTIONS")!.value;
      expect(opts).to.include("-Dglowroot.collector.address=glowroot.prod.internal.tila.sa:8181");
      expect(opts).to.include(`-Dglowroot.agent.id=prod::${serviceOf(td)}::`);
    }
    const record = one(prod, "aws:route53/record:Record", "prod-glowroot-collector-name");
    expect(record.inputs.records).to.deep.equal([management.outputs.glowrootCollectorDnsName]);
    // Only the Java services' groups reach management on 8181; every other rule towards management is a
    // log shipper's, on Graylog's input ports only (docs/observability-logging.md).
    const toManagement = ofType(prod, EGRESS).filter((r) => r.inputs.cidrIpv4 === "10.0.0.0/16");
    const egress = toManagement.filter((r) => r.inputs.fromPort === 8181 || r.inputs.toPort === 8181);
    expect(egress.map((r) => r.name).sort()).to.deep.equal(java.map((s) => `prod-glowroot-${s}-egress`).sort());
    for (const r of egress) expect([r.inputs.fromPort, r.inputs.toPort]).to.deep.equal([8181, 8181]);
    for (const r of toManagement.filter((x) => !egress.includes(x))) {
      expect(GRAYLOG_INPUT_PORTS, r.name).to.include(r.inputs.fromPort);
      expect([r.inputs.ipProtocol, r.inputs.toPort], r.name).to.deep.equal(["tcp", r.inputs.fromPort]);
    }
  });

  it("streams prod's metrics to New Relic's EU endpoint with the key read from Secrets Manager, never in clear", () => {
    const stream = ofType(prod, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream");
    expect(stream).to.have.length(1);
    const http = stream[0]!.inputs.httpEndpointConfiguration as Record<string, unknown>;
    expect(http.url).to.equal(METRIC_STREAM_ENDPOINTS.EU);
    expect(http.accessKey).to.equal(undefined);
    expect(http.secretsManagerConfiguration).to.deep.include({ enabled: true, secretArn: one(prod, SECRET, "prod-newrelic-secret").outputs.arn });
    expect(one(prod, "aws:cloudwatch/metricStream:MetricStream", "prod-newrelic-stream").inputs.outputFormat).to.equal("opentelemetry1.0");
    // A stream that falls behind alarms on the warning topic.
    const stale = one(prod, "aws:cloudwatch/metricAlarm:MetricAlarm", "prod-newrelic-delivery-stale");
    expect(stale.inputs.dimensions).to.deep.equal({ DeliveryStreamName: stream[0]!.inputs.name });
    expect(stale.inputs.alarmActions).to.deep.equal(["arn:aws:sns:me-south-1:444444444444:tila-prod-alerts-warning"]);
    const trust = JSON.parse(String(one(prod, ROLE, "prod-newrelic-integration").inputs.assumeRolePolicy)) as { Statement: Record<string, unknown>[] };
    expect(trust.Statement).to.have.length(1);
    expect(trust.Statement[0]!.Principal).to.deep.equal({ AWS: `arn:aws:iam::${NEW_RELIC_AWS_ACCOUNT_ID}:root` });
    expect(trust.Statement[0]!.Condition).to.deep.equal({ StringEquals: { "sts:ExternalId": "4387215" } });
  });

  it("plans dev with APM off: no agent settings, no license secret, no integration", () => {
    expect(dev.resources.length).to.be.greaterThan(100);
    for (const td of ofType(dev, TASK_DEFINITION)) {
      const c = containers(td)[0]!;
      const names = [...(c.environment ?? []).map((e) => e.name), ...(c.secrets ?? []).map((s) => s.name)];
      expect(names.filter((n) => /^NEW_RELIC_|^JAVA_TOOL_OPTIONS$/.test(n)), serviceOf(td)).to.deep.equal([]);
    }
    const apmTypes = /^tila:observability:(NewRelic|Glowroot)|^aws:kinesis\/|^aws:cloudwatch\/metricStream/;
    expect(dev.resources.filter((r) => apmTypes.test(r.type)).map((r) => r.name)).to.deep.equal([]);
    expect(dev.outputs.apm).to.equal(undefined);
  });

  it("admits exactly the environments' CIDRs to management's collector, on the gRPC port only", () => {
    const lb = one(management, "aws:lb/loadBalancer:LoadBalancer", "glowroot-nlb");
    expect(lb.inputs.internal).to.equal(true);
    expect(lb.inputs.loadBalancerType).to.equal("network");
    const lbSg = String(one(management, "aws:ec2/securityGroup:SecurityGroup", "glowroot-lb-sg").id);
    const nodeSg = String(one(management, "aws:ec2/securityGroup:SecurityGroup", "glowroot-node-sg").id);
    expect(lb.inputs.securityGroups).to.deep.equal([lbSg]);

    const environmentCidrs = ["dev", "stage", "preprod", "prod"].map((s) => String((raw[s as keyof typeof raw]!.network as { cidr: string }).cidr)).sort();
    const lbIngress = ofType(management, INGRESS).filter((r) => r.inputs.securityGroupId === lbSg);
    expect(lbIngress.map((r) => r.inputs.cidrIpv4).sort()).to.deep.equal(environmentCidrs);
    for (const r of lbIngress) expect([r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.referencedSecurityGroupId]).to.deep.equal(["tcp", 8181, 8181, undefined]);

    const nodeIngress = ofType(management, INGRESS).filter((r) => r.inputs.securityGroupId === nodeSg);
    // gRPC from the load balancer only; the central nodes' UI (4000) from management's own CIDR only.
    const managementCidr = String((raw.management!.network as { cidr: string }).cidr);
    expect(nodeIngress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).to.have.deep.members([[lbSg, 8181, 8181, undefined], [undefined, 4000, 4000, managementCidr]]);
    expect(nodeIngress).to.have.length(2);
    const listeners = ofType(management, "aws:lb/listener:Listener").filter((l) => l.inputs.loadBalancerArn === lb.outputs.arn);
    expect(listeners.map((l) => [l.inputs.protocol, l.inputs.port])).to.deep.equal([["TCP", 8181]]);
    expect(String(management.outputs.glowrootCollectorDnsName)).to.equal(String(lb.outputs.dnsName));
  });
});

describe("APM rollout in an environment that had it off", () => {
  it("plans dev's first New Relic up (agents and metric stream off): the secret and the role, nothing in the services", async function () {
    this.timeout(120_000);
    const doc = parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    doc.setIn(["config", "tila-platform:observability", "apm", "newRelic"], { enabled: true, accountId: "4387215", agents: false, metricStream: false });
    const file = path.join(os.tmpdir(), `tila-apm-rollout-${process.pid}.yaml`);
    fs.writeFileSync(file, doc.toString());
    try {
      const run = await (await engineWithRealManagement({ configFiles: { dev: file } })).run("dev");
      expect(ofType(run, SECRET).filter((s) => s.name === "dev-newrelic-secret")).to.have.length(1);
      expect(ofType(run, ROLE).filter((r) => r.name === "dev-newrelic-integration")).to.have.length(1);
      expect(run.resources.filter((r) => /^aws:(kinesis\/|cloudwatch\/metricStream)/.test(r.type))).to.deep.equal([]);
      for (const td of serviceTasks(run, "dev")) {
        const c = containers(td)[0]!;
        expect([...c.environment, ...c.secrets].map((v) => v.name).filter((n) => n.startsWith("NEW_RELIC_")), serviceOf(td)).to.deep.equal([]);
      }
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
