/**
 * The network, edge and services pricers (offline/cost/pricers/network.ts) against the real me-south-1 price file:
 * one hand-worked example per priced type, each resource built as the captured graph holds it, the monthly cost
 * worked out in the comment (quantity × unit price) and the line items asserted exactly.
 */
import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS, estimateStack } from "../../offline/cost/estimate";
import { buildRegistry } from "../../offline/cost/pricers";
import { LAMBDA_AVERAGE_DURATION_SECONDS, NETWORK_FREE_TYPES, NETWORK_PRICERS, splitTasks } from "../../offline/cost/pricers/network";
import { loadSnapshot } from "../../offline/cost/snapshot";
import type { LineItem } from "../../offline/cost/types";
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "../support/captured";

const ROOT = "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod";
const registry = buildRegistry([{ name: "network", pricers: NETWORK_PRICERS, free: NETWORK_FREE_TYPES }]);

function res(type: string, name: string, inputs: Record<string, unknown>, over: Partial<CapturedResource> = {}): CapturedResource {
  return capturedResource({ urn: `urn:pulumi:prod::tila-platform::${type}::${name}`, type, name, parent: ROOT, id: `id-${name}`, inputs, ...over });
}

/** The line items of a one-stack graph, as [dimension, quantity, unit price, monthly]. */
function items(...resources: CapturedResource[]): [string, number, number, number][] {
  const cost = estimateStack("prod", "me-south-1", resources, loadSnapshot("me-south-1"), DEFAULT_ASSUMPTIONS, registry);
  expect(cost.missingPrices, "every key the pricers ask for is in the me-south-1 file").to.deep.equal([]);
  return cost.items.map((i: LineItem) => [i.dimension, i.quantity, i.unitPrice, round(i.monthly)]);
}

/** Rounded to 1e-9, so a hand-worked figure compares equal to the float product. */
const round = (n: number): number => Math.round(n * 1e9) / 1e9;

const SUBNETS3 = ["subnet-a", "subnet-b", "subnet-c"];

