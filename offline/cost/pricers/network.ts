/**
 * Pricers for network, edge and services resource types (owned by cost-network; docs/cost.md): one Pricer per
 * Pulumi type token, and the types known to cost nothing by themselves. The registry (pricers/index.ts) combines them.
 * Each pricer reads the resource as the captured graph holds it (inputs) and returns quantities per month; prices
 * come from the snapshot (prices/<region>/network.json) under the keys named here.
 */
import type { CapturedResource } from "../../types";
import { HOURS_PER_MONTH, type Charge, type Pricer, type PricingContext } from "../types";

/**
 * Average run time of one Lambda invocation, for the GB-seconds a function uses: the graph holds memory and timeout,
 * never how long a call takes. The platform's functions (provisioners, relays, shippers, isolators) finish well
 * under a second; 200 ms is the figure the estimate assumes (docs/cost.md).
 */
export const LAMBDA_AVERAGE_DURATION_SECONDS = 0.2;

/** Lambda's default memory when a function does not set `memorySize` (MB). */
const LAMBDA_DEFAULT_MEMORY_MB = 128;

const hours = (priceKey: string, dimension: string, count = 1): Charge => ({ priceKey, dimension, quantity: count * HOURS_PER_MONTH });

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** NAT gateway: its hours, and the data it processes (`natGatewayDataGb`). A private NAT gateway costs the same. */
const natGateway: Pricer = (_r, ctx) => [
  hours("vpc.nat.hour", "NAT gateway hours"),
  { priceKey: "vpc.nat.data", dimension: "data processed", quantity: ctx.assumptions.natGatewayDataGb, assumption: "natGatewayDataGb" },
];

/** Elastic IP: a public IPv4 address, charged by the hour whether attached (a NAT gateway's) or idle. */
const eip: Pricer = () => [hours("vpc.publicIpv4.hour", "public IPv4 address hours")];

/** TGW VPC attachment: its hours, and the data the VPC sends through the Transit Gateway. */
const tgwVpcAttachment: Pricer = (_r, ctx) => [
  hours("tgw.attachment.hour", "TGW attachment hours"),
  {
    priceKey: "tgw.data",
    dimension: "TGW data processed",
    quantity: ctx.assumptions.transitDataGbPerAttachment,
    assumption: "transitDataGbPerAttachment",
  },
];

/**
 * Site-to-Site VPN connection: its hours; on a Transit Gateway it also makes a VPN attachment (no resource of its own
 * in the graph) that is charged like any attachment, with the data it carries into the TGW (`vpnDataGb`).
 */
const vpnConnection: Pricer = (r, ctx) => {
  const charges: Charge[] = [hours("vpn.connection.hour", "VPN connection hours")];
  if (typeof r.inputs.transitGatewayId === "string" && r.inputs.transitGatewayId !== "") {
    charges.push(hours("tgw.attachment.hour", "TGW VPN attachment hours"));
    charges.push({ priceKey: "tgw.data", dimension: "TGW data processed (VPN)", quantity: ctx.assumptions.vpnDataGb, assumption: "vpnDataGb" });
  }
  return charges;
};

/** Interface endpoint: one ENI per subnet (AZ), each charged by the hour, and the data it processes. Gateway endpoints are free. */
const vpcEndpoint: Pricer = (r, ctx) => {
  const type = typeof r.inputs.vpcEndpointType === "string" ? r.inputs.vpcEndpointType : "Gateway";
  if (type !== "Interface") return [];
  const enis = Math.max(1, list(r.inputs.subnetIds).length);
  return [
    hours("vpc.endpoint.interface.hour", `endpoint ENI hours (${enis} AZ)`, enis),
    { priceKey: "vpc.endpoint.interface.data", dimension: "data processed", quantity: ctx.assumptions.endpointDataGb, assumption: "endpointDataGb" },
  ];
};

/** The AZs a load balancer spans: its subnets or subnet mappings. */
function loadBalancerAzs(r: CapturedResource): number {
  return Math.max(list(r.inputs.subnets).length, list(r.inputs.subnetMappings).length);
}

