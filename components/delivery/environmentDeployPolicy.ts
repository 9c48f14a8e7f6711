/**
 * The IAM documents of one service's deploy role in an environment account (docs/delivery.md
 * #cross-account-deploy-roles-and-the-deploy-scope): who may assume it (management's pipeline role
 * of that service, and nothing else) and what it may do (what CodePipeline's ECS standard deploy
 * action does, on that service's ECS service, task-definition family and roles only). Pure: plain
 * functions of resolved names and ARNs, tested directly.
 *
 * AWS facts (Service Authorization Reference for Amazon ECS, list_amazonelasticcontainerservice;
 * CodePipeline user guide, action-reference-ECS "Service role permissions: Amazon ECS standard action"):
 * - DescribeServices and UpdateService take the `service` resource,
 *   `arn:<p>:ecs:<region>:<account>:service/<cluster>/<service>`;
 * - RegisterTaskDefinition takes the `task-definition` resource,
 *   `arn:<p>:ecs:<region>:<account>:task-definition/<family>:<revision>`, and with tags in the request
 *   also ecs:TagResource on it, which `ecs:CreateAction` = RegisterTaskDefinition narrows to tagging on create;
 * - DescribeTaskDefinition has no resource type and no ECS condition key: IAM takes only "*" for it,
 *   pinned here to the environment's region with the global aws:RequestedRegion;
 * - RegisterTaskDefinition and UpdateService pass the task and execution roles (iam:PassRole,
 *   iam:PassedToService ecs-tasks.amazonaws.com; the action's documented minimum also lists
 *   ecs.amazonaws.com, granted here too: these roles trust ecs-tasks only, so ECS itself could never use them);
 * - the action reads its input artefact from the pipeline's artefact store with the action role:
 *   s3:GetObject on the object, and kms:Decrypt of the store's key through S3 (SSE-KMS).
 */
import { artifactBucketName, deployScope, pipelineName, pipelineRoleName, roleArn } from "./deliveryPlan";
import type { EnvironmentName } from "../environments";
import { dnsSuffix } from "../compute/servicePolicies";

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface DeployStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: ConditionBlock;
}

export interface DeployTrustStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly AWS: string };
  readonly Action: "sts:AssumeRole";
  readonly Condition: ConditionBlock;
}

export interface DeployPolicyDocument<S> {
  readonly Version: "2012-10-17";
  readonly Statement: S[];
}

/** Characters of the pipeline name CodePipeline keeps in the artefact folder's name (see artifactFolders). */
export const ARTIFACT_FOLDER_NAME_LENGTH = 20;

/**
 * The folders of a service's pipeline in the artefact store. The CodePipeline API says only that
 * "a folder to contain the pipeline artifacts is created for you based on the name of the pipeline"
 * (ArtifactStore.location); CodePipeline has been seen to use the first 20 characters of the name
 * (awsdocs/aws-cloudformation-user-guide#733). Both spellings are listed, so the grant holds
 * either way and never widens to a prefix of other pipelines' folders.
 */
export function artifactFolders(service: string): string[] {
  const name = pipelineName(service);
  return [...new Set([name, name.slice(0, ARTIFACT_FOLDER_NAME_LENGTH)])];
}

/** The ECS service of a deploy scope: `arn:<p>:ecs:<region>:<account>:service/<cluster>/<service>`. */
export function ecsServiceArn(partition: string, region: string, accountId: string, environment: EnvironmentName, service: string): string {
  const scope = deployScope(environment, service);
  return `arn:${partition}:ecs:${region}:${accountId}:service/${scope.cluster}/${scope.ecsService}`;
}

/** Every revision of the scope's family: `arn:<p>:ecs:<region>:<account>:task-definition/<family>:*`. */
export function taskDefinitionFamilyArn(partition: string, region: string, accountId: string, environment: EnvironmentName, service: string): string {
  return `arn:${partition}:ecs:${region}:${accountId}:task-definition/${deployScope(environment, service).family}:*`;
}

export interface EnvironmentDeployInputs {
  readonly partition: string;
  readonly environment: EnvironmentName;
  readonly service: string;
  /** The environment's account and region: where the ECS service, the family and the roles are. */
  readonly accountId: string;
  readonly region: string;
  /** Management's account and region: the pipeline, its role, the artefact store and its key. */
  readonly managementAccountId: string;
  readonly managementRegion: string;
  /** The artefact store's CMK (management's `deliveryArtifactKeyArn`). */
  readonly artifactKeyArn: string;
  /** The service's task role and task execution role: the only roles the deploy may pass. */
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
}

