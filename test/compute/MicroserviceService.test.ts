import { expect } from "chai";
import { EcsCluster } from "../../components/compute/EcsCluster";
import { MicroserviceService, MicroserviceServiceArgs } from "../../components/compute/MicroserviceService";
import { ServiceSecurityGroups } from "../../components/compute/ServiceSecurityGroups";
import { PolicyDocument, TrustPolicyDocument, grants } from "../../components/compute/servicePolicies";
import { CaptureResult, CapturedResource } from "../../offline/types";
import {
  APP_SUBNETS, DB_SECRET, DEV_DIGEST, ECR, PSP_SECRET, PUBLIC_LB_SUFFIX, PUBLIC_LISTENER, SECRETS_KEY, T,
  captureError, catalogArgs, checkoutArgs, expectRequiredTags, notificationsDevArgs, one, policyDocument, run, serviceChild, serviceChildren, tagsOf,
} from "./computeHarness";

/** The prod program: cluster, the services' groups, and two services wired to them. */
function prodProgram(checkoutImage: string): () => Record<string, unknown> {
  return () => {
    const cluster = new EcsCluster("prod-ecs", { environment: "prod", allowFargateSpot: false, tags: checkoutArgs().tags });
    const sgs = new ServiceSecurityGroups("prod-services", { environment: "prod", vpcId: "vpc-prod", services: ["checkout", "catalog"], tags: checkoutArgs().tags });
    const wire = (a: MicroserviceServiceArgs): MicroserviceServiceArgs => ({ ...a, cluster: { arn: cluster.clusterArn, name: cluster.clusterName }, securityGroupId: sgs.ids[a.service] });
    const checkout = new MicroserviceService("prod-checkout", wire(checkoutArgs({ image: checkoutImage })));
    const catalog = new MicroserviceService("prod-catalog", wire(catalogArgs()));
    return { checkout: checkout.serviceName, catalog: catalog.serviceName, hotfix: checkout.hotfixTargetUrns };
  };
}

function container(result: CaptureResult, component: string): Record<string, unknown> {
  const defs = JSON.parse(serviceChild(result, component, T.TASK).inputs.containerDefinitions as string) as Record<string, unknown>[];
  expect(defs).to.have.length(1);
  return defs[0];
}

function role(result: CaptureResult, component: string, suffix: string): CapturedResource {
  return one(result, T.ROLE, `${component}-${suffix}`);
}

const IMAGE = `${ECR}/tila/checkout:1.7.5`;
const HOTFIX = `${ECR}/tila/checkout:1.7.6`;