/**
 * ALB and NLB: hours, capacity units (`loadBalancerLcu` every hour: LCUs for an ALB, NLCUs for an NLB), and for an
 * internet-facing one the public IPv4 address of its node in each AZ.
 */
const loadBalancer: Pricer = (r, ctx) => {
  const type = r.inputs.loadBalancerType === "network" ? "nlb" : r.inputs.loadBalancerType === "gateway" ? "gwlb" : "alb";
  if (type === "gwlb") return [hours("elb.gwlb.hour", "GWLB hours")];
  const charges: Charge[] = [
    hours(`elb.${type}.hour`, `${type.toUpperCase()} hours`),
    {
      priceKey: `elb.${type}.lcu`,
      dimension: type === "alb" ? "LCU hours" : "NLCU hours",
      quantity: ctx.assumptions.loadBalancerLcu * HOURS_PER_MONTH,
      assumption: "loadBalancerLcu",
    },
  ];
  const azs = loadBalancerAzs(r);
  if (r.inputs.internal !== true && azs > 0) charges.push(hours("vpc.publicIpv4.hour", `public IPv4 address hours (${azs} AZ)`, azs));
  return charges;
};

/**
 * WAF web ACL: the ACL, each rule of its own (rate-based, match), each rule group it references (AWS managed or
 * custom), and the requests it inspects. AWS bills a rule group in a web ACL as one rule; Bot Control, Fraud
 * Control and other paid managed groups add fees this estimate does not know (none is used here).
 */
const wafWebAcl: Pricer = (r, ctx) => {
  let rules = 0;
  let groups = 0;
  for (const rule of list(r.inputs.rules)) {
    const statement = record(record(rule)?.statement);
    if (statement && (statement.managedRuleGroupStatement || statement.ruleGroupReferenceStatement)) groups++;
    else rules++;
  }
  const charges: Charge[] = [{ priceKey: "waf.webAcl.month", dimension: "web ACL", quantity: 1 }];
  if (rules > 0) charges.push({ priceKey: "waf.rule.month", dimension: "rules", quantity: rules });
  if (groups > 0) charges.push({ priceKey: "waf.ruleGroup.month", dimension: "rule groups (managed or own)", quantity: groups });
  charges.push({ priceKey: "waf.requests", dimension: "requests inspected", quantity: ctx.assumptions.wafRequestsMillions, assumption: "wafRequestsMillions" });
  return charges;
};

