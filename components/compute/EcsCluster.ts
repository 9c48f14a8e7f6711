/**
 * The ECS cluster of one environment (docs/services-and-edge.md): Fargate only, with Fargate Spot made
 * available outside prod when the environment's config allows it. Services choose their own
 * capacity strategy; the cluster decides which providers exist.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { environmentIssues } from "./computeChecks";

const SERVICE = "compute";

/**
 * Container Insights with enhanced observability: per-task and per-container CPU, memory, network
 * and storage, and curated dashboards, on top of the cluster and service metrics `enabled` gives.
 * With rolling deployments, a circuit breaker and Spot in some environments, the question in an
 * incident is "which task, which revision": `enabled` only answers per service. It is billed per
 * observation rather than per custom metric; for a few dozen services that is a small line next
 * to the tasks themselves, and it is the same everywhere so that dev shows what prod will.
 */
export const CONTAINER_INSIGHTS = "enhanced";

export interface EcsClusterArgs {
  /** Environment name (`dev` ... `prod`); names the cluster `tila-<env>`. */
  readonly environment: string;
  /**
   * Register FARGATE_SPOT so services may put part of their tasks on Spot (about 70% cheaper, two
   * minutes' notice of reclaim). Refused in prod. Services still opt in one by one.
   */
  readonly allowFargateSpot: boolean;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class EcsCluster extends pulumi.ComponentResource {
  /** Depends on the capacity providers, so a service created from it finds FARGATE_SPOT registered. */
  readonly clusterArn: pulumi.Output<string>;
  /** Likewise ordered after the capacity providers. */
  readonly clusterName: pulumi.Output<string>;

  constructor(name: string, args: EcsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:compute:EcsCluster", name, {}, opts);
    const issues = [...environmentIssues(args.environment), ...missingCommonTags(args.tags)];
    if (args.allowFargateSpot && args.environment === "prod") issues.push("allowFargateSpot: prod runs on on-demand Fargate only (Spot tasks can be reclaimed with two minutes' notice)");
    if (issues.length > 0) throw new pulumi.ResourceError(`EcsCluster "${name}": ${issues.join("; ")}`, this);
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);

    const cluster = new aws.ecs.Cluster(`${name}-cluster`, {
      // A fixed name: operators and the hot-fix pipeline address the cluster as tila-<env>.
      name: `tila-${args.environment}`,
      settings: [{ name: "containerInsights", value: CONTAINER_INSIGHTS }],
      tags: tags("cluster"),
    }, { parent: this });

    const providers = args.allowFargateSpot ? ["FARGATE", "FARGATE_SPOT"] : ["FARGATE"];
    const capacity = new aws.ecs.ClusterCapacityProviders(`${name}-capacity-providers`, {
      clusterName: cluster.name,
      capacityProviders: providers,
      // Used only by a task started without a strategy (a one-off RunTask): never Spot by surprise.
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 0, weight: 1 }],
    }, { parent: this });

    this.clusterArn = pulumi.all([cluster.arn, capacity.id]).apply(([arn]) => arn);
    this.clusterName = capacity.clusterName;
    this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName });
  }
}
