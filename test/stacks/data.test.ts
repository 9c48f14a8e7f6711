import { expect } from "chai";
import { ENGINE_PROFILES, EngineName } from "../../components/data/engines";
import { survivesAzLoss } from "../../components/data/placement";
import { decodeUserData } from "../../components/data/userData";
import { StackRun } from "../../offline/engine";
import { ofType } from "../support/graph";
import { realStacks } from "../support/realStacks";

const ENVS = ["dev", "stage", "preprod", "prod"];

/** Each cluster's nodes with the AZ of their subnet, from the captured graph. */
function clusters(run: StackRun): { name: string; engine: EngineName; placement: { index: number; az: string }[] }[] {
  const subnetAz = new Map(ofType(run, "aws:ec2/subnet:Subnet").map((s) => [s.id, String(s.inputs.availabilityZoneId)]));
  return ofType(run, "tila:data:NoSqlCluster").map((c) => {
    const nodes = run.resources.filter((r) => r.parent === c.urn && r.type === "aws:ec2/instance:Instance");
    const engine = (nodes[0]?.inputs.tags as Record<string, string>).Engine as EngineName;
    return { name: c.name, engine, placement: nodes.map((n, index) => ({ index, az: subnetAz.get(String(n.inputs.subnetId)) ?? "?" })) };
  });
}

describe("the data tier (real stack configs)", () => {
  let stacks: Record<string, StackRun>;
  before(async () => {
    stacks = await realStacks();
  });

  for (const env of ["prod", "preprod"]) {
    it(`keeps a quorum in every ${env} cluster when any one AZ is lost`, () => {
      const found = clusters(stacks[env]!);
      expect(found.map((c) => c.engine).sort()).to.deep.equal(["aerospike", "arangodb", "couchbase", "kafka", "mongodb", "solr", "zookeeper"]);
      for (const c of found) {
        const verdict = survivesAzLoss(ENGINE_PROFILES[c.engine], c.placement);
        expect(verdict.ok, `${env} ${c.name}: ${verdict.reason}`).to.equal(true);
        expect(new Set(c.placement.map((p) => p.az)).size, `${env} ${c.name} AZs`).to.equal(3);
      }
    });
  }

  it("gives no cluster node a public IP and requires IMDSv2 everywhere", () => {
    for (const env of ENVS) {
      for (const i of ofType(stacks[env]!, "aws:ec2/instance:Instance")) {
        expect(i.inputs.associatePublicIpAddress, `${env} ${i.name}`).to.equal(false);
        expect((i.inputs.metadataOptions as Record<string, unknown>).httpTokens, `${env} ${i.name}`).to.equal("required");
        expect(i.inputs.keyName, `${env} ${i.name}`).to.equal(undefined);
      }
    }
  });

  it("runs Multi-AZ MySQL, failover Redis and zone-aware OpenSearch in prod, and smaller ones in dev", () => {
    const [prodDb] = ofType(stacks.prod!, "aws:rds/instance:Instance");
    const [devDb] = ofType(stacks.dev!, "aws:rds/instance:Instance");
    expect(prodDb!.inputs).to.include({ multiAz: true, deletionProtection: true, storageEncrypted: true, publiclyAccessible: false });
    expect(prodDb!.inputs.backupRetentionPeriod).to.be.at.least(14);
    expect(prodDb!.options.protect).to.equal(true);
    expect(devDb!.inputs.multiAz).to.equal(false);
    const [prodRedis] = ofType(stacks.prod!, "aws:elasticache/replicationGroup:ReplicationGroup");
    expect(prodRedis!.inputs).to.include({ automaticFailoverEnabled: true, multiAzEnabled: true, transitEncryptionEnabled: true, atRestEncryptionEnabled: true });
    const [prodSearch] = ofType(stacks.prod!, "aws:opensearch/domain:Domain");
    expect((prodSearch!.inputs.clusterConfig as Record<string, unknown>).zoneAwarenessEnabled).to.equal(true);
  });

  it("wires Kafka and Solr to the environment's own ZooKeeper ensemble", () => {
    for (const env of ENVS) {
      const run = stacks[env]!;
      const zkNames = run.resources.filter((r) => r.type === "aws:route53/record:Record" && String(r.inputs.name).startsWith(`${env}-zookeeper-`));
      expect(zkNames.length, env).to.be.greaterThan(0);
      for (const engine of ["kafka", "solr"]) {
        const node = ofType(run, "aws:ec2/instance:Instance").find((i) => (i.inputs.tags as Record<string, string>).Engine === engine);
        expect(decodeUserData(node!.inputs), `${env} ${engine}`).to.include(`${env}-zookeeper-0.${env}.internal.tila.sa:2181`);
      }
    }
  });

  it("never exports a credential, only the ARN of the secret that holds it", () => {
    for (const env of ENVS) {
      const run = stacks[env]!;
      const passwords = ofType(run, "random:index/randomPassword:RandomPassword").map((p) => String(p.outputs.result));
      expect(passwords.length, env).to.be.greaterThan(0);
      const outputs = JSON.stringify(run.outputs);
      for (const pw of passwords) expect(outputs.includes(pw), `${env} exports a password`).to.equal(false);
      for (const i of ofType(run, "aws:ec2/instance:Instance")) {
        for (const pw of passwords) expect(decodeUserData(i.inputs).includes(pw), `${env} ${i.name} user data`).to.equal(false);
      }
    }
  });
});
