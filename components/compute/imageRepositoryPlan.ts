/**
 * Every decision ImageRepositories makes, as data: one repository per service any environment runs,
 * the execution roles that may pull from it, the tags it must keep, its repository policy and its
 * lifecycle policy. Pure, so the documents are read and tested without an engine.
 *
 * Repository policy: principal the environments' account roots, narrowed by `aws:PrincipalArn` to
 * exactly the service's execution roles there (the key carries the role's ARN for a session of that
 * role: IAM, "AWS global condition context keys"). Naming the roles as principals instead would
 * make the policy refer to roles that do not exist until the environments deploy after management,
 * and to a role's unique id once it exists, so a recreated role would silently lose access. Only the
 * three pull actions are granted; `ecr:GetAuthorizationToken` is a registry call that ECR requires
 * through an identity policy (ECR, "Repository policy examples"), which the execution role has.
 *
 * Lifecycle policy (ECR, "Lifecycle policies"): every tag deployed in any environment gets a rule
 * of its own at a higher priority than the clean-up rule, because an image that matches a rule's tag
 * selection cannot be expired by a lower-priority rule; one rule per tag because a tagPatternList
 * selects only images carrying all its patterns. The clean-up rule keeps the newest tagged images
 * (rollback targets for the circuit breaker) and never selects untagged images, which a multi-arch
 * image's per-platform manifests are.
 */
import { ENVIRONMENTS } from "../environments";
import {
  executionRoleArn,
  executionRoleNameIssue,
  imageRepositoryName,
  repositoryNameIssue,
} from "./imageNames";

/** One service running one tag in one environment. */
export interface ImageDeployment {
  readonly environment: string;
  /** The environment's account, where its execution role lives. */
  readonly accountId: string;
  readonly service: string;
  readonly tag: string;
}

export const PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;

/** Newest tagged images kept besides the deployed ones, as rollback targets. @see planImageRepositories */
export const DEFAULT_KEEP_RECENT_IMAGES = 30;
/** ECR's limits on the policies' text (API model: LifecyclePolicyText 100 to 30,720, RepositoryPolicyText up to 10,240). */
export const MAX_LIFECYCLE_POLICY_CHARS = 30_720;
export const MAX_REPOSITORY_POLICY_CHARS = 10_240;
/** The clean-up rule's priority: above every deployed-tag rule, so they are always evaluated first. */
export const CLEANUP_RULE_PRIORITY = 100;

export interface RepositoryPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Principal: { readonly AWS: readonly string[] };
    readonly Action: readonly string[];
    readonly Condition: { readonly ArnEquals: { readonly "aws:PrincipalArn": readonly string[] } };
  }[];
}

export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "tagged";
    readonly tagPatternList: readonly string[];
    readonly countType: "imageCountMoreThan";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

export interface LifecyclePolicyDocument {
  /** Sorted by rulePriority: ECR returns them so, and another order shows as a change on every preview. */
  readonly rules: readonly LifecycleRule[];
}

export interface ImageRepositoryPlan {
  readonly service: string;
  readonly repositoryName: string;
  /** Tag -> the environments running it, tags sorted. */
  readonly deployedTags: readonly { readonly tag: string; readonly environments: readonly string[] }[];
  /** The execution roles that may pull, sorted. */
  readonly pullerRoleArns: readonly string[];
  readonly repositoryPolicy: RepositoryPolicyDocument;
  readonly lifecyclePolicy: LifecyclePolicyDocument;
}

export interface ImageRepositoriesInput {
  /** Partition of the management account's region (`aws`). */
  readonly partition: string;
  readonly deployments: readonly ImageDeployment[];
  /** @default DEFAULT_KEEP_RECENT_IMAGES */
  readonly keepRecentImages?: number;
}

export type Resolved<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly string[] };

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** Environments in promotion order (dev, stage, preprod, prod), any other name after them. */
function inPromotionOrder(names: readonly string[]): string[] {
  const rank = (n: string): number => {
    const i = (ENVIRONMENTS as readonly string[]).indexOf(n);
    return i < 0 ? ENVIRONMENTS.length : i;
  };
  return uniqueSorted(names).sort((a, b) => rank(a) - rank(b));
}