describe("MicroserviceService", () => {
  let prod: CaptureResult;
  let hotfix: CaptureResult;
  let dev: CaptureResult;
  let checkoutSg: string;

  before(async () => {
    prod = await run(prodProgram(IMAGE), "prod");
    hotfix = await run(prodProgram(HOTFIX), "prod");
    dev = await run(() => ({ name: new MicroserviceService("dev-notifications", notificationsDevArgs()).serviceName }), "dev");
    checkoutSg = one(prod, T.SG, "prod-services-checkout").id!;
  });

  describe("in prod", () => {
    it("creates 18 resources for checkout (14 plus one egress rule per declared port) and 15 for catalog", () => {
      expect(serviceChildren(prod, "prod-checkout")).to.have.length(18);
      expect(serviceChildren(prod, "prod-catalog")).to.have.length(15);
      expect(serviceChildren(prod, "prod-checkout").every((r) => r.custom)).to.equal(true);
    });

    it("registers the task definition: family, Fargate ARM64 size, awsvpc, both roles, scratch volume, old revisions kept", () => {
      const td = serviceChild(prod, "prod-checkout", T.TASK).inputs;
      expect(td).to.deep.include({
        family: "prod-checkout", cpu: "1024", memory: "2048", networkMode: "awsvpc", requiresCompatibilities: ["FARGATE"],
        runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" }, volumes: [{ name: "tmp" }], skipDestroy: true,
      });
      expect(td.executionRoleArn).to.equal(role(prod, "prod-checkout", "execution-role").outputs.arn);
      expect(td.taskRoleArn).to.equal(role(prod, "prod-checkout", "task-role").outputs.arn);
      expect(serviceChild(prod, "prod-catalog", T.TASK).inputs).to.include({ family: "prod-catalog", cpu: "512", memory: "1024" });
    });

    it("runs the pinned image read-only as non-root, with env sorted and secrets by ARN and JSON key", () => {
      const c = container(prod, "prod-checkout");
      expect(c).to.include({ name: "checkout", image: IMAGE, essential: true, readonlyRootFilesystem: true, user: "1000:1000", stopTimeout: 30 });
      expect(c.portMappings).to.deep.equal([{ name: "http", containerPort: 8080, hostPort: 8080, protocol: "tcp", appProtocol: "http" }]);
      expect(c.environment).to.deep.equal([{ name: "APP_ENV", value: "prod" }, { name: "LOG_LEVEL", value: "info" }, { name: "TZ", value: "Asia/Riyadh" }]);
      expect(c.secrets).to.deep.equal([
        { name: "DB_PASSWORD", valueFrom: `${DB_SECRET}:password::` },
        { name: "DB_USER", valueFrom: `${DB_SECRET}:username::` },
        { name: "PSP_API_KEY", valueFrom: PSP_SECRET },
      ]);
      expect(container(prod, "prod-catalog")).to.deep.include({ image: `${ECR}/tila/catalog:2.8.1`, environment: [], secrets: [] });
    });

    it("logs through awslogs to /tila/prod/<service>, kept 90 days, in the log group's region", () => {
      const options = (container(prod, "prod-checkout").logConfiguration as { options: Record<string, string> }).options;
      expect(options).to.include({ "awslogs-group": "/tila/prod/checkout", "awslogs-region": "me-south-1", "awslogs-stream-prefix": "checkout" });
      expect(serviceChild(prod, "prod-checkout", T.LOG_GROUP).inputs).to.include({ name: "/tila/prod/checkout", retentionInDays: 90 });
    });

    it("lets only this account's ECS tasks assume either role", () => {
      for (const suffix of ["execution-role", "task-role"]) {
        const trust = policyDocument<TrustPolicyDocument>(role(prod, "prod-checkout", suffix), "assumeRolePolicy");
        expect(trust.Statement.map((s) => [s.Principal.Service, s.Action, s.Condition.StringEquals])).to.deep.equal([["ecs-tasks.amazonaws.com", "sts:AssumeRole", { "aws:SourceAccount": "444444444444" }]]);
      }
    });

    it("gives the execution role exactly its repository, log group, secrets and key, and * only for the ECR token", () => {
      const policy = one(prod, T.ROLE_POLICY, "prod-checkout-execution-policy");
      expect(policy.inputs.role).to.equal(role(prod, "prod-checkout", "execution-role").id);
      const logArn = serviceChild(prod, "prod-checkout", T.LOG_GROUP).outputs.arn as string;
      expect(grants(policyDocument<PolicyDocument>(policy, "policy"))).to.deep.equal([
        { action: "ecr:GetAuthorizationToken", resource: "*" },
        ...["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"].map((action) => ({ action, resource: "arn:aws:ecr:me-south-1:111111111111:repository/tila/checkout" })),
        { action: "logs:CreateLogStream", resource: `${logArn}:*` },
        { action: "logs:PutLogEvents", resource: `${logArn}:*` },
        { action: "secretsmanager:GetSecretValue", resource: DB_SECRET },
        { action: "secretsmanager:GetSecretValue", resource: PSP_SECRET },
        { action: "kms:Decrypt", resource: SECRETS_KEY },
      ]);
      const catalog = grants(policyDocument<PolicyDocument>(one(prod, T.ROLE_POLICY, "prod-catalog-execution-policy"), "policy"));
      expect(catalog.filter((g) => /^(secretsmanager|kms):/.test(g.action))).to.deep.equal([]);
    });

    it("gives the task role no policy of any kind", () => {
      const task = role(prod, "prod-checkout", "task-role");
      expect(task.inputs.inlinePolicies ?? []).to.deep.equal([]);
      expect(task.inputs.managedPolicyArns ?? []).to.deep.equal([]);
      const attached = [...serviceChildren(prod, "prod-checkout", T.ROLE_POLICY), ...serviceChildren(prod, "prod-checkout", T.ROLE_POLICY_ATTACHMENT)].map((p) => p.inputs.role);
      expect(attached).to.deep.equal([role(prod, "prod-checkout", "execution-role").id]);
      expect(serviceChildren(prod, "prod-checkout", T.POLICY)).to.deep.equal([]);
    });

    it("runs the service in the app subnets without public IPs, on on-demand Fargate only", () => {
      const svc = serviceChild(prod, "prod-checkout", T.SERVICE).inputs;
      expect(svc.networkConfiguration).to.deep.equal({ subnets: APP_SUBNETS, securityGroups: [checkoutSg], assignPublicIp: false });
      expect(svc.capacityProviderStrategies).to.deep.equal([{ capacityProvider: "FARGATE", base: 0, weight: 1 }]);
      expect(svc).to.include({ name: "checkout", cluster: one(prod, T.CLUSTER, "prod-ecs-cluster").outputs.arn, taskDefinition: serviceChild(prod, "prod-checkout", T.TASK).outputs.arn });
    });

    it("deploys with the ECS controller, circuit breaker with rollback, and 100% minimum healthy", () => {
      expect(serviceChild(prod, "prod-checkout", T.SERVICE).inputs).to.deep.include({
        deploymentController: { type: "ECS" }, deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100, deploymentMaximumPercent: 200, healthCheckGracePeriodSeconds: 60,
        propagateTags: "SERVICE", enableEcsManagedTags: true, enableExecuteCommand: false, waitForSteadyState: false,
      });
    });

    it("starts at scaling.min and leaves desiredCount to the autoscaler", () => {
      const svc = serviceChild(prod, "prod-checkout", T.SERVICE);
      expect(svc.inputs.desiredCount).to.equal(6);
      expect(svc.options.ignoreChanges).to.deep.equal(["desiredCount"]);
    });

    it("starts the service only after its listener rule and the cluster's capacity providers exist", () => {
      const deps = serviceChild(prod, "prod-checkout", T.SERVICE).options.dependsOn;
      expect(deps).to.include(serviceChild(prod, "prod-checkout", T.RULE).urn);
      expect(deps).to.include(one(prod, T.CAPACITY, "prod-ecs-capacity-providers").urn);
    });

    it("registers IP targets on the container port with a health check, and forwards the checkout path to them", () => {
      const tg = serviceChild(prod, "prod-checkout", T.TG);
      expect(tg.inputs).to.deep.include({
        targetType: "ip", protocol: "HTTP", port: 8080, vpcId: "vpc-prod", deregistrationDelay: 30,
        healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/health", matcher: "200-299", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      });
      expect(serviceChild(prod, "prod-checkout", T.RULE).inputs).to.deep.include({
        listenerArn: PUBLIC_LISTENER, priority: 130, conditions: [{ pathPattern: { values: ["/checkout/*"] } }], actions: [{ type: "forward", targetGroupArn: tg.outputs.arn }],
      });
      expect(serviceChild(prod, "prod-checkout", T.SERVICE).inputs.loadBalancers).to.deep.equal([{ targetGroupArn: tg.outputs.arn, containerName: "checkout", containerPort: 8080 }]);
      expect(serviceChild(prod, "prod-catalog", T.RULE).inputs).to.deep.include({ priority: 100, conditions: [{ pathPattern: { values: ["/catalog/*"] } }] });
    });

    it("scales between min and max on CPU and on ALB requests per target, out fast and in slowly", () => {
      const target = serviceChild(prod, "prod-checkout", T.SCALING_TARGET).inputs;
      expect(target).to.include({ serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: "service/tila-prod/checkout", minCapacity: 6, maxCapacity: 60 });
      const tgSuffix = serviceChild(prod, "prod-checkout", T.TG).outputs.arnSuffix as string;
      const policies = serviceChildren(prod, "prod-checkout", T.SCALING_POLICY).map((p) => p.inputs);
      expect(policies.map((p) => ({ name: p.name, type: p.policyType, resourceId: p.resourceId, ...(p.targetTrackingScalingPolicyConfiguration as object) }))).to.deep.equal([
        { name: "prod-checkout-cpu", type: "TargetTrackingScaling", resourceId: "service/tila-prod/checkout", targetValue: 60, scaleInCooldown: 300, scaleOutCooldown: 60, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } },
        {
          name: "prod-checkout-requests", type: "TargetTrackingScaling", resourceId: "service/tila-prod/checkout", targetValue: 800, scaleInCooldown: 300, scaleOutCooldown: 60,
          predefinedMetricSpecification: { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: `${PUBLIC_LB_SUFFIX}/${tgSuffix}` },
        },
      ]);
      expect(tgSuffix).to.match(/^targetgroup\//);
    });

    it("admits only the ALB's group, on the container port, and lets the ALB reach it there", () => {
      const ingress = serviceChildren(prod, "prod-checkout", T.INGRESS).map((r) => r.inputs);
      expect(ingress).to.have.length(1);
      expect(ingress[0]).to.include({ securityGroupId: checkoutSg, referencedSecurityGroupId: "sg-public-alb", ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
      expect(ingress[0].cidrIpv4).to.equal(undefined);
      const albEgress = serviceChildren(prod, "prod-checkout", T.EGRESS).filter((r) => r.inputs.securityGroupId === "sg-public-alb").map((r) => r.inputs);
      expect(albEgress).to.have.length(1);
      expect(albEgress[0]).to.include({ referencedSecurityGroupId: checkoutSg, ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
    });

    it("sends traffic only to the data services it declared, on their ports, and to 443", () => {
      const egress = serviceChildren(prod, "prod-checkout", T.EGRESS).filter((r) => r.inputs.securityGroupId === checkoutSg).map((r) => r.inputs);
      expect(egress.map((e) => [e.referencedSecurityGroupId ?? e.cidrIpv4, e.ipProtocol, e.fromPort, e.toPort])).to.deep.equal([
        ["sg-mysql", "tcp", 3306, 3306], ["sg-redis", "tcp", 6379, 6379], ["sg-kafka", "tcp", 9092, 9092], ["sg-kafka", "tcp", 9094, 9094], ["0.0.0.0/0", "tcp", 443, 443],
      ]);
      const catalogSg = one(prod, T.SG, "prod-services-catalog").id;
      const catalog = serviceChildren(prod, "prod-catalog", T.EGRESS).filter((r) => r.inputs.securityGroupId === catalogSg).map((r) => r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4);
      expect(catalog).to.deep.equal(["sg-mongodb", "0.0.0.0/0"]);
    });

    it("parents everything to its component and tags it with the service", () => {
      for (const name of ["prod-checkout", "prod-catalog"]) {
        for (const r of serviceChildren(prod, name)) {
          if (r.type === T.SCALING_POLICY || r.type === T.ROLE_POLICY) continue;
          expectRequiredTags(r);
          expect(tagsOf(r)!.Service, r.name).to.equal(name.replace("prod-", ""));
        }
      }
    });

    it("outputs the task definition and service as the hot-fix targets", () => {
      expect(prod.outputs.hotfix).to.deep.equal([serviceChild(prod, "prod-checkout", T.TASK).urn, serviceChild(prod, "prod-checkout", T.SERVICE).urn]);
    });
  });

  describe("a hot fix of one image", () => {
    const inputsByUrn = (r: CaptureResult): Map<string, string> => new Map(r.resources.map((x) => [x.urn, JSON.stringify(x.inputs)]));

    it("changes the inputs of that service's task definition and nothing else", () => {
      const before = inputsByUrn(prod);
      const after = inputsByUrn(hotfix);
      expect([...after.keys()]).to.deep.equal([...before.keys()]);
      const changed = [...before.keys()].filter((urn) => before.get(urn) !== after.get(urn));
      expect(changed).to.deep.equal([serviceChild(prod, "prod-checkout", T.TASK).urn]);
    });

    it("changes only the image in that task definition", () => {
      expect(container(hotfix, "prod-checkout")).to.deep.equal({ ...container(prod, "prod-checkout"), image: HOTFIX });
      // Under the real engine containerDefinitions forces a replacement: ECS registers a new
      // revision (new ARN), so this service's `taskDefinition` input changes and the service is
      // updated in place. The mock derives the ARN from the logical name, so it stays equal here.
      expect(serviceChild(hotfix, "prod-checkout", T.SERVICE).inputs.taskDefinition).to.equal(serviceChild(prod, "prod-checkout", T.SERVICE).inputs.taskDefinition);
    });
  });

  describe("in dev", () => {
    it("puts three of every four tasks beyond the first on Fargate Spot", () => {
      expect(serviceChild(dev, "dev-notifications", T.SERVICE).inputs.capacityProviderStrategies).to.deep.equal([
        { capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", base: 0, weight: 3 },
      ]);
    });

    it("deploys at 50% minimum healthy, still with the circuit breaker and rollback", () => {
      expect(serviceChild(dev, "dev-notifications", T.SERVICE).inputs).to.deep.include({ deploymentMinimumHealthyPercent: 50, deploymentCircuitBreaker: { enable: true, rollback: true }, deploymentController: { type: "ECS" }, desiredCount: 1 });
      expect(serviceChild(dev, "dev-notifications", T.SCALING_TARGET).inputs).to.include({ minCapacity: 1, maxCapacity: 2, resourceId: "service/tila-dev/notifications" });
    });

    it("routes by host on the internal ALB and keeps logs 14 days", () => {
      expect(serviceChild(dev, "dev-notifications", T.RULE).inputs).to.deep.include({ priority: 210, conditions: [{ hostHeader: { values: ["notifications.dev.internal.tila.sa"] } }] });
      expect(serviceChild(dev, "dev-notifications", T.LOG_GROUP).inputs).to.include({ name: "/tila/dev/notifications", retentionInDays: 14 });
    });

    it("pulls a non-ECR image by digest with no ECR, secret or key permissions", () => {
      expect(container(dev, "dev-notifications")).to.deep.include({ image: `docker.io/tila/notifications@${DEV_DIGEST}`, secrets: [], environment: [] });
      const actions = grants(policyDocument<PolicyDocument>(one(dev, T.ROLE_POLICY, "dev-notifications-execution-policy"), "policy")).map((g) => g.action);
      expect(actions).to.deep.equal(["logs:CreateLogStream", "logs:PutLogEvents"]);
    });

    it("has only the 443 egress rule when it declares no data service", () => {
      const own = serviceChildren(dev, "dev-notifications", T.EGRESS).filter((r) => r.inputs.securityGroupId === "sg-notifications");
      expect(own.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort])).to.deep.equal([["0.0.0.0/0", 443]]);
    });
  });

  describe("bad arguments", () => {
    it("throw one error, pointing at the component, that names every bad field", async () => {
      const err = await captureError(() => new MicroserviceService("prod-checkout", checkoutArgs({
        image: `${ECR}/tila/checkout:latest`, cpu: 256, memory: 4096, containerPort: 0,
        secrets: { "db-password": { secretArn: DB_SECRET } },
        scaling: { min: 1, max: 60, cpuTargetPercent: 60, requestsPerTarget: 800 },
        routing: { ...checkoutArgs().routing, priority: 60000, pathPatterns: undefined },
        capacity: { fargateSpot: true },
      })));
      expect(err.message).to.match(/^MicroserviceService "prod-checkout": /);
      for (const field of ["image:", "memory:", "containerPort:", "secrets.db-password:", "scaling.min:", "routing.priority:", "routing:", "capacity.fargateSpot:"]) {
        expect(err.message, field).to.include(field);
      }
    });

    it("create no resources when refused", async () => {
      const r = await run(() => {
        try {
          new MicroserviceService("prod-bad", checkoutArgs({ cpu: 3 }));
        } catch {
          // Refused at construction, before any child: only the component itself was registered.
        }
        return {};
      });
      expect(r.resources.filter((x) => x.type === T.COMPONENT).map((x) => x.name)).to.deep.equal(["prod-bad"]);
      expect(r.resources.filter((x) => x.custom)).to.deep.equal([]);
    });
  });
});
