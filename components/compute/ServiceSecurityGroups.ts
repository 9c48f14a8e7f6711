/**
 * One security group per microservice, created before the services and the data tier, so that a
 * data service can admit exactly the services that declared it (`uses`) by group id, and each
 * MicroserviceService then adds its own rules (ingress from its ALB, egress to what it declared).
 * The groups have no inline rules: rules are separate resources owned by whoever needs them, so
 * adding a client never rewrites a group. The provider removes AWS's default allow-all egress.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { environmentIssues, serviceNameIssues } from "./computeChecks";

export interface ServiceSecurityGroupsArgs {
  /** Environment name, used in descriptions. */
  readonly environment: string;
  /** The environment VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Service names (config `services.catalog[].name`), unique. */
  readonly services: readonly string[];
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` (the microservice) and `Name` are set here. */
  readonly tags: Tags;
}

export class ServiceSecurityGroups extends pulumi.ComponentResource {
  /** Security group id by service name. */
  readonly ids: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: ServiceSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:compute:ServiceSecurityGroups", name, {}, opts);
    const issues = [...environmentIssues(args.environment), ...missingCommonTags(args.tags)];
    if (args.services.length === 0) issues.push("services: at least one service");
    const seen = new Set<string>();
    args.services.forEach((s, i) => {
      issues.push(...serviceNameIssues(`services[${i}]`, s));
      if (seen.has(s)) issues.push(`services[${i}]: "${s}" is listed twice`);
      seen.add(s);
    });
    if (issues.length > 0) throw new pulumi.ResourceError(`ServiceSecurityGroups "${name}": ${issues.join("; ")}`, this);

    this.ids = {};
    for (const service of args.services) {
      const sg = new aws.ec2.SecurityGroup(`${name}-${service}`, {
        vpcId: args.vpcId,
        // The description is immutable in AWS (a change replaces the group), so it holds only stable facts.
        description: `ECS tasks of the ${service} service in ${args.environment}`,
        tags: resourceTags(args.tags, service, `${name}-${service}`),
      }, { parent: this });
      this.ids[service] = sg.id;
    }
    this.registerOutputs({ ids: this.ids });
  }
}
