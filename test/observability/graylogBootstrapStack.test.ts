/**
 * Graylog node bootstrap on the real management graph: each node's user data is the renderer's
 * script for its own index (one leader, node 0), names every MongoDB member the replica set itself
 * names and the domain's endpoint, reads exactly the three secrets the node's role may read, and
 * goes to EC2 as plain text under 16 KB.
 */
import { expect } from "chai";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { USER_DATA_MAX_BYTES } from "../../components/data/userData";
import { GRAYLOG_SERVER } from "../../components/observability/logging/graylogRelease";
import { GRAYLOG_MONGODB, GRAYLOG_NAME } from "../../stacks/graylog";
import { realStack } from "../support/realStacks";

/** The single-quoted value of `readonly NAME=...` in a script. */
function readonlyValue(script: string, name: string): string {
  const m = new RegExp(`^readonly ${name}='([^']*)'$`, "m").exec(script);
  expect(m, `${name} in the script`).to.not.equal(null);
  return m![1]!;
}

describe("Graylog node bootstrap on the real management stack", function () {
  this.timeout(300000);
  let run: StackRun;
  before(async () => {
    run = await realStack("management");
  });
  const ofType = (type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
  const nodes = (): CapturedResource[] => ofType("aws:ec2/instance:Instance").filter((i) => i.name.startsWith(`${GRAYLOG_NAME}-node-`)).sort((a, b) => a.name.localeCompare(b.name));

  it("sends each node its own plain-text script under 16 KB, node 0 the only leader", () => {
    const ns = nodes();
    expect(ns).to.have.length(3);
    ns.forEach((n, i) => {
      expect(n.inputs.userDataBase64, n.name).to.equal(undefined);
      const script = String(n.inputs.userData);
      expect(Buffer.byteLength(script), n.name).to.be.below(USER_DATA_MAX_BYTES);
      expect(script).to.contain(`# Tila Graylog server node ${i} (management).`);
      expect(script.match(/^is_leader = .*$/gm)).to.deep.equal([`is_leader = ${i === 0}`]);
      expect(script).to.contain(`install_graylog_server '${GRAYLOG_SERVER.version}' '${GRAYLOG_SERVER.gpgKeyId}'`);
    });
  });

  it("connects to every member the replica set names, in its replica set, and to the domain's endpoint", () => {
    const mongo = ofType("aws:ec2/instance:Instance").filter((i) => i.name.startsWith(`${GRAYLOG_MONGODB}-node-`));
    expect(mongo).to.have.length(3);
    // The members' own scripts name their peers; node 1's goes as plain text.
    const member = mongo.find((m) => typeof m.inputs.userData === "string")!;
    const peers = /^readonly TILA_PEERS=\((.*)\)$/m.exec(String(member.inputs.userData))![1]!.split(" ").map((p) => p.replace(/'/g, ""));
    expect(peers).to.have.length(3);
    const endpoint = String(ofType("aws:opensearch/domain:Domain").find((d) => d.name === `${GRAYLOG_NAME}-search-domain`)!.outputs.endpoint);
    for (const n of nodes()) {
      const script = String(n.inputs.userData);
      expect(readonlyValue(script, "TILA_MONGODB_HOSTS")).to.equal(peers.map((p) => `${p}:27017`).join(","));
      expect(readonlyValue(script, "TILA_MONGODB_PATH")).to.equal("graylog?replicaSet=rs0&authSource=graylog");
      expect(readonlyValue(script, "TILA_OPENSEARCH_HOST")).to.equal(endpoint);
      expect(script).to.contain("http_external_uri = https://graylog.management.internal.");
    }
  });

  it("reads exactly the three secrets the node's role may read", () => {
    const policy = JSON.parse(String(ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${GRAYLOG_NAME}-secrets-read`)!.inputs.policy)) as { Statement: { Action: string; Resource: string | string[] }[] };
    const readable = policy.Statement.filter((s) => s.Action === "secretsmanager:GetSecretValue").flatMap((s) => ([] as string[]).concat(s.Resource)).sort();
    expect(readable).to.have.length(3);
    for (const n of nodes()) {
      const script = String(n.inputs.userData);
      const read = ["TILA_GRAYLOG_SECRET_ARN", "TILA_MONGODB_SECRET_ARN", "TILA_OPENSEARCH_SECRET_ARN"].map((v) => readonlyValue(script, v));
      expect(read.sort(), n.name).to.deep.equal(readable);
    }
  });
});
