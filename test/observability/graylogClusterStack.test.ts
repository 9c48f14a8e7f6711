/**
 * Management's Graylog on its captured graph (the real Pulumi.management.yaml): the load balancer
 * admits exactly the designed CIDRs and ports, the nodes only the load balancer, MongoDB and
 * OpenSearch only the nodes; TLS listeners with the certificate that names every stack's Graylog;
 * nodes spread over the three AZs and registered in both target groups; secrets never in clear.
 */
import { expect } from "chai";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { nameLimitCheck } from "../../offline/aws/names";
import { decodeUserData, USER_DATA_MAX_BYTES } from "../../components/data/userData";
import { GRAYLOG_HEALTH_PATH, GRAYLOG_TLS_POLICY } from "../../components/observability/logging/graylogNetworkPlan";
import { GRAYLOG_OPENSEARCH_VERSION } from "../../components/observability/logging/GraylogSearch";
import { GRAYLOG_MONGODB, GRAYLOG_NAME } from "../../stacks/graylog";
import { GRAYLOG_PROVISIONING } from "../../stacks/graylogProvisioning";
import { realStack } from "../support/realStacks";

const ENV_CIDRS = ["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/16"];
const OFFICE_CIDRS = ["172.16.0.0/16", "172.17.0.0/16", "172.18.0.0/16"];
const MGMT = "10.0.0.0/16";

