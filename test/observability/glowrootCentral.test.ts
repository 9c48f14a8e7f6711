/**
 * Glowroot central nodes: the bootstrap (shellcheck at the strictest level, the properties Glowroot
 * reads, bash runs of the secret-reading and download-verifying functions against stubs), the
 * component's refusals, and the real management graph (registration by private IP on 8181, the UI
 * from management only, the role's two secrets, no secret in user data, alarms, names).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { nameLimitCheck } from "../../offline/aws/names";
import { realStack } from "../support/realStacks";
import { shellcheckAll } from "../data/shellcheck";
import { bash } from "../data/bootstrapHarness";
import { GLOWROOT_CENTRAL_NODES } from "../../stacks/apm";
import { USER_DATA_MAX_BYTES } from "../../components/data/userData";
import { GLOWROOT_CENTRAL, GLOWROOT_FUNCTIONS, GlowrootCentralContext, glowrootCentralContextIssues, glowrootProperties, renderGlowrootCentralBootstrap } from "../../components/observability/apm/glowrootCentralBootstrap";
import { GlowrootCentralArgs, glowrootCentralIssues } from "../../components/observability/apm/GlowrootCentral";

const CTX: GlowrootCentralContext = {
  environment: "management",
  region: "me-south-1",
  nodeIndex: 0,
  contactPoints: ["management-glowroot-0.management.internal.tila.sa", "management-glowroot-1.management.internal.tila.sa"],
  cassandraPort: 9042,
  localDatacenter: "me-south-1",
  keyspace: "glowroot",
  userSecretArn: "arn:aws:secretsmanager:me-south-1:111111111111:secret:management/data/management-glowroot-svc-glowroot-Ab12",
  keySecretArn: "arn:aws:secretsmanager:me-south-1:111111111111:secret:management-glowroot-central-encryption-key-Cd34",
};

const ARGS: GlowrootCentralArgs = {
  environment: "management", region: "me-south-1", partition: "aws",
  subnets: [{ az: "me-south-1a", subnetId: "subnet-1" }],
  nodeSecurityGroupId: "sg-1", targetGroupArn: "arn:tg", targetGroupArnSuffix: "targetgroup/x/1", loadBalancerArnSuffix: "net/x/1",
  uiCidrs: ["10.0.0.0/16"],
  cassandra: { contactPoints: ["a.b.c"], port: 9042, localDatacenter: "me-south-1", keyspace: "glowroot", userSecretArn: "arn" },
  kmsKeyArn: "arn:key", protect: true,
  tags: { Environment: "management", Owner: "o", CostCenter: "c", ManagedBy: "pulumi" },
};

describe("Glowroot central", function () {
  this.timeout(300000);

  describe("bootstrap", () => {
    it("passes shellcheck at the strictest level (and the check fails a bad script)", async () => {
      const [ok, bad] = await shellcheckAll([renderGlowrootCentralBootstrap(CTX), "#!/bin/bash\nrm -rf $1/x\n"]);
      expect(ok!.output).to.equal("");
      expect(ok!.status).to.equal(0);
      expect(bad!.status).to.not.equal(0);
    });

    it("configures Cassandra, the local datacenter, gRPC on 8181 and the UI on 4000 with Glowroot's property names, and no secret", () => {
      const props = Object.fromEntries(glowrootProperties(CTX).split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split("=") as [string, string]));
      expect(props).to.deep.equal({
        "cassandra.contactPoints": CTX.contactPoints.join(","),
        "cassandra.port": "9042",
        "cassandra.keyspace": "glowroot",
        "cassandra.localDatacenter": "me-south-1",
        "cassandra.consistencyLevel": "QUORUM",
        "grpc.bindAddress": "0.0.0.0",
        "grpc.httpPort": "8181",
        "grpc.httpsPort": "none",
        "ui.bindAddress": "0.0.0.0",
        "ui.port": "4000",
      });
      const script = renderGlowrootCentralBootstrap(CTX);
      expect(script).to.contain("-Dglowroot.conf.dir=/etc/glowroot-central");
      expect(script).to.contain(`install_glowroot_central '${GLOWROOT_CENTRAL.version}' '${GLOWROOT_CENTRAL.url}'`);
      expect(script).to.not.match(/cassandra\.password=[^%]/);
    });

    it("refuses a bad context, naming each field", () => {
      expect(glowrootCentralContextIssues({ ...CTX, contactPoints: ["$(reboot)"], keyspace: "Glow-root", userSecretArn: "x" })).to.deep.equal([
        'contactPoints[0]: "$(reboot)" is not a DNS name',
        'keyspace: "Glow-root" must be a plain keyspace name',
        "userSecretArn: must be a Secrets Manager secret ARN",
      ]);
      expect(() => renderGlowrootCentralBootstrap({ ...CTX, region: "nowhere" })).to.throw(/region: "nowhere"/);
    });

    /** A stub `aws` (answers each secret from a file) and `chown`, and the functions with the conf dir in a temp dir. */
    function withStubs(keyJson: string, run: (dir: string, env: Record<string, string>) => void): void {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glowroot-"));
      try {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(dir, "user.json"), JSON.stringify({ username: "glowroot", password: "Pw-abcdefghijklmnop_1" }));
        fs.writeFileSync(path.join(dir, "key.json"), keyJson);
        fs.writeFileSync(path.join(bin, "aws"), `#!/bin/bash\ncase "$*" in *encryption-key*) cat "${dir}/key.json" ;; *) cat "${dir}/user.json" ;; esac\n`, { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "chown"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
        fs.writeFileSync(path.join(dir, "base.properties"), glowrootProperties(CTX));
        run(dir, { PATH: `${bin}:${process.env.PATH}` });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    const prelude = (dir: string) => [
      "set -euo pipefail",
      "log() { :; }", 'die() { echo "FATAL: $*" >&2; exit 1; }', 'retry() { shift 2; "$@"; }',
      `TILA_RUN_DIR="${dir}/run"; mkdir -p "\${TILA_RUN_DIR}"; TILA_REGION=me-south-1; TILA_GLOWROOT_CONF="${dir}"`,
      `TILA_USER_SECRET_ARN='${CTX.userSecretArn}'; TILA_KEY_SECRET_ARN='${CTX.keySecretArn}'`,
      GLOWROOT_FUNCTIONS,
    ].join("\n");

    it("writes the properties at boot with the user, password and key from the secrets, readable by its owner only, and leaves no secret in the run dir", () => {
      withStubs(JSON.stringify({ symmetricEncryptionKey: "0123456789abcdef0123456789abcdef" }), (dir, env) => {
        const r = bash(`${prelude(dir)}\nwrite_glowroot_properties "${dir}/base.properties"\nls -A "${dir}/run"`, env);
        expect(r.stderr).to.equal("");
        expect(r.status).to.equal(0);
        expect(r.stdout).to.equal("");
        const out = path.join(dir, "glowroot-central.properties");
        expect(fs.statSync(out).mode & 0o777).to.equal(0o600);
        expect(fs.readFileSync(out, "utf8")).to.equal(`${glowrootProperties(CTX)}cassandra.username=glowroot\ncassandra.password=Pw-abcdefghijklmnop_1\ncassandra.symmetricEncryptionKey=0123456789abcdef0123456789abcdef\n`);
      });
    });

    it("refuses an encryption key Glowroot would refuse, writing nothing", () => {
      withStubs(JSON.stringify({ symmetricEncryptionKey: "not-hex" }), (dir, env) => {
        const r = bash(`${prelude(dir)}\nwrite_glowroot_properties "${dir}/base.properties"`, env);
        expect(r.status).to.not.equal(0);
        expect(r.stderr).to.contain("symmetricEncryptionKey must be 32 hex characters");
        expect(fs.existsSync(path.join(dir, "glowroot-central.properties"))).to.equal(false);
      });
    });

    it("refuses a download whose SHA-256 differs from the digest GitHub publishes, and one GitHub publishes none for", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "glowroot-dl-"));
      try {
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        // curl stub: the zip is some bytes; the release JSON carries the digest from $DIGEST.
        fs.writeFileSync(path.join(bin, "curl"), `#!/bin/bash\nout=""; url=""\nwhile [[ $# -gt 0 ]]; do case "$1" in -o) out="$2"; shift 2 ;; -H) shift 2 ;; -*) shift ;; *) url="$1"; shift ;; esac; done\ncase "$url" in *api.github.com*) printf '{"assets":[{"name":"glowroot-central-0.14.7-dist.zip","digest":%s}]}' "$DIGEST" >"$out" ;; *) printf 'zip-bytes' >"$out" ;; esac\n`, { mode: 0o755 });
        const script = (digest: string) => bash(`${prelude(dir)}\ninstall_glowroot_central 0.14.7 '${GLOWROOT_CENTRAL.url}' '${GLOWROOT_CENTRAL.releaseApi}' ''`, { PATH: `${bin}:${process.env.PATH}`, DIGEST: digest });
        const wrong = script(JSON.stringify(`sha256:${"0".repeat(64)}`));
        expect(wrong.status).to.not.equal(0);
        expect(wrong.stderr).to.match(/SHA-256 of .* is [0-9a-f]{64}, GitHub publishes 0{64}/);
        const none = script("null");
        expect(none.status).to.not.equal(0);
        expect(none.stderr).to.contain("GitHub publishes no SHA-256");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("component arguments", () => {
    it("accepts the real shape and refuses more nodes than run unclustered, an open UI and a bad instance type, naming each field", () => {
      expect(glowrootCentralIssues(ARGS)).to.deep.equal([]);
      const issues = glowrootCentralIssues({ ...ARGS, nodeCount: 2, uiCidrs: ["0.0.0.0/0"], instanceType: "banana" });
      expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["nodeCount", "instanceType", "uiCidrs[0]"]);
      expect(issues[0]).to.contain("unclustered");
    });
  });

  describe("on the real management stack", () => {
    let run: StackRun;
    before(async () => {
      run = await realStack("management");
    });
    const ofType = (type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
    const nodes = (): CapturedResource[] => ofType("aws:ec2/instance:Instance").filter((i) => i.name.startsWith(`${GLOWROOT_CENTRAL_NODES}-node-`));

    it("registers every node by private IP on 8181 in the collector's target group, from an app subnet, in the node security group", () => {
      const tg = ofType("aws:lb/targetGroup:TargetGroup").find((t) => t.name === "glowroot-grpc")!;
      const nodeSg = ofType("aws:ec2/securityGroup:SecurityGroup").find((s) => s.name === "glowroot-node-sg")!.id;
      const appSubnets = new Set(ofType("aws:ec2/subnet:Subnet").filter((s) => (s.inputs.tags as Record<string, string>).Tier === "app").map((s) => s.id));
      const ns = nodes();
      expect(ns).to.have.length(1);
      const attachments = ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment");
      for (const n of ns) {
        expect(n.inputs.vpcSecurityGroupIds).to.deep.equal([nodeSg]);
        expect(appSubnets.has(String(n.inputs.subnetId)), n.name).to.equal(true);
        expect(attachments.filter((a) => a.inputs.targetId === n.outputs.privateIp).map((a) => [a.inputs.targetGroupArn, a.inputs.port])).to.deep.equal([[tg.outputs.arn, 8181]]);
      }
    });

    it("reads exactly its two secrets, neither in its user data, which fits EC2's 16 KB", () => {
      const policy = JSON.parse(String(ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${GLOWROOT_CENTRAL_NODES}-secrets-read`)!.inputs.policy)) as { Statement: { Action: string; Resource: string | string[] }[] };
      const read = policy.Statement.filter((s) => s.Action === "secretsmanager:GetSecretValue").flatMap((s) => ([] as string[]).concat(s.Resource)).sort();
      const user = ofType("aws:secretsmanager/secret:Secret").find((s) => s.name === "management-glowroot-svc-glowroot-secret")!;
      const key = ofType("aws:secretsmanager/secret:Secret").find((s) => s.name === `${GLOWROOT_CENTRAL_NODES}-encryption-key`)!;
      expect(read).to.deep.equal([String(user.outputs.arn), String(key.outputs.arn)].sort());
      const values = ofType("aws:secretsmanager/secretVersion:SecretVersion").filter((v) => [user.id, key.id].includes(String(v.inputs.secretId)));
      expect(values).to.have.length(2);
      const secrets = values.map((v) => Object.values(JSON.parse(String(v.inputs.secretString)) as Record<string, string>)).flat().filter((x) => x.length >= 16);
      expect(secrets.length).to.be.at.least(2);
      for (const n of nodes()) {
        const script = String(n.inputs.userData);
        // Sent as plain user data: it must fit EC2's 16 KB.
        expect(Buffer.byteLength(script)).to.be.below(USER_DATA_MAX_BYTES);
        expect(script).to.contain(`readonly TILA_USER_SECRET_ARN='${String(user.outputs.arn)}'`);
        for (const s of secrets) expect(script).to.not.contain(s);
      }
    });

    it("pages on critical when the target group has no healthy collector", () => {
      const critical = ofType("aws:sns/topic:Topic").find((t) => t.inputs.name === "tila-management-alerts-critical")!.outputs.arn;
      const alarm = ofType("aws:cloudwatch/metricAlarm:MetricAlarm").find((a) => a.name === `${GLOWROOT_CENTRAL_NODES}-healthy-hosts`)!;
      expect([alarm.inputs.namespace, alarm.inputs.metricName, alarm.inputs.comparisonOperator, alarm.inputs.threshold]).to.deep.equal(["AWS/NetworkELB", "HealthyHostCount", "LessThanThreshold", 1]);
      expect(alarm.inputs.alarmActions).to.deep.equal([critical]);
    });

    it("gives AWS only names within their limits", () => {
      const mine = run.resources.filter((r) => r.name.startsWith(GLOWROOT_CENTRAL_NODES));
      expect(mine.length).to.be.greaterThan(10);
      expect(nameLimitCheck(mine, { stack: "management", region: "me-south-1", accountId: "111111111111" })).to.deep.equal([]);
    });
  });
});
