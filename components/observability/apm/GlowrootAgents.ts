/**
 * An environment's side of the Glowroot contract (docs/observability-apm.md#glowroot): the collector's
 * private name in the environment's own zone (`glowroot.<zone>`, a CNAME to management's internal load
 * balancer, whose DNS name resolves to private addresses from anywhere), and for each Java service an
 * egress rule to management's CIDR on the gRPC port only. The agent settings themselves go into the
 * task definitions (glowrootJavaToolOptions).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { GLOWROOT_GRPC_PORT, GLOWROOT_HOST_LABEL } from "./glowrootPlan";

export interface GlowrootAgentsArgs {
  readonly environment: string;
  /** The environment's private zone, where the collector's name is published. */
  readonly privateZone: { readonly zoneId: pulumi.Input<string>; readonly name: string };
  /** DNS name of management's collector load balancer (management's glowrootCollectorDnsName output). */
  readonly collectorDnsName: pulumi.Input<string>;
  /** Management's VPC CIDR: the only destination the agents' egress rule opens. */
  readonly managementCidr: string;
  /** Security group of each Java service. */
  readonly serviceGroups: Readonly<Record<string, pulumi.Input<string>>>;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function glowrootAgentsIssues(args: GlowrootAgentsArgs): string[] {
  const issues: string[] = [];
  if (Object.keys(args.serviceGroups).length === 0) issues.push("serviceGroups: name at least one Java service");
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(args.managementCidr) || args.managementCidr === "0.0.0.0/0") issues.push(`managementCidr: "${args.managementCidr}" must be management's VPC CIDR`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GlowrootAgents extends pulumi.ComponentResource {
  /** The collector's host name as the agents use it. */
  readonly collectorHost: string;

  constructor(name: string, args: GlowrootAgentsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GlowrootAgents", name, {}, opts);
    const issues = glowrootAgentsIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GlowrootAgents "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    this.collectorHost = `${GLOWROOT_HOST_LABEL}.${args.privateZone.name}`;
    new aws.route53.Record(`${name}-collector-name`, {
      zoneId: args.privateZone.zoneId,
      name: this.collectorHost,
      type: "CNAME",
      ttl: 300,
      records: [args.collectorDnsName],
    }, parent);
    for (const service of Object.keys(args.serviceGroups).sort()) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-${service}-egress`, {
        securityGroupId: args.serviceGroups[service],
        cidrIpv4: args.managementCidr,
        ipProtocol: "tcp",
        fromPort: GLOWROOT_GRPC_PORT,
        toPort: GLOWROOT_GRPC_PORT,
        description: `${service}'s Glowroot agent to the central collector in management (gRPC)`,
        tags: resourceTags(args.tags, "apm", `${name}-${service}-egress`),
      }, parent);
    }
    this.registerOutputs({ collectorHost: this.collectorHost });
  }
}
