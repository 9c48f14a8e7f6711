/**
 * What the stack programs share: common tags, AZ resolution, and the contract of the management
 * stack's outputs that environment stacks read through a StackReference.
 */
import * as pulumi from "@pulumi/pulumi";
import { NetworkSettings } from "../config/schema";
import { defaultAvailabilityZoneIds } from "../components/network/networkPlan";
import { officeTableKey } from "../components/network/transitPlan";
import { Tags } from "../components/tags";

export function commonTags(stack: string, tags: { Owner: string; CostCenter: string }): Tags {
  return { Environment: stack, Owner: tags.Owner, CostCenter: tags.CostCenter, ManagedBy: "pulumi", Project: "tila-platform" };
}

/** AZ IDs from config, else those of the region's first `azCount` zones by letter (config/zones.ts validated both). */
export function availabilityZoneIds(region: string, network: NetworkSettings): string[] {
  return network.availabilityZoneIds ?? defaultAvailabilityZoneIds(region, network.azCount);
}

/** The TGW route table of an office (one per office, see TransitHub). */
export { officeTableKey };

/**
 * Outputs the management stack exports and environment stacks consume. Keep the two in step: a
 * contract test runs both offline and checks every key an environment requires is exported.
 */
export interface ManagementOutputs {
  accountId: string;
  region: string;
  managementCidr: string;
  managementVpcId: string;
  transitGatewayId: string;
  transitRouteTableIds: Record<string, string>;
  endpointZoneIds: Record<string, string>;
  publicZoneId: string;
  publicZoneName: string;
  /** The log archive (stacks/security.ts): trail and AWS Config buckets every account delivers to. */
  trailArchiveBucket: string;
  configArchiveBucket: string;
  /** Management's audit key: the Config archive's (and so the audit reports') encryption key. */
  archiveKeyArn: string;
  /** The Glowroot collector's load balancer (stacks/apm.ts), when management runs it: environments with Glowroot agents require it. */
  glowrootCollectorDnsName?: string;
  /** Graylog's internal load balancer (stacks/logging.ts), when management runs it: environments that ship logs require it. */
  graylogLoadBalancerDnsName?: string;
  /** The cross-account observability sink (stacks/observability.ts) every environment account links its metrics to. */
  monitoringSinkArn: string;
  /** The service pipelines' artefact key (stacks/delivery.ts), when management runs them: each environment's deploy roles decrypt with it. */
  deliveryArtifactKeyArn?: string;
}

export const MANAGEMENT_OUTPUT_KEYS: readonly (keyof ManagementOutputs)[] = [
  "accountId",
  "region",
  "managementCidr",
  "managementVpcId",
  "transitGatewayId",
  "transitRouteTableIds",
  "endpointZoneIds",
  "publicZoneId",
  "publicZoneName",
  "trailArchiveBucket",
  "configArchiveBucket",
  "archiveKeyArn",
  "monitoringSinkArn",
];

/** Typed access to the management stack's outputs. */
export class ManagementReference {
  private readonly ref: pulumi.StackReference;

  constructor(name: string) {
    this.ref = new pulumi.StackReference(name);
  }

  output<K extends keyof ManagementOutputs>(key: K): pulumi.Output<ManagementOutputs[K]> {
    return this.ref.requireOutput(key) as pulumi.Output<ManagementOutputs[K]>;
  }

  /** One entry of a map-valued output; fails loudly when the key is missing. */
  entry(key: "transitRouteTableIds" | "endpointZoneIds", name: string): pulumi.Output<string> {
    return this.output(key).apply((m) => {
      const v = m[name];
      if (v === undefined) throw new Error(`management stack output ${key} has no entry "${name}"`);
      return v;
    });
  }
}
