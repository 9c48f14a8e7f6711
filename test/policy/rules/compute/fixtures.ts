/** Compliant compute resources; tests change one field at a time. */
export const TASK_DEFINITION = "aws:ecs/taskDefinition:TaskDefinition";
export const SERVICE = "aws:ecs/service:Service";
export const CLUSTER = "aws:ecs/cluster:Cluster";

export const tags = (environment: string): Record<string, string> => ({ Environment: environment, Service: "cart", Owner: "platform-team", CostCenter: "tila", ManagedBy: "pulumi" });

export function container(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "cart",
    image: "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/cart:1.19.2",
    essential: true,
    user: "1000:1000",
    readonlyRootFilesystem: true,
    environment: [
      { name: "REDIS_HOST", value: "redis.prod.internal" },
      { name: "TILA_ENVIRONMENT", value: "prod" },
    ],
    secrets: [{ name: "REDIS_AUTH_TOKEN", valueFrom: "arn:aws:secretsmanager:me-south-1:444444444444:secret:redis" }],
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/tila/prod/cart", "awslogs-region": "me-south-1", "awslogs-stream-prefix": "cart" } },
    ...overrides,
  };
}

/** Task definition inputs: containerDefinitions is a JSON string, as @pulumi/aws sends it. */
export function taskDefinition(containers: Record<string, unknown>[] = [container()], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family: "prod-cart",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
    containerDefinitions: JSON.stringify(containers),
    tags: tags("prod"),
    ...overrides,
  };
}

export function service(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "cart",
    cluster: "arn:aws:ecs:me-south-1:444444444444:cluster/tila-prod",
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentController: { type: "ECS" },
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
    networkConfiguration: { assignPublicIp: false, subnets: ["subnet-1"], securityGroups: ["sg-1"] },
    tags: tags("prod"),
    ...overrides,
  };
}
