/**
 * CloudWatch cross-account observability (docs/observability.md#dashboards): the Observability
 * Access Manager sink in management, which exactly the environment accounts may link to and only
 * to share metrics, and the link each environment account creates to it. Management's dashboard
 * reads the environments' metrics through it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";

const SERVICE = "observability";
/** What the environments share: metrics only (logs and traces stay in their accounts). */
export const SHARED_RESOURCE_TYPES = ["AWS::CloudWatch::Metric"] as const;

/** The sink policy: the listed accounts may create and update links sharing only `SHARED_RESOURCE_TYPES`. */
export function sinkPolicy(sourceAccountIds: readonly string[]): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "EnvironmentsLinkMetrics",
      Effect: "Allow",
      Principal: { AWS: [...sourceAccountIds] },
      Action: ["oam:CreateLink", "oam:UpdateLink"],
      Resource: "*",
      Condition: { "ForAllValues:StringEquals": { "oam:ResourceTypes": [...SHARED_RESOURCE_TYPES] } },
    }],
  };
}

export interface MonitoringSinkArgs {
  /** Accounts allowed to link (environments in accounts of their own); no policy when empty. */
  readonly sourceAccountIds: readonly string[];
  readonly tags: Tags;
}

export class MonitoringSink extends pulumi.ComponentResource {
  readonly sinkArn: pulumi.Output<string>;

  constructor(name: string, args: MonitoringSinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:MonitoringSink", name, {}, opts);
    for (const a of args.sourceAccountIds) if (!/^\d{12}$/.test(a)) throw new pulumi.ResourceError(`MonitoringSink ${name}: sourceAccountIds: "${a}" is not an account id`, this);
    const sink = new aws.oam.Sink(`${name}-sink`, { name: "tila-platform", tags: resourceTags(args.tags, SERVICE, `${name}-sink`) }, { parent: this });
    if (args.sourceAccountIds.length > 0) {
      new aws.oam.SinkPolicy(`${name}-policy`, { sinkIdentifier: sink.arn, policy: JSON.stringify(sinkPolicy(args.sourceAccountIds)) }, { parent: this });
    }
    this.sinkArn = sink.arn;
    this.registerOutputs({ sinkArn: this.sinkArn });
  }
}

export interface MonitoringLinkArgs {
  readonly environment: string;
  /** Management's sink. */
  readonly sinkArn: pulumi.Input<string>;
  readonly tags: Tags;
}

export class MonitoringLink extends pulumi.ComponentResource {
  constructor(name: string, args: MonitoringLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:MonitoringLink", name, {}, opts);
    new aws.oam.Link(`${name}-link`, {
      sinkIdentifier: args.sinkArn,
      // The label management's dashboards show for this account's metrics.
      labelTemplate: "$AccountName",
      resourceTypes: [...SHARED_RESOURCE_TYPES],
      tags: resourceTags(args.tags, SERVICE, `${name}-link`),
    }, { parent: this });
    this.registerOutputs({});
  }
}
