/**
 * The Graylog cluster's pure parts and component arguments: the load balancer's ingress and
 * certificate names, the archive's expiry and documents, and each component refusing bad
 * arguments with the field named.
 */
import { expect } from "chai";
import { GRAYLOG_HTTPS_PORT, GELF_TCP_PORT } from "../../components/observability/logging/graylogPlan";
import { graylogCertificateNames, graylogIngress, cidrProblem, GRAYLOG_TLS_POLICY } from "../../components/observability/logging/graylogNetworkPlan";
import { ARCHIVE_EXPIRY_MARGIN_DAYS, archiveExpiryDays, snapshotRolePolicy, snapshotTrustPolicy } from "../../components/observability/logging/graylogArchivePlan";
import { GraylogLoadBalancerArgs, graylogLoadBalancerIssues } from "../../components/observability/logging/GraylogLoadBalancer";
import { GraylogSearchArgs, graylogSearchIssues } from "../../components/observability/logging/GraylogSearch";
import { graylogArchiveIssues } from "../../components/observability/logging/GraylogArchive";
import { GraylogClusterArgs, graylogClusterIssues, nodeSecretsPolicy } from "../../components/observability/logging/GraylogCluster";
import { renderGraylogBootstrap } from "../../components/observability/logging/graylogBootstrap";

const TAGS = { Environment: "management", Owner: "o", CostCenter: "c", ManagedBy: "pulumi" };
const CLIENTS = {
  environments: [{ name: "dev", cidr: "10.10.0.0/16" }, { name: "prod", cidr: "10.40.0.0/16" }],
  managementCidr: "10.0.0.0/16",
  offices: [{ name: "riyadh", cidrs: ["172.16.0.0/16"] }],
};

