/**
 * One service's CodePipeline in management (docs/delivery.md#service-pipelines-codepipeline): its
 * service role (`tila-pipeline-<service>`, least privilege, deliveryPolicies.ts) and the V2
 * pipeline `tila-<service>` whose stages pipelinePlan.ts declares: the source Jenkins writes, dev
 * and stage automatically, a manual approval before preprod and before prod, each deploy run by
 * that environment's deploy role on that service's ECS service only.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, missingCommonTags, resourceTags } from "../tags";
import { IMAGE_TAG_VARIABLE, pipelineName, pipelineRoleName } from "./deliveryPlan";
import { DeliveryScope, pipelineRolePolicy, pipelineTrustPolicy } from "./deliveryPolicies";
import { EXECUTION_MODE, PipelineTarget, deployRoleArnOf, pipelineInputIssues, planPipeline } from "./pipelinePlan";

/** The service role's one inline policy. */
export const PIPELINE_POLICY_NAME = "pipeline";

export interface ServicePipelineArgs {
  readonly scope: DeliveryScope;
  readonly service: string;
  /** The environments that run the service, with their accounts. */
  readonly targets: readonly PipelineTarget[];
  /** The shared parts (DeliveryArtifacts): names and ARNs. */
  readonly sourceBucketName: pulumi.Input<string>;
  readonly sourceBucketArn: pulumi.Input<string>;
  readonly artifactBucketName: pulumi.Input<string>;
  readonly artifactBucketArn: pulumi.Input<string>;
  /** The delivery key: the artefact store's encryption key, which the deploy roles may decrypt with. */
  readonly keyArn: pulumi.Input<string>;
  readonly approversTopicArn: pulumi.Input<string>;
  /** Minutes each ECS deploy action waits for a steady state. @default pipelinePlan.DEPLOY_TIMEOUT_MINUTES */
  readonly deployTimeoutMinutes?: number;
  readonly tags: Tags;
}

export class ServicePipeline extends pulumi.ComponentResource {
  readonly pipelineName: string;
  readonly pipelineArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ServicePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:delivery:ServicePipeline", name, {}, opts);
    const issues = [...missingCommonTags(args.tags), ...pipelineInputIssues({ ...args, partition: args.scope.partition, sourceBucket: "-", approversTopicArn: "-" })];
    if (issues.length > 0) throw new pulumi.ResourceError(`ServicePipeline "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, args.service, `${name}-${role}`);
    const roleName = pipelineRoleName(args.service);
    const deployRoleArns = args.targets.map((t) => deployRoleArnOf(args.scope.partition, t, args.service));

    const role = new aws.iam.Role(`${name}-role`, {
      name: roleName,
      description: `CodePipeline ${pipelineName(args.service)}: reads its source, writes artefacts, assumes only ${args.service}'s deploy roles`,
      assumeRolePolicy: JSON.stringify(pipelineTrustPolicy(args.scope)),
      maxSessionDuration: 3600,
      tags: tags("role"),
    }, parent);
    // The role's name, not its output: the pack reads which role the policy belongs to before it exists.
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      name: PIPELINE_POLICY_NAME,
      role: roleName,
      policy: pulumi.all([args.sourceBucketArn, args.artifactBucketArn, args.keyArn]).apply(([sourceBucketArn, artifactBucketArn, keyArn]) =>
        JSON.stringify(pipelineRolePolicy({ scope: args.scope, service: args.service, sourceBucketArn, artifactBucketArn, keyArn, deployRoleArns })),
      ),
    }, { parent: this, dependsOn: [role] });

    const pipeline = new aws.codepipeline.Pipeline(`${name}-pipeline`, {
      name: pipelineName(args.service),
      pipelineType: "V2",
      executionMode: EXECUTION_MODE,
      roleArn: role.arn,
      artifactStores: [{ location: args.artifactBucketName, type: "S3", encryptionKey: { id: args.keyArn, type: "KMS" } }],
      variables: [{
        name: IMAGE_TAG_VARIABLE,
        defaultValue: "unspecified",
        description: "The immutable tag Jenkins published (set on StartPipelineExecution); the approvals show it",
      }],
      stages: pulumi.all([args.sourceBucketName, args.approversTopicArn]).apply(([sourceBucket, approversTopicArn]) =>
        planPipeline({ partition: args.scope.partition, service: args.service, targets: args.targets, sourceBucket, approversTopicArn, deployTimeoutMinutes: args.deployTimeoutMinutes }),
      ),
      tags: tags("pipeline"),
    }, { parent: this, dependsOn: [policy] });

    this.pipelineName = pipelineName(args.service);
    this.pipelineArn = pipeline.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ pipelineName: this.pipelineName, pipelineArn: this.pipelineArn, roleArn: this.roleArn });
  }
}
