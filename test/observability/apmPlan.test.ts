import { expect } from "chai";
import {
  INTEGRATION_READ_ACTIONS,
  METRIC_STREAM_ENDPOINTS,
  NEW_RELIC_AWS_ACCOUNT_ID,
  firehosePolicy,
  firehoseTrustPolicy,
  integrationReadPolicy,
  integrationTrustPolicy,
  metricStreamPolicy,
  metricStreamTrustPolicy,
  newRelicAgentEnvironment,
  newRelicAppName,
} from "../../components/observability/apm/newRelicPlan";
import { GLOWROOT_GRPC_PORT, collectorIngress, glowrootJavaToolOptions } from "../../components/observability/apm/glowrootPlan";

describe("New Relic plan", () => {
  it("names each service's application from the pattern", () => {
    expect(newRelicAppName("{service}-{environment}", "checkout", "prod")).to.equal("checkout-prod");
    expect(newRelicAppName("tila {environment}: {service}", "cart", "preprod")).to.equal("tila preprod: cart");
  });

  it("gives the agent its name, distributed tracing and a stdout log, and never the license key", () => {
    const env = newRelicAgentEnvironment({ appName: "cart-prod", logLevel: "info" });
    expect(env).to.deep.equal({ NEW_RELIC_APP_NAME: "cart-prod", NEW_RELIC_DISTRIBUTED_TRACING_ENABLED: "true", NEW_RELIC_LOG: "stdout", NEW_RELIC_LOG_LEVEL: "info" });
    expect(Object.keys(env).some((k) => /LICENSE/.test(k))).to.equal(false);
  });

  it("trusts only New Relic's account, and only with our New Relic account id as external id", () => {
    const s = integrationTrustPolicy("4387215").Statement[0]!;
    expect(s.Principal).to.deep.equal({ AWS: `arn:aws:iam::${NEW_RELIC_AWS_ACCOUNT_ID}:root` });
    expect(s.Condition).to.deep.equal({ StringEquals: { "sts:ExternalId": "4387215" } });
    expect(() => integrationTrustPolicy("abc")).to.throw(/newRelicAccountId/);
  });

  it("lets New Relic read metrics, inventory and tags in the stack's region only, and write nothing", () => {
    const s = integrationReadPolicy("me-south-1").Statement[0]!;
    expect(s.Action).to.deep.equal([...INTEGRATION_READ_ACTIONS]);
    expect(s.Condition).to.deep.equal({ StringEquals: { "aws:RequestedRegion": "me-south-1" } });
    for (const a of INTEGRATION_READ_ACTIONS) expect(a).to.match(/^[a-z]+:(Get|List|BatchGet)[A-Za-z]+$/);
  });

  it("has one endpoint per data centre, both https", () => {
    expect(Object.keys(METRIC_STREAM_ENDPOINTS).sort()).to.deep.equal(["EU", "US"]);
    for (const url of Object.values(METRIC_STREAM_ENDPOINTS)) expect(url).to.match(/^https:\/\/aws-api\.[a-z0-9.-]+\/cloudwatch-metrics\/v1$/);
    expect(METRIC_STREAM_ENDPOINTS.EU).to.include("eu01");
  });

  it("scopes the stream and Firehose roles to their one stream, bucket, secret and key", () => {
    expect(metricStreamTrustPolicy().Statement[0]!.Principal).to.deep.equal({ Service: "streams.metrics.cloudwatch.amazonaws.com" });
    expect(metricStreamPolicy("arn:aws:firehose:me-south-1:1:deliverystream/x").Statement[0]!.Resource).to.equal("arn:aws:firehose:me-south-1:1:deliverystream/x");
    expect(firehoseTrustPolicy("444444444444").Statement[0]!.Condition).to.deep.equal({ StringEquals: { "sts:ExternalId": "444444444444" } });
    const doc = firehosePolicy({ bucketArn: "arn:aws:s3:::b", secretArn: "arn:s", secretKeyArn: "arn:k", region: "me-south-1", partition: "aws" });
    const resources = doc.Statement.flatMap((s) => ([] as unknown[]).concat(s.Resource));
    expect(resources.sort()).to.deep.equal(["arn:aws:s3:::b", "arn:aws:s3:::b/*", "arn:k", "arn:s"].sort());
    const decrypt = doc.Statement.find((s) => s.Sid === "DecryptLicenseKey")!;
    expect(decrypt.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com" } });
  });
});

describe("Glowroot plan", () => {
  it("attaches the agent to the collector by JVM options, one agent per task under the environment::service rollup", () => {
    const opts = glowrootJavaToolOptions({ agentPath: "/opt/glowroot/glowroot.jar", collectorHost: "glowroot.prod.internal.tila.sa", environment: "prod", service: "catalog" });
    expect(opts.split(" ")).to.deep.equal([
      "-javaagent:/opt/glowroot/glowroot.jar",
      `-Dglowroot.collector.address=glowroot.prod.internal.tila.sa:${GLOWROOT_GRPC_PORT}`,
      "-Dglowroot.agent.id=prod::catalog::",
      "-Dglowroot.log.dir=/tmp/glowroot",
      "-Dglowroot.tmp.dir=/tmp/glowroot",
    ]);
  });

  it("refuses an option that would break the command line", () => {
    const ok = { agentPath: "/opt/g.jar", collectorHost: "h.example", environment: "prod", service: "x" };
    expect(() => glowrootJavaToolOptions({ ...ok, agentPath: "glowroot.jar" })).to.throw(/agentPath/);
    expect(() => glowrootJavaToolOptions({ ...ok, collectorHost: "h -Dx=y" })).to.throw(/collectorHost/);
    expect(() => glowrootJavaToolOptions({ ...ok, service: "a b" })).to.throw(/service/);
  });

  it("admits each environment's CIDR on the gRPC port, never the internet, never twice", () => {
    expect(collectorIngress([{ name: "dev", cidr: "10.10.0.0/16" }, { name: "prod", cidr: "10.40.0.0/16" }])).to.deep.equal([
      { cidr: "10.10.0.0/16", port: 8181, description: "Glowroot agents of dev (gRPC)" },
      { cidr: "10.40.0.0/16", port: 8181, description: "Glowroot agents of prod (gRPC)" },
    ]);
    expect(() => collectorIngress([{ name: "x", cidr: "0.0.0.0/0" }])).to.throw(/0\.0\.0\.0\/0/);
    expect(() => collectorIngress([{ name: "a", cidr: "10.1.0.0/16" }, { name: "b", cidr: "10.1.0.0/16" }])).to.throw(/environments\.b.*twice/);
    expect(() => collectorIngress([{ name: "a", cidr: "10.1.0.0" }])).to.throw(/environments\.a/);
  });
});
