/**
 * The lake's data path on the real prod and preprod graphs (issue 16, "Done when"): Kafka admits the
 * Kafka Connect workers on 9092, the workers reach S3 through the VPC's gateway endpoint, the raw
 * bucket they write is the one Glue catalogues and the curation step reads, and the workgroup
 * analysts query writes to the lake's results bucket. And nothing else is opened: the lake adds no
 * route, no Transit Gateway piece and no CIDR-sourced ingress, the workers' group admits only the
 * workers' own REST traffic, and the whole reachability matrix (all five stacks) is the same with the
 * lake turned off in prod (one extra engine run, shared through test/support/configVariants.ts).
 */
import { expect } from "chai";
import { CONNECT_REST_PORT, CONNECT_WORKERS } from "../../components/analytics/analyticsPlan";
import type { StackRun } from "../../offline/engine";
import { analyzeReachability } from "../../offline/reachability";
import type { CapturedResource } from "../../offline/types";
import { stackWithConfig } from "../support/configVariants";
import { realStack, realStacks } from "../support/realStacks";

type Props = Record<string, unknown>;
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const SG = "aws:ec2/securityGroup:SecurityGroup";

const str = (v: unknown): string => (typeof v === "string" ? v : "");
const rec = (v: unknown): Props => (v !== null && typeof v === "object" ? (v as Props) : {});
const bucketOf = (location: unknown): string | undefined => /^s3:\/\/([^/]+)\//.exec(str(location))?.[1];
const idOf = (r: CapturedResource): string => str(r.id) || str(r.outputs.id);
const bucketName = (r: CapturedResource): string => str(r.outputs.bucket) || str(r.inputs.bucket);

/** Whether CIDR `outer` contains CIDR `inner` (IPv4). */
function contains(outer: string, inner: string): boolean {
  const parse = (c: string): [number, number] => {
    const [ip, len] = c.split("/");
    return [ip!.split(".").reduce((n, o) => n * 256 + Number(o), 0), Number(len)];
  };
  const [o, ol] = parse(outer);
  const [i, il] = parse(inner);
  if (il < ol) return false;
  const size = 2 ** (32 - ol);
  return Math.floor(o / size) === Math.floor(i / size);
}

