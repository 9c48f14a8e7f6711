/**
 * Graylog's name in an environment's private zone (docs/observability-logging.md#overview):
 * `graylog.<env>.internal.<domain>`, a CNAME to management's internal load balancer, whose
 * certificate covers this name so that every shipper verifies it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags } from "../../tags";
import { graylogHostName } from "./graylogPlan";

export interface GraylogNameArgs {
  readonly environment: string;
  /** The environment's private zone. */
  readonly privateZone: { readonly zoneId: pulumi.Input<string>; readonly name: string };
  /** Management's load balancer (its output graylogLoadBalancerDnsName). */
  readonly loadBalancerDnsName: pulumi.Input<string>;
  /** Checked for the common tags: a Route 53 record takes none, the component's name carries them. */
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function graylogNameIssues(args: GraylogNameArgs): string[] {
  const issues: string[] = [];
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(args.privateZone.name)) issues.push(`privateZone.name: "${args.privateZone.name}" is not a DNS zone name`);
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GraylogName extends pulumi.ComponentResource {
  /** The name shippers connect to and verify the certificate against. */
  readonly host: string;

  constructor(name: string, args: GraylogNameArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogName", name, {}, opts);
    const issues = graylogNameIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GraylogName "${name}": ${issues.join("; ")}`, this);
    this.host = graylogHostName(args.privateZone.name);
    new aws.route53.Record(`${name}-cname`, {
      zoneId: args.privateZone.zoneId,
      name: this.host,
      type: "CNAME",
      ttl: 300,
      records: [args.loadBalancerDnsName],
    }, { parent: this });
    this.registerOutputs({ host: this.host });
  }
}
