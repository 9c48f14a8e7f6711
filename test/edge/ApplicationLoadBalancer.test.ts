import { expect } from "chai";
import { ApplicationLoadBalancer, ApplicationLoadBalancerArgs } from "../../components/edge/ApplicationLoadBalancer";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { T, captureError, expectParentedAndTagged, ofType, one, only, run, tagsFor } from "./edgeHarness";

const COMPONENT = "tila:edge:ApplicationLoadBalancer";
const CERT = "arn:aws:acm:me-south-1:444444444444:certificate/public";

function build(name: string, args: ApplicationLoadBalancerArgs): () => Record<string, unknown> {
  return () => {
    const alb = new ApplicationLoadBalancer(name, args);
    return {
      arn: alb.arn, arnSuffix: alb.arnSuffix, dnsName: alb.dnsName, zoneId: alb.zoneId,
      securityGroupId: alb.securityGroupId, httpsListenerArn: alb.httpsListenerArn, accessLogBucket: alb.accessLogBucket,
    };
  };
}

function listenerOn(result: CaptureResult, port: number): CapturedResource {
  const found = ofType(result, T.LISTENER).filter((l) => l.inputs.port === port);
  expect(found, `listener on ${port}`).to.have.length(1);
  return found[0];
}

function prodArgs(overrides: Partial<ApplicationLoadBalancerArgs> = {}): ApplicationLoadBalancerArgs {
  return {
    environment: "prod",
    scheme: "internet-facing",
    vpcId: "vpc-prod",
    vpcCidr: "10.40.0.0/16",
    subnetIds: ["subnet-public-a", "subnet-public-b", "subnet-public-c"],
    certificateArn: CERT,
    ingress: { cidrs: ["0.0.0.0/0"] },
    targetPorts: [8080, 9090],
    deletionProtection: true,
    accessLogs: { retentionDays: 365 },
    tags: tagsFor("prod"),
    ...overrides,
  };
}

