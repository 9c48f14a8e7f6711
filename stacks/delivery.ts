/**
 * The service pipelines (docs/delivery.md), both sides. Management: one CodePipeline per service
 * (source = the artefact Jenkins writes, dev and stage automatic, manual approvals before preprod
 * and prod), the encrypted artefact store, the approvers' topic and Jenkins' publishing role.
 * Each environment: one cross-account deploy role per service, scoped to that service's task
 * definition family and ECS service, the same scope as `npm run deploy -- hotfix`.
 * Names come from components/delivery/deliveryPlan.ts, so each side names the other before it exists.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import type { ServicesTier } from "./services";
import type { ManagementReference } from "./shared";
import type { AlertTopics } from "../components/observability/types";
import { EnvironmentDeployRole } from "../components/delivery/EnvironmentDeployRole";
import type { DeployedImage } from "../config/images";
import { partitionOf } from "../components/compute/imageNames";
import { DELIVERY_ORDER } from "../components/delivery/deliveryPlan";
import { DeliveryScope } from "../components/delivery/deliveryPolicies";
import { DeliveryArtifacts } from "../components/delivery/DeliveryArtifacts";
import { JenkinsPublisher } from "../components/delivery/JenkinsPublisher";
import { PipelineFailureAlerts } from "../components/delivery/PipelineFailureAlerts";
import { PipelineTarget, deployRoleArnOf } from "../components/delivery/pipelinePlan";
import { ServicePipeline } from "../components/delivery/ServicePipeline";
import { commonTags } from "./shared";

type ManagementConfig = Extract<ValidatedConfig, { kind: "management" }>;
type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

/** Management's side: nothing unless `tila-platform:delivery` is set. Returns the stack outputs it adds. */
export function buildDelivery(cfg: ManagementConfig, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  const delivery = cfg.settings.delivery;
  if (delivery === undefined) return {};
  const s = cfg.settings;
  const tags = commonTags("management", s.tags);
  const scope: DeliveryScope = { partition: partitionOf(cfg.region), region: cfg.region, accountId: s.accountId };
  const targets = deliveryTargets(cfg.plan.images);
  const services = Object.keys(targets).sort();
  if (services.length === 0) return {};
  const deployRoles = services.flatMap((service) => targets[service]!.map((t) => ({ accountId: t.accountId, roleArn: deployRoleArnOf(scope.partition, t, service) })));

  const artifacts = new DeliveryArtifacts("delivery", { scope, deployRoles, approvers: delivery.approvers, retentionDays: delivery.artifactRetentionDays, tags });
  const pipelines: Record<string, string> = {};
  for (const service of services) {
    const pipeline = new ServicePipeline(`pipeline-${service}`, {
      scope,
      service,
      targets: targets[service]!,
      sourceBucketName: artifacts.sourceBucketName,
      sourceBucketArn: artifacts.sourceBucketArn,
      artifactBucketName: artifacts.artifactBucketName,
      artifactBucketArn: artifacts.artifactBucketArn,
      keyArn: artifacts.keyArn,
      approversTopicArn: artifacts.approversTopicArn,
      tags,
    });
    pipelines[service] = pipeline.pipelineName;
  }
  new PipelineFailureAlerts("delivery-failed", {
    services,
    // The warning topic's policy admits this rule (components/observability/alertPolicies.ts).
    topicArns: topics ? [artifacts.approversTopicArn, topics.warning] : [artifacts.approversTopicArn],
    tags,
  });
  const jenkins = new JenkinsPublisher("jenkins", {
    scope,
    issuerUrl: delivery.jenkins.issuerUrl,
    audience: delivery.jenkins.audience,
    subjects: delivery.jenkins.subjects,
    services,
    sourceBucketArn: artifacts.sourceBucketArn,
    keyArn: artifacts.keyArn,
    tags,
  });
  return {
    deliveryArtifactKeyArn: artifacts.keyArn,
    deliveryPipelines: pipelines,
    deliverySourceBucket: artifacts.sourceBucketName,
    deliveryApproversTopicArn: artifacts.approversTopicArn,
    jenkinsRoleArn: jenkins.roleArn,
  };
}

/** Service -> the environments that run it (from their stack files), in delivery order, with their accounts. */
export function deliveryTargets(images: readonly DeployedImage[]): Record<string, PipelineTarget[]> {
  const targets: Record<string, PipelineTarget[]> = {};
  for (const environment of DELIVERY_ORDER) {
    for (const i of images.filter((d) => d.environment === environment)) {
      const list = (targets[i.service] ??= []);
      if (!list.some((t) => t.environment === environment)) list.push({ environment, accountId: i.accountId });
    }
  }
  return targets;
}

/**
 * An environment's side: one deploy role per service when management runs the pipelines, scoped to
 * that service's ECS service, task-definition family and roles. Output `deliveryDeployRoleArns`
 * (service -> role ARN): the ARNs management's pipelines name (they build them from the contract).
 */
export function buildEnvironmentDelivery(cfg: EnvironmentConfig, mgmt: ManagementReference, services: ServicesTier["parts"]): Record<string, pulumi.Input<unknown>> {
  if (!cfg.plan.delivery) return {};
  const managementAccountId = cfg.plan.managementAccountId;
  if (managementAccountId === undefined) throw new Error("delivery: the management stack has no accountId, so no pipeline role can be trusted");
  const artifactKeyArn = mgmt.output("deliveryArtifactKeyArn").apply((arn) => {
    if (!arn) throw new Error("management exports no deliveryArtifactKeyArn: its tila-platform:delivery is set, so its stack must build the artefact store first");
    return arn;
  });
  const tags = commonTags(cfg.stack, cfg.settings.tags);
  const roles: Record<string, pulumi.Output<string>> = {};
  for (const [service, svc] of Object.entries(services.services).sort(([a], [b]) => a.localeCompare(b))) {
    const role = new EnvironmentDeployRole(`${cfg.stack}-${service}-deploy`, {
      environment: cfg.stack,
      service,
      accountId: cfg.settings.accountId,
      region: cfg.region,
      partition: partitionOf(cfg.region),
      managementAccountId,
      managementRegion: mgmt.output("region"),
      artifactKeyArn,
      taskRoleArn: svc.taskRoleArn,
      executionRoleArn: svc.executionRoleArn,
      tags,
    });
    roles[service] = role.roleArn;
  }
  return { deliveryDeployRoleArns: roles };
}
