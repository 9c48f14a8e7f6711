/**
 * The platform's container images, in the management account (docs/services-and-edge.md): one ECR
 * repository per service any environment runs, with immutable tags, scan on push, encryption with a
 * customer-managed key, a repository policy that lets exactly the environments' execution roles of
 * that service pull, and a lifecycle policy that never expires a tag still deployed somewhere.
 * Every decision is in `imageRepositoryPlan.ts`; this class wires resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EncryptionKey } from "../security/EncryptionKey";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { ImageDeployment, ImageRepositoryPlan, planImageRepositories } from "./imageRepositoryPlan";

export interface ImageRepositoriesArgs {
  /** Environment the repositories belong to, for the key's alias and description (`management`). */
  readonly environment: string;
  /** Partition of the region the repositories live in (`aws`); the execution role ARNs are built in it. */
  readonly partition: string;
  /**
   * Which tag of which service each environment runs, with the environment's account: decides the
   * repositories, who may pull from each and which tags the lifecycle policy keeps.
   */
  readonly deployments: readonly ImageDeployment[];
  /**
   * Tagged images kept besides the deployed ones, newest first: what a rollback (by the circuit
   * breaker or by hand) or a hot fix's revert can still start. Cost: ECR storage per GB-month.
   * @default 30
   */
  readonly keepRecentImages?: number;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` is each repository's service. */
  readonly tags: Tags;
}

export class ImageRepositories extends pulumi.ComponentResource {
  /** Service -> repository URL (`<registry>/tila/<service>`). */
  readonly repositoryUrls: Record<string, pulumi.Output<string>>;
  /** Service -> repository ARN. */
  readonly repositoryArns: Record<string, pulumi.Output<string>>;
  /** The key the images are encrypted with. */
  readonly keyArn: pulumi.Output<string>;
  /** Service -> environment -> tag it runs: what the lifecycle policies keep, for the plan report. */
  readonly deployedTags: Record<string, Record<string, string>>;

  constructor(name: string, args: ImageRepositoriesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:compute:ImageRepositories", name, {}, opts);
    const plans = this.resolve(name, args);

    // Losing the key makes every image unreadable: the running tasks could not be replaced.
    const key = new EncryptionKey(`${name}-images`, { purpose: "images", environment: args.environment, protect: true, tags: args.tags }, { parent: this });

    this.repositoryUrls = {};
    this.repositoryArns = {};
    this.deployedTags = {};
    for (const plan of plans) {
      const repository = this.repository(name, plan, key.keyArn, args.tags);
      this.repositoryUrls[plan.service] = repository.repositoryUrl;
      this.repositoryArns[plan.service] = repository.arn;
      this.deployedTags[plan.service] = Object.fromEntries(args.deployments.filter((d) => d.service === plan.service).map((d) => [d.environment, d.tag]));
    }
    this.keyArn = key.keyArn;
    this.registerOutputs({ repositoryUrls: this.repositoryUrls, repositoryArns: this.repositoryArns, keyArn: this.keyArn, deployedTags: this.deployedTags });
  }

  private repository(name: string, plan: ImageRepositoryPlan, keyArn: pulumi.Output<string>, tags: Tags): aws.ecr.Repository {
    const logical = `${name}-${plan.service}`;
    const repository = new aws.ecr.Repository(logical, {
      name: plan.repositoryName,
      // A tag names one build for ever: what a task definition pins is what a rollback restarts.
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keyArn }],
      // A repository that still holds images is never deleted by a plan.
      forceDelete: false,
      tags: resourceTags(tags, plan.service, logical),
    }, { parent: this });
    new aws.ecr.RepositoryPolicy(`${logical}-policy`, { repository: repository.name, policy: JSON.stringify(plan.repositoryPolicy) }, { parent: this });
    new aws.ecr.LifecyclePolicy(`${logical}-lifecycle`, { repository: repository.name, policy: JSON.stringify(plan.lifecyclePolicy) }, { parent: this });
    return repository;
  }

  private resolve(name: string, args: ImageRepositoriesArgs): ImageRepositoryPlan[] {
    const tagIssues = missingCommonTags(args.tags);
    const r = planImageRepositories(args);
    const issues = [...tagIssues, ...(r.ok ? [] : r.issues)];
    if (issues.length > 0 || !r.ok) throw new pulumi.ResourceError(`ImageRepositories "${name}": ${issues.join("; ")}`, this);
    return r.value;
  }
}