describe("management's Graylog on the real graph", function () {
  this.timeout(300000);
  let run: StackRun;
  before(async () => {
    run = await realStack("management");
  });
  const ofType = (type: string): CapturedResource[] => run.resources.filter((r) => r.type === type);
  const named = (type: string, name: string): CapturedResource => {
    const r = ofType(type).find((x) => x.name === name);
    if (!r) throw new Error(`no ${type} named ${name}`);
    return r;
  };
  const sgId = (name: string): string => String(named("aws:ec2/securityGroup:SecurityGroup", name).id);
  const ingressOf = (groupId: string): CapturedResource[] => ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === groupId);
  const nodes = (): CapturedResource[] => ofType("aws:ec2/instance:Instance").filter((i) => i.name.startsWith(`${GRAYLOG_NAME}-node-`));

  it("the load balancer admits the environments on 12201, management on 12201 and 443, the offices on 443, the provisioning functions on 443, and nothing else", () => {
    const rules = ingressOf(sgId(`${GRAYLOG_NAME}-lb-sg`));
    const provisioning = sgId(`${GRAYLOG_PROVISIONING}-sg`);
    const seen = rules.map((r) => `${String(r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId)}:${String(r.inputs.fromPort)}-${String(r.inputs.toPort)}/${String(r.inputs.ipProtocol)}`).sort();
    const expected = [...ENV_CIDRS.map((c) => `${c}:12201-12201/tcp`), `${MGMT}:12201-12201/tcp`, `${MGMT}:443-443/tcp`, ...OFFICE_CIDRS.map((c) => `${c}:443-443/tcp`), `${provisioning}:443-443/tcp`].sort();
    expect(seen).to.deep.equal(expected);
  });

  it("the nodes admit the load balancer only, on 12201 and 9000; the load balancer sends to the nodes only", () => {
    const lb = sgId(`${GRAYLOG_NAME}-lb-sg`);
    const node = sgId(`${GRAYLOG_NAME}-node-sg`);
    expect(ingressOf(node).map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal([[lb, undefined, 12201, 12201], [lb, undefined, 9000, 9000]]);
    const out = ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === lb);
    expect(out.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).to.deep.equal([[node, 12201], [node, 9000]]);
  });

  it("MongoDB admits the Graylog nodes (and its own members) only, OpenSearch the Graylog nodes (and the provisioning functions) only", () => {
    const node = sgId(`${GRAYLOG_NAME}-node-sg`);
    const mongo = sgId(`${GRAYLOG_MONGODB}-sg`);
    const mongoRules = ingressOf(mongo);
    expect(mongoRules.length).to.be.at.least(2);
    for (const r of mongoRules) {
      expect(r.inputs.cidrIpv4, r.name).to.equal(undefined);
      expect([node, mongo], r.name).to.include(r.inputs.referencedSecurityGroupId);
    }
    expect(mongoRules.filter((r) => r.inputs.referencedSecurityGroupId === node).map((r) => r.inputs.fromPort)).to.deep.equal([27017]);
    const search = sgId(`${GRAYLOG_NAME}-search-sg`);
    // The nodes, and (registering the archive) the provisioning functions, on 443 only.
    const searchRules = ingressOf(search).map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.cidrIpv4, r.inputs.fromPort]);
    expect(searchRules).to.deep.include([node, undefined, 443]);
    expect(searchRules.filter((r) => r[0] !== node)).to.deep.equal(searchRules.filter((r) => r[0] === sgId(`${GRAYLOG_PROVISIONING}-sg`) && r[1] === undefined && r[2] === 443));
    // Registering the archive calls the domain from the provisioning functions' group: admitted exactly once.
    expect(searchRules.filter((r) => r[0] === sgId(`${GRAYLOG_PROVISIONING}-sg`))).to.have.length(1);
    // Graylog splits elasticsearch_hosts' decoded credentials on ':', so the master password never holds one.
    const master = run.resources.find((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === `${GRAYLOG_NAME}-search-master-password`);
    expect(master, "the master password").to.not.equal(undefined);
    expect(String(master!.inputs.overrideSpecial)).to.not.include(":");
    const domain = named("aws:opensearch/domain:Domain", `${GRAYLOG_NAME}-search-domain`);
    expect((domain.inputs.vpcOptions as { securityGroupIds: string[] }).securityGroupIds).to.deep.equal([search]);
    expect(domain.inputs.engineVersion).to.equal(GRAYLOG_OPENSEARCH_VERSION);
    expect(domain.inputs.clusterConfig).to.deep.include({ zoneAwarenessEnabled: true, dedicatedMasterEnabled: true, dedicatedMasterCount: 3, instanceCount: 3 });
  });

  it("terminates TLS on 12201 and 443 with the modern policy and the certificate naming every stack's Graylog, forwarding to TCP 12201 and 9000", () => {
    const lb = named("aws:lb/loadBalancer:LoadBalancer", `${GRAYLOG_NAME}-nlb`);
    expect(lb.inputs).to.deep.include({ internal: true, loadBalancerType: "network", enableCrossZoneLoadBalancing: true, enableDeletionProtection: true });
    expect(lb.inputs.subnets as string[]).to.have.length(3);
    const cert = named("aws:acm/certificate:Certificate", `${GRAYLOG_NAME}-certificate-certificate`);
    expect([cert.inputs.domainName, ...(cert.inputs.subjectAlternativeNames as string[])]).to.deep.equal(["management", "dev", "stage", "preprod", "prod"].map((s) => `graylog.${s}.internal.tila.sa`));
    const validated = named("aws:acm/certificateValidation:CertificateValidation", `${GRAYLOG_NAME}-certificate-validation`).outputs.certificateArn;
    const listeners = ofType("aws:lb/listener:Listener").filter((l) => l.inputs.loadBalancerArn === lb.outputs.arn);
    const groups = new Map(ofType("aws:lb/targetGroup:TargetGroup").map((t) => [t.outputs.arn, t]));
    expect(listeners.map((l) => {
      const tg = groups.get((l.inputs.defaultActions as { targetGroupArn: string }[])[0]!.targetGroupArn)!;
      const hc = tg.inputs.healthCheck as Record<string, unknown>;
      return [l.inputs.port, l.inputs.protocol, l.inputs.sslPolicy, l.inputs.certificateArn === validated, tg.inputs.port, tg.inputs.protocol, hc.protocol, hc.path, hc.port];
    })).to.deep.equal([
      [12201, "TLS", GRAYLOG_TLS_POLICY, true, 12201, "TCP", "HTTP", GRAYLOG_HEALTH_PATH, "9000"],
      [443, "TLS", GRAYLOG_TLS_POLICY, true, 9000, "TCP", "HTTP", GRAYLOG_HEALTH_PATH, "9000"],
    ]);
  });

  it("runs three nodes, one per AZ, each registered by private IP in the GELF and API target groups", () => {
    const ns = nodes();
    expect(ns).to.have.length(3);
    expect(new Set(ns.map((n) => n.inputs.availabilityZone)).size).to.equal(3);
    const node = sgId(`${GRAYLOG_NAME}-node-sg`);
    const attachments = ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment");
    const gelf = named("aws:lb/targetGroup:TargetGroup", `${GRAYLOG_NAME}-gelf`).outputs.arn;
    const api = named("aws:lb/targetGroup:TargetGroup", `${GRAYLOG_NAME}-api`).outputs.arn;
    for (const n of ns) {
      expect(n.inputs.vpcSecurityGroupIds).to.deep.equal([node]);
      expect(n.inputs.metadataOptions).to.deep.include({ httpTokens: "required" });
      expect(n.inputs.rootBlockDevice).to.deep.include({ encrypted: true, volumeType: "gp3" });
      expect(attachments.filter((a) => a.inputs.targetId === n.outputs.privateIp).map((a) => [a.inputs.targetGroupArn, a.inputs.port])).to.deep.equal([[gelf, 12201], [api, 9000]]);
    }
  });

  it("keeps every generated secret out of user data, the role's reach and the stack outputs", () => {
    const versions = ofType("aws:secretsmanager/secretVersion:SecretVersion").filter((v) => v.name.startsWith(GRAYLOG_NAME));
    // server.conf's secrets, the admin, MongoDB's admin and graylog user, OpenSearch's master user.
    expect(versions.length).to.be.at.least(5);
    const values = versions.flatMap((v) => Object.values(JSON.parse(String(v.inputs.secretString)) as Record<string, unknown>)).filter((x): x is string => typeof x === "string" && x.length >= 16);
    expect(values.length).to.be.at.least(4);
    const outputs = JSON.stringify(run.outputs);
    for (const n of nodes()) {
      const script = decodeUserData(n.inputs as { userData?: unknown; userDataBase64?: unknown });
      expect(script.length).to.be.greaterThan(1000);
      expect(Buffer.byteLength(String(n.inputs.userData ?? n.inputs.userDataBase64))).to.be.at.most(USER_DATA_MAX_BYTES);
      for (const s of values) expect(script, n.name).to.not.contain(s);
    }
    for (const s of values) expect(outputs).to.not.contain(s);
    const domain = named("aws:opensearch/domain:Domain", `${GRAYLOG_NAME}-search-domain`);
    expect(domain.secretInputs ?? [], "the master password reaches the domain as a secret").to.include("advancedSecurityOptions");
    const policy = JSON.parse(String(named("aws:iam/rolePolicy:RolePolicy", `${GRAYLOG_NAME}-secrets-read`).inputs.policy)) as { Statement: { Action: string; Resource: string | string[] }[] };
    const read = policy.Statement.filter((s) => s.Action === "secretsmanager:GetSecretValue").flatMap((s) => ([] as string[]).concat(s.Resource));
    const mine = ["server-secret", "search-master-user"].map((r) => String(named("aws:secretsmanager/secret:Secret", `${GRAYLOG_NAME}-${r}`).outputs.arn));
    const mongoUser = ofType("aws:secretsmanager/secret:Secret").find((s) => s.name === `${GRAYLOG_MONGODB}-svc-graylog-secret`)!;
    expect(read.sort()).to.deep.equal([...mine, String(mongoUser.outputs.arn)].sort());
  });

  it("exports graylogLoadBalancerDnsName for the environments' CNAMEs, and gives AWS only names within their limits", () => {
    expect(run.outputs.graylogLoadBalancerDnsName).to.equal(named("aws:lb/loadBalancer:LoadBalancer", `${GRAYLOG_NAME}-nlb`).outputs.dnsName);
    const mine = run.resources.filter((r) => r.name.startsWith(GRAYLOG_NAME));
    expect(mine.length).to.be.greaterThan(50);
    expect(nameLimitCheck(mine, { stack: "management", region: "me-south-1", accountId: "111111111111" })).to.deep.equal([]);
  });
});
