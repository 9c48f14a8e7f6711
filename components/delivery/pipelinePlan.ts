/**
 * The declaration of one service's pipeline (docs/delivery.md#service-pipelines-codepipeline): the
 * stages of `pipelineStages()` turned into CodePipeline actions: the S3 source Jenkins writes, a
 * manual approval notifying the approvers' topic, an ECS standard deploy per environment run by
 * that environment's deploy role. Pure, so the declaration is tested directly.
 */
import type { EnvironmentName } from "../environments";
import {
  IMAGE_DEFINITIONS_FILE,
  IMAGE_TAG_VARIABLE,
  SOURCE_ACTION_NAME,
  deployScope,
  environmentDeployRoleName,
  pipelineStages,
  roleArn,
  sourceObjectKey,
} from "./deliveryPlan";

/** The artefact the source action writes and every deploy action reads. */
export const SOURCE_ARTIFACT = "image";

/**
 * Minutes an ECS deploy action waits for the service to reach a steady state before it fails
 * (CodePipeline quotas: configurable up to the 60-minute default). 30 leaves the deployment circuit
 * breaker time to trip and roll back, while a stuck deployment still fails the pipeline, and
 * notifies, within the half hour.
 */
export const DEPLOY_TIMEOUT_MINUTES = 30;
export const MAX_DEPLOY_TIMEOUT_MINUTES = 60;

/**
 * QUEUED: every tag Jenkins publishes passes every gate in order and none is dropped silently; an
 * approver rejects a pending execution to let a later one (a hot fix) through. SUPERSEDED would let
 * a newer execution discard one waiting at a gate; PARALLEL would let two deploy the same service at once.
 */
export const EXECUTION_MODE = "QUEUED";

/** One environment that runs the service, with its account (where its deploy role lives). */
export interface PipelineTarget {
  readonly environment: EnvironmentName;
  readonly accountId: string;
}

export interface PipelineInput {
  readonly partition: string;
  readonly service: string;
  readonly targets: readonly PipelineTarget[];
  /** Name of the source bucket Jenkins writes to (deliveryPlan.sourceBucketName). */
  readonly sourceBucket: string;
  /** ARN of the approvers' topic the manual approvals notify. */
  readonly approversTopicArn: string;
  /** @default DEPLOY_TIMEOUT_MINUTES */
  readonly deployTimeoutMinutes?: number;
}

/** An action as aws.codepipeline.Pipeline's `stages[].actions[]` takes it. */
export interface ActionDeclaration {
  readonly name: string;
  readonly category: "Source" | "Approval" | "Deploy";
  readonly owner: "AWS";
  readonly provider: "S3" | "Manual" | "ECS";
  readonly version: "1";
  readonly runOrder: number;
  readonly configuration: Record<string, string>;
  readonly inputArtifacts?: string[];
  readonly outputArtifacts?: string[];
  readonly roleArn?: string;
}

export interface StageDeclaration {
  readonly name: string;
  readonly actions: ActionDeclaration[];
}

/** Every problem with the input, each naming its field. */
export function pipelineInputIssues(p: PipelineInput): string[] {
  const issues: string[] = [];
  if (p.targets.length === 0) issues.push(`targets: service "${p.service}" runs in no environment; a pipeline would deploy nothing`);
  const seen = new Set<string>();
  for (const t of p.targets) {
    if (seen.has(t.environment)) issues.push(`targets: environment ${t.environment} is listed twice`);
    seen.add(t.environment);
    if (!/^\d{12}$/.test(t.accountId)) issues.push(`targets.${t.environment}.accountId: "${t.accountId}" is not a 12-digit account id`);
  }
  const timeout = p.deployTimeoutMinutes ?? DEPLOY_TIMEOUT_MINUTES;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_DEPLOY_TIMEOUT_MINUTES) {
    issues.push(`deployTimeoutMinutes: ${timeout} must be a whole number of minutes from 1 to ${MAX_DEPLOY_TIMEOUT_MINUTES} (the ECS action's limit)`);
  }
  return issues;
}

/** The deploy role the pipeline assumes for one environment: in that environment's account. */
export function deployRoleArnOf(partition: string, target: PipelineTarget, service: string): string {
  return roleArn(partition, target.accountId, environmentDeployRoleName(target.environment, service));
}

/** What an approver reads in the notification: which tag goes to which cluster and service. */
export function approvalCustomData(service: string, environment: EnvironmentName): string {
  const scope = deployScope(environment, service);
  return `Approve image tila/${service}:#{variables.${IMAGE_TAG_VARIABLE}} for ${environment}: ECS service ${scope.ecsService} in cluster ${scope.cluster} (task definition ${scope.family}). Reject to let a later execution through.`;
}

/** The stages of the service's pipeline, in order. Throws on bad input (pipelineInputIssues). */
export function planPipeline(p: PipelineInput): StageDeclaration[] {
  const issues = pipelineInputIssues(p);
  if (issues.length > 0) throw new Error(`pipeline of ${p.service}: ${issues.join("; ")}`);
  const byEnvironment = new Map(p.targets.map((t) => [t.environment, t]));
  const timeout = String(p.deployTimeoutMinutes ?? DEPLOY_TIMEOUT_MINUTES);
  return pipelineStages(p.targets.map((t) => t.environment)).map((stage): StageDeclaration => {
    if (stage.kind === "source") {
      return {
        name: stage.name,
        actions: [{
          name: SOURCE_ACTION_NAME, category: "Source", owner: "AWS", provider: "S3", version: "1", runOrder: 1,
          // Jenkins starts the pipeline on the object version it wrote; nothing polls.
          configuration: { S3Bucket: p.sourceBucket, S3ObjectKey: sourceObjectKey(p.service), PollForSourceChanges: "false" },
          outputArtifacts: [SOURCE_ARTIFACT],
        }],
      };
    }
    if (stage.kind === "approval") {
      return {
        name: stage.name,
        actions: [{
          name: "Approve", category: "Approval", owner: "AWS", provider: "Manual", version: "1", runOrder: 1,
          configuration: { NotificationArn: p.approversTopicArn, CustomData: approvalCustomData(p.service, stage.environment) },
        }],
      };
    }
    const scope = deployScope(stage.environment, p.service);
    return {
      name: stage.name,
      actions: [{
        name: "Deploy", category: "Deploy", owner: "AWS", provider: "ECS", version: "1", runOrder: 1,
        configuration: { ClusterName: scope.cluster, ServiceName: scope.ecsService, FileName: IMAGE_DEFINITIONS_FILE, DeploymentTimeout: timeout },
        inputArtifacts: [SOURCE_ARTIFACT],
        roleArn: deployRoleArnOf(p.partition, byEnvironment.get(stage.environment)!, p.service),
      }],
    };
  });
}