describe("ApplicationLoadBalancer", () => {
  describe("internet-facing in prod", () => {
    let result: CaptureResult;
    let lb: CapturedResource;

    before(async () => {
      result = await run(build("prod-public", prodArgs()));
      lb = only(result, T.LB);
    });

    it("is an internet-facing IPv4 application load balancer in the given subnets behind its own security group", () => {
      expect(lb.inputs).to.deep.include({
        loadBalancerType: "application", internal: false, ipAddressType: "ipv4",
        subnets: ["subnet-public-a", "subnet-public-b", "subnet-public-c"], securityGroups: [only(result, T.SG).id],
      });
    });

    it("drops invalid headers, mitigates desync strictly and is protected from deletion", () => {
      expect(lb.inputs).to.include({ dropInvalidHeaderFields: true, desyncMitigationMode: "strictest", enableDeletionProtection: true, idleTimeout: 60 });
    });

    it("listens on 443 with the TLS 1.3/1.2 policy and the certificate, answering 404 JSON by default", () => {
      const https = listenerOn(result, 443);
      expect(https.inputs).to.include({ loadBalancerArn: lb.outputs.arn, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", certificateArn: CERT });
      expect(https.inputs.defaultActions).to.deep.equal([
        { type: "fixed-response", fixedResponse: { contentType: "application/json", messageBody: '{"message":"Not Found"}', statusCode: "404" } },
      ]);
      expect(https.inputs).to.include({ routingHttpResponseStrictTransportSecurityHeaderValue: "max-age=31536000", routingHttpResponseServerEnabled: false });
    });

    it("listens on 80 only to redirect permanently to HTTPS, and on no other port", () => {
      const http = listenerOn(result, 80);
      expect(http.inputs.protocol).to.equal("HTTP");
      expect(http.inputs.defaultActions).to.deep.equal([
        { type: "redirect", redirect: { protocol: "HTTPS", port: "443", host: "#{host}", path: "/#{path}", query: "#{query}", statusCode: "HTTP_301" } },
      ]);
      expect(http.inputs.certificateArn).to.equal(undefined);
      expect(ofType(result, T.LISTENER).map((l) => l.inputs.port).sort()).to.deep.equal([443, 80]);
    });

    it("admits 443 and 80 from anywhere, each rule described, and nothing else", () => {
      const sg = only(result, T.SG);
      expect(sg.inputs.ingress ?? []).to.deep.equal([]);
      const rules = ofType(result, T.INGRESS);
      expect(rules.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).to.deep.equal([[443, 443, "0.0.0.0/0"], [80, 80, "0.0.0.0/0"]]);
      for (const r of rules) {
        expect(r.inputs, r.name).to.include({ securityGroupId: sg.id, ipProtocol: "tcp" });
        expect(r.inputs.description, r.name).to.be.a("string").and.not.empty;
      }
    });

    it("reaches only the target ports inside the VPC", () => {
      expect(only(result, T.SG).inputs.egress ?? []).to.deep.equal([]);
      const egress = ofType(result, T.EGRESS);
      expect(egress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4, r.inputs.ipProtocol])).to.deep.equal([
        [8080, 8080, "10.40.0.0/16", "tcp"], [9090, 9090, "10.40.0.0/16", "tcp"],
      ]);
      for (const r of egress) expect(r.inputs.description, r.name).to.be.a("string").and.not.empty;
    });

    it("logs every request to its bucket under its prefix, once the bucket policy admits ELB", () => {
      const bucket = only(result, T.BUCKET);
      expect(lb.inputs.accessLogs).to.deep.equal({ bucket: bucket.outputs.bucket, prefix: "prod-public", enabled: true });
      expect(lb.options.dependsOn).to.include(only(result, T.BUCKET_POLICY).urn);
    });

    it("encrypts the log bucket with SSE-S3, versions it and blocks all public access", () => {
      const bucket = only(result, T.BUCKET);
      expect(bucket.inputs.forceDestroy).to.equal(false);
      expect(only(result, T.BUCKET_ENCRYPTION).inputs).to.deep.include({ bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
      expect(only(result, T.BUCKET_VERSIONING).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
      expect(only(result, T.BUCKET_PUBLIC_ACCESS).inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      expect(only(result, T.BUCKET_OWNERSHIP).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
    });

    it("expires logs after the retention and old versions after 30 days", () => {
      const [rule] = only(result, T.BUCKET_LIFECYCLE).inputs.rules as Record<string, unknown>[];
      expect(rule).to.deep.include({ status: "Enabled", expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 30 } });
    });

    it("lets only the me-south-1 ELB account write under the prefix, and refuses plain HTTP", () => {
      const bucket = only(result, T.BUCKET);
      const policy = JSON.parse(only(result, T.BUCKET_POLICY).inputs.policy as string) as { Statement: Record<string, unknown>[] };
      const [put, deny] = policy.Statement;
      expect(put).to.deep.include({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::076674570225:root" }, Action: "s3:PutObject" });
      expect(put.Resource).to.equal(`${bucket.outputs.arn}/prod-public/AWSLogs/444444444444/*`);
      expect(deny).to.deep.include({ Effect: "Deny", Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    it("outputs what services and DNS need", () => {
      expect(result.outputs).to.deep.equal({
        arn: lb.outputs.arn, arnSuffix: lb.outputs.arnSuffix, dnsName: lb.outputs.dnsName, zoneId: lb.outputs.zoneId,
        securityGroupId: only(result, T.SG).id, httpsListenerArn: listenerOn(result, 443).outputs.arn, accessLogBucket: only(result, T.BUCKET).outputs.bucket,
      });
    });

    it("parents every resource to the component and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-public");
    });
  });

  describe("internal in dev", () => {
    let result: CaptureResult;
    let lb: CapturedResource;

    before(async () => {
      result = await run(build("dev-internal", {
        ...prodArgs(),
        environment: "dev",
        scheme: "internal",
        vpcId: "vpc-dev",
        vpcCidr: "10.10.0.0/16",
        subnetIds: ["subnet-app-a", "subnet-app-b"],
        ingress: { securityGroupIds: { storefront: "sg-storefront", checkout: "sg-checkout" } },
        targetPorts: [8080],
        deletionProtection: false,
        accessLogs: { retentionDays: 30 },
        tags: tagsFor("dev"),
      }), "dev");
      lb = only(result, T.LB);
    });

    it("is internal and not protected from deletion", () => {
      expect(lb.inputs).to.include({ internal: true, enableDeletionProtection: false });
    });

    it("has no HTTP listener, only HTTPS", () => {
      expect(ofType(result, T.LISTENER).map((l) => [l.inputs.port, l.inputs.protocol])).to.deep.equal([[443, "HTTPS"]]);
      expect(listenerOn(result, 443).inputs.routingHttpResponseStrictTransportSecurityHeaderValue).to.equal(undefined);
    });

    it("admits the given security groups on 443 and no address range", () => {
      const rules = ofType(result, T.INGRESS);
      expect(rules.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId])).to.deep.equal([[443, "sg-storefront"], [443, "sg-checkout"]]);
      for (const r of rules) {
        expect(r.inputs.cidrIpv4, r.name).to.equal(undefined);
        expect(r.inputs.cidrIpv6, r.name).to.equal(undefined);
      }
      expect(JSON.stringify(result.resources.map((r) => r.inputs))).not.to.include("0.0.0.0/0");
    });

    it("keeps dev logs for 30 days in a bucket that goes with the stack", () => {
      expect(only(result, T.BUCKET).inputs.forceDestroy).to.equal(true);
      const [rule] = only(result, T.BUCKET_LIFECYCLE).inputs.rules as Record<string, unknown>[];
      expect(rule.expiration).to.deep.equal({ days: 30 });
    });

    it("parents every resource to the component and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "dev-internal");
      expect(one(result, T.SG, "dev-internal-sg").inputs.description).to.match(/^Internal ALB/);
    });
  });

  it("refuses prod without deletion protection and an internal one open to the world, listing every field", async () => {
    const err = await captureError(build("prod-internal", prodArgs({ scheme: "internal", deletionProtection: false, subnetIds: ["subnet-a"] })));
    expect(err.message).to.include('ApplicationLoadBalancer "prod-internal"');
    expect(err.message).to.include("subnetIds: an Application Load Balancer needs subnets in at least 2 AZs, got 1");
    expect(err.message).to.include('ingress: an internal load balancer admits named callers only, not "0.0.0.0/0"');
    expect(err.message).to.include("deletionProtection: must be true in prod");
  });
});
