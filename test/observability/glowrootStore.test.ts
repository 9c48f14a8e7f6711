/**
 * Glowroot central's Cassandra in management, on the real management stack's captured graph: three
 * nodes in three AZs in management's data subnets, the exact ingress (CQL from the collector nodes'
 * group only, internode from the cluster only), the collector nodes' egress to it, secrets read at
 * boot and never in user data, the node role's reads, alarms on management's topics and names within
 * AWS's limits; and an environment stack gets none of it.
 */
import { expect } from "chai";
import { gunzipSync } from "zlib";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { nameLimitCheck } from "../../offline/aws/names";
import { realStack } from "../support/realStacks";
import { GLOWROOT_STORE } from "../../stacks/apm";

const T = {
  instance: "aws:ec2/instance:Instance",
  subnet: "aws:ec2/subnet:Subnet",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  cluster: "tila:data:NoSqlCluster",
} as const;

/** The script a node boots with: plain user data, or gzip through userDataBase64 when it does not fit 16 KB (userData.ts). */
const scriptOf = (n: CapturedResource): string => (n.inputs.userData ? String(n.inputs.userData) : gunzipSync(Buffer.from(String(n.inputs.userDataBase64), "base64")).toString("utf8"));
const ofType = (run: StackRun, type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
const one = (run: StackRun, type: string, name: string): CapturedResource => {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0]!;
};

