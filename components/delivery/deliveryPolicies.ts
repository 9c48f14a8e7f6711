/**
 * The policy documents of management's delivery side (docs/delivery.md#service-pipelines-codepipeline):
 * the delivery key, the source and artefact buckets, the approvers' topic, each pipeline's service
 * role and Jenkins' role. Pure, so every statement is tested directly.
 *
 * The environments' deploy roles are named by ARN before their stacks exist (management deploys
 * first). A key or bucket policy that names a missing role as Principal is refused by AWS, so those
 * grants name the environment's account as principal and pin the role with `aws:PrincipalArn`.
 */
import { denyInsecureTransport } from "../security/baseline/policies";
import { APPROVERS_TOPIC_NAME, FAILURE_RULE_NAME, JENKINS_ROLE_NAME, pipelineArn, pipelineName, pipelineRoleName, roleArn, sourceObjectKey } from "./deliveryPlan";

export type Statement = Record<string, unknown>;
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: Statement[];
}

const doc = (statements: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });

/** Management's partition, region and account. */
export interface DeliveryScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** An environment deploy role some pipeline assumes, in its own account. */
export interface DeployRoleRef {
  readonly accountId: string;
  readonly roleArn: string;
}

const root = (partition: string, accountId: string): string => `arn:${partition}:iam::${accountId}:root`;
const viaService = (s: DeliveryScope, service: string): string => `${service}.${s.region}.amazonaws.com`;
const uniqueSorted = (values: readonly string[]): string[] => [...new Set(values)].sort();

export function approversTopicArn(s: DeliveryScope): string {
  return `arn:${s.partition}:sns:${s.region}:${s.accountId}:${APPROVERS_TOPIC_NAME}`;
}

export function failureRuleArn(s: DeliveryScope): string {
  return `arn:${s.partition}:events:${s.region}:${s.accountId}:rule/${FAILURE_RULE_NAME}`;
}

/** An ECR repository of a service in management: `tila/<service>` (components/compute/imageNames.ts). */
export function imageRepositoryArn(s: DeliveryScope, service: string): string {
  return `arn:${s.partition}:ecr:${s.region}:${s.accountId}:repository/tila/${service}`;
}

