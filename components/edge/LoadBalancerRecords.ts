/**
 * Route 53 alias records that point hostnames at a load balancer: the public names (web, and the
 * API the web, Android and iOS clients share) in the public zone, or the internal service names in
 * the environment's private zone. Aliases, not CNAMEs: they work at the zone apex, cost nothing per
 * query, and follow the load balancer's addresses as they change.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { hostSlug, hostnameProblem } from "./edgeChecks";

export interface LoadBalancerRecordsArgs {
  /** Zone to write into (DnsZones `publicZoneId` or `privateZoneId`). */
  readonly zoneId: pulumi.Input<string>;
  /** That zone's name; every hostname must be inside it. */
  readonly zoneName: string;
  /** Fully qualified names, e.g. `api.tila.sa`, `www.tila.sa`, `payments.prod.internal.tila.sa`. */
  readonly hostnames: readonly string[];
  /** The load balancer: ApplicationLoadBalancer `dnsName` and `zoneId`. */
  readonly target: { readonly dnsName: pulumi.Input<string>; readonly zoneId: pulumi.Input<string> };
  /** Also publish AAAA aliases; only for a dual-stack load balancer. @default false */
  readonly ipv6?: boolean;
  /** Provider for the zone's account when it is not this stack's. @default the component's provider */
  readonly zoneProvider?: pulumi.ProviderResource;
}

/** Every problem with the names, each naming its field. */
export function loadBalancerRecordsIssues(args: Pick<LoadBalancerRecordsArgs, "zoneName" | "hostnames">): string[] {
  const issues: string[] = [];
  const zone = hostnameProblem("zoneName", args.zoneName);
  if (zone !== undefined) issues.push(zone);
  if (args.hostnames.length === 0) issues.push("hostnames: at least one hostname is required");
  args.hostnames.forEach((h, i) => {
    const p = hostnameProblem(`hostnames[${i}]`, h);
    if (p !== undefined) issues.push(p);
    else if (h !== args.zoneName && !h.endsWith(`.${args.zoneName}`)) issues.push(`hostnames[${i}]: "${h}" is not in the zone ${args.zoneName}`);
    if (args.hostnames.indexOf(h) !== i) issues.push(`hostnames[${i}]: "${h}" is listed twice`);
  });
  return issues;
}

export class LoadBalancerRecords extends pulumi.ComponentResource {
  readonly fqdns: pulumi.Output<string[]>;

  constructor(name: string, args: LoadBalancerRecordsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:edge:LoadBalancerRecords", name, {}, opts);
    const issues = loadBalancerRecordsIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`LoadBalancerRecords "${name}": ${issues.join("; ")}`, this);

    const types = args.ipv6 === true ? ["A", "AAAA"] : ["A"];
    const records = args.hostnames.flatMap((host) =>
      types.map((type) => new aws.route53.Record(`${name}-${hostSlug(host)}-${type.toLowerCase()}`, {
        zoneId: args.zoneId,
        name: host,
        type,
        // Route 53 stops answering with this target when the load balancer has no healthy target.
        aliases: [{ name: args.target.dnsName, zoneId: args.target.zoneId, evaluateTargetHealth: true }],
      }, { parent: this, provider: args.zoneProvider })),
    );

    this.fqdns = pulumi.output([...args.hostnames]);
    this.registerOutputs({ fqdns: this.fqdns, recordCount: records.length });
  }
}