describe("Glowroot central's Cassandra (real management stack)", function () {
  this.timeout(300000);
  let run: StackRun;
  let dev: StackRun;
  before(async () => {
    run = await realStack("management");
    dev = await realStack("dev");
  });

  const nodes = (): CapturedResource[] => ofType(run, T.instance).filter((i) => i.name.startsWith(`${GLOWROOT_STORE}-node-`));

  it("runs three cassandra nodes, one in each AZ, in management's data subnets", () => {
    const ns = nodes();
    expect(ns.map((n) => (n.inputs.tags as Record<string, string>).Engine)).to.deep.equal(["cassandra", "cassandra", "cassandra"]);
    expect(new Set(ns.map((n) => n.inputs.availabilityZone)).size).to.equal(3);
    const dataSubnets = new Set(ofType(run, T.subnet).filter((s) => (s.inputs.tags as Record<string, string>).Tier === "data").map((s) => s.id));
    expect(dataSubnets.size).to.equal(3);
    for (const n of ns) expect(dataSubnets.has(String(n.inputs.subnetId)), n.name).to.equal(true);
    expect(ns.every((n) => n.inputs.disableApiTermination === true)).to.equal(true);
  });

  it("admits CQL only from the collector nodes' group and internode traffic only from itself, and lets the collector nodes out to CQL", () => {
    const sg = one(run, T.sg, `${GLOWROOT_STORE}-sg`).id;
    const collectorNodes = one(run, T.sg, "glowroot-node-sg").id;
    const rules = ofType(run, T.ingress).filter((r) => r.inputs.securityGroupId === sg)
      .map((r) => ({ from: r.inputs.fromPort, to: r.inputs.toPort, source: r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4 }));
    expect(rules).to.have.deep.members([
      { from: 9042, to: 9042, source: collectorNodes },
      { from: 7000, to: 7000, source: sg },
    ]);
    expect(rules).to.have.length(2);
    const out = ofType(run, T.egress).filter((r) => r.inputs.securityGroupId === collectorNodes && r.inputs.referencedSecurityGroupId === sg);
    expect(out.map((r) => [r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([[9042, 9042]]);
  });

  it("keeps the admin and glowroot passwords out of user data: nodes read them at boot with a role that may read only those two secrets", () => {
    const admin = one(run, T.secret, `${GLOWROOT_STORE}-admin`);
    const glowroot = one(run, T.secret, `${GLOWROOT_STORE}-svc-glowroot-secret`);
    const values = ofType(run, T.secretVersion).filter((v) => [admin.id, glowroot.id, admin.outputs.arn, glowroot.outputs.arn].includes(v.inputs.secretId as string));
    expect(values).to.have.length(2);
    const passwords = values.map((v) => String((JSON.parse(String(v.inputs.secretString)) as { password: string }).password));
    for (const p of passwords) expect(p.length).to.be.at.least(16);
    for (const n of nodes()) {
      const script = scriptOf(n);
      expect(script.startsWith("#!/bin/bash\n"), n.name).to.equal(true);
      expect(script, n.name).to.contain(`readonly TILA_ADMIN_SECRET_ARN='${String(admin.outputs.arn)}'`);
      for (const p of passwords) expect(script, n.name).to.not.contain(p);
    }
    const node0 = scriptOf(nodes().find((n) => n.name.endsWith("-node-0"))!);
    expect(node0).to.contain(`readonly TILA_SVC_SECRETS=('${String(glowroot.outputs.arn)}')`);
    expect(node0).to.contain("readonly TILA_SVC_DATABASES=('glowroot')");
    const read = JSON.parse(String(one(run, T.rolePolicy, `${GLOWROOT_STORE}-admin-secret-read`).inputs.policy)) as { Statement: { Action: string; Resource: string | string[] }[] };
    const readable = read.Statement.filter((s) => s.Action === "secretsmanager:GetSecretValue").flatMap((s) => ([] as string[]).concat(s.Resource)).sort();
    expect(readable).to.deep.equal([admin.outputs.arn, glowroot.outputs.arn].map(String).sort());
  });

  it("encrypts both secrets with the store's own customer key", () => {
    const key = run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name.startsWith(GLOWROOT_STORE))!;
    expect(key, "the store's key").to.not.equal(undefined);
    for (const name of [`${GLOWROOT_STORE}-admin`, `${GLOWROOT_STORE}-svc-glowroot-secret`]) expect(one(run, T.secret, name).inputs.kmsKeyId, name).to.equal(key.outputs.arn);
  });

  it("watches every node (instance status, memory, root and data disk) with actions on management's alert topics", () => {
    const topics = new Set(ofType(run, T.topic).filter((t) => /alerts/.test(t.name)).map((t) => t.outputs.arn));
    expect(topics.size).to.equal(2);
    for (const n of nodes()) {
      const mine = ofType(run, T.alarm).filter((a) => (a.inputs.dimensions as Record<string, string> | undefined)?.InstanceId === n.id);
      const metrics = mine.map((a) => `${a.inputs.metricName}${(a.inputs.dimensions as Record<string, string>).path ? ` ${(a.inputs.dimensions as Record<string, string>).path}` : ""}`).sort();
      expect(metrics, n.name).to.deep.equal(["StatusCheckFailed_Instance", "StatusCheckFailed_System", "disk_used_percent /", "disk_used_percent /var/lib/cassandra", "mem_used_percent"]);
      for (const a of mine) {
        const actions = (a.inputs.alarmActions as string[]).filter((x) => !x.includes(":automate:"));
        expect(actions, a.name).to.have.length(1);
        expect(topics.has(actions[0]!), a.name).to.equal(true);
      }
    }
  });

  it("gives AWS only names within their limits", () => {
    const mine = run.resources.filter((r) => r.name.startsWith(GLOWROOT_STORE));
    expect(mine.length).to.be.greaterThan(30);
    expect(nameLimitCheck(mine, { stack: "management", region: "me-south-1", accountId: "111111111111" })).to.deep.equal([]);
  });

  it("exists in management only: an environment with Glowroot agents runs no Cassandra", () => {
    expect(ofType(dev, T.cluster).filter((c) => c.name.includes("glowroot"))).to.deep.equal([]);
    expect(ofType(dev, T.instance).filter((i) => (i.inputs.tags as Record<string, string>).Engine === "cassandra")).to.deep.equal([]);
  });
});
