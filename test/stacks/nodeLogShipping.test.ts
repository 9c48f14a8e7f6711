/**
 * Whole-stack: with shipping on (the real prod, whose stack file ships), every
 * data node's user data runs Fluent Bit shipping its journal and its engine's files to Graylog's
 * name in prod's zone over verified TLS, tagged with its cluster and its own DNS name; each
 * cluster's security group gains exactly one egress rule, management's CIDR on the GELF port; and
 * with shipping off no node mentions Fluent Bit and no group reaches management on that port.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { ENGINE_LOGS } from "../../components/data/bootstrap";
import { BootstrapContext } from "../../components/data/bootstrap/types";
import { decodeUserData } from "../../components/data/userData";
import { GELF_TCP_PORT, graylogHostName } from "../../components/observability/logging/graylogPlan";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { get, parseClassic, writtenFluentBitConfig } from "../data/fluentbitHarness";
import { ofType } from "../support/graph";
import { prodShipping, prodWithoutShipping } from "../support/configVariants";
import { realStack } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

interface Cluster { resource: CapturedResource; engine: BootstrapContext["engine"]; nodes: CapturedResource[]; dnsNames: string[]; sg: CapturedResource }

function clusters(run: StackRun): Cluster[] {
  return ofType(run, "tila:data:NoSqlCluster").map((c) => {
    const children = run.resources.filter((r) => r.parent === c.urn);
    const nodes = children.filter((r) => r.type === "aws:ec2/instance:Instance");
    return {
      resource: c,
      engine: (nodes[0]!.inputs.tags as Record<string, string>).Engine as BootstrapContext["engine"],
      nodes,
      dnsNames: children.filter((r) => r.type === "aws:route53/record:Record").map((r) => String(r.inputs.name)),
      sg: children.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!,
    };
  });
}

/** The egress rules of a group, by logical name. */
function egressOf(run: StackRun, sg: CapturedResource): Map<string, CapturedResource> {
  return new Map(ofType(run, EGRESS).filter((r) => r.inputs.securityGroupId === sg.id).map((r) => [r.name, r]));
}

describe("data nodes ship their logs (whole prod stack)", function () {
  this.timeout(300000);
  let on: StackRun;
  let off: StackRun;
  let managementCidr: string;
  let domainZone: string;
  before(async () => {
    expect(prodShipping().enabled, "the real prod ships its logs (the premise)").to.equal(true);
    on = await realStack("prod");
    off = await prodWithoutShipping();
    const mgmt = parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.management.yaml"), "utf8"));
    managementCidr = String(mgmt.getIn(["config", "tila-platform:network", "cidr"]));
    domainZone = `prod.internal.${String(parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8")).getIn(["config", "tila-platform:dns", "domain"]))}`;
  });

  it("runs every cluster of the seven engines, each node's user data shipping its journal and its engine's files to Graylog's name in prod's zone over verified TLS", () => {
    const found = clusters(on);
    expect(found.map((c) => c.engine).sort()).to.deep.equal(["aerospike", "arangodb", "couchbase", "kafka", "mongodb", "solr", "zookeeper"]);
    const host = graylogHostName(domainZone);
    for (const c of found) {
      const shipped = new Set<string>();
      for (const node of c.nodes) {
        const what = `${c.resource.name} ${node.name}`;
        const script = decodeUserData(node.inputs);
        expect(script, what).to.contain("install_fluent_bit '");
        const sections = parseClassic(writtenFluentBitConfig(script));
        const out = sections.find((s) => s.name === "OUTPUT")!.entries;
        expect(Object.fromEntries(out), what).to.deep.include({ Name: "gelf", Host: host, Port: String(GELF_TCP_PORT), Mode: "tls", tls: "On", "tls.verify": "On", "tls.verify_hostname": "On", "tls.vhost": host });
        const sets = get(sections.find((s) => s.name === "FILTER" && get(s.entries, "Match")[0] === "*")!.entries, "Set");
        expect(sets, what).to.include.members(["environment prod", "log_kind data-node", `cluster ${c.resource.name}`]);
        const node_ = sets.find((s) => s.startsWith("node "))!.slice("node ".length);
        expect(c.dnsNames, what).to.include(node_);
        shipped.add(node_);
        expect(sections.some((s) => get(s.entries, "Name")[0] === "systemd"), `${what} journal`).to.equal(true);
        const tailed = sections.filter((s) => get(s.entries, "Name")[0] === "tail").flatMap((s) => get(s.entries, "Path")[0]!.split(","));
        const mountPoint = /^readonly TILA_MOUNT_POINT='([^']+)'$/m.exec(script)![1]!;
        for (const f of ENGINE_LOGS[c.engine]({ mountPoint } as BootstrapContext).files) expect(tailed, `${what} tails ${f}`).to.include(f);
      }
      // Every node names itself: no two nodes ship under one name.
      expect(shipped.size, c.resource.name).to.equal(c.nodes.length);
    }
  });

  it("adds to each cluster's security group exactly one egress rule: TCP 12201 to management's CIDR", () => {
    const before = new Map(clusters(off).map((c) => [c.resource.name, egressOf(off, c.sg)]));
    for (const c of clusters(on)) {
      const after = egressOf(on, c.sg);
      const was = before.get(c.resource.name)!;
      const added = [...after.keys()].filter((n) => !was.has(n));
      expect(added, c.resource.name).to.deep.equal([`${c.resource.name}-out-graylog`]);
      expect([...was.keys()].filter((n) => !after.has(n)), `${c.resource.name} removed`).to.deep.equal([]);
      for (const [n, rule] of was) expect(after.get(n)!.inputs, `${n} unchanged`).to.deep.equal(rule.inputs);
      const rule = after.get(added[0]!)!.inputs;
      expect({ ipProtocol: rule.ipProtocol, fromPort: rule.fromPort, toPort: rule.toPort, cidrIpv4: rule.cidrIpv4 }, c.resource.name)
        .to.deep.equal({ ipProtocol: "tcp", fromPort: GELF_TCP_PORT, toPort: GELF_TCP_PORT, cidrIpv4: managementCidr });
      expect(rule.referencedSecurityGroupId, c.resource.name).to.equal(undefined);
    }
  });

  for (const env of ["dev", "stage", "preprod", "prod"]) {
    it(`${env} as its stack file stands: every data node ships to graylog.${env}'s name exactly when shipping is on there`, async () => {
      const doc = parseDocument(fs.readFileSync(path.join(ROOT, `Pulumi.${env}.yaml`), "utf8"));
      const enabled = doc.getIn(["config", "tila-platform:observability", "logging", "shipping", "enabled"]) === true;
      const run = await realStack(env);
      const found = clusters(run);
      expect(found.length, env).to.be.greaterThan(0);
      for (const c of found) {
        for (const node of c.nodes) {
          const config = writtenFluentBitConfig(decodeUserData(node.inputs));
          expect(config !== "", `${env} ${node.name} ships`).to.equal(enabled);
          if (enabled) expect(config, node.name).to.contain(`Host                     graylog.${env}.internal.`);
        }
      }
    });
  }

  it("with shipping off, no data node mentions Fluent Bit and no cluster group reaches management on 12201", () => {
    for (const c of clusters(off)) {
      for (const node of c.nodes) expect(decodeUserData(node.inputs), `${c.resource.name} ${node.name}`).to.not.match(/fluent/i);
      for (const rule of egressOf(off, c.sg).values()) expect(rule.inputs.fromPort, rule.name).to.not.equal(GELF_TCP_PORT);
    }
  });
});
