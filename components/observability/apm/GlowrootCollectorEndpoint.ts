/**
 * The network contract of the central Glowroot collector in management (docs/observability-apm.md#glowroot):
 * an internal Network Load Balancer whose security group admits exactly the environments' CIDRs on
 * the gRPC port 8181 and nothing else, a target group of IP targets the collector nodes register in,
 * the nodes' own security group (reachable from the load balancer only, on that port), and a private
 * name. The collector's Cassandra (stacks/apm.ts) admits the nodes' group, which allowNodesTo lets out.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { targetGroupName } from "../../compute/targetGroupName";
import { GLOWROOT_GRPC_PORT, GLOWROOT_HOST_LABEL, collectorIngress } from "./glowrootPlan";

export interface GlowrootCollectorEndpointArgs {
  /** The stack's name (management): the target group's name. */
  readonly environment: string;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets of the load balancer (one per AZ), where the collector nodes also run. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The environments whose agents report here: each CIDR is admitted on the gRPC port. */
  readonly environments: readonly { readonly name: string; readonly cidr: string }[];
  /** The private zone the collector's name is published in (`glowroot.<zone>`). */
  readonly privateZone?: { readonly zoneId: pulumi.Input<string>; readonly name: string };
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function glowrootCollectorEndpointIssues(args: GlowrootCollectorEndpointArgs): string[] {
  const issues: string[] = [];
  if (args.subnetIds.length < 2) issues.push(`subnetIds: the collector's load balancer spans at least 2 AZs (got ${args.subnetIds.length})`);
  if (args.environments.length === 0) issues.push("environments: name at least one environment whose agents report here");
  try {
    collectorIngress(args.environments);
  } catch (e) {
    issues.push((e as Error).message);
  }
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GlowrootCollectorEndpoint extends pulumi.ComponentResource {
  /** `host` the agents use: the private name when there is a zone, else the load balancer's own (publicly resolvable to private IPs). */
  readonly host: pulumi.Output<string>;
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  /** The NetworkELB metrics' TargetGroup and LoadBalancer dimensions. */
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  /** Security group the collector nodes run with (admits the load balancer on 8181 only). */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
  private readonly tagsFor: (role: string) => Record<string, string>;
  private readonly componentName: string;

  constructor(name: string, args: GlowrootCollectorEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GlowrootCollectorEndpoint", name, {}, opts);
    const issues = glowrootCollectorEndpointIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GlowrootCollectorEndpoint "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "apm", `${name}-${role}`);
    this.tagsFor = tags;
    this.componentName = name;

    const lbSg = new aws.ec2.SecurityGroup(`${name}-lb-sg`, {
      vpcId: args.vpcId,
      description: "Glowroot collector NLB: gRPC 8181 from the environments' agents only",
      tags: tags("lb-sg"),
    }, parent);
    const nodeSg = new aws.ec2.SecurityGroup(`${name}-node-sg`, {
      vpcId: args.vpcId,
      description: "Glowroot collector nodes: gRPC 8181 from the collector NLB only",
      tags: tags("node-sg"),
    }, parent);
    for (const rule of collectorIngress(args.environments)) {
      const key = rule.cidr.replace(/[./]/g, "-");
      new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-${key}`, {
        securityGroupId: lbSg.id,
        ipProtocol: "tcp",
        fromPort: rule.port,
        toPort: rule.port,
        cidrIpv4: rule.cidr,
        description: rule.description,
        tags: tags(`ingress-${key}`),
      }, parent);
    }
    new aws.vpc.SecurityGroupEgressRule(`${name}-lb-to-nodes`, {
      securityGroupId: lbSg.id,
      ipProtocol: "tcp",
      fromPort: GLOWROOT_GRPC_PORT,
      toPort: GLOWROOT_GRPC_PORT,
      referencedSecurityGroupId: nodeSg.id,
      description: "to the collector nodes (gRPC and health checks)",
      tags: tags("lb-to-nodes"),
    }, parent);
    new aws.vpc.SecurityGroupIngressRule(`${name}-nodes-from-lb`, {
      securityGroupId: nodeSg.id,
      ipProtocol: "tcp",
      fromPort: GLOWROOT_GRPC_PORT,
      toPort: GLOWROOT_GRPC_PORT,
      referencedSecurityGroupId: lbSg.id,
      description: "from the collector NLB (gRPC and health checks)",
      tags: tags("nodes-from-lb"),
    }, parent);

    const lb = new aws.lb.LoadBalancer(`${name}-nlb`, {
      internal: true,
      loadBalancerType: "network",
      subnets: [...args.subnetIds],
      securityGroups: [lbSg.id],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: true,
      tags: tags("nlb"),
    }, parent);
    // Named explicitly (ELB's 32 characters), changing exactly when a replacement is needed.
    const targets = new aws.lb.TargetGroup(`${name}-grpc`, {
      name: targetGroupName({ environment: args.environment, service: "glowroot", port: GLOWROOT_GRPC_PORT, protocol: "TCP", protocolVersion: "", targetType: "ip" }),
      vpcId: args.vpcId,
      port: GLOWROOT_GRPC_PORT,
      protocol: "TCP",
      targetType: "ip",
      healthCheck: { enabled: true, protocol: "TCP", port: String(GLOWROOT_GRPC_PORT), healthyThreshold: 3, unhealthyThreshold: 3, interval: 30 },
      tags: tags("grpc"),
    }, parent);
    new aws.lb.Listener(`${name}-grpc`, {
      loadBalancerArn: lb.arn,
      port: GLOWROOT_GRPC_PORT,
      protocol: "TCP",
      defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
      tags: tags("grpc-listener"),
    }, parent);

    let host: pulumi.Output<string> = lb.dnsName;
    if (args.privateZone) {
      const fqdn = `${GLOWROOT_HOST_LABEL}.${args.privateZone.name}`;
      new aws.route53.Record(`${name}-name`, {
        zoneId: args.privateZone.zoneId,
        name: fqdn,
        type: "A",
        aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
      }, parent);
      host = pulumi.output(fqdn);
    }

    this.host = host;
    this.loadBalancerDnsName = lb.dnsName;
    this.targetGroupArn = targets.arn;
    this.targetGroupArnSuffix = targets.arnSuffix;
    this.loadBalancerArnSuffix = lb.arnSuffix;
    this.nodeSecurityGroupId = nodeSg.id;
    this.loadBalancerSecurityGroupId = lbSg.id;
    this.registerOutputs({ host, loadBalancerDnsName: lb.dnsName, targetGroupArn: targets.arn, nodeSecurityGroupId: nodeSg.id });
  }

  /**
   * Lets the collector nodes reach one port of another group (their store): the nodes' group has
   * no egress otherwise. `label` names the rule resource.
   */
  allowNodesTo(label: string, port: number, groupId: pulumi.Input<string>, description: string): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(`${this.componentName}-nodes-to-${label}`, {
      securityGroupId: this.nodeSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: groupId,
      description,
      tags: this.tagsFor(`nodes-to-${label}`),
    }, { parent: this });
  }
}