describe("network pricers (me-south-1 prices, default assumptions)", () => {
  it("prices a NAT gateway's hours and its 100 GB of data", () => {
    // 730 h × $0.0528 = $38.544; 100 GB × $0.0528 = $5.28
    const nat = res("aws:ec2/natGateway:NatGateway", "prod-nat-a", { allocationId: "eipalloc-1", connectivityType: "public", subnetId: "subnet-a" });
    expect(items(nat)).to.deep.equal([
      ["NAT gateway hours", 730, 0.0528, 38.544],
      ["data processed", 100, 0.0528, 5.28],
    ]);
  });

  it("prices an Elastic IP as a public IPv4 address for every hour", () => {
    // 730 h × $0.005 = $3.65
    expect(items(res("aws:ec2/eip:Eip", "prod-nat-eip-a", { domain: "vpc" }))).to.deep.equal([["public IPv4 address hours", 730, 0.005, 3.65]]);
  });

  it("prices a TGW VPC attachment's hours and its 50 GB", () => {
    // 730 h × $0.06 = $43.80; 50 GB × $0.024 = $1.20
    const att = res("aws:ec2transitgateway/vpcAttachment:VpcAttachment", "prod-tgw-attachment", { subnetIds: SUBNETS3, transitGatewayId: "tgw-1", vpcId: "vpc-1" });
    expect(items(att)).to.deep.equal([
      ["TGW attachment hours", 730, 0.06, 43.8],
      ["TGW data processed", 50, 0.024, 1.2],
    ]);
  });

  it("prices a VPN connection on the TGW with its implicit VPN attachment and 20 GB; one on a virtual private gateway alone", () => {
    // connection 730 h × $0.06 = $43.80; attachment 730 h × $0.06 = $43.80; 20 GB × $0.024 = $0.48
    const onTgw = res("aws:ec2/vpnConnection:VpnConnection", "office-riyadh-vpn-riyadh-fw-a", { customerGatewayId: "cgw-1", transitGatewayId: "tgw-1", type: "ipsec.1" });
    expect(items(onTgw)).to.deep.equal([
      ["VPN connection hours", 730, 0.06, 43.8],
      ["TGW VPN attachment hours", 730, 0.06, 43.8],
      ["TGW data processed (VPN)", 20, 0.024, 0.48],
    ]);
    const onVgw = res("aws:ec2/vpnConnection:VpnConnection", "vgw-vpn", { customerGatewayId: "cgw-1", vpnGatewayId: "vgw-1", type: "ipsec.1" });
    expect(items(onVgw)).to.deep.equal([["VPN connection hours", 730, 0.06, 43.8]]);
  });

  it("prices an interface endpoint per ENI (one per subnet) and its 10 GB; a gateway endpoint is free", () => {
    // 3 ENIs × 730 h = 2,190 h × $0.012 = $26.28; 10 GB × $0.012 = $0.12
    const iface = res("aws:ec2/vpcEndpoint:VpcEndpoint", "endpoints-endpoint-ssm", { vpcEndpointType: "Interface", subnetIds: SUBNETS3, serviceName: "com.amazonaws.me-south-1.ssm" });
    expect(items(iface)).to.deep.equal([
      ["endpoint ENI hours (3 AZ)", 2190, 0.012, 26.28],
      ["data processed", 10, 0.012, 0.12],
    ]);
    const gateway = res("aws:ec2/vpcEndpoint:VpcEndpoint", "prod-endpoint-s3", { vpcEndpointType: "Gateway", routeTableIds: ["rtb-1"], serviceName: "com.amazonaws.me-south-1.s3" });
    expect(items(gateway)).to.deep.equal([]);
  });

  it("prices an internet-facing ALB's hours, 1 LCU and a public IPv4 per AZ; an internal ALB has no public addresses", () => {
    // 730 h × $0.02772 = $20.2356; 730 LCU-h × $0.009856 = $7.19488; 3 × 730 = 2,190 h × $0.005 = $10.95
    const pub = res("aws:lb/loadBalancer:LoadBalancer", "prod-public-alb", { internal: false, loadBalancerType: "application", subnets: SUBNETS3 });
    expect(items(pub)).to.deep.equal([
      ["ALB hours", 730, 0.02772, 20.2356],
      ["LCU hours", 730, 0.009856, 7.19488],
      ["public IPv4 address hours (3 AZ)", 2190, 0.005, 10.95],
    ]);
    const internal = res("aws:lb/loadBalancer:LoadBalancer", "prod-internal-alb", { internal: true, loadBalancerType: "application", subnets: SUBNETS3 });
    expect(items(internal).map((i) => i[0])).to.deep.equal(["ALB hours", "LCU hours"]);
  });

  it("prices an internal NLB's hours and 1 NLCU", () => {
    // 730 h × $0.02772 = $20.2356; 730 NLCU-h × $0.007392 = $5.39616
    const nlb = res("aws:lb/loadBalancer:LoadBalancer", "management-graylog-nlb", { internal: true, loadBalancerType: "network", subnets: SUBNETS3 });
    expect(items(nlb)).to.deep.equal([
      ["NLB hours", 730, 0.02772, 20.2356],
      ["NLCU hours", 730, 0.007392, 5.39616],
    ]);
  });

  it("prices prod's web ACL: the ACL, its rate rule, its four managed rule groups and 5 M requests", () => {
    // $5 + 1 rule × $1 + 4 groups × $1 + 5 M × $0.60 = $5 + $1 + $4 + $3 = $13
    const managed = (name: string) => ({ name, statement: { managedRuleGroupStatement: { name, vendorName: "AWS" } } });
    const acl = res("aws:wafv2/webAcl:WebAcl", "prod-waf-web-acl", {
      scope: "REGIONAL",
      rules: [
        { name: "rate-limit-per-ip", statement: { rateBasedStatement: { aggregateKeyType: "IP", limit: 2000 } } },
        managed("AWSManagedRulesAmazonIpReputationList"),
        managed("AWSManagedRulesCommonRuleSet"),
        managed("AWSManagedRulesKnownBadInputsRuleSet"),
        managed("AWSManagedRulesSQLiRuleSet"),
      ],
    });
    expect(items(acl)).to.deep.equal([
      ["web ACL", 1, 5, 5],
      ["rules", 1, 1, 1],
      ["rule groups (managed or own)", 4, 1, 4],
      ["requests inspected", 5, 0.6, 3],
    ]);
  });

  const task = (name: string, cpu: string, memory: string, arch: "ARM64" | "X86_64") =>
    res("aws:ecs/taskDefinition:TaskDefinition", name, { cpu, memory, family: name, requiresCompatibilities: ["FARGATE"], runtimePlatform: { cpuArchitecture: arch, operatingSystemFamily: "LINUX" } }, {
      id: name,
      outputs: { arn: `arn:aws:ecs:me-south-1:444444444444:task-definition/${name}` },
    });

  it("prices a Fargate service on ARM: desired count × vCPU and GB × 730 h", () => {
    // prod checkout: 6 tasks × 1 vCPU × 730 h = 4,380 vCPU-h × $0.038856 = $170.18928
    //                6 tasks × 2 GB × 730 h = 8,760 GB-h × $0.004272 = $37.42272
    const td = task("prod-checkout-task", "1024", "2048", "ARM64");
    const svc = res("aws:ecs/service:Service", "prod-checkout-service", {
      desiredCount: 6,
      capacityProviderStrategies: [{ base: 0, capacityProvider: "FARGATE", weight: 1 }],
      taskDefinition: td.outputs.arn,
    });
    expect(items(td, svc)).to.deep.equal([
      ["vCPU hours (ARM, 6 tasks × 1 vCPU)", 4380, 0.038856, 170.18928],
      ["memory GB hours (ARM, 6 tasks × 2 GB)", 8760, 0.004272, 37.42272],
    ]);
  });

  it("splits a Spot strategy's tasks (base 1 on-demand, then 1:3) and prices each part at its x86 price", () => {
    // 5 tasks: FARGATE base 1 + 4 × 1/4 = 2 tasks; FARGATE_SPOT 4 × 3/4 = 3 tasks; 0.5 vCPU, 1 GB each
    // on-demand: 2 × 0.5 × 730 = 730 vCPU-h × $0.048576 = $35.46048; 2 × 1 × 730 = 1,460 GB-h × $0.005334 = $7.78764
    // Spot:      3 × 0.5 × 730 = 1,095 vCPU-h × $0.0145728 = $15.957216; 3 × 1 × 730 = 2,190 GB-h × $0.0016002 = $3.504438
    const td = task("dev-cart-task", "512", "1024", "X86_64");
    const svc = res("aws:ecs/service:Service", "dev-cart-service", {
      desiredCount: 5,
      capacityProviderStrategies: [
        { base: 1, capacityProvider: "FARGATE", weight: 1 },
        { base: 0, capacityProvider: "FARGATE_SPOT", weight: 3 },
      ],
      taskDefinition: td.outputs.arn,
    });
    expect(items(td, svc)).to.deep.equal([
      ["vCPU hours (x86, 2 tasks × 0.5 vCPU)", 730, 0.048576, 35.46048],
      ["memory GB hours (x86, 2 tasks × 1 GB)", 1460, 0.005334, 7.78764],
      ["vCPU hours (Spot x86, 3 tasks × 0.5 vCPU)", 1095, 0.0145728, 15.957216],
      ["memory GB hours (Spot x86, 3 tasks × 1 GB)", 2190, 0.0016002, 3.504438],
    ]);
    expect(splitTasks(1, [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 }])).to.deep.equal({ FARGATE: 1, FARGATE_SPOT: 0 });
  });

  it("counts the autoscaling minimum when it is above the desired count", () => {
    // desiredCount 2, target minCapacity 4: 4 tasks × 0.25 vCPU × 730 h = 730 vCPU-h × $0.038856 = $28.36488;
    // 4 × 0.5 GB × 730 = 1,460 GB-h × $0.004272 = $6.23712
    const td = task("prod-notifications-task", "256", "512", "ARM64");
    const svc = res("aws:ecs/service:Service", "prod-notifications-service", {
      name: "notifications",
      cluster: "arn:aws:ecs:me-south-1:444444444444:cluster/tila-prod",
      desiredCount: 2,
      taskDefinition: td.outputs.arn,
    });
    const target = res("aws:appautoscaling/target:Target", "prod-notifications-scaling-target", {
      minCapacity: 4,
      maxCapacity: 30,
      resourceId: "service/tila-prod/notifications",
      scalableDimension: "ecs:service:DesiredCount",
      serviceNamespace: "ecs",
    });
    expect(items(td, svc, target)).to.deep.equal([
      ["vCPU hours (ARM, 4 tasks × 0.25 vCPU)", 730, 0.038856, 28.36488],
      ["memory GB hours (ARM, 4 tasks × 0.5 GB)", 1460, 0.004272, 6.23712],
    ]);
  });

  it("prices a service with launchType FARGATE and no strategy as on-demand; an EC2 launch type costs nothing itself", () => {
    // 1 task × 0.5 vCPU × 730 h = 365 vCPU-h × $0.048576 = $17.73024; 1 × 1 GB × 730 = 730 GB-h × $0.005334 = $3.89382
    const td = task("prod-prometheus-collector-task", "512", "1024", "X86_64");
    const svc = res("aws:ecs/service:Service", "prod-prometheus-collector-service", { desiredCount: 1, launchType: "FARGATE", taskDefinition: td.outputs.arn });
    expect(items(td, svc)).to.deep.equal([
      ["vCPU hours (x86, 1 task × 0.5 vCPU)", 365, 0.048576, 17.73024],
      ["memory GB hours (x86, 1 task × 1 GB)", 730, 0.005334, 3.89382],
    ]);
    const onEc2 = res("aws:ecs/service:Service", "ec2-service", { desiredCount: 2, launchType: "EC2", taskDefinition: td.outputs.arn });
    expect(items(td, onEc2)).to.deep.equal([]);
  });

  it("prices a hosted zone and its 1 M queries", () => {
    // $0.50 + 1 M × $0.40 = $0.90
    const zone = res("aws:route53/zone:Zone", "prod-dns-private", { name: "prod.internal.tila.sa", vpcs: [{ vpcId: "vpc-1" }] });
    expect(items(zone)).to.deep.equal([
      ["hosted zone", 1, 0.5, 0.5],
      ["DNS queries", 1, 0.4, 0.4],
    ]);
  });

  it("prices a Lambda function's 0.1 M requests and GB-seconds at 200 ms, x86 and ARM", () => {
    // 0.1 M × $0.24 = $0.024; 100,000 × 0.2 s × 0.25 GB = 5,000 GB-s × $0.00002 = $0.10 (ARM: × $0.000016 = $0.08)
    expect(LAMBDA_AVERAGE_DURATION_SECONDS).to.equal(0.2);
    const fn = res("aws:lambda/function:Function", "prod-mysql-users-function", { memorySize: 256, runtime: "nodejs22.x" });
    expect(items(fn)).to.deep.equal([
      ["requests", 0.1, 0.24, 0.024],
      ["compute GB-seconds (256 MB × 0.2 s each)", 5000, 0.00002, 0.1],
    ]);
    const arm = res("aws:lambda/function:Function", "arm-fn", { memorySize: 256, architectures: ["arm64"] });
    expect(items(arm)[1]).to.deep.equal(["compute GB-seconds (256 MB × 0.2 s each)", 5000, 0.000016, 0.08]);
  });

  it("counts a free type as neither priced nor unpriced, and an unknown type as unpriced", () => {
    const cost = estimateStack(
      "prod",
      "me-south-1",
      [res("aws:ec2/subnet:Subnet", "s", {}), res("aws:acm/certificate:Certificate", "c", {}), res("aws:ec2/instance:Instance", "i", {})],
      loadSnapshot("me-south-1"),
      DEFAULT_ASSUMPTIONS,
      registry,
    );
    expect(cost.items).to.deep.equal([]);
    expect(cost.unpricedTypes).to.deep.equal({ "aws:ec2/instance:Instance": 1 });
  });
});