function repositoryPolicy(input: ImageRepositoriesInput, deployments: readonly ImageDeployment[]): { roles: string[]; doc: RepositoryPolicyDocument } {
  const roles = uniqueSorted(deployments.map((d) => executionRoleArn(input.partition, d.accountId, d.environment, d.service)));
  const accounts = uniqueSorted(deployments.map((d) => `arn:${input.partition}:iam::${d.accountId}:root`));
  return {
    roles,
    doc: {
      Version: "2012-10-17",
      Statement: [{
        Sid: "PullByTheServiceExecutionRoles",
        Effect: "Allow",
        Principal: { AWS: accounts },
        Action: [...PULL_ACTIONS],
        Condition: { ArnEquals: { "aws:PrincipalArn": roles } },
      }],
    },
  };
}

function lifecyclePolicy(tags: ImageRepositoryPlan["deployedTags"], keep: number): LifecyclePolicyDocument {
  const rules: LifecycleRule[] = tags.map(({ tag, environments }, i) => ({
    rulePriority: i + 1,
    description: `Keep ${tag}: deployed in ${environments.join(", ")}`,
    selection: { tagStatus: "tagged", tagPatternList: [tag], countType: "imageCountMoreThan", countNumber: 1 },
    action: { type: "expire" },
  }));
  rules.push({
    rulePriority: CLEANUP_RULE_PRIORITY,
    description: `Keep the ${keep} newest tagged images; deployed ones are kept whatever their age`,
    selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: keep },
    action: { type: "expire" },
  });
  return { rules };
}

/** One repository per service, in service order; every problem at once when the input is unusable. */
export function planImageRepositories(input: ImageRepositoriesInput): Resolved<ImageRepositoryPlan[]> {
  const issues: string[] = [];
  const keep = input.keepRecentImages ?? DEFAULT_KEEP_RECENT_IMAGES;
  if (!Number.isInteger(keep) || keep < 1 || keep > 10_000) issues.push(`keepRecentImages: must be a whole number from 1 to 10000 (got ${keep})`);
  if (input.deployments.length === 0) issues.push("deployments: at least one service in one environment");
  const services = uniqueSorted(input.deployments.map((d) => d.service));
  for (const service of services) {
    const problem = repositoryNameIssue(service);
    if (problem) issues.push(`deployments: service ${problem}`);
  }
  input.deployments.forEach((d, i) => {
    const problem = executionRoleNameIssue(d.environment, d.service);
    if (problem) issues.push(`deployments[${i}]: ${problem}`);
    if (!/^\d{12}$/.test(d.accountId)) issues.push(`deployments[${i}].accountId: "${d.accountId}" is not a 12-digit account id`);
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(d.tag)) issues.push(`deployments[${i}].tag: "${d.tag}" is not an image tag`);
  });
  const seen = new Set<string>();
  input.deployments.forEach((d, i) => {
    const key = `${d.environment}/${d.service}`;
    if (seen.has(key)) issues.push(`deployments[${i}]: ${d.service} is deployed twice in ${d.environment}`);
    seen.add(key);
  });
  if (issues.length > 0) return { ok: false, issues };

  const plans = services.map((service): ImageRepositoryPlan => {
    const mine = input.deployments.filter((d) => d.service === service);
    const deployedTags = uniqueSorted(mine.map((d) => d.tag)).map((tag) => ({ tag, environments: inPromotionOrder(mine.filter((d) => d.tag === tag).map((d) => d.environment)) }));
    const policy = repositoryPolicy(input, mine);
    return {
      service,
      repositoryName: imageRepositoryName(service),
      deployedTags,
      pullerRoleArns: policy.roles,
      repositoryPolicy: policy.doc,
      lifecyclePolicy: lifecyclePolicy(deployedTags, keep),
    };
  });
  for (const p of plans) {
    const length = JSON.stringify(p.lifecyclePolicy).length;
    if (length > MAX_LIFECYCLE_POLICY_CHARS) issues.push(`${p.repositoryName}: lifecycle policy of ${length} characters, over ECR's ${MAX_LIFECYCLE_POLICY_CHARS}`);
    const policy = JSON.stringify(p.repositoryPolicy).length;
    if (policy > MAX_REPOSITORY_POLICY_CHARS) issues.push(`${p.repositoryName}: repository policy of ${policy} characters, over ECR's ${MAX_REPOSITORY_POLICY_CHARS}`);
    if (p.deployedTags.length >= CLEANUP_RULE_PRIORITY) issues.push(`${p.repositoryName}: ${p.deployedTags.length} deployed tags leave no priority for the clean-up rule`);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: plans };
}
