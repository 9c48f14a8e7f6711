/**
 * Kafka Connect on the real prod stack (whole stack, shared run): the workers' security group
 * reaches Kafka only on 9092 and OpenSearch only on 443 (besides S3's prefix list and HTTPS), nothing
 * in the VPC reaches the REST port 8083 but the workers themselves and the configuration function,
 * the task role writes only under the raw bucket's topics/ (judged by the pack's IAM evaluator on the
 * real bucket), the service runs 3 pinned, non-root, read-only tasks in prod with the circuit breaker;
 * dev (lake off) has no workers.
 */
import { expect } from "chai";
import { CONNECT_REST_PORT, CONNECT_WORKERS, DEFAULT_TOPICS } from "../../components/analytics/analyticsPlan";
import { S3_SINK_CONNECTOR_NAME, s3SinkConfigIssues } from "../../components/analytics/connectPlan";
import { SEARCH_CONNECTOR_NAME } from "../../components/analytics/searchAnalytics";
import type { StackRun } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";
import { allows } from "../../policy/rules/iam/evaluate";
import { realStack } from "../support/realStacks";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

function named(run: StackRun, type: string, name: string): CapturedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${type} named ${name}`);
  return found[0]!;
}

describe("Kafka Connect in the real prod stack (whole stack)", () => {
  let prod: StackRun;
  let workers: string;
  let groupName: Map<string, string>;
  before(async () => {
    prod = await realStack("prod");
    const groups = prod.resources.filter((r) => r.type === SG);
    groupName = new Map(groups.map((g) => [g.id ?? "", g.name]));
    workers = named(prod, SG, `prod-services-${CONNECT_WORKERS}`).id ?? "";
    expect(workers).to.not.equal("");
  });
  const peer = (r: CapturedResource): string => {
    const ref = r.inputs.referencedSecurityGroupId;
    if (typeof ref === "string") return groupName.get(ref) ?? ref;
    return String(r.inputs.cidrIpv4 ?? (r.inputs.prefixListId !== undefined ? "s3-prefix-list" : "?"));
  };

  it("the workers' egress: Kafka's group on 9092, OpenSearch's on 443, S3 and HTTPS on 443, the workers on 8083; nothing else", () => {
    const egress = prod.resources.filter((r) => r.type === EGRESS && r.inputs.securityGroupId === workers)
      .map((r) => `${peer(r)} ${String(r.inputs.ipProtocol)} ${String(r.inputs.fromPort)}-${String(r.inputs.toPort)}`).sort();
    expect(egress).to.deep.equal([
      "0.0.0.0/0 tcp 443-443",
      "prod-kafka-sg tcp 9092-9092",
      "prod-search-sg tcp 443-443",
      `prod-services-${CONNECT_WORKERS} tcp ${CONNECT_REST_PORT}-${CONNECT_REST_PORT}`,
      "s3-prefix-list tcp 443-443",
    ]);
  });

  it("Kafka admits the workers on 9092 only and OpenSearch on 443 only", () => {
    const admitted = prod.resources.filter((r) => r.type === INGRESS && r.inputs.referencedSecurityGroupId === workers && r.inputs.securityGroupId !== workers)
      .map((r) => `${groupName.get(String(r.inputs.securityGroupId))} ${String(r.inputs.fromPort)}-${String(r.inputs.toPort)}`).sort();
    expect(admitted).to.deep.equal(["prod-kafka-sg 9092-9092", "prod-search-sg 443-443"]);
  });

  it("nothing in the VPC reaches the workers but the workers themselves and the configuration function, on 8083 only", () => {
    const ingress = prod.resources.filter((r) => r.type === INGRESS && r.inputs.securityGroupId === workers);
    expect(ingress.length).to.be.greaterThan(0);
    for (const r of ingress) {
      expect([r.inputs.fromPort, r.inputs.toPort], r.name).to.deep.equal([CONNECT_REST_PORT, CONNECT_REST_PORT]);
      expect(r.inputs.cidrIpv4, r.name).to.equal(undefined);
    }
    expect(ingress.map(peer).sort()).to.deep.equal(["prod-connect-config-sg", `prod-services-${CONNECT_WORKERS}`]);
  });

  it("the task role writes only under the raw bucket's topics/ and reads nothing of the lake", () => {
    const doc = JSON.parse(named(prod, "aws:iam/rolePolicy:RolePolicy", "prod-connect-task-policy").inputs.policy as string) as unknown;
    const raw = named(prod, "aws:s3/bucket:Bucket", "prod-lake-raw").outputs.arn as string;
    const curated = named(prod, "aws:s3/bucket:Bucket", "prod-lake-curated").outputs.arn as string;
    const can = (action: string, resource: string): boolean => allows([doc], { action, resources: [resource] });
    expect(can("s3:PutObject", `${raw}/topics/orders/dt=2026-12-05/part.parquet`)).to.equal(true);
    expect(can("s3:PutObject", `${raw}/elsewhere/x`)).to.equal(false);
    expect(can("s3:PutObject", `${curated}/topics/orders/x`)).to.equal(false);
    expect(can("s3:GetObject", `${raw}/topics/orders/x`)).to.equal(false);
    expect(can("s3:DeleteObject", `${raw}/topics/orders/x`)).to.equal(false);
  });

  it("the service: 3 tasks in the app subnets, no public IP, no load balancer, circuit breaker with rollback; pinned, non-root, read-only containers", () => {
    const svc = named(prod, "aws:ecs/service:Service", "prod-connect-service").inputs as Record<string, unknown>;
    expect(svc.desiredCount).to.equal(3);
    expect(svc.loadBalancers ?? []).to.deep.equal([]);
    expect(svc.deploymentCircuitBreaker).to.deep.equal({ enable: true, rollback: true });
    const net = svc.networkConfiguration as { subnets: string[]; securityGroups: string[]; assignPublicIp: boolean };
    expect(net.assignPublicIp).to.equal(false);
    expect(net.securityGroups).to.deep.equal([workers]);
    const appSubnets = prod.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet" && /-app-/.test(r.name)).map((r) => r.id);
    expect(net.subnets.length).to.equal(3);
    for (const s of net.subnets) expect(appSubnets).to.include(s);
    const containers = JSON.parse(named(prod, "aws:ecs/taskDefinition:TaskDefinition", "prod-connect-task").inputs.containerDefinitions as string) as { name: string; user: string; readonlyRootFilesystem: boolean; image: string }[];
    expect(containers.map((c) => c.name)).to.deep.equal(["plugins", CONNECT_WORKERS]);
    for (const c of containers) expect([c.user, c.readonlyRootFilesystem], c.name).to.deep.equal(["1000:1000", true]);
  });

  it("the deploy applies the S3 sink (real raw bucket, data key, every topic) and the OpenSearch sink through the configuration function", () => {
    const input = JSON.parse(named(prod, "aws:lambda/invocation:Invocation", "prod-connect-config-apply").inputs.input as string) as { connectors: Record<string, Record<string, string>> };
    expect(Object.keys(input.connectors).sort()).to.deep.equal([S3_SINK_CONNECTOR_NAME, SEARCH_CONNECTOR_NAME].sort());
    const s3 = input.connectors[S3_SINK_CONNECTOR_NAME]!;
    expect(s3SinkConfigIssues(s3)).to.deep.equal([]);
    expect(s3["s3.bucket.name"]).to.equal(named(prod, "aws:s3/bucket:Bucket", "prod-lake-raw").outputs.bucket);
    expect(s3["s3.sse.kms.key.id"]).to.match(/^arn:aws:kms:me-south-1:\d{12}:key\//);
    expect(s3.topics.split(",").sort()).to.deep.equal(DEFAULT_TOPICS.map((t) => t.name).sort());
    expect(JSON.stringify(input)).to.not.match(/"connection\.password":"(?!\$\{env:)/);
  });

  it("the configuration function may list and describe only its cluster's tasks", () => {
    const doc = JSON.parse(named(prod, "aws:iam/rolePolicy:RolePolicy", "prod-connect-config-policy").inputs.policy as string) as unknown;
    const cluster = named(prod, "aws:ecs/cluster:Cluster", "prod-ecs-cluster").outputs.arn as string;
    const can = (action: string, resource: string, context?: Record<string, string>): boolean => allows([doc], { action, resources: [resource], ...(context ? { context } : {}) });
    expect(can("ecs:ListTasks", "*", { "ecs:cluster": cluster })).to.equal(true);
    expect(can("ecs:ListTasks", "*", { "ecs:cluster": cluster.replace("tila-prod", "tila-other") })).to.equal(false);
    expect(can("ecs:DescribeTasks", cluster.replace(":cluster/tila-prod", ":task/tila-prod/abc"))).to.equal(true);
    expect(can("ecs:StopTask", cluster.replace(":cluster/tila-prod", ":task/tila-prod/abc"))).to.equal(false);
  });

  it("dev (lake off): no workers", async () => {
    const dev = await realStack("dev");
    expect(dev.resources.filter((r) => r.type === "tila:analytics:KafkaConnectWorkers")).to.deep.equal([]);
  });
});