/** The task definition a service runs, found by the ARN or id the service's input names. */
function taskDefinitionOf(service: CapturedResource, ctx: PricingContext): CapturedResource | undefined {
  const ref = service.inputs.taskDefinition;
  if (typeof ref !== "string") return undefined;
  return (
    ctx.byId.get(ref) ??
    ctx.resources.find((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition" && (r.outputs.arn === ref || r.id === ref || r.inputs.family === ref))
  );
}

/**
 * The floor autoscaling keeps under a service: the minCapacity of the Application Auto Scaling target whose
 * resourceId is `service/<cluster>/<service name>` (the cluster matched by name when the graph's ids allow it,
 * else the only target for that service name). Undefined when the service does not scale.
 */
function scalingFloor(service: CapturedResource, ctx: PricingContext): number | undefined {
  const name = service.inputs.name;
  if (typeof name !== "string") return undefined;
  const targets = ctx.resources.filter(
    (r) =>
      r.type === "aws:appautoscaling/target:Target" &&
      r.inputs.scalableDimension === "ecs:service:DesiredCount" &&
      typeof r.inputs.resourceId === "string" &&
      r.inputs.resourceId.endsWith(`/${name}`),
  );
  const cluster = typeof service.inputs.cluster === "string" ? service.inputs.cluster.split("/").pop() : undefined;
  const exact = targets.filter((t) => (t.inputs.resourceId as string) === `service/${cluster}/${name}`);
  const target = exact.length === 1 ? exact[0] : targets.length === 1 ? targets[0] : undefined;
  return target ? num(target.inputs.minCapacity) : undefined;
}

/**
 * How many of `desired` tasks each capacity provider runs: each provider's `base` first (in order), the rest split
 * by weight. Fractions are kept: the estimate is a monthly average, not a placement.
 */
export function splitTasks(desired: number, strategy: readonly { capacityProvider: string; base?: number; weight?: number }[]): Record<string, number> {
  const out: Record<string, number> = {};
  let left = desired;
  for (const item of strategy) {
    const base = Math.min(left, Math.max(0, item.base ?? 0));
    out[item.capacityProvider] = (out[item.capacityProvider] ?? 0) + base;
    left -= base;
  }
  const totalWeight = strategy.reduce((sum, item) => sum + Math.max(0, item.weight ?? 0), 0);
  if (left > 0 && totalWeight > 0) {
    for (const item of strategy) out[item.capacityProvider] = (out[item.capacityProvider] ?? 0) + (left * Math.max(0, item.weight ?? 0)) / totalWeight;
  }
  return out;
}

/**
 * ECS service on Fargate: desired count (or its autoscaling minimum, when higher: the service's desiredCount is
 * ignored after creation) × the task definition's vCPU and GB × 730 h, at the x86 or ARM price
 * (runtimePlatform.cpuArchitecture), on-demand or Spot as the capacity provider strategy splits the tasks. A service
 * on EC2 capacity costs nothing itself (its instances are priced).
 */
const ecsService: Pricer = (r, ctx) => {
  const desired = Math.max(num(r.inputs.desiredCount) ?? 1, scalingFloor(r, ctx) ?? 0);
  const strategy = list(r.inputs.capacityProviderStrategies)
    .map(record)
    .filter((s): s is Record<string, unknown> => s !== undefined && typeof s.capacityProvider === "string")
    .map((s) => ({ capacityProvider: s.capacityProvider as string, base: num(s.base), weight: num(s.weight) }));
  const launchType = typeof r.inputs.launchType === "string" ? r.inputs.launchType : strategy.length > 0 ? undefined : "FARGATE";
  if (launchType !== undefined && launchType !== "FARGATE") return [];
  const task = taskDefinitionOf(r, ctx);
  if (!task || desired <= 0) return [];
  const vcpu = (num(task.inputs.cpu) ?? 0) / 1024;
  const gb = (num(task.inputs.memory) ?? 0) / 1024;
  const arch = record(task.inputs.runtimePlatform)?.cpuArchitecture === "ARM64" ? "arm" : "x86";
  const split = strategy.length > 0 ? splitTasks(desired, strategy) : { FARGATE: desired };
  const charges: Charge[] = [];
  for (const [provider, tasks] of Object.entries(split)) {
    if (tasks <= 0 || (provider !== "FARGATE" && provider !== "FARGATE_SPOT")) continue;
    const variant = provider === "FARGATE_SPOT" ? `spot-${arch}` : arch;
    const label = `${provider === "FARGATE_SPOT" ? "Spot " : ""}${arch === "arm" ? "ARM" : "x86"}, ${tasks} task${tasks === 1 ? "" : "s"}`;
    charges.push({ priceKey: `fargate.vcpu-hour.${variant}`, dimension: `vCPU hours (${label} × ${vcpu} vCPU)`, quantity: tasks * vcpu * HOURS_PER_MONTH });
    charges.push({ priceKey: `fargate.gb-hour.${variant}`, dimension: `memory GB hours (${label} × ${gb} GB)`, quantity: tasks * gb * HOURS_PER_MONTH });
  }
  return charges;
};

/** Hosted zone (public or private): the zone per month, and the queries it answers (`route53QueriesMillionsPerZone`). */
const route53Zone: Pricer = (_r, ctx) => [
  { priceKey: "route53.zone.month", dimension: "hosted zone", quantity: 1 },
  {
    priceKey: "route53.queries",
    dimension: "DNS queries",
    quantity: ctx.assumptions.route53QueriesMillionsPerZone,
    assumption: "route53QueriesMillionsPerZone",
  },
];

/**
 * Lambda function: requests (`lambdaInvocationsMillions`) and GB-seconds (invocations × LAMBDA_AVERAGE_DURATION_SECONDS
 * × memory), at the x86 or ARM price. The free tier (shared by the account) is not deducted.
 */
const lambdaFunction: Pricer = (r, ctx) => {
  const arch = list(r.inputs.architectures).includes("arm64") ? "arm" : "x86";
  const memoryGb = (num(r.inputs.memorySize) ?? LAMBDA_DEFAULT_MEMORY_MB) / 1024;
  const millions = ctx.assumptions.lambdaInvocationsMillions;
  return [
    { priceKey: "lambda.requests", dimension: "requests", quantity: millions, assumption: "lambdaInvocationsMillions" },
    {
      priceKey: `lambda.duration.${arch}`,
      dimension: `compute GB-seconds (${memoryGb * 1024} MB × ${LAMBDA_AVERAGE_DURATION_SECONDS} s each)`,
      quantity: millions * 1e6 * LAMBDA_AVERAGE_DURATION_SECONDS * memoryGb,
      assumption: "lambdaInvocationsMillions",
    },
  ];
};

/** Pricer per Pulumi type token (`aws:ec2/natGateway:NatGateway`, ...). */
export const NETWORK_PRICERS: Readonly<Record<string, Pricer>> = Object.freeze({
  "aws:ec2/natGateway:NatGateway": natGateway,
  "aws:ec2/eip:Eip": eip,
  "aws:ec2transitgateway/vpcAttachment:VpcAttachment": tgwVpcAttachment,
  "aws:ec2/vpnConnection:VpnConnection": vpnConnection,
  "aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
  "aws:lb/loadBalancer:LoadBalancer": loadBalancer,
  "aws:wafv2/webAcl:WebAcl": wafWebAcl,
  "aws:ecs/service:Service": ecsService,
  "aws:route53/zone:Zone": route53Zone,
  "aws:lambda/function:Function": lambdaFunction,
});

/**
 * Type tokens this domain knows to be free by themselves: their cost, if any, is another resource's (a task
 * definition's through its service, a listener's through its load balancer's LCUs, a Transit Gateway's through its
 * attachments) or AWS does not charge for them (VPCs, subnets, routing, security groups, public ACM certificates).
 */
export const NETWORK_FREE_TYPES: readonly string[] = Object.freeze([
  // VPC and routing
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/routeTableAssociation:RouteTableAssociation",
  "aws:ec2/route:Route",
  "aws:ec2/networkAcl:NetworkAcl",
  "aws:ec2/networkAclRule:NetworkAclRule",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/customerGateway:CustomerGateway",
  // Transit Gateway: no hourly fee of its own; attachments and data are charged
  "aws:ec2transitgateway/transitGateway:TransitGateway",
  "aws:ec2transitgateway/routeTable:RouteTable",
  "aws:ec2transitgateway/route:Route",
  "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
  "aws:ram/resourceShare:ResourceShare",
  "aws:ram/resourceAssociation:ResourceAssociation",
  "aws:ram/principalAssociation:PrincipalAssociation",
  // DNS: records and VPC associations are part of the zone's price
  "aws:route53/record:Record",
  "aws:route53/zoneAssociation:ZoneAssociation",
  "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization",
  // Edge
  "aws:acm/certificate:Certificate",
  "aws:acm/certificateValidation:CertificateValidation",
  "aws:lb/listener:Listener",
  "aws:lb/listenerRule:ListenerRule",
  "aws:lb/targetGroup:TargetGroup",
  "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  "aws:wafv2/webAclAssociation:WebAclAssociation",
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
  // Services
  "aws:ecs/cluster:Cluster",
  "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  "aws:ecs/taskDefinition:TaskDefinition",
  "aws:appautoscaling/target:Target",
  "aws:appautoscaling/policy:Policy",
  "aws:appautoscaling/scheduledAction:ScheduledAction",
  "aws:lambda/permission:Permission",
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  "aws:lambda/invocation:Invocation",
  // EventBridge Scheduler: the first 14 million scheduled invocations a month cost $0 (AWSEvents offer rows,
  // usage type <prefix>-ScheduledInvocation); the platform's schedules run daily
  "aws:scheduler/schedule:Schedule",
  // Delivery: an ECR repository's storage is priced on the repository (not yet: no usage assumption for it)
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:ecr/repositoryPolicy:RepositoryPolicy",
]);
