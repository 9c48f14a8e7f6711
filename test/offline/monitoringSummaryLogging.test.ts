import { expect } from "chai";
import { gzipSync } from "zlib";
import { PlanResult, summarizeRun } from "../../offline/plan";
import { formatStack, planJson } from "../../offline/report";
import { formatLogging, summarizeLogging } from "../../offline/loggingSummary";
import type { StackRun } from "../../offline/engine";
import type { CapturedResource } from "../../offline/types";
import { ofType } from "../support/graph";
import { realStack } from "../support/realStacks";
import { capturedResource } from "../support/captured";

/** A captured resource for the hand-built cases; `chain` is the component types above it in the URN. */
function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<CapturedResource> = {}, chain: string[] = []): CapturedResource {
  return capturedResource({ urn: `urn:pulumi:dev::tila-platform::${[...chain, type].join("$")}::${name}`, type, name, inputs, ...extra });
}

function service(name: string, logDriver: "awsfirelens" | "awslogs"): CapturedResource[] {
  const arn = `arn:aws:ecs:me-south-1:1:task-definition/${name}`;
  const containers = [{ name, logConfiguration: { logDriver } }, ...(logDriver === "awsfirelens" ? [{ name: "log_router", firelensConfiguration: { type: "fluentbit" }, logConfiguration: { logDriver: "awslogs" } }] : [])];
  return [
    res("aws:ecs/taskDefinition:TaskDefinition", `${name}-task`, { containerDefinitions: JSON.stringify(containers) }, { outputs: { arn } }),
    res("aws:ecs/service:Service", `${name}-service`, { taskDefinition: arn }),
  ];
}

const node = (name: string, script: string, gzip = false): CapturedResource =>
  res("aws:ec2/instance:Instance", name, { tags: { Cluster: "dev-kafka" }, ...(gzip ? { userDataBase64: gzipSync(script).toString("base64") } : { userData: script }) });

const SHIPPING_SCRIPT = "#!/bin/bash\ncat > /etc/fluent-bit/fluent-bit.conf <<'EOF'\n[OUTPUT]\nEOF\n";

