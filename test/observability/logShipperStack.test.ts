/**
 * Whole-stack: with shipping on (every environment's stack file has it on), each
 * environment's log buckets (the flow-log bucket where flow logs go to S3, both ALBs' access-log
 * buckets) notify the log shipper and nothing else, the flow logs' log group is subscribed where they
 * go to CloudWatch, the shipper's only way out of AWS is management's CIDR on the GELF port, and the
 * policy pack finds nothing on it; with shipping off there is no shipper.
 */
import { expect } from "chai";
import { GELF_TCP_PORT } from "../../components/observability/logging/graylogPlan";
import { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { ofType } from "../support/graph";
import { mandatoryFindings } from "../support/realPolicy";
import { stackWithConfig } from "../support/configVariants";
import { realStack } from "../support/realStacks";

const MANAGEMENT_CIDR = "10.0.0.0/16";

/** `stack` with `observability.logging.shipping.enabled` off, whatever its stack file says. */
function withoutShipping(stack: string): Promise<StackRun> {
  return stackWithConfig(stack, [[["tila-platform:observability", "logging", "shipping", "enabled"], false]]);
}

interface Shipper {
  component: CapturedResource;
  resources: CapturedResource[];
  fn: CapturedResource;
  sg: CapturedResource;
}

function shipperOf(run: StackRun): Shipper {
  const components = ofType(run, "tila:observability:LogShipper");
  expect(components, "one log shipper").to.have.length(1);
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const under = (r: CapturedResource): boolean => {
    for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) if (p.urn === components[0]!.urn) return true;
    return false;
  };
  const resources = run.resources.filter(under);
  return {
    component: components[0]!,
    resources,
    fn: resources.find((r) => r.type === "aws:lambda/function:Function")!,
    sg: resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!,
  };
}

/** The buckets the stack's log services write to: the flow log's (when S3) and each ALB's, with the prefix each writes under. */
function logBuckets(run: StackRun): { name: string; arn: string; prefix: string }[] {
  const buckets = ofType(run, "aws:s3/bucket:Bucket");
  const byArn = (arn: unknown) => buckets.find((b) => b.outputs.arn === arn);
  const out: { name: string; arn: string; prefix: string }[] = [];
  for (const f of ofType(run, "aws:ec2/flowLog:FlowLog").filter((f) => f.inputs.logDestinationType === "s3")) {
    const b = byArn(f.inputs.logDestination)!;
    out.push({ name: String(b.outputs.bucket), arn: String(b.outputs.arn), prefix: "AWSLogs/" });
  }
  for (const lb of ofType(run, "aws:lb/loadBalancer:LoadBalancer").filter((l) => l.inputs.loadBalancerType === "application")) {
    const logs = lb.inputs.accessLogs as { bucket: string; prefix: string; enabled: boolean };
    const b = buckets.find((x) => x.outputs.bucket === logs.bucket)!;
    out.push({ name: logs.bucket, arn: String(b.outputs.arn), prefix: `${logs.prefix}/AWSLogs/` });
  }
  return out;
}

function s3PrefixListOf(run: StackRun): string {
  const endpoint = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => String(e.inputs.serviceName).endsWith(".s3") && e.inputs.vpcEndpointType === "Gateway")!;
  return String(endpoint.outputs.prefixListId);
}

function expectOnlyGelfOutsideAws(run: StackRun, s: Shipper): void {
  const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === s.sg.id);
  const outsideAws = egress.filter((r) => r.inputs.prefixListId !== s3PrefixListOf(run));
  expect(outsideAws.map((r) => ({ cidr: r.inputs.cidrIpv4, protocol: r.inputs.ipProtocol, from: r.inputs.fromPort, to: r.inputs.toPort }))).to.deep.equal([
    { cidr: MANAGEMENT_CIDR, protocol: "tcp", from: GELF_TCP_PORT, to: GELF_TCP_PORT },
  ]);
  const toS3 = egress.filter((r) => r.inputs.prefixListId === s3PrefixListOf(run));
  expect(toS3.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).to.deep.equal([[443, 443, undefined]]);
  expect(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === s.sg.id)).to.deep.equal([]);
}

