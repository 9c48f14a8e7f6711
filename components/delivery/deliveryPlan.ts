/**
 * The delivery contract (docs/delivery.md): the names, stages and deploy scope every part of the
 * service pipelines agrees on. Management's CodePipeline per service, each environment's
 * cross-account deploy role, the Jenkinsfile, the policy rules and the plan summary all read them
 * from here, so a pipeline can name a role in another account before that account's stack exists.
 * Pure: no Pulumi, no config.
 */
import { ENVIRONMENTS, EnvironmentName } from "../environments";

/** An IAM role name's limit (IAM CreateRole: RoleName, 1-64 characters). */
export const MAX_ROLE_NAME = 64;

/** The file an ECS standard deploy action reads from its input artefact: `[{ name, imageUri }]`. */
export const IMAGE_DEFINITIONS_FILE = "imagedefinitions.json";

/** The environments a service pipeline deploys to, in order; the ones behind a manual approval. */
export const DELIVERY_ORDER: readonly EnvironmentName[] = ENVIRONMENTS;
export const APPROVAL_BEFORE: ReadonlySet<EnvironmentName> = new Set<EnvironmentName>(["preprod", "prod"]);

/** The CodePipeline of one service, in management: `tila-<service>`. */
export function pipelineName(service: string): string {
  return `tila-${service}`;
}

/** The prefix of every pipeline's service role: management's deploy role may pass roles so named to CodePipeline. */
export const PIPELINE_ROLE_PREFIX = "tila-pipeline-";

/** The pipeline's service role in management: `tila-pipeline-<service>`. */
export function pipelineRoleName(service: string): string {
  return `${PIPELINE_ROLE_PREFIX}${service}`;
}

/**
 * The role in an environment's account that the pipeline's deploy action assumes for one service:
 * `tila-deploy-<env>-<service>` (at most 12 + 7 + 1 + 25 = 45 characters).
 */
export function environmentDeployRoleName(environment: EnvironmentName, service: string): string {
  return `tila-deploy-${environment}-${service}`;
}

export function roleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The role Jenkins assumes in management (web identity from Jenkins' OIDC issuer). */
export const JENKINS_ROLE_NAME = "tila-delivery-jenkins";

/** Where Jenkins writes each service's source artefact: `tila-delivery-source-<account>-<region>`. */
export function sourceBucketName(accountId: string, region: string): string {
  return `tila-delivery-source-${accountId}-${region}`;
}

/** The pipelines' artefact store: `tila-delivery-artifacts-<account>-<region>`. */
export function artifactBucketName(accountId: string, region: string): string {
  return `tila-delivery-artifacts-${accountId}-${region}`;
}

/** The source object of a service: a zip holding `imagedefinitions.json` with the immutable tag. */
export function sourceObjectKey(service: string): string {
  return `${service}/imagedefinitions.zip`;
}

/** The ECS names a deploy action targets; the same fixed names MicroserviceService and EcsCluster use. */
export interface DeployScope {
  readonly environment: EnvironmentName;
  readonly service: string;
  /** `tila-<env>` (components/compute/EcsCluster.ts). */
  readonly cluster: string;
  /** The ECS service's name: the service's own name. */
  readonly ecsService: string;
  /** The task definition family `<env>-<service>` (components/compute/servicePlan.ts). */
  readonly family: string;
}

export function deployScope(environment: EnvironmentName, service: string): DeployScope {
  return { environment, service, cluster: `tila-${environment}`, ecsService: service, family: `${environment}-${service}` };
}

/** One stage of a service pipeline, in order. */
export type PipelineStage =
  | { readonly kind: "source"; readonly name: "Source" }
  | { readonly kind: "approval"; readonly name: string; readonly environment: EnvironmentName }
  | { readonly kind: "deploy"; readonly name: string; readonly environment: EnvironmentName };

/**
 * The stages of a service's pipeline given the environments that run it: the source, then each
 * environment in DELIVERY_ORDER, with a manual approval right before preprod and right before prod.
 */
export function pipelineStages(environments: readonly EnvironmentName[]): PipelineStage[] {
  const stages: PipelineStage[] = [{ kind: "source", name: "Source" }];
  for (const environment of DELIVERY_ORDER.filter((e) => environments.includes(e))) {
    if (APPROVAL_BEFORE.has(environment)) stages.push({ kind: "approval", name: `Approve-${environment}`, environment });
    stages.push({ kind: "deploy", name: `Deploy-${environment}`, environment });
  }
  return stages;
}

/** The source action's name: Jenkins names it in StartPipelineExecution's `sourceRevisions` (S3_OBJECT_VERSION_ID). */
export const SOURCE_ACTION_NAME = "Source";

/**
 * The pipeline-level variable Jenkins sets on StartPipelineExecution to the immutable tag it
 * published; the approvals' CustomData reads it as `#{variables.IMAGE_TAG}`.
 */
export const IMAGE_TAG_VARIABLE = "IMAGE_TAG";

/** A pipeline's ARN: `arn:<partition>:codepipeline:<region>:<account>:<name>`. */
export function pipelineArn(partition: string, region: string, accountId: string, service: string): string {
  return `arn:${partition}:codepipeline:${region}:${accountId}:${pipelineName(service)}`;
}

/** The approvers' SNS topic in management: the manual approvals and the failure rule publish to it. */
export const APPROVERS_TOPIC_NAME = "tila-delivery-approvers";

/** The EventBridge rule in management that reports a failed pipeline execution or deploy action. */
export const FAILURE_RULE_NAME = "tila-delivery-failed";
