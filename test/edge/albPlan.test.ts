import { expect } from "chai";
import {
  AlbOptions, DEFAULT_SSL_POLICY, ELB_LOG_DELIVERY_SERVICE, accessLogBucketPolicy, elbLogDeliveryPrincipal, planIngress, resolveAlb,
} from "../../components/edge/albPlan";
import { tagsFor } from "./edgeHarness";

function publicOptions(overrides: Partial<AlbOptions> = {}): AlbOptions {
  return {
    environment: "prod",
    scheme: "internet-facing",
    vpcCidr: "10.40.0.0/16",
    subnetCount: 3,
    ingress: { cidrs: ["0.0.0.0/0"] },
    targetPorts: [8080],
    deletionProtection: true,
    accessLogs: { retentionDays: 365 },
    tags: tagsFor("prod"),
    ...overrides,
  };
}

function issuesOf(name: string, o: AlbOptions): string[] {
  const r = resolveAlb(name, o);
  return r.ok ? [] : [...r.issues];
}

describe("albPlan", () => {
  describe("elbLogDeliveryPrincipal", () => {
    it("uses the regional ELB account in me-south-1, a region older than August 2022", () => {
      expect(elbLogDeliveryPrincipal("me-south-1")).to.deep.equal({ AWS: "arn:aws:iam::076674570225:root" });
    });

    it("uses the log-delivery service principal in regions opened later (me-central-1)", () => {
      expect(elbLogDeliveryPrincipal("me-central-1")).to.deep.equal({ Service: ELB_LOG_DELIVERY_SERVICE });
    });

    it("keeps the partition of the account's ARNs", () => {
      expect(elbLogDeliveryPrincipal("cn-north-1", "aws-cn")).to.deep.equal({ AWS: "arn:aws-cn:iam::638102146993:root" });
    });
  });

  describe("accessLogBucketPolicy", () => {
    const policy = accessLogBucketPolicy({ bucketArn: "arn:aws:s3:::logs", prefix: "prod-public", accountId: "444444444444", region: "me-south-1", partition: "aws" });
    const statements = policy.Statement as Record<string, unknown>[];

    it("lets ELB put objects only under this load balancer's prefix for this account", () => {
      expect(statements[0]).to.deep.equal({
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::076674570225:root" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::logs/prod-public/AWSLogs/444444444444/*",
      });
    });

    it("denies every request without TLS, on the bucket and its objects", () => {
      expect(statements[1]).to.deep.include({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
      expect(statements[1].Resource).to.deep.equal(["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"]);
      expect(statements).to.have.length(2);
    });
  });

  describe("planIngress", () => {
    it("admits 443 and the redirect port 80 from each source of an internet-facing load balancer", () => {
      const rules = planIngress([{ kind: "ipv4", cidr: "0.0.0.0/0" }, { kind: "ipv6", cidr: "::/0" }], true);
      expect(rules.map((r) => [r.key, r.port])).to.deep.equal([
        ["https-0-0-0-0-0", 443], ["http-0-0-0-0-0", 80], ["https-ipv6-0", 443], ["http-ipv6-0", 80],
      ]);
      expect(rules.every((r) => r.description.length > 0)).to.equal(true);
      expect(rules[1].description).to.match(/redirected to HTTPS/);
    });

    it("admits only 443 on an internal one", () => {
      const rules = planIngress([{ kind: "securityGroup", label: "storefront" }], false);
      expect(rules.map((r) => [r.key, r.port])).to.deep.equal([["https-sg-storefront", 443]]);
    });
  });

  describe("resolveAlb", () => {
    it("fills in the TLS 1.3/1.2 policy, IPv4, a 60 s idle timeout and the HTTP redirect", () => {
      const r = resolveAlb("prod-public", publicOptions());
      expect(r.ok).to.equal(true);
      if (!r.ok) return;
      expect(DEFAULT_SSL_POLICY).to.equal("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09");
      expect(r.value).to.include({ internal: false, sslPolicy: DEFAULT_SSL_POLICY, ipAddressType: "ipv4", httpRedirect: true, idleTimeoutSeconds: 60, logPrefix: "prod-public", forceDestroyLogs: false });
      expect(r.value.egressPorts).to.deep.equal([8080]);
    });

    it("has no redirect on an internal load balancer and lets a dev log bucket go with its stack", () => {
      const r = resolveAlb("dev-internal", publicOptions({
        environment: "dev", scheme: "internal", ingress: { securityGroupLabels: ["cart"] }, deletionProtection: false, tags: tagsFor("dev"),
      }));
      expect(r.ok && r.value).to.include({ internal: true, httpRedirect: false, forceDestroyLogs: true });
    });

    it("accepts every TLS 1.2-floor policy and rejects those that allow TLS 1.0 or 1.1", () => {
      for (const ok of ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09"]) {
        expect(issuesOf("prod-public", publicOptions({ sslPolicy: ok })), ok).to.deep.equal([]);
      }
      for (const bad of ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS-1-1-2017-01"]) {
        expect(issuesOf("prod-public", publicOptions({ sslPolicy: bad })).join(), bad).to.match(/^sslPolicy: /);
      }
    });

    it("refuses prod without deletion protection", () => {
      expect(issuesOf("prod-public", publicOptions({ deletionProtection: false }))).to.deep.equal(["deletionProtection: must be true in prod"]);
    });

    it("refuses to open an internal load balancer to every address", () => {
      const issues = issuesOf("prod-internal", publicOptions({ scheme: "internal", ingress: { cidrs: ["0.0.0.0/0", "10.40.0.0/16"] } }));
      expect(issues).to.deep.equal(['ingress: an internal load balancer admits named callers only, not "0.0.0.0/0"']);
    });

    it("refuses IPv6 rules on an IPv4-only load balancer and accepts them dual-stack", () => {
      expect(issuesOf("prod-public", publicOptions({ ingress: { cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] } })).join()).to.match(/^ingress.ipv6Cidrs: the load balancer is IPv4-only/);
      const r = resolveAlb("prod-public", publicOptions({ ipAddressType: "dualstack", ingress: { cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"] } }));
      expect(r.ok && r.value.ingress.map((i) => i.key)).to.deep.equal(["https-0-0-0-0-0", "http-0-0-0-0-0", "https-ipv6-0", "http-ipv6-0"]);
    });

    it("reports every bad field at once", () => {
      const issues = issuesOf("Prod_Public_Load_Balancer", publicOptions({
        environment: "management",
        vpcCidr: "10.40.0.1/16",
        subnetCount: 1,
        sslPolicy: "ELBSecurityPolicy-2016-08",
        ingress: { cidrs: ["10.0.0.0/33", "10.0.0.0/33"], ipv6Cidrs: ["zz::/0"], securityGroupLabels: ["Bad Label"] },
        targetPorts: [0, 8080, 8080],
        accessLogs: { retentionDays: 0 },
        idleTimeoutSeconds: 5000,
        tags: { Environment: "prod", Owner: "x", CostCenter: "", ManagedBy: "pulumi" },
      }));
      const fields = new Set(issues.map((i) => i.split(":")[0]));
      expect([...fields]).to.include.members([
        "environment", "name", "vpcCidr", "subnetIds", "sslPolicy", "ingress.cidrs[0]", "ingress.cidrs[1]", "ingress.ipv6Cidrs[0]", "ingress.ipv6Cidrs",
        "ingress.securityGroupIds.Bad Label", "targetPorts[0]", "targetPorts[2]", "accessLogs.retentionDays", "idleTimeoutSeconds", "tags.CostCenter",
      ]);
    });

    it("requires at least one source and one target port", () => {
      expect(issuesOf("prod-public", publicOptions({ ingress: {}, targetPorts: [] }))).to.deep.equal([
        "ingress: at least one source (cidrs, ipv6Cidrs or securityGroupIds) is required",
        "targetPorts: at least one target port is required (egress reaches nothing else)",
      ]);
    });
  });
});