function expectBucketsNotifyShipper(run: StackRun, s: Shipper, expected: number): void {
  const buckets = logBuckets(run);
  expect(buckets).to.have.length(expected);
  const notifications = ofType(run, "aws:s3/bucketNotification:BucketNotification");
  for (const b of buckets) {
    const own = notifications.filter((n) => n.inputs.bucket === b.name);
    expect(own, `${b.name}: one notification configuration`).to.have.length(1);
    expect(own[0]!.inputs.lambdaFunctions, b.name).to.deep.equal([{ lambdaFunctionArn: s.fn.outputs.arn, events: ["s3:ObjectCreated:*"], filterPrefix: b.prefix, filterSuffix: ".log.gz" }]);
  }
  const permissions = s.resources.filter((r) => r.type === "aws:lambda/permission:Permission" && r.inputs.principal === "s3.amazonaws.com");
  expect(permissions.map((p) => p.inputs.sourceArn).sort()).to.deep.equal(buckets.map((b) => b.arn).sort());
  const readable = (s.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!.inputs.policy as string);
  const read = (JSON.parse(readable) as { Statement: { Sid: string; Resource: string[] }[] }).Statement.find((x) => x.Sid === "ReadLogObjects")!;
  expect([...read.Resource].sort()).to.deep.equal(buckets.map((b) => `${b.arn}/${b.prefix}*`).sort());
  const sources = JSON.parse((s.fn.inputs.environment as { variables: Record<string, string> }).variables.S3_SOURCES!) as Record<string, string>;
  expect(Object.keys(sources).sort()).to.deep.equal(buckets.map((b) => b.name).sort());
}

describe("Log shipper in the environments", function () {
  this.timeout(600_000);
  const runs: Record<string, StackRun> = {};
  before(async () => {
    for (const stack of ["dev", "stage", "preprod", "prod"]) runs[stack] = await realStack(stack);
  });

  it("prod and preprod: the flow-log bucket and both ALBs' access-log buckets notify the shipper, and no other configuration", () => {
    for (const stack of ["preprod", "prod"]) {
      const run = runs[stack]!;
      expectBucketsNotifyShipper(run, shipperOf(run), 3);
      expect(ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter"), stack).to.deep.equal([]);
    }
  });

  it("dev and stage: both ALBs' buckets notify the shipper and the flow logs' log group is subscribed to it", () => {
    for (const stack of ["dev", "stage"]) {
      const run = runs[stack]!;
      const s = shipperOf(run);
      expectBucketsNotifyShipper(run, s, 2);
      const flowLog = ofType(run, "aws:ec2/flowLog:FlowLog")[0]!;
      const group = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.outputs.arn === flowLog.inputs.logDestination)!;
      const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").filter((f) => f.inputs.logGroup === group.inputs.name);
      expect(filters.map((f) => f.inputs.destinationArn), stack).to.deep.equal([s.fn.outputs.arn]);
      expect((s.fn.inputs.environment as { variables: Record<string, string> }).variables.FLOW_LOG_GROUP, stack).to.equal(group.inputs.name);
    }
  });

  it("its only way out of AWS's services is management's CIDR on the GELF port (S3 through the gateway endpoint)", () => {
    for (const run of Object.values(runs)) expectOnlyGelfOutsideAws(run, shipperOf(run));
  });

  it("sends to the name Graylog's certificate covers in the stack's own zone, from the app subnets", () => {
    for (const [stack, run] of Object.entries(runs)) {
      const s = shipperOf(run);
      const vars = (s.fn.inputs.environment as { variables: Record<string, string> }).variables;
      const zone = String(run.outputs.privateZoneName);
      expect(vars, stack).to.deep.include({ GELF_HOST: `graylog.${zone}`, GELF_PORT: String(GELF_TCP_PORT), ENVIRONMENT: stack });
      const app = ofType(run, "aws:ec2/subnet:Subnet").filter((x) => (x.inputs.tags as Record<string, string>).Tier === "app").map((x) => x.id);
      expect([...(s.fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds].sort(), stack).to.deep.equal(app.sort());
    }
  });

  it("gives the policy pack nothing to find on the shipper (its key protected in prod)", () => {
    for (const [stack, run] of Object.entries(runs)) {
      const urns = new Set(shipperOf(run).resources.map((r) => r.urn));
      const findings = mandatoryFindings(run.resources, stack).filter((f) => f.urn !== undefined && urns.has(f.urn));
      expect(findings, stack).to.deep.equal([]);
    }
  });

  it("builds no shipper and no bucket notification where shipping is off", async () => {
    const off = await withoutShipping("stage");
    expect(ofType(off, "tila:observability:LogShipper")).to.deep.equal([]);
    expect(ofType(off, "aws:s3/bucketNotification:BucketNotification")).to.deep.equal([]);
    expect(ofType(off, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")).to.deep.equal([]);
  });
});