/** The lake's pieces of one real environment graph. */
function lakeOf(resources: readonly CapturedResource[]) {
  const one = (pick: (r: CapturedResource) => boolean, what: string): CapturedResource => {
    const hits = resources.filter(pick);
    expect(hits, what).to.have.length(1);
    return hits[0]!;
  };
  const under = (component: string) => (r: CapturedResource) => r.urn.includes(`tila:analytics:${component}$`);
  const workersGroup = one((r) => r.type === SG && r.name.endsWith(`-services-${CONNECT_WORKERS}`), "the workers' security group");
  const service = one((r) => r.type === "aws:ecs/service:Service" && under("KafkaConnectWorkers")(r), "the workers' ECS service");
  const task = one((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && under("KafkaConnectWorkers")(r), "the workers' task definition");
  const tables = resources.filter((r) => r.type === "aws:glue/catalogTable:CatalogTable");
  const workgroup = one((r) => r.type === "aws:athena/workgroup:Workgroup", "the workgroup");
  const curation = one((r) => r.type === "aws:lambda/function:Function" && under("LakeCuration")(r), "the curation function");
  const tableBucket = (db: "raw" | "curated"): string[] => [...new Set(tables.filter((t) => str(t.inputs.databaseName).endsWith(`_${db}`)).map((t) => bucketOf(rec(t.inputs.storageDescriptor).location)!))];
  return { workersGroup, service, task, tables, workgroup, curation, rawBuckets: tableBucket("raw"), curatedBuckets: tableBucket("curated") };
}

for (const stack of ["prod", "preprod"]) {
  describe(`the lake's data path in ${stack} (real graph)`, () => {
    let resources: CapturedResource[];
    let lake: ReturnType<typeof lakeOf>;
    let workersId: string;
    before(async function () {
      this.timeout(300_000);
      resources = (await realStack(stack)).resources;
      lake = lakeOf(resources);
      workersId = idOf(lake.workersGroup);
    });

    it("Kafka admits the workers' group on 9092, OpenSearch on 443, and no other group rule names the workers as a source", () => {
      const fromWorkers = resources.filter((r) => r.type === INGRESS && r.inputs.referencedSecurityGroupId === workersId);
      const groupName = (id: unknown) => resources.find((r) => r.type === SG && idOf(r) === id)?.name ?? String(id);
      const seen = fromWorkers.map((r) => `${groupName(r.inputs.securityGroupId)} tcp ${r.inputs.fromPort}-${r.inputs.toPort}`).sort();
      expect(seen).to.deep.equal([
        `${stack}-kafka-sg tcp 9092-9092`,
        `${stack}-search-sg tcp 443-443`,
        `${stack}-services-${CONNECT_WORKERS} tcp ${CONNECT_REST_PORT}-${CONNECT_REST_PORT}`,
      ].sort());
      const kafkaGroup = fromWorkers.find((r) => r.inputs.fromPort === 9092)!.inputs.securityGroupId;
      const brokers = resources.filter((r) => r.type === "aws:ec2/instance:Instance" && JSON.stringify(r.inputs.vpcSecurityGroupIds ?? []).includes(String(kafkaGroup)));
      expect(brokers.length, "Kafka brokers wear the group that admits the workers").to.be.greaterThan(2);
      expect(brokers.every((b) => rec(b.inputs.tags).Cluster !== undefined && /kafka/.test(b.name))).to.equal(true);
    });

    it("the workers' group admits only the workers' REST port, from the workers (or a function that configures them)", () => {
      const into = resources.filter((r) => r.type === INGRESS && r.inputs.securityGroupId === workersId);
      expect(into.length).to.be.greaterThan(0);
      const functionGroups = new Set(resources.filter((r) => r.type === "aws:lambda/function:Function").flatMap((f) => (rec(f.inputs.vpcConfig).securityGroupIds as string[] | undefined) ?? []));
      for (const rule of into) {
        expect([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort], rule.name).to.deep.equal(["tcp", CONNECT_REST_PORT, CONNECT_REST_PORT]);
        expect(rule.inputs.cidrIpv4 ?? rule.inputs.prefixListId, `${rule.name}: no CIDR or prefix-list source`).to.equal(undefined);
        const source = str(rule.inputs.referencedSecurityGroupId);
        expect(source === workersId || functionGroups.has(source), `${rule.name} admits ${source}`).to.equal(true);
      }
    });

    it("the workers leave only for Kafka (9092), OpenSearch and S3 and HTTPS (443) and each other (8083)", () => {
      const out = resources.filter((r) => r.type === EGRESS && r.inputs.securityGroupId === workersId);
      const ports = [...new Set(out.map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort}`))].sort();
      expect(ports).to.deep.equal(["tcp 443-443", "tcp 8083-8083", "tcp 9092-9092"]);
      expect(resources.some((r) => r.type === SG && idOf(r) === workersId && (Array.isArray(r.inputs.egress) && r.inputs.egress.length > 0 || Array.isArray(r.inputs.ingress) && r.inputs.ingress.length > 0))).to.equal(false);
    });

    it("the workers' subnets route to S3 through the gateway endpoint whose prefix list their egress names, and the data tier's NACL lets them in", () => {
      const endpoint = resources.find((r) => r.type === "aws:ec2/vpcEndpoint:VpcEndpoint" && str(r.inputs.serviceName).endsWith(".s3") && r.inputs.vpcEndpointType === "Gateway")!;
      expect(endpoint, "the S3 gateway endpoint").to.not.equal(undefined);
      const subnets = (rec(lake.service.inputs.networkConfiguration).subnets as string[]) ?? [];
      expect(subnets.length).to.be.greaterThan(1);
      expect(rec(lake.service.inputs.networkConfiguration).assignPublicIp).to.equal(false);
      for (const subnet of subnets) {
        const assoc = resources.find((r) => r.type === "aws:ec2/routeTableAssociation:RouteTableAssociation" && r.inputs.subnetId === subnet);
        expect(endpoint.inputs.routeTableIds as string[], `${subnet}'s route table`).to.include(assoc?.inputs.routeTableId);
      }
      const s3Egress = resources.filter((r) => r.type === EGRESS && r.inputs.securityGroupId === workersId && r.inputs.prefixListId !== undefined);
      expect(s3Egress.map((r) => r.inputs.prefixListId)).to.deep.equal([endpoint.outputs.prefixListId]);

      const cidrs = subnets.map((id) => str(resources.find((r) => r.type === "aws:ec2/subnet:Subnet" && idOf(r) === id)?.inputs.cidrBlock));
      const dataNacl = resources.find((r) => r.type === "aws:ec2/networkAcl:NetworkAcl" && r.name.includes("-data-"))!;
      const inbound = resources.filter((r) => r.type === "aws:ec2/networkAclRule:NetworkAclRule" && r.inputs.networkAclId === idOf(dataNacl) && r.inputs.egress === false);
      for (const cidr of cidrs) {
        const first = inbound
          .filter((r) => contains(str(r.inputs.cidrBlock), cidr) && (r.inputs.protocol === "-1" || (r.inputs.protocol === "tcp" && Number(r.inputs.fromPort) <= 9092 && Number(r.inputs.toPort) >= 9092)))
          .sort((a, b) => Number(a.inputs.ruleNumber) - Number(b.inputs.ruleNumber))[0];
        expect(first?.inputs.ruleAction, `the data NACL's first rule for ${cidr} on 9092`).to.equal("allow");
      }
    });

    it("the raw bucket the workers write is the one Glue catalogues and curation reads; curated and results are the lake's too", () => {
      expect(lake.rawBuckets).to.have.length(1);
      expect(lake.curatedBuckets).to.have.length(1);
      const [raw] = lake.rawBuckets;
      const [curated] = lake.curatedBuckets;
      const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket").map(bucketName);
      expect(buckets).to.include.members([raw, curated]);
      expect(JSON.stringify(lake.task.inputs.containerDefinitions ?? "") + JSON.stringify(resources.filter((r) => r.urn.includes("tila:analytics:KafkaConnectWorkers$")).map((r) => r.inputs)), "the workers name the raw bucket").to.include(raw!);
      const curationText = JSON.stringify(lake.curation.inputs) + JSON.stringify(resources.filter((r) => r.urn.includes("tila:analytics:LakeCuration$")).map((r) => r.inputs));
      expect(curationText, "curation names the curated bucket").to.include(curated!);
      expect(curationText, "curation names the workgroup").to.include(str(lake.workgroup.inputs.name));
      const results = bucketOf(rec(rec(lake.workgroup.inputs.configuration).resultConfiguration).outputLocation);
      expect(buckets, "the workgroup writes to a bucket of this stack").to.include(results);
      expect([raw, curated]).to.not.include(results);
      expect(lake.tables.length).to.equal(2 * lake.tables.filter((t) => str(t.inputs.databaseName).endsWith("_raw")).length);
    });

    it("the lake adds no route, no Transit Gateway piece, no NACL and no CIDR-sourced ingress", () => {
      const lakeParts = resources.filter((r) => r.urn.includes("tila:analytics:") || r === lake.workersGroup || ((r.type === INGRESS || r.type === EGRESS) && (r.inputs.securityGroupId === workersId || r.inputs.referencedSecurityGroupId === workersId)));
      expect(lakeParts.length).to.be.greaterThan(50);
      const forbidden = lakeParts.filter((r) => /^aws:ec2\/(route|routeTable|routeTableAssociation|networkAcl|networkAclRule|vpcEndpoint):|^aws:ec2transitgateway\//.test(r.type));
      expect(forbidden.map((r) => r.name)).to.deep.equal([]);
      expect(lakeParts.filter((r) => r.type === INGRESS && (r.inputs.cidrIpv4 !== undefined || r.inputs.prefixListId !== undefined)).map((r) => r.name)).to.deep.equal([]);
    });
  });
}

describe("the reachability matrix with and without the lake (all five stacks)", () => {
  let withLake: Record<string, StackRun>;
  let prodWithout: StackRun;
  before(async function () {
    this.timeout(600_000);
    withLake = await realStacks();
    prodWithout = await stackWithConfig("prod", [[["tila-platform:analytics", "enabled"], false]]);
  });

  const graphs = (runs: Record<string, StackRun>) => Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.resources]));

  it("is the same, route by route and port by port, with prod's lake turned off", () => {
    expect(prodWithout.resources.some((r) => r.type === "aws:athena/workgroup:Workgroup"), "the variant has no lake").to.equal(false);
    expect(withLake.prod!.resources.some((r) => r.type === "aws:athena/workgroup:Workgroup"), "the real prod has one").to.equal(true);
    const before = analyzeReachability(graphs({ ...withLake, prod: prodWithout }));
    const after = analyzeReachability(graphs(withLake));
    expect(JSON.parse(JSON.stringify(after))).to.deep.equal(JSON.parse(JSON.stringify(before)));
  });

  it("differs inside prod only by the workers' rules: Kafka 9092, OpenSearch 443, and 8083 from themselves and the configuration function", () => {
    const rules = (rs: readonly CapturedResource[]) => new Set(rs.filter((r) => r.type === INGRESS).map((r) => r.name));
    const off = rules(prodWithout.resources);
    const added = [...rules(withLake.prod!.resources)].filter((n) => !off.has(n)).sort();
    expect(added).to.deep.equal([`prod-connect-ingress-rest-connect-config`, `prod-connect-ingress-rest-self`, `prod-kafka-in-client-9092-sg-${CONNECT_WORKERS}`, `prod-search-ingress-sg-${CONNECT_WORKERS}`].sort());
    const on = rules(withLake.prod!.resources);
    expect([...off].filter((n) => !on.has(n)), "the lake removes no rule").to.deep.equal([]);
  });
});
