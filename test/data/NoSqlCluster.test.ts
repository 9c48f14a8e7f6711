import { expect } from "chai";
import { connectString } from "../../components/data/clusterPlan";
import { ENGINE_NAMES, ENGINE_PROFILES, EngineName } from "../../components/data/engines";
import { AMI_PARAMETERS, ARCHITECTURE_LABELS, instanceArchitecture } from "../../components/data/instanceTypes";
import { placeNodes } from "../../components/data/placement";
import type { CaptureResult } from "../../offline/types";
import { childrenOf, expectRequiredTags, policyDocument, run, tag } from "../support/graph";
import {
  APP_CIDRS, AZS, Cluster, CTX_PREFIX, devInstanceType, Env, ENVS, environment, GIVEN_SECRET, KMS, mockAmi, ORDERS_SG, ports, RECOVER, SSM_CORE, T, TOPIC, UNTAGGED,
} from "./noSqlClusterHarness";

const captured: Partial<Record<Env, CaptureResult>> = {};

describe("NoSqlCluster", () => {
  before(async function () {
    // Two captures of seven clusters each (~1 s apiece); the default 2 s is too tight under load.
    this.timeout(30_000);
    captured.prod = await run(environment("prod"), "prod");
    captured.dev = await run(environment("dev"), "dev");
  });

  for (const env of ["prod", "dev"] as const) {
    for (const engine of ENGINE_NAMES) {
      describe(`${engine} in ${env}`, () => {
        let c: Cluster;
        const profile = ENGINE_PROFILES[engine];
        const count = ENVS[env].nodes(engine) ?? profile.defaultNodes;
        const zoneName = `${env}.internal.tila.sa`;
        const names = [...Array(count).keys()].map((i) => `${engine}-${i}.${zoneName}`);

        before(() => {
          c = new Cluster(captured[env]!, engine);
        });

        it(`runs ${count} node(s) spread over the AZs as placeNodes places them`, () => {
          const expected = placeNodes(count, ENVS[env].azs);
          expect(c.instances.map((i) => [tag(i, "NodeIndex"), i.inputs.availabilityZone, i.inputs.subnetId])).to.deep.equal(
            expected.map((p) => [String(p.index), p.az, `subnet-data-${p.az.slice(-1)}`]));
        });

        it("gives no node a public IP, a key pair or IMDSv1", () => {
          for (const i of c.instances) {
            expect(i.inputs.associatePublicIpAddress, i.name).to.equal(false);
            expect(i.inputs.keyName, i.name).to.equal(undefined);
            expect(i.inputs.metadataOptions).to.deep.equal({ httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 });
          }
          expect(c.result.resources.filter((r) => /eip:Eip|keyPair:KeyPair/.test(r.type))).to.deep.equal([]);
        });

        const instanceType = env === "prod" ? profile.defaultInstanceType : devInstanceType(engine);
        const arch = instanceArchitecture(instanceType)!;
        it(`boots the AL2023 ${arch} AMI on a ${ARCHITECTURE_LABELS[arch]} type, and never replaces a node for a new AMI`, () => {
          for (const i of c.instances) {
            expect(i.inputs.ami).to.match(/^ami-/);
            expect(i.inputs.ami).to.equal(mockAmi(AMI_PARAMETERS[arch]));
            expect(i.inputs.instanceType).to.equal(instanceType);
            expect(i.options.ignoreChanges).to.include("ami");
            expect(i.inputs).to.include({ monitoring: true, ebsOptimized: true });
          }
        });

        it("encrypts a gp3 root volume and a separate gp3 data volume per node, attached at /dev/sdf", () => {
          const kms = env === "prod" ? KMS : undefined;
          for (const i of c.instances) {
            const root = i.inputs.rootBlockDevice as Record<string, unknown>;
            expect(root).to.deep.include({ volumeType: "gp3", encrypted: true });
            expect(root.kmsKeyId, "root volume key").to.equal(kms);
            expect(i.inputs.ebsBlockDevices ?? []).to.deep.equal([]);
            const attachment = c.children(T.attachment).filter((a) => a.inputs.instanceId === i.id);
            expect(attachment, i.name).to.have.length(1);
            expect(attachment[0].inputs.deviceName).to.equal("/dev/sdf");
            const volume = c.byId(attachment[0].inputs.volumeId);
            expect(volume.type).to.equal(T.volume);
            expect(volume.inputs).to.deep.include({
              type: "gp3", encrypted: true, availabilityZone: i.inputs.availabilityZone,
              size: env === "prod" ? profile.dataVolume.defaultSizeGiB : 20, iops: profile.dataVolume.iops, throughput: profile.dataVolume.throughput,
            });
            expect(volume.inputs.kmsKeyId, "data volume key").to.equal(kms);
          }
          expect(c.children(T.volume)).to.have.length(count);
        });

        it("admits client ports only from the declared clients and peer ports only from the cluster", () => {
          const declared = new Set<unknown>(engine === "zookeeper"
            ? ["solr", "kafka"].map((e) => new Cluster(c.result, e as EngineName).sgId)
            : [...APP_CIDRS, ...(engine === "couchbase" ? [ORDERS_SG] : [])]);
          const ingress = c.rules(T.ingress);
          expect(ingress.filter((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).to.deep.equal([]);
          for (const r of ingress) {
            expect(r.inputs.description, r.name).to.be.a("string").and.not.empty;
            expect(r.inputs.ipProtocol).to.equal("tcp");
            const fromSelf = r.inputs.referencedSecurityGroupId === c.sgId;
            const source = r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId;
            if (fromSelf) expect(profile.peerPorts, r.name).to.include.members(ports(r));
            else {
              expect(profile.clientPorts, r.name).to.include.members(ports(r));
              expect(declared.has(source), `${r.name} from ${String(source)}`).to.equal(true);
            }
          }
          const covered = (src: unknown): number[] => ingress.filter((r) => (r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId) === src).flatMap(ports).sort((a, b) => a - b);
          for (const src of declared) expect(covered(src), String(src)).to.deep.equal([...profile.clientPorts].sort((a, b) => a - b));
          expect(covered(c.sgId)).to.deep.equal([...new Set(profile.peerPorts)].sort((a, b) => a - b));
        });

        it("lets nodes out only on 443 and 80, to the cluster itself and (Solr, Kafka) to ZooKeeper", () => {
          const egress = c.rules(T.egress).map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId]);
          const zk = profile.needsZookeeper ? [["tcp", 2181, 2181, new Cluster(c.result, "zookeeper").sgId]] : [];
          expect(egress).to.have.deep.members([
            ["tcp", 443, 443, "0.0.0.0/0"], ["tcp", 80, 80, "0.0.0.0/0"], ["-1", undefined, undefined, c.sgId], ...zk,
          ]);
          for (const r of c.rules(T.egress)) expect(r.inputs.description, r.name).to.be.a("string").and.not.empty;
        });

        it(`gives nodes a role with SSM core, CloudWatch agent metrics into CWAgent only${profile.needsAdminSecret ? " and read access to the admin secret" : ""}`, () => {
          const profileRes = c.one(T.profile);
          for (const i of c.instances) expect(i.inputs.iamInstanceProfile).to.equal(profileRes.outputs.name);
          const role = c.children(T.role).find((r) => r.outputs.name === profileRes.inputs.role)!;
          expect(policyDocument(role, "assumeRolePolicy").Statement).to.deep.equal([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]);
          const attached = c.result.resources.filter((r) => r.type === T.attachPolicy && r.inputs.role === role.outputs.name);
          expect(attached.map((a) => a.inputs.policyArn)).to.deep.equal([SSM_CORE]);
          const policies = c.result.resources.filter((r) => r.type === T.rolePolicy && r.inputs.role === role.outputs.name);
          const agent = policies.filter((p) => p.name.endsWith("-cloudwatch-agent"));
          expect(agent).to.have.length(1);
          expect(policyDocument(agent[0]!, "policy").Statement).to.deep.equal([{
            Sid: "PublishAgentMetrics", Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": "CWAgent" } },
          }]);
          const inline = policies.filter((p) => !agent.includes(p));
          if (!profile.needsAdminSecret) {
            expect(inline).to.deep.equal([]);
            return;
          }
          const generated = c.children(T.secret);
          const secretArn = engine === "mongodb" && env === "prod" ? GIVEN_SECRET : generated[0]?.outputs.arn;
          expect(generated).to.have.length(engine === "mongodb" && env === "prod" ? 0 : 1);
          expect(inline).to.have.length(1);
          const [read, ...rest] = policyDocument(inline[0], "policy").Statement;
          expect(read).to.deep.include({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn });
          expect(rest.map((s) => s.Action)).to.deep.equal(env === "prod" && generated.length > 0 ? ["kms:Decrypt"] : []);
        });

        it("names node i <cluster>-<i> in the private zone, pointing at its private IP", () => {
          const records = c.children(T.record).map((r) => ({ ...r.inputs }));
          expect(records).to.deep.equal(c.instances.map((i, n) => ({ zoneId: `Z${env.toUpperCase()}`, name: names[n], type: "A", ttl: 60, records: [i.outputs.privateIp] })));
          expect(c.component.outputs.nodeDnsNames).to.deep.equal(names);
        });

        it("recovers each node on system status check failure", () => {
          const alarms = c.children(T.alarm);
          expect(alarms.map((a) => (a.inputs.dimensions as Record<string, string>).InstanceId)).to.have.members(c.instances.map((i) => i.id!));
          for (const a of alarms) {
            expect(a.inputs).to.deep.include({ namespace: "AWS/EC2", metricName: "StatusCheckFailed_System" });
            expect(a.inputs.alarmActions).to.deep.equal(env === "prod" ? [RECOVER, TOPIC] : [RECOVER]);
          }
        });

        it(`snapshots only the data volumes daily with DLM, keeping ${ENVS[env].retention}`, () => {
          const policy = c.one(T.dlm);
          const details = policy.inputs.policyDetails as { resourceTypes: string[]; targetTags: Record<string, string>; schedules: Record<string, unknown>[] };
          expect(details.resourceTypes).to.deep.equal(["VOLUME"]);
          expect(details.targetTags).to.deep.equal({ Snapshot: engine });
          expect(details.schedules[0]).to.deep.include({ retainRule: { count: ENVS[env].retention }, copyTags: true });
          expect(details.schedules[0].createRule).to.deep.include({ interval: 24, intervalUnit: "HOURS" });
          for (const v of c.children(T.volume)) expect(tag(v, "Snapshot")).to.equal(engine);
          for (const i of c.instances) expect((i.inputs.rootBlockDevice as { tags: Record<string, string> }).tags.Snapshot).to.equal(undefined);
          const role = c.byId(c.children(T.role).find((r) => r.outputs.arn === policy.inputs.executionRoleArn)?.id);
          expect(policyDocument(role, "assumeRolePolicy").Statement[0].Principal).to.deep.equal({ Service: "dlm.amazonaws.com" });
          expect(c.children(T.attachPolicy).filter((a) => a.inputs.role === role.outputs.name).map((a) => a.inputs.policyArn))
            .to.deep.equal(["arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole"]);
        });

        it(env === "prod" ? "protects instances, data volumes and the secret, with termination protection" : "protects nothing, so dev can be torn down", () => {
          const stateful = [...c.children(T.instance), ...c.children(T.volume), ...c.children(T.secret)];
          expect(stateful.length).to.be.at.least(2 * count);
          for (const r of stateful) expect(r.options.protect, r.name).to.equal(env === "prod");
          for (const i of c.instances) expect(i.inputs.disableApiTermination, i.name).to.equal(env === "prod");
        });

        it("tags everything with the common tags, Service and Cluster", () => {
          const tagged = childrenOf(c.result, c.component).filter((r) => r.custom && !UNTAGGED.has(r.type));
          expect(tagged.length).to.be.greaterThan(10);
          for (const r of tagged) {
            expectRequiredTags(r);
            expect(tag(r, "Cluster"), r.name).to.equal(engine);
          }
        });

        it("outputs the connect string, client ports and instance ids", () => {
          const out = c.component.outputs;
          expect(out.connectString).to.equal(connectString(profile, names));
          expect(out.clientPorts).to.deep.equal(profile.clientPorts);
          expect(out.instanceIds).to.deep.equal(c.instances.map((i) => i.id));
          expect(out.securityGroupId).to.equal(c.sgId);
        });
      });
    }
  }

  describe("wiring", () => {
    it("writes ZooKeeper, MongoDB and Kafka connect strings from the stable node names", () => {
      const out = captured.prod!.outputs as Record<string, { connectString: string }>;
      expect(out.zookeeper.connectString).to.equal("zookeeper-0.prod.internal.tila.sa:2181,zookeeper-1.prod.internal.tila.sa:2181,zookeeper-2.prod.internal.tila.sa:2181");
      expect(out.mongodb.connectString).to.equal("mongodb://mongodb-0.prod.internal.tila.sa:27017,mongodb-1.prod.internal.tila.sa:27017,mongodb-2.prod.internal.tila.sa:27017/?replicaSet=rs0");
      expect(out.kafka.connectString).to.match(/^kafka-0\.prod\.internal\.tila\.sa:9092,/);
    });

    for (const engine of ["solr", "kafka"] as const) {
      it(`hands ${engine} ZooKeeper's connect string and has ZooKeeper's group admit ${engine}'s on 2181`, () => {
        const zk = new Cluster(captured.prod!, "zookeeper");
        const c = new Cluster(captured.prod!, engine);
        for (const i of c.instances) {
          const ctx = JSON.parse((i.inputs.userData as string).slice(CTX_PREFIX.length)) as Record<string, unknown>;
          expect(ctx.zookeeperConnect).to.equal(zk.component.outputs.connectString);
        }
        const admitted = zk.rules(T.ingress).filter((r) => r.inputs.referencedSecurityGroupId === c.sgId);
        expect(admitted.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.parent])).to.deep.equal([[2181, 2181, c.component.urn]]);
      });
    }

    it("tells each node's bootstrap who it is and who its peers are", () => {
      const c = new Cluster(captured.prod!, "mongodb");
      c.instances.forEach((i, n) => {
        const ctx = JSON.parse((i.inputs.userData as string).slice(CTX_PREFIX.length)) as Record<string, unknown>;
        expect(ctx).to.deep.include({
          engine: "mongodb", clusterName: "mongodb", environment: "prod", region: "me-south-1", nodeIndex: n, nodeCount: 3, az: AZS[n],
          selfDnsName: `mongodb-${n}.prod.internal.tila.sa`, dataDevice: "/dev/sdf", mountPoint: "/var/lib/mongo", adminSecretArn: GIVEN_SECRET,
        });
        expect(ctx.peerDnsNames).to.deep.equal([0, 1, 2].map((k) => `mongodb-${k}.prod.internal.tila.sa`));
      });
    });

    it("boots ArangoDB from the x86_64 AMI parameter and the Graviton engines from the arm64 one, side by side", () => {
      for (const env of ["prod", "dev"] as const) {
        const amis = (engine: EngineName) => [...new Set(new Cluster(captured[env]!, engine).instances.map((i) => i.inputs.ami))];
        expect(amis("arangodb"), env).to.deep.equal([mockAmi(AMI_PARAMETERS.x86_64)]);
        for (const engine of ENGINE_NAMES.filter((e) => e !== "arangodb")) expect(amis(engine), `${env} ${engine}`).to.deep.equal([mockAmi(AMI_PARAMETERS.arm64)]);
      }
      expect(mockAmi(AMI_PARAMETERS.x86_64)).to.not.equal(mockAmi(AMI_PARAMETERS.arm64));
    });

    it("mounts the data volume with the default user data until the bootstrap module supplies one", () => {
      const c = new Cluster(captured.dev!, "kafka");
      const script = c.instances[0].inputs.userData as string;
      expect(script).to.match(/^#!\/bin\/bash\n/).and.include('device="/dev/sdf"').and.include('mount_point="/var/lib/kafka"').and.include("mkfs.xfs");
    });

    it("stores a generated admin password as a secret, never in plain inputs", () => {
      const c = new Cluster(captured.dev!, "couchbase");
      const version = c.one(T.secretVersion);
      expect(version.secretInputs).to.include("secretString");
      expect(JSON.parse(version.inputs.secretString as string)).to.have.keys("username", "password");
      expect(JSON.parse(version.inputs.secretString as string).username).to.equal("Administrator");
    });
  });
});