/** The environments' accounts and the deploy role ARNs each may act as, grouped per account. */
function byAccount(roles: readonly DeployRoleRef[]): Map<string, string[]> {
  const accounts = new Map<string, string[]>();
  for (const r of roles) accounts.set(r.accountId, uniqueSorted([...(accounts.get(r.accountId) ?? []), r.roleArn]));
  return new Map([...accounts.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The delivery key (artefacts, source objects, the approvers' topic): the account administers it
 * (IAM decides who else in management); each environment's deploy roles may decrypt only through
 * S3 (the artefact a deploy action reads); EventBridge may encrypt for the topic for this account's
 * failure rule only.
 */
export function deliveryKeyPolicy(s: DeliveryScope, deployRoles: readonly DeployRoleRef[]): PolicyDocument {
  const grants = [...byAccount(deployRoles.filter((r) => r.accountId !== s.accountId)).entries()].map(([accountId, roles], i) => ({
    Sid: `EnvironmentDeployRolesDecrypt${i}`,
    Effect: "Allow",
    Principal: { AWS: root(s.partition, accountId) },
    Action: ["kms:Decrypt", "kms:DescribeKey"],
    Resource: "*",
    Condition: { ArnEquals: { "aws:PrincipalArn": roles }, StringEquals: { "kms:ViaService": viaService(s, "s3") } },
  }));
  return doc([
    { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: root(s.partition, s.accountId) }, Action: "kms:*", Resource: "*" },
    ...grants,
    {
      Sid: "EventBridgePublishes",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": s.accountId }, ArnEquals: { "aws:SourceArn": failureRuleArn(s) } },
    },
  ]);
}


/**
 * The source bucket: only management's own principals (Jenkins, the pipelines) reach it, by IAM;
 * nothing without TLS. Objects are encrypted with the delivery key by the bucket's default.
 */
export function sourceBucketPolicy(bucketArn: string): PolicyDocument {
  return doc([denyInsecureTransport(bucketArn)]);
}

/**
 * The artefact store: the pipelines write and read it by IAM; each environment's deploy roles may
 * read artefacts (the ECS deploy action reads imagedefinitions.json with the action's role).
 */
export function artifactBucketPolicy(s: DeliveryScope, bucketArn: string, deployRoles: readonly DeployRoleRef[]): PolicyDocument {
  const reads = [...byAccount(deployRoles.filter((r) => r.accountId !== s.accountId)).entries()].map(([accountId, roles], i) => ({
    Sid: `EnvironmentDeployRolesRead${i}`,
    Effect: "Allow",
    Principal: { AWS: root(s.partition, accountId) },
    Action: ["s3:GetObject", "s3:GetObjectVersion"],
    Resource: `${bucketArn}/*`,
    Condition: { ArnEquals: { "aws:PrincipalArn": roles } },
  }));
  return doc([
    ...reads,
    // CodePipeline writes artefacts with SSE-KMS; this refuses any other upload (the artefact store policy
    // AWS recommends, "AWS CodePipeline resource-based policy examples").
    {
      Sid: "DenyUnencryptedObjectUploads",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${bucketArn}/*`,
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
    },
    denyInsecureTransport(bucketArn),
  ]);
}

/**
 * The approvers' topic: the pipelines' service roles publish by their IAM policies (same account);
 * EventBridge may publish for the failure rule only; the account manages subscriptions but the
 * policy grants nobody else Publish; nothing publishes without TLS.
 */
export function approversTopicPolicy(s: DeliveryScope): PolicyDocument {
  const topicArn = approversTopicArn(s);
  return doc([
    {
      Sid: "EventBridgePublishes",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceAccount": s.accountId }, ArnEquals: { "aws:SourceArn": failureRuleArn(s) } },
    },
    { Sid: "AccountManages", Effect: "Allow", Principal: { AWS: root(s.partition, s.accountId) }, Action: ["sns:Subscribe", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic"], Resource: topicArn },
    { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ]);
}

/** The pipeline's service role trust: CodePipeline, for this account's pipelines only. */
export function pipelineTrustPolicy(s: DeliveryScope): PolicyDocument {
  return doc([{
    Effect: "Allow",
    Principal: { Service: "codepipeline.amazonaws.com" },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "aws:SourceAccount": s.accountId } },
  }]);
}

export interface PipelineRoleInput {
  readonly scope: DeliveryScope;
  readonly service: string;
  readonly sourceBucketArn: string;
  readonly artifactBucketArn: string;
  readonly keyArn: string;
  /** The service's deploy roles, one per environment that runs it. */
  readonly deployRoleArns: readonly string[];
}

/**
 * One pipeline's service role: read its own source object, read and write the artefact store, use
 * the delivery key through S3 and SNS only, notify the approvers, and assume only this service's
 * deploy roles (the cross-account actions run as those).
 */
export function pipelineRolePolicy(p: PipelineRoleInput): PolicyDocument {
  if (p.deployRoleArns.length === 0) throw new Error(`pipelineRolePolicy: ${p.service} has no deploy role to assume`);
  return doc([
    { Sid: "ReadSource", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `${p.sourceBucketArn}/${sourceObjectKey(p.service)}` },
    { Sid: "SourceBucket", Effect: "Allow", Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation"], Resource: p.sourceBucketArn },
    { Sid: "Artifacts", Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject", "s3:GetObjectVersion"], Resource: `${p.artifactBucketArn}/*` },
    { Sid: "ArtifactBucket", Effect: "Allow", Action: ["s3:GetBucketVersioning", "s3:GetBucketLocation"], Resource: p.artifactBucketArn },
    {
      Sid: "DeliveryKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: p.keyArn,
      Condition: { StringEquals: { "kms:ViaService": [viaService(p.scope, "s3"), viaService(p.scope, "sns")] } },
    },
    { Sid: "NotifyApprovers", Effect: "Allow", Action: "sns:Publish", Resource: approversTopicArn(p.scope) },
    { Sid: "AssumeOwnDeployRoles", Effect: "Allow", Action: "sts:AssumeRole", Resource: uniqueSorted(p.deployRoleArns) },
  ]);
}

/** The IAM OIDC provider of Jenkins' issuer: `arn:<partition>:iam::<account>:oidc-provider/<host/path>`. */
export function oidcProviderArn(s: DeliveryScope, issuerUrl: string): string {
  return `arn:${s.partition}:iam::${s.accountId}:oidc-provider/${issuerHost(issuerUrl)}`;
}

/** The issuer without its scheme or trailing slash: the prefix of the `aud` and `sub` condition keys. */
export function issuerHost(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "").replace(/\/$/, "");
}

/** Jenkins' role trust: web identity from its issuer, the configured audience, the listed job subjects. */
export function jenkinsTrustPolicy(p: { providerArn: string; issuerUrl: string; audience: string; subjects: readonly string[] }): PolicyDocument {
  if (p.subjects.length === 0) throw new Error("jenkinsTrustPolicy: at least one subject must be trusted");
  const host = issuerHost(p.issuerUrl);
  return doc([{
    Effect: "Allow",
    Principal: { Federated: p.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${host}:aud`]: p.audience }, StringLike: { [`${host}:sub`]: [...p.subjects] } },
  }]);
}

/** ECR's push actions on a repository (ECR user guide, "Pushing an image" IAM permissions). */
export const PUSH_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart", "ecr:BatchGetImage", "ecr:DescribeImages"] as const;

/**
 * What Jenkins may do: push the services' images to their repositories (registry login has no
 * resource; the repositories' key is used by ECR through its own grant, so no KMS grant here), write
 * each service's source object (with the delivery key through S3), and start and follow the
 * service pipelines. Nothing else: no deploy, no approval.
 */
export function jenkinsPolicy(p: { scope: DeliveryScope; services: readonly string[]; sourceBucketArn: string; keyArn: string }): PolicyDocument {
  const services = uniqueSorted(p.services);
  if (services.length === 0) throw new Error("jenkinsPolicy: no service to publish");
  return doc([
    { Sid: "RegistryLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    { Sid: "PushImages", Effect: "Allow", Action: [...PUSH_ACTIONS], Resource: services.map((svc) => imageRepositoryArn(p.scope, svc)) },
    { Sid: "WriteSources", Effect: "Allow", Action: "s3:PutObject", Resource: services.map((svc) => `${p.sourceBucketArn}/${sourceObjectKey(svc)}`) },
    { Sid: "EncryptSources", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: p.keyArn, Condition: { StringEquals: { "kms:ViaService": viaService(p.scope, "s3") } } },
    {
      Sid: "RunPipelines",
      Effect: "Allow",
      Action: ["codepipeline:StartPipelineExecution", "codepipeline:GetPipelineExecution", "codepipeline:GetPipelineState"],
      Resource: services.map((svc) => pipelineArn(p.scope.partition, p.scope.region, p.scope.accountId, svc)),
    },
  ]);
}

/**
 * Which events the failure rule forwards: a source or deploy action of one of the pipelines
 * failing (a missing source object, a deploy the circuit breaker rolled back, a timeout). A
 * rejected approval is a decision, not a failure, and is not forwarded.
 */
export function failureEventPattern(services: readonly string[]): Record<string, unknown> {
  return {
    source: ["aws.codepipeline"],
    "detail-type": ["CodePipeline Action Execution State Change"],
    detail: { state: ["FAILED"], pipeline: uniqueSorted(services).map(pipelineName), type: { category: ["Source", "Deploy"] } },
  };
}

/** The failure message as the approvers read it (EventBridge input transformer). */
export const FAILURE_INPUT = {
  inputPaths: { pipeline: "$.detail.pipeline", stage: "$.detail.stage", action: "$.detail.action", execution: "$.detail.execution-id", region: "$.region" },
  inputTemplate: "\"Pipeline <pipeline> failed at <stage>/<action> (execution <execution>, <region>). A failed deploy was rolled back by the ECS circuit breaker; retry the stage after fixing the cause.\"",
} as const;

export { JENKINS_ROLE_NAME, pipelineRoleName, roleArn };