describe("Graylog cluster parts", () => {
  describe("graylogIngress", () => {
    it("admits the environments on GELF only, management on GELF and HTTPS, the offices on HTTPS only", () => {
      expect(graylogIngress(CLIENTS).map((r) => `${r.cidr}:${r.port} ${r.who}`)).to.deep.equal([
        `10.10.0.0/16:${GELF_TCP_PORT} dev`,
        `10.40.0.0/16:${GELF_TCP_PORT} prod`,
        `10.0.0.0/16:${GELF_TCP_PORT} management`,
        `10.0.0.0/16:${GRAYLOG_HTTPS_PORT} management`,
        `172.16.0.0/16:${GRAYLOG_HTTPS_PORT} office riyadh`,
      ]);
    });

    it("refuses a malformed, too wide or repeated CIDR, naming the field", () => {
      expect(() => graylogIngress({ ...CLIENTS, environments: [{ name: "dev", cidr: "10.10.0.0" }] })).to.throw('environments.dev: "10.10.0.0" is not an IPv4 CIDR');
      expect(() => graylogIngress({ ...CLIENTS, offices: [{ name: "x", cidrs: ["0.0.0.0/0"] }] })).to.throw("offices.x.cidrs[0]");
      expect(() => graylogIngress({ ...CLIENTS, environments: [{ name: "dev", cidr: "10.0.0.0/16" }] })).to.throw("managementCidr: 10.0.0.0/16 is already admitted on 12201 for dev");
      expect(cidrProblem("10.0.0.0/33")).to.contain("not an IPv4 CIDR");
    });
  });

  describe("graylogCertificateNames", () => {
    it("names management's Graylog first and every environment's after it, all under the validating zone", () => {
      expect(graylogCertificateNames("management.internal.tila.sa", [{ name: "dev", zoneName: "dev.internal.tila.sa" }], "tila.sa")).to.deep.equal({
        domainName: "graylog.management.internal.tila.sa",
        subjectAlternativeNames: ["graylog.dev.internal.tila.sa"],
      });
    });

    it("refuses a name the zone cannot validate, or a name twice", () => {
      expect(() => graylogCertificateNames("management.internal.tila.sa", [{ name: "dev", zoneName: "dev.internal.other.com" }], "tila.sa")).to.throw("environments.dev: graylog.dev.internal.other.com is not under tila.sa");
      expect(() => graylogCertificateNames("management.internal.tila.sa", [{ name: "dev", zoneName: "management.internal.tila.sa" }], "tila.sa")).to.throw("twice");
    });
  });

  describe("the archive", () => {
    it("expires objects after the longest hot + archive days plus a margin, and not at all when nothing archives", () => {
      expect(archiveExpiryDays([{ stack: "prod", hotDays: 90, archiveDays: 365 }, { stack: "preprod", hotDays: 30, archiveDays: 90 }, { stack: "dev", hotDays: 400, archiveDays: 0 }])).to.equal(455 + ARCHIVE_EXPIRY_MARGIN_DAYS);
      expect(archiveExpiryDays([{ stack: "dev", hotDays: 7, archiveDays: 0 }])).to.equal(undefined);
    });

    it("lets OpenSearch Service, and nothing else, assume the snapshot role, which reaches one bucket and its key through S3 only", () => {
      expect(snapshotTrustPolicy().Statement).to.deep.equal([{ Sid: "OpenSearchService", Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" }]);
      const policy = snapshotRolePolicy({ bucketArn: "arn:aws:s3:::b", keyArn: "arn:aws:kms:me-south-1:1:key/k", region: "me-south-1" });
      expect(policy.Statement.map((s) => [s.Action, s.Resource])).to.deep.equal([
        ["s3:ListBucket", "arn:aws:s3:::b"],
        [["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], "arn:aws:s3:::b/*"],
        [["kms:Decrypt", "kms:GenerateDataKey"], "arn:aws:kms:me-south-1:1:key/k"],
      ]);
      expect(policy.Statement[2]!.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.me-south-1.amazonaws.com" } });
    });
  });

  describe("component arguments", () => {
    const LB: GraylogLoadBalancerArgs = {
      environment: "management", vpcId: "vpc-1", subnetIds: ["a", "b", "c"], clients: CLIENTS,
      privateZone: { zoneId: "Z1", name: "management.internal.tila.sa" },
      environmentZones: [{ name: "dev", zoneName: "dev.internal.tila.sa" }],
      validationZone: { zoneId: "Z2", name: "tila.sa" }, tags: TAGS,
    };
    it("GraylogLoadBalancer: accepts the real shape, refuses one AZ, an open CIDR, a name the zone cannot validate and a missing tag", () => {
      expect(graylogLoadBalancerIssues(LB)).to.deep.equal([]);
      const issues = graylogLoadBalancerIssues({
        ...LB, subnetIds: ["a"], clients: { ...CLIENTS, offices: [{ name: "x", cidrs: ["1.0.0.0/1"] }] },
        environmentZones: [{ name: "prod", zoneName: "prod.internal.x.com" }], tags: { ...TAGS, Owner: "" },
      });
      expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["subnetIds", "offices.x.cidrs[0]", "environments.prod", "tags.Owner"]);
      expect(GRAYLOG_TLS_POLICY).to.match(/^ELBSecurityPolicy-TLS13-1-2-/);
    });

    const SEARCH: GraylogSearchArgs = { environment: "management", domainName: "management-graylog", vpcId: "v", subnetIds: ["a", "b", "c"], clientSecurityGroupId: "sg", kmsKeyArn: "k", protect: true, tags: TAGS };
    it("GraylogSearch: refuses a bad domain name, one AZ, data nodes not a multiple of the AZs, 2 masters and a t2 type", () => {
      expect(graylogSearchIssues(SEARCH)).to.deep.equal([]);
      expect(graylogSearchIssues({ ...SEARCH, instanceCount: 4 }).map((i) => i.split(":")[0])).to.deep.equal(["instanceCount"]);
      const issues = graylogSearchIssues({ ...SEARCH, domainName: "Graylog", subnetIds: ["a"], dedicatedMasterCount: 2, instanceType: "t2.small.search" });
      expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["domainName", "subnetIds", "dedicatedMasterCount", "instanceType"]);
    });

    it("GraylogArchive: refuses an expiry before the move to Glacier", () => {
      expect(graylogArchiveIssues({ environment: "management", region: "me-south-1", expiryDays: 485, kmsKeyArn: "k", protect: true, tags: TAGS })).to.deep.equal([]);
      expect(graylogArchiveIssues({ environment: "management", region: "me-south-1", expiryDays: 10, kmsKeyArn: "k", protect: true, tags: TAGS })[0]).to.match(/^expiryDays: 10 must be/);
    });

    const CLUSTER: GraylogClusterArgs = {
      environment: "management", region: "me-south-1", partition: "aws",
      subnets: [{ az: "me-south-1a", subnetId: "s1" }, { az: "me-south-1b", subnetId: "s2" }, { az: "me-south-1c", subnetId: "s3" }],
      nodeSecurityGroupId: "sg",
      targetGroups: { gelf: { arn: "a", arnSuffix: "targetgroup/g/1", port: 12201 }, api: { arn: "b", arnSuffix: "targetgroup/a/1", port: 9000 } },
      loadBalancerArnSuffix: "net/x/1", externalUri: "https://graylog.management.internal.tila.sa/",
      mongodb: { hosts: ["m-0.management.internal.tila.sa"], port: 27017, replicaSet: "rs0", database: "graylog", userSecretArn: "arn" },
      opensearch: { endpoint: "vpc-x.es.amazonaws.com", userSecretArn: "arn" },
      kmsKeyArn: "k", userData: renderGraylogBootstrap, protect: true, tags: TAGS,
    };
    it("GraylogCluster: refuses no nodes, a bad instance type, no subnet, a plain-HTTP external URI and no MongoDB host", () => {
      expect(graylogClusterIssues(CLUSTER)).to.deep.equal([]);
      const issues = graylogClusterIssues({ ...CLUSTER, nodeCount: 0, instanceType: "banana", subnets: [], externalUri: "http://graylog/", mongodb: { ...CLUSTER.mongodb, hosts: [] } });
      expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["nodeCount", "instanceType", "subnets", "externalUri", "mongodb.hosts"]);
    });

    it("the nodes' policy reads exactly the given secrets and decrypts through Secrets Manager only", () => {
      const p = nodeSecretsPolicy(["b", "a"], "arn:key", "me-south-1") as { Statement: Record<string, unknown>[] };
      expect(p.Statement[0]).to.deep.include({ Action: "secretsmanager:GetSecretValue", Resource: ["a", "b"] });
      expect(p.Statement[1]).to.deep.include({ Action: "kms:Decrypt", Resource: "arn:key", Condition: { StringEquals: { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com" } } });
    });
  });
});
