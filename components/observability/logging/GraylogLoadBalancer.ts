/**
 * The network contract of management's Graylog (docs/observability-logging.md#the-graylog-cluster):
 * an internal Network Load Balancer terminating TLS for GELF (12201) and for the web interface and
 * REST API (443 -> 9000), its security group admitting exactly graylogIngress, the nodes' security
 * group admitting the load balancer only, the IP target groups the nodes register in, the ACM
 * certificate covering every stack's Graylog name, and management's private name for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { targetGroupName } from "../../compute/targetGroupName";
import { DnsValidatedCertificate } from "../../edge/DnsValidatedCertificate";
import { GraylogClients, GRAYLOG_HEALTH_PATH, GRAYLOG_LISTENERS, GRAYLOG_NODE_PORTS, GRAYLOG_TLS_POLICY, graylogCertificateNames, graylogIngress } from "./graylogNetworkPlan";
import { GRAYLOG_HTTPS_PORT, GRAYLOG_HTTP_PORT, graylogHostName } from "./graylogPlan";

export interface GraylogLoadBalancerArgs {
  /** The stack's name (management): the target groups' names. */
  readonly environment: string;
  readonly vpcId: pulumi.Input<string>;
  /** App subnets, one per AZ (at least 2): the load balancer's and the nodes'. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Who may connect, on which port (graylogIngress). */
  readonly clients: GraylogClients;
  /** Management's private zone: `graylog.<zone>` is an alias to the load balancer. */
  readonly privateZone: { readonly zoneId: pulumi.Input<string>; readonly name: string };
  /** The environments' private zone names (`<env>.internal.<domain>`): each `graylog.<zone>` is on the certificate. */
  readonly environmentZones: readonly { readonly name: string; readonly zoneName: string }[];
  /** The public zone that answers for every name on the certificate (management's apex zone). */
  readonly validationZone: { readonly zoneId: pulumi.Input<string>; readonly name: string };
  /** Deletion protection on the load balancer. @default true */
  readonly deletionProtection?: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function graylogLoadBalancerIssues(args: GraylogLoadBalancerArgs): string[] {
  const issues: string[] = [];
  if (args.subnetIds.length < 2) issues.push(`subnetIds: Graylog's load balancer spans at least 2 AZs (got ${args.subnetIds.length})`);
  for (const check of [() => graylogIngress(args.clients), () => graylogCertificateNames(args.privateZone.name, args.environmentZones, args.validationZone.name)]) {
    try {
      check();
    } catch (e) {
      issues.push((e as Error).message);
    }
  }
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GraylogLoadBalancer extends pulumi.ComponentResource {
  /** `graylog.<management zone>`. */
  readonly host: string;
  /** `https://graylog.<management zone>`: the web interface, and the REST API under `/api/`. */
  readonly url: string;
  /** The load balancer's own DNS name: environments CNAME their Graylog name to it. */
  readonly loadBalancerDnsName: pulumi.Output<string>;
  readonly loadBalancerArnSuffix: pulumi.Output<string>;
  readonly loadBalancerSecurityGroupId: pulumi.Output<string>;
  /** The nodes run in this group: it admits the load balancer on 12201 and 9000 only. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Target groups by listener (`gelf` on 12201, `api` on 9000): the nodes register by private IP. */
  readonly targetGroups: Readonly<Record<"gelf" | "api", { arn: pulumi.Output<string>; arnSuffix: pulumi.Output<string>; port: number }>>;
  readonly certificateArn: pulumi.Output<string>;
  readonly certificateNames: readonly string[];
  private readonly tagsFor: (role: string) => Record<string, string>;
  private readonly componentName: string;

  constructor(name: string, args: GraylogLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogLoadBalancer", name, {}, opts);
    const issues = graylogLoadBalancerIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GraylogLoadBalancer "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, "logging", `${name}-${role}`);
    this.tagsFor = tags;
    this.componentName = name;

    const lbSg = new aws.ec2.SecurityGroup(`${name}-lb-sg`, {
      vpcId: args.vpcId,
      description: "Graylog NLB: GELF/TLS 12201 from the environments and management, HTTPS 443 from management and the offices",
      tags: tags("lb-sg"),
    }, parent);
    const nodeSg = new aws.ec2.SecurityGroup(`${name}-node-sg`, {
      vpcId: args.vpcId,
      description: "Graylog nodes: GELF 12201 and HTTP 9000 from the Graylog NLB only",
      tags: tags("node-sg"),
    }, parent);
    for (const rule of graylogIngress(args.clients)) {
      new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-${rule.key}`, {
        securityGroupId: lbSg.id, ipProtocol: "tcp", fromPort: rule.port, toPort: rule.port, cidrIpv4: rule.cidr,
        description: rule.description, tags: tags(`ingress-${rule.key}`),
      }, parent);
    }
    for (const port of GRAYLOG_NODE_PORTS) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-lb-to-nodes-${port}`, {
        securityGroupId: lbSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: nodeSg.id,
        description: `to the Graylog nodes on ${port} (traffic and health checks)`, tags: tags(`lb-to-nodes-${port}`),
      }, parent);
      new aws.vpc.SecurityGroupIngressRule(`${name}-nodes-from-lb-${port}`, {
        securityGroupId: nodeSg.id, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: lbSg.id,
        description: `from the Graylog NLB on ${port} (traffic and health checks)`, tags: tags(`nodes-from-lb-${port}`),
      }, parent);
    }

    const names = graylogCertificateNames(args.privateZone.name, args.environmentZones, args.validationZone.name);
    const certificate = new DnsValidatedCertificate(`${name}-certificate`, {
      domainName: names.domainName,
      subjectAlternativeNames: names.subjectAlternativeNames,
      zoneId: args.validationZone.zoneId,
      tags: args.tags,
    }, parent);

    const lb = new aws.lb.LoadBalancer(`${name}-nlb`, {
      internal: true,
      loadBalancerType: "network",
      subnets: [...args.subnetIds],
      securityGroups: [lbSg.id],
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: args.deletionProtection ?? true,
      tags: tags("nlb"),
    }, parent);

    const groups: Partial<Record<"gelf" | "api", { arn: pulumi.Output<string>; arnSuffix: pulumi.Output<string>; port: number }>> = {};
    for (const l of GRAYLOG_LISTENERS) {
      // Named explicitly (ELB's 32 characters), changing exactly when a replacement is needed.
      const group = new aws.lb.TargetGroup(`${name}-${l.key}`, {
        name: targetGroupName({ environment: args.environment, service: `graylog-${l.key}`, port: l.targetPort, protocol: "TCP", protocolVersion: "", targetType: "ip" }),
        vpcId: args.vpcId,
        port: l.targetPort,
        protocol: "TCP",
        targetType: "ip",
        // The nodes see the load balancer's address, so their group needs to admit the load balancer only.
        preserveClientIp: "false",
        deregistrationDelay: 60,
        healthCheck: {
          enabled: true, protocol: "HTTP", port: String(GRAYLOG_HTTP_PORT), path: GRAYLOG_HEALTH_PATH, matcher: "200",
          healthyThreshold: 3, unhealthyThreshold: 3, interval: 10, timeout: 6,
        },
        tags: tags(l.key),
      }, parent);
      new aws.lb.Listener(`${name}-${l.key}`, {
        loadBalancerArn: lb.arn,
        port: l.port,
        protocol: "TLS",
        sslPolicy: GRAYLOG_TLS_POLICY,
        certificateArn: certificate.certificateArn,
        defaultActions: [{ type: "forward", targetGroupArn: group.arn }],
        tags: tags(`${l.key}-listener`),
      }, parent);
      groups[l.key] = { arn: group.arn, arnSuffix: group.arnSuffix, port: l.targetPort };
    }

    this.host = graylogHostName(args.privateZone.name);
    this.url = `https://${this.host}${GRAYLOG_HTTPS_PORT === 443 ? "" : `:${GRAYLOG_HTTPS_PORT}`}`;
    new aws.route53.Record(`${name}-name`, {
      zoneId: args.privateZone.zoneId,
      name: this.host,
      type: "A",
      aliases: [{ name: lb.dnsName, zoneId: lb.zoneId, evaluateTargetHealth: true }],
    }, parent);

    this.loadBalancerDnsName = lb.dnsName;
    this.loadBalancerArnSuffix = lb.arnSuffix;
    this.loadBalancerSecurityGroupId = lbSg.id;
    this.nodeSecurityGroupId = nodeSg.id;
    this.targetGroups = groups as Record<"gelf" | "api", { arn: pulumi.Output<string>; arnSuffix: pulumi.Output<string>; port: number }>;
    this.certificateArn = certificate.certificateArn;
    this.certificateNames = [names.domainName, ...names.subjectAlternativeNames];
    this.registerOutputs({
      host: this.host,
      loadBalancerDnsName: lb.dnsName,
      loadBalancerSecurityGroupId: lbSg.id,
      nodeSecurityGroupId: nodeSg.id,
      certificateArn: this.certificateArn,
    });
  }

  /**
   * Lets the Graylog nodes reach one port of another group (MongoDB, OpenSearch): the nodes' group
   * has no egress otherwise. `label` names the rule resource.
   */
  allowNodesTo(label: string, port: number, groupId: pulumi.Input<string>, description: string): aws.vpc.SecurityGroupEgressRule {
    return new aws.vpc.SecurityGroupEgressRule(`${this.componentName}-nodes-to-${label}`, {
      securityGroupId: this.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, referencedSecurityGroupId: groupId,
      description, tags: this.tagsFor(`nodes-to-${label}`),
    }, { parent: this });
  }
}
