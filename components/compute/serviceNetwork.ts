/**
 * The security group chain of one service: ALB -> service -> the data services it declared.
 * Rules are separate resources owned by the service, so they come and go with it and never
 * rewrite another group's rules.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { MicroserviceServiceArgs } from "./serviceArgs";
import type { ServicePlan } from "./servicePlan";

export const HTTPS_PORT = 443;
const ANYWHERE = "0.0.0.0/0";

export interface NetworkRuleOwner {
  /** Component name: rules are `${name}-ingress-alb`, `${name}-egress-<label>-<port>`, ... */
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly plan: ServicePlan;
  readonly args: MicroserviceServiceArgs;
  readonly tags: (role: string) => Record<string, string>;
}

export function attachNetworkRules(o: NetworkRuleOwner): void {
  const { name, plan, args } = o;
  const opts = { parent: o.parent };
  const port = { ipProtocol: "tcp", fromPort: plan.containerPort, toPort: plan.containerPort };

  new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-alb`, {
    securityGroupId: args.securityGroupId,
    referencedSecurityGroupId: args.routing.albSecurityGroupId,
    ...port,
    description: `${plan.service} on ${plan.containerPort} from its load balancer`,
    tags: o.tags("ingress-alb"),
  }, opts);
  // The ALB's side of the same hop: whatever egress the ALB's own component grants, it can reach
  // this service on this port, and only for as long as the service exists.
  new aws.vpc.SecurityGroupEgressRule(`${name}-alb-egress`, {
    securityGroupId: args.routing.albSecurityGroupId,
    referencedSecurityGroupId: args.securityGroupId,
    ...port,
    description: `Load balancer to ${plan.service} on ${plan.containerPort}`,
    tags: o.tags("alb-egress"),
  }, opts);

  for (const e of plan.egress) {
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-${e.key}`, {
      securityGroupId: args.securityGroupId,
      referencedSecurityGroupId: args.egress![e.index].securityGroupId,
      ipProtocol: "tcp",
      fromPort: e.port,
      toPort: e.port,
      description: `${plan.service} to ${e.label} on ${e.port}`,
      tags: o.tags(`egress-${e.key}`),
    }, opts);
  }
  if (plan.shipping) {
    // FireLens to Graylog: the GELF port towards management's range only, through the TGW.
    new aws.vpc.SecurityGroupEgressRule(`${name}-egress-graylog`, {
      securityGroupId: args.securityGroupId,
      cidrIpv4: plan.shipping.managementCidr,
      ipProtocol: "tcp",
      fromPort: plan.shipping.port,
      toPort: plan.shipping.port,
      description: `${plan.service} logs to Graylog in management on ${plan.shipping.port} (GELF over TLS)`,
      tags: o.tags("egress-graylog"),
    }, opts);
  }
  new aws.vpc.SecurityGroupEgressRule(`${name}-egress-https`, {
    securityGroupId: args.securityGroupId,
    cidrIpv4: ANYWHERE,
    ipProtocol: "tcp",
    fromPort: HTTPS_PORT,
    toPort: HTTPS_PORT,
    description: `${plan.service} to HTTPS: ECR, AWS APIs (central endpoints or NAT), HTTPS partners`,
    tags: o.tags("egress-https"),
  }, opts);
}