describe("plan summaries: central logging", () => {
  describe("on hand-built graphs", () => {
    it("counts services routed through FireLens, data nodes running Fluent Bit (gzip user data too) and the shipper", () => {
      const resources = [
        ...service("cart", "awsfirelens"), ...service("search", "awsfirelens"), ...service("legacy", "awslogs"),
        node("kafka-0", SHIPPING_SCRIPT), node("kafka-1", SHIPPING_SCRIPT, true), node("kafka-2", "#!/bin/bash\necho no shipping\n"),
        res("aws:ec2/instance:Instance", "bastion", { userData: SHIPPING_SCRIPT }),
        res("aws:lambda/function:Function", "dev-log-shipper-function", { name: "tila-dev-log-shipper" }),
      ];
      const l = summarizeLogging("dev", resources)!;
      expect(l).to.deep.equal({ shipping: { servicesShipping: 2, services: 3, servicesNotShipping: ["legacy-service"], dataNodesShipping: 2, dataNodes: 3, shipper: true } });
      expect(formatLogging(l)).to.deep.equal([
        "  logging: to Graylog from 2 of 3 services (FireLens) (CloudWatch only: legacy-service), 2 of 3 data nodes (Fluent Bit); flow-log and access-log shipper on",
      ]);
      expect(formatLogging({ shipping: { ...l.shipping!, servicesShipping: 3, servicesNotShipping: [] } })[0]).to.match(/from 3 of 3 services \(FireLens\), 2 of 3/);
    });

    it("says the shipper is off, and reports nothing for a stack with no service, data node, shipper or Graylog", () => {
      expect(summarizeLogging("dev", service("cart", "awslogs"))!.shipping).to.deep.equal({ servicesShipping: 0, services: 1, servicesNotShipping: ["cart-service"], dataNodesShipping: 0, dataNodes: 0, shipper: false });
      expect(summarizeLogging("dev", [res("aws:s3/bucket:Bucket", "b", {})])).to.equal(undefined);
    });

    it("reads management's Graylog: nodes and their AZs, MongoDB, OpenSearch and the provisioning input's index sets", () => {
      const cluster = ["tila:observability:ObservabilityStack", "tila:observability:GraylogCluster"];
      const resources = [
        ...["a", "b"].map((az) => res("aws:ec2/subnet:Subnet", `app-${az}`, { availabilityZone: `me-south-1${az}` }, { id: `subnet-${az}` })),
        ...[0, 1, 2].map((i) => res("aws:ec2/instance:Instance", `graylog-node-${i}`, { subnetId: i === 2 ? "subnet-a" : `subnet-${"ab"[i]}` }, {}, cluster)),
        ...[0, 1, 2].map((i) => res("aws:ec2/instance:Instance", `graylog-mongodb-${i}`, { tags: { Cluster: "management-graylog-mongodb" } })),
        res("aws:ec2/instance:Instance", "glowroot-0", { tags: { Cluster: "management-glowroot" } }),
        res("aws:opensearch/domain:Domain", "graylog-search-domain", { clusterConfig: { instanceCount: 6 } }, {}, ["tila:observability:GraylogSearch"]),
        res("aws:lambda/invocation:Invocation", "graylog-provisioning", { input: JSON.stringify({ indexSets: [{ stack: "prod", prefix: "tila-prod", hotDays: 90, archiveDays: 365 }, { stack: "dev", prefix: "tila-dev", hotDays: 7, archiveDays: 0 }] }) }),
      ];
      const l = summarizeLogging("management", resources)!;
      expect(l).to.deep.equal({ graylog: { nodes: 3, nodeAzs: 2, mongodbNodes: 3, searchNodes: 6, indexSets: [{ stack: "prod", hotDays: 90, archiveDays: 365 }, { stack: "dev", hotDays: 7, archiveDays: 0 }] } });
      expect(formatLogging(l)).to.deep.equal([
        "  logging: Graylog 3 nodes over 2 AZs, MongoDB 3 nodes, OpenSearch 6 data nodes; index sets (hot/archive days): prod 90/365, dev 7/0",
      ]);
      expect(formatLogging({ graylog: { ...l.graylog!, indexSets: [] } })[0]).to.match(/index sets \(hot\/archive days\): not provisioned$/);
    });
  });

  describe("on the real stacks", () => {
    let management: StackRun;
    let prod: StackRun;
    before(async function () {
      this.timeout(300_000);
      management = await realStack("management");
      prod = await realStack("prod");
    });

    it("shows management's three Graylog nodes over three AZs, its three MongoDB members and its search domain", () => {
      const g = summarizeLogging("management", management.resources)!.graylog!;
      const domain = ofType(management, "aws:opensearch/domain:Domain").find((d) => /graylog/.test(d.name))!;
      expect({ nodes: g.nodes, nodeAzs: g.nodeAzs, mongodbNodes: g.mongodbNodes }).to.deep.equal({ nodes: 3, nodeAzs: 3, mongodbNodes: 3 });
      expect(g.searchNodes).to.equal((domain.inputs.clusterConfig as { instanceCount: number }).instanceCount).and.to.be.greaterThan(0);
      const provisioning = ofType(management, "aws:lambda/invocation:Invocation").find((r) => /indexSets/.test(String(r.inputs.input)));
      const expected = provisioning ? (JSON.parse(String(provisioning.inputs.input)) as { indexSets: { stack: string; hotDays: number; archiveDays: number }[] }).indexSets
        .map(({ stack, hotDays, archiveDays }) => ({ stack, hotDays, archiveDays })) : [];
      expect(g.indexSets).to.deep.equal(expected);
      expect(summarizeLogging("management", management.resources)!.shipping, "management ships nowhere").to.equal(undefined);
    });

    it("shows every prod catalogue service and every prod data node shipping to Graylog", () => {
      const s = summarizeLogging("prod", prod.resources)!.shipping!;
      const catalogue = ofType(prod, "tila:compute:MicroserviceService").length;
      const dataNodes = ofType(prod, "aws:ec2/instance:Instance").filter((i) => (i.inputs.tags as Record<string, string>).Cluster).length;
      expect(catalogue).to.be.greaterThan(0);
      expect(s.services).to.equal(ofType(prod, "aws:ecs/service:Service").length);
      expect(s.servicesShipping).to.be.at.least(catalogue);
      expect(s.servicesShipping + s.servicesNotShipping.length).to.equal(s.services);
      expect(s.dataNodes).to.equal(dataNodes).and.to.be.greaterThan(0);
      expect(s.dataNodesShipping).to.equal(dataNodes);
    });

    it("prints the logging line in the text report and carries it in the JSON", () => {
      const plan = summarizeRun(prod);
      expect(formatStack(plan)).to.match(/\n {2}logging: to Graylog from \d+ of \d+ services \(FireLens\)( \(CloudWatch only: [^)]+\))?, \d+ of \d+ data nodes \(Fluent Bit\); flow-log and access-log shipper o(n|ff)\n/);
      const json = planJson({ stacks: [plan], runs: {}, totals: { stacks: 1, ok: 1, failed: 0, resources: plan.resourceCount, wallMs: 0 } } as PlanResult);
      expect(JSON.parse(JSON.stringify(json)).stacks[0].monitoring.logging.shipping.dataNodes).to.be.greaterThan(0);
    });
  });
});