const ACCOUNT = /^\d{12}$/;
const KEY_ARN = /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const ROLE_ARN = /^arn:[a-z-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Why these inputs cannot make a scoped deploy role; empty when they can. */
export function deployInputIssues(i: EnvironmentDeployInputs): string[] {
  const issues: string[] = [];
  if (!ACCOUNT.test(i.accountId)) issues.push(`accountId: "${i.accountId}" is not a 12-digit AWS account id`);
  if (!ACCOUNT.test(i.managementAccountId)) issues.push(`managementAccountId: "${i.managementAccountId}" is not a 12-digit AWS account id`);
  if (!KEY_ARN.test(i.artifactKeyArn)) issues.push(`artifactKeyArn: "${i.artifactKeyArn}" is not a KMS key ARN (an alias is not recognised across accounts)`);
  else if (i.artifactKeyArn.split(":")[4] !== i.managementAccountId) issues.push(`artifactKeyArn: "${i.artifactKeyArn}" is not in the management account ${i.managementAccountId}`);
  for (const [key, arn] of [["taskRoleArn", i.taskRoleArn], ["executionRoleArn", i.executionRoleArn]] as const) {
    if (!ROLE_ARN.test(arn)) issues.push(`${key}: "${arn}" is not an IAM role ARN`);
    else if (arn.split(":")[4] !== i.accountId) issues.push(`${key}: "${arn}" is not in the environment's account ${i.accountId}`);
  }
  return issues;
}

/**
 * Trust: principals of the management account, and of those only the service's pipeline role (the
 * account's root plus `aws:PrincipalArn`, because IAM refuses a trust policy naming a role that
 * does not exist yet, and the trust keeps working when the pipeline role is recreated). CodePipeline
 * assumes an action's `roleArn` with the pipeline's own role (API ActionDeclaration.roleArn).
 */
export function deployTrustPolicy(i: Pick<EnvironmentDeployInputs, "partition" | "managementAccountId" | "service">): DeployPolicyDocument<DeployTrustStatement> {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ServicePipelineOnly",
        Effect: "Allow",
        Principal: { AWS: `arn:${i.partition}:iam::${i.managementAccountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { ArnEquals: { "aws:PrincipalArn": roleArn(i.partition, i.managementAccountId, pipelineRoleName(i.service)) } },
      },
    ],
  };
}

/** The deploy role's one inline policy. Throws, naming every bad input, when it cannot be scoped. */
export function environmentDeployPolicy(i: EnvironmentDeployInputs): DeployPolicyDocument<DeployStatement> {
  const issues = deployInputIssues(i);
  if (issues.length > 0) throw new Error(`deploy role of ${i.environment}/${i.service}: ${issues.join("; ")}`);
  const family = taskDefinitionFamilyArn(i.partition, i.region, i.accountId, i.environment, i.service);
  const bucketArn = `arn:${i.partition}:s3:::${artifactBucketName(i.managementAccountId, i.managementRegion)}`;
  const objects = artifactFolders(i.service).map((f) => `${bucketArn}/${f}/*`);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "DeployOwnService", Effect: "Allow", Action: ["ecs:DescribeServices", "ecs:UpdateService"], Resource: ecsServiceArn(i.partition, i.region, i.accountId, i.environment, i.service) },
      { Sid: "RegisterOwnFamily", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: family },
      { Sid: "TagOwnFamilyOnRegister", Effect: "Allow", Action: "ecs:TagResource", Resource: family, Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } } },
      // The action reads the service's current revision to copy it. IAM offers no resource type and
      // no ECS condition key for this read (not even ecs:cluster), so the region is the narrowest pin.
      { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: "ecs:DescribeTaskDefinition", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": i.region } } },
      {
        Sid: "PassOwnTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [...new Set([i.taskRoleArn, i.executionRoleArn])].sort(),
        Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"] } },
      },
      { Sid: "ReadOwnArtifacts", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: objects },
      {
        Sid: "DecryptOwnArtifacts",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: i.artifactKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${i.managementRegion}.${dnsSuffix(i.partition)}` },
          // The bucket ARN with S3 Bucket Keys, the object's without.
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, ...objects] },
        },
      },
    ],
  };
}
