/**
 * What the compute tests share: type tokens, lookups under one service component and the argument
 * sets of a prod and a dev service. Capture settings and graph lookups come from
 * `test/support/graph.ts`.
 */
import { MicroserviceServiceArgs } from "../../components/compute/MicroserviceService";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { childrenOf, one, onlyChild } from "../support/graph";

export { captureError, expectRequiredTags, one, ofType, policyDocument, run, tagsOf } from "../support/graph";

export const T = {
  CLUSTER: "aws:ecs/cluster:Cluster",
  CAPACITY: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
  SG: "aws:ec2/securityGroup:SecurityGroup",
  INGRESS: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  EGRESS: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  LOG_GROUP: "aws:cloudwatch/logGroup:LogGroup",
  ROLE: "aws:iam/role:Role",
  ROLE_POLICY: "aws:iam/rolePolicy:RolePolicy",
  ROLE_POLICY_ATTACHMENT: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  POLICY: "aws:iam/policy:Policy",
  TASK: "aws:ecs/taskDefinition:TaskDefinition",
  SERVICE: "aws:ecs/service:Service",
  TG: "aws:lb/targetGroup:TargetGroup",
  RULE: "aws:lb/listenerRule:ListenerRule",
  SCALING_TARGET: "aws:appautoscaling/target:Target",
  SCALING_POLICY: "aws:appautoscaling/policy:Policy",
  COMPONENT: "tila:compute:MicroserviceService",
} as const;

export function tagsFor(environment: string): Record<string, string> {
  return { Environment: environment, Owner: "platform", CostCenter: "cc-300", ManagedBy: "pulumi" };
}

/** Children of the named MicroserviceService, of `type` when given. */
export function serviceChildren(result: CaptureResult, serviceName: string, type?: string): CapturedResource[] {
  return childrenOf(result, one(result, T.COMPONENT, serviceName), type);
}

/** The only resource of `type` under the named MicroserviceService. */
export function serviceChild(result: CaptureResult, serviceName: string, type: string): CapturedResource {
  return onlyChild(result, one(result, T.COMPONENT, serviceName), type);
}

export const ECR = "111111111111.dkr.ecr.me-south-1.amazonaws.com";
export const DB_SECRET = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/checkout/mysql-AbCdEf";
export const PSP_SECRET = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/checkout/psp-GhIjKl";
export const SECRETS_KEY = "arn:aws:kms:me-south-1:444444444444:key/11111111-2222-4333-a444-555555555555";
export const CLUSTER = { arn: "arn:aws:ecs:me-south-1:444444444444:cluster/tila-prod", name: "tila-prod" };
export const APP_SUBNETS = ["subnet-app-a", "subnet-app-b", "subnet-app-c"];
export const PUBLIC_LISTENER = "arn:aws:elasticloadbalancing:me-south-1:444444444444:listener/app/prod-public/50dc6c495c0c9188/f2f7dc8efc522ab2";
export const PUBLIC_LB_SUFFIX = "app/prod-public/50dc6c495c0c9188";

/** checkout in prod: ECR image, two secrets from one CMK, MySQL/Redis/Kafka egress, path routing. */
export function checkoutArgs(overrides: Partial<MicroserviceServiceArgs> = {}): MicroserviceServiceArgs {
  return {
    environment: "prod",
    service: "checkout",
    cluster: CLUSTER,
    vpcId: "vpc-prod",
    subnetIds: APP_SUBNETS,
    securityGroupId: "sg-checkout",
    image: `${ECR}/tila/checkout:1.7.5`,
    cpu: 1024,
    memory: 2048,
    containerPort: 8080,
    healthCheckPath: "/health",
    environmentVariables: { TZ: "Asia/Riyadh", APP_ENV: "prod", LOG_LEVEL: "info" },
    secrets: {
      DB_PASSWORD: { secretArn: DB_SECRET, jsonKey: "password" },
      DB_USER: { secretArn: DB_SECRET, jsonKey: "username" },
      PSP_API_KEY: { secretArn: PSP_SECRET },
    },
    secretKmsKeyArns: [SECRETS_KEY],
    logRetentionDays: 90,
    scaling: { min: 6, max: 60, cpuTargetPercent: 60, requestsPerTarget: 800 },
    deployment: { minimumHealthyPercent: 100, maximumPercent: 200 },
    capacity: { fargateSpot: false },
    routing: { listenerArn: PUBLIC_LISTENER, loadBalancerArnSuffix: PUBLIC_LB_SUFFIX, albSecurityGroupId: "sg-public-alb", priority: 130, pathPatterns: ["/checkout/*"] },
    egress: [
      { label: "mysql", securityGroupId: "sg-mysql", ports: [3306] },
      { label: "redis", securityGroupId: "sg-redis", ports: [6379] },
      { label: "kafka", securityGroupId: "sg-kafka", ports: [9092, 9094] },
    ],
    tags: tagsFor("prod"),
    ...overrides,
  };
}

/** catalog in prod: a second service in the same program, for the "changes only its own" checks. */
export function catalogArgs(): MicroserviceServiceArgs {
  return checkoutArgs({
    service: "catalog",
    securityGroupId: "sg-catalog",
    image: `${ECR}/tila/catalog:2.8.1`,
    cpu: 512,
    memory: 1024,
    environmentVariables: {},
    secrets: {},
    secretKmsKeyArns: [],
    routing: { listenerArn: PUBLIC_LISTENER, loadBalancerArnSuffix: PUBLIC_LB_SUFFIX, albSecurityGroupId: "sg-public-alb", priority: 100, pathPatterns: ["/catalog/*"] },
    egress: [{ label: "mongodb", securityGroupId: "sg-mongodb", ports: [27017] }],
  });
}

/** notifications in dev: Spot, a Docker Hub image by digest, no secrets or egress, host routing on the internal ALB. */
export const DEV_DIGEST = "sha256:" + "ab12".repeat(16);
export function notificationsDevArgs(): MicroserviceServiceArgs {
  return {
    environment: "dev",
    service: "notifications",
    cluster: { arn: "arn:aws:ecs:me-south-1:444444444444:cluster/tila-dev", name: "tila-dev" },
    vpcId: "vpc-dev",
    subnetIds: ["subnet-dev-app-a", "subnet-dev-app-b"],
    securityGroupId: "sg-notifications",
    image: `docker.io/tila/notifications@${DEV_DIGEST}`,
    cpu: 256,
    memory: 512,
    containerPort: 9000,
    healthCheckPath: "/ready",
    logRetentionDays: 14,
    scaling: { min: 1, max: 2, cpuTargetPercent: 70, requestsPerTarget: 1000 },
    deployment: { minimumHealthyPercent: 50, maximumPercent: 200 },
    capacity: { fargateSpot: true },
    routing: {
      listenerArn: "arn:aws:elasticloadbalancing:me-south-1:444444444444:listener/app/dev-internal/1/2",
      loadBalancerArnSuffix: "app/dev-internal/0123456789abcdef",
      albSecurityGroupId: "sg-internal-alb",
      priority: 210,
      hostHeaders: ["notifications.dev.internal.tila.sa"],
    },
    tags: tagsFor("dev"),
  };
}
