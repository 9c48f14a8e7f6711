/**
 * Associates an environment VPC with every central endpoint zone of the management VPC
 * (CentralEndpoints), so that inside the environment the ordinary service hosts
 * (`logs.<region>.amazonaws.com`, ...) resolve to the central interface endpoints.
 *
 * Same account: one ZoneAssociation per zone. Environment in its own account: Route 53 only lets
 * the VPC's account associate it with another account's zone after the zone's account has
 * authorised that VPC, so the authorisation is created first with the hub provider.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags } from "../tags";
import { endpointServiceProblem, serviceSlug } from "./endpointNames";

export interface EndpointZoneAssociationsArgs {
  /** The environment VPC to associate. */
  readonly vpcId: pulumi.Input<string>;
  /** Zone id per service, from the management stack's CentralEndpoints `zoneIds` output. */
  readonly zoneIds: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Provider for the management (zone owner) account. Give it when the environment VPC lives in
   * another account: each association is then preceded by a VpcAssociationAuthorization made
   * with this provider. Both accounts must be in the central endpoints' region, as the zones only
   * serve endpoints of that region.
   * @default undefined (same account: no authorisation)
   */
  readonly hubProvider?: pulumi.ProviderResource;
  /**
   * Common tags. Neither associations nor authorisations are taggable; the tags are still
   * required so every network component is called the same way and checked the same way.
   */
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function endpointZoneAssociationsIssues(args: EndpointZoneAssociationsArgs): string[] {
  const issues: string[] = [];
  const services = Object.keys(args.zoneIds);
  if (services.length === 0) issues.push("zoneIds: must map at least one service to its zone id");
  const slugs = new Map<string, string>();
  for (const service of services) {
    const problem = endpointServiceProblem(service, `zoneIds["${service}"]`);
    if (problem !== undefined) issues.push(problem);
    const slug = serviceSlug(service);
    const other = slugs.get(slug);
    if (other !== undefined) issues.push(`zoneIds["${service}"]: has the same resource name as zoneIds["${other}"]`);
    else slugs.set(slug, service);
  }
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class EndpointZoneAssociations extends pulumi.ComponentResource {
  /** ZoneAssociation id per service. */
  readonly associationIds: Readonly<Record<string, pulumi.Output<string>>>;
  /** VpcAssociationAuthorization id per service; undefined without a hub provider. */
  readonly authorizationIds?: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: EndpointZoneAssociationsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:network:EndpointZoneAssociations", name, {}, opts);
    const issues = endpointZoneAssociationsIssues(args);
    if (issues.length > 0) {
      throw new pulumi.ResourceError(`EndpointZoneAssociations "${name}": ${issues.join("; ")}`, this);
    }

    const associationIds: Record<string, pulumi.Output<string>> = {};
    const authorizationIds: Record<string, pulumi.Output<string>> = {};
    // Sorted so the registration order, and so any diff, does not depend on the producer's key order.
    for (const service of Object.keys(args.zoneIds).sort()) {
      const slug = serviceSlug(service);
      const zoneId = args.zoneIds[service];
      let dependsOn: pulumi.Resource[] = [];
      if (args.hubProvider !== undefined) {
        const auth = new aws.route53.VpcAssociationAuthorization(
          `${name}-auth-${slug}`,
          { zoneId, vpcId: args.vpcId },
          { parent: this, provider: args.hubProvider },
        );
        authorizationIds[service] = auth.id;
        dependsOn = [auth];
      }
      // The default (environment account) provider: the VPC owner makes the association.
      const assoc = new aws.route53.ZoneAssociation(`${name}-assoc-${slug}`, { zoneId, vpcId: args.vpcId }, { parent: this, dependsOn });
      associationIds[service] = assoc.id;
    }

    this.associationIds = associationIds;
    this.authorizationIds = args.hubProvider !== undefined ? authorizationIds : undefined;
    this.registerOutputs({ associationIds, authorizationIds: this.authorizationIds });
  }
}
