/**
 * One microservice on Fargate behind an ALB (docs/services-and-edge.md): log group, execution and task
 * roles, task definition, target group and listener rule, the service's security group rules, the
 * ECS service and its autoscaling. Every decision is in `servicePlan.ts`, the IAM documents in
 * `servicePolicies.ts` and the container in `containerDefinition.ts`; this class wires resources.
 *
 * Hot fixes: the image appears only in this service's container definition, so changing it
 * replaces this task definition (a new revision) and updates this ECS service, and nothing else.
 * `hotfixTargetUrns` lists those two for `pulumi up --target`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { resourceTags } from "../tags";
import { ResolvedSecret, TMP_VOLUME, containerDefinitions, secretValueFrom } from "./containerDefinition";
import type { MicroserviceServiceArgs } from "./serviceArgs";
import { DEREGISTRATION_DELAY_SECONDS, SCALE_IN_COOLDOWN_SECONDS, SCALE_OUT_COOLDOWN_SECONDS, ServicePlan, resolveService } from "./servicePlan";
import { FALLBACK_LOG_GROUP_TAG } from "./firelens";
import { executionRoleName } from "./imageNames";
import { arnLocation, ecsTasksTrustPolicy, executionRolePolicy, taskRolePolicy } from "./servicePolicies";
import { attachNetworkRules } from "./serviceNetwork";
import { targetGroupName } from "./targetGroupName";
import { ecsServiceSafety } from "./ecsServiceSafety";

export type { MicroserviceServiceArgs } from "./serviceArgs";

export class MicroserviceService extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly serviceArn: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly targetGroupArn: pulumi.Output<string>;
  /** `targetgroup/<name>/<id>`: the TargetGroup dimension of its CloudWatch metrics. */
  readonly targetGroupArnSuffix: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly executionRoleArn: pulumi.Output<string>;
  /** The task definition and the ECS service: what a hot fix of the image changes. */
  readonly hotfixTargetUrns: pulumi.Output<string>[];

  constructor(name: string, args: MicroserviceServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:compute:MicroserviceService", name, {}, opts);
    const plan = this.resolve(name, args);
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, plan.service, `${name}-${role}`);

    // Created first so the ECS agent never creates it without retention.
    const logGroupTags = plan.shipping ? { ...tags("logs"), [FALLBACK_LOG_GROUP_TAG.key]: FALLBACK_LOG_GROUP_TAG.value } : tags("logs");
    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: plan.logGroupName, retentionInDays: plan.logRetentionDays, tags: logGroupTags }, parent);
    const where = logGroup.arn.apply(arnLocation);

    const executionRole = new aws.iam.Role(`${name}-execution-role`, {
      // A fixed name: the management account's ECR repository policy names this role before it exists.
      name: executionRoleName(plan.environment, plan.service),
      description: `ECS agent for ${plan.family}: pull the image, write logs, read its secrets`,
      assumeRolePolicy: where.apply((w) => JSON.stringify(ecsTasksTrustPolicy(w, "execution"))),
      tags: tags("execution-role"),
    }, parent);
    const secretArns = plan.secrets.map((s) => pulumi.output(args.secrets![s.name].secretArn));
    const executionPolicy = new aws.iam.RolePolicy(`${name}-execution-policy`, {
      role: executionRole.id,
      name: "execution",
      policy: pulumi.all([where, logGroup.arn, pulumi.all(secretArns), pulumi.all([...(args.secretKmsKeyArns ?? [])])]).apply(([w, logGroupArn, secrets, keys]) =>
        JSON.stringify(executionRolePolicy({ where: w, ecrRepositoryArn: plan.ecrRepositoryArn, logGroupArn, secretArns: secrets, kmsKeyArns: keys }))),
    }, parent);
    // The application gets AWS access only through statements added for a real need.
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
      description: `Application in ${plan.family}; no AWS permissions unless the service needs them`,
      assumeRolePolicy: where.apply((w) => JSON.stringify(ecsTasksTrustPolicy(w, "task"))),
      tags: tags("task-role"),
    }, parent);
    const databaseUsers = args.databaseUserArns ?? [];
    const configObjectArn = args.logShipping ? pulumi.output(args.logShipping.configObjectArn) : undefined;
    const taskPolicy = databaseUsers.length === 0 && !configObjectArn ? undefined : new aws.iam.RolePolicy(`${name}-task-policy`, {
      role: taskRole.id,
      name: "task",
      policy: pulumi.all([pulumi.all([...databaseUsers]), configObjectArn, logGroup.arn]).apply(([arns, objectArn, logGroupArn]) =>
        JSON.stringify(taskRolePolicy({ databaseUserArns: arns, firelens: objectArn === undefined ? undefined : { configObjectArn: objectArn, logGroupArn } }))),
    }, parent);

    const taskDefinition = this.taskDefinition(name, plan, args, { where, executionRole, taskRole, tags: tags("task"), dependsOn: taskPolicy ? [executionPolicy, taskPolicy] : [executionPolicy] });

    const targetGroupIdentity = { environment: plan.environment, service: plan.service, port: plan.containerPort, protocol: "HTTP", protocolVersion: "HTTP1", targetType: "ip" };
    const targetGroup = new aws.lb.TargetGroup(`${name}-tg`, {
      // Explicit: the auto-name does not fit 32 characters for long service names (see targetGroupName).
      name: targetGroupName(targetGroupIdentity),
      vpcId: args.vpcId,
      targetType: targetGroupIdentity.targetType,
      protocol: targetGroupIdentity.protocol,
      protocolVersion: targetGroupIdentity.protocolVersion,
      port: targetGroupIdentity.port,
      deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
      healthCheck: {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path: plan.healthCheckPath,
        matcher: "200-299",
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags: tags("tg"),
    }, parent);
    const listenerRule = new aws.lb.ListenerRule(`${name}-rule`, {
      listenerArn: args.routing.listenerArn,
      priority: plan.priority,
      conditions: plan.listenerConditions.map((c) => ({ ...c })),
      actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
      tags: tags("rule"),
    }, parent);

    attachNetworkRules({ name, parent: this, plan, args, tags });

    const service = new aws.ecs.Service(`${name}-service`, {
      // A fixed name: the hot-fix pipeline and operators address it as <cluster>/<service>.
      name: plan.service,
      cluster: args.cluster.arn,
      taskDefinition: taskDefinition.arn,
      capacityProviderStrategies: plan.capacityProviderStrategies.map((s) => ({ ...s })),
      platformVersion: "LATEST",
      networkConfiguration: { subnets: [...args.subnetIds], securityGroups: [args.securityGroupId], assignPublicIp: false },
      ...ecsServiceSafety(),
      deploymentMinimumHealthyPercent: plan.deployment.minimumHealthyPercent,
      deploymentMaximumPercent: plan.deployment.maximumPercent,
      availabilityZoneRebalancing: "ENABLED",
      loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: plan.containerName, containerPort: plan.containerPort }],
      healthCheckGracePeriodSeconds: plan.healthCheckGracePeriodSeconds,
      // The autoscaler owns the count from the first apply on; this is only the starting value.
      desiredCount: plan.scaling.min,
      tags: tags("service"),
    }, { parent: this, ignoreChanges: ["desiredCount"], dependsOn: [listenerRule] });

    this.autoscale(name, plan, args, service, targetGroup, listenerRule);

    this.serviceName = service.name;
    this.serviceArn = service.arn;
    this.taskDefinitionArn = taskDefinition.arn;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.logGroupName = logGroup.name;
    this.taskRoleArn = taskRole.arn;
    this.executionRoleArn = executionRole.arn;
    this.hotfixTargetUrns = [taskDefinition.urn, service.urn];
    this.registerOutputs({
      serviceName: this.serviceName,
      serviceArn: this.serviceArn,
      taskDefinitionArn: this.taskDefinitionArn,
      targetGroupArn: this.targetGroupArn,
      logGroupName: this.logGroupName,
      taskRoleArn: this.taskRoleArn,
      executionRoleArn: this.executionRoleArn,
      hotfixTargetUrns: this.hotfixTargetUrns,
    });
  }

  private taskDefinition(
    name: string,
    plan: ServicePlan,
    args: MicroserviceServiceArgs,
    deps: { where: pulumi.Output<{ region: string }>; executionRole: aws.iam.Role; taskRole: aws.iam.Role; tags: Record<string, string>; dependsOn: pulumi.Resource[] },
  ): aws.ecs.TaskDefinition {
    const environment = pulumi.all(plan.environmentVariables.map((v) => pulumi.output(v.value).apply((value) => ({ name: v.name, value }))));
    const secrets = pulumi.all(plan.secrets.map((s) =>
      pulumi.output(args.secrets![s.name].secretArn).apply((arn): ResolvedSecret => ({ name: s.name, valueFrom: secretValueFrom(arn, s.jsonKey) }))));
    const shipping = plan.shipping;
    const firelens = shipping && args.logShipping
      ? pulumi.output(args.logShipping.configObjectArn).apply((configObjectArn) => ({ host: shipping.host, port: shipping.port, configObjectArn }))
      : pulumi.output(undefined);
    return new aws.ecs.TaskDefinition(`${name}-task`, {
      family: plan.family,
      cpu: String(plan.cpu),
      memory: String(plan.memory),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: plan.cpuArchitecture },
      executionRoleArn: deps.executionRole.arn,
      taskRoleArn: deps.taskRole.arn,
      containerDefinitions: pulumi
        .all([deps.where, secrets, environment, firelens])
        .apply(([w, s, e, f]) => JSON.stringify(containerDefinitions(plan, { region: w.region, secrets: s, environment: e, ...(f ? { firelens: f } : {}) }))),
      volumes: [{ name: TMP_VOLUME }],
      // Keep earlier revisions registered: the circuit breaker's rollback and a manual rollback
      // both redeploy the previous revision, which Pulumi would otherwise deregister on replace.
      skipDestroy: true,
      tags: deps.tags,
    }, { parent: this, dependsOn: deps.dependsOn });
  }

  private autoscale(name: string, plan: ServicePlan, args: MicroserviceServiceArgs, service: aws.ecs.Service, targetGroup: aws.lb.TargetGroup, listenerRule: aws.lb.ListenerRule): void {
    const target = new aws.appautoscaling.Target(`${name}-scaling-target`, {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.cluster.name}/${service.name}`,
      minCapacity: plan.scaling.min,
      maxCapacity: plan.scaling.max,
      tags: resourceTags(args.tags, plan.service, `${name}-scaling-target`),
    }, { parent: this });
    const policy = (role: string, metric: { predefinedMetricType: string; resourceLabel?: pulumi.Input<string> }, targetValue: number, dependsOn: pulumi.Resource[]): void => {
      new aws.appautoscaling.Policy(`${name}-scale-${role}`, {
        name: `${plan.family}-${role}`,
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          predefinedMetricSpecification: metric,
          scaleInCooldown: SCALE_IN_COOLDOWN_SECONDS,
          scaleOutCooldown: SCALE_OUT_COOLDOWN_SECONDS,
        },
      }, { parent: this, dependsOn });
    };
    policy("cpu", { predefinedMetricType: "ECSServiceAverageCPUUtilization" }, plan.scaling.cpuTargetPercent, []);
    // The label names the target group on its ALB; the metric exists only once the rule attaches them.
    policy("requests", {
      predefinedMetricType: "ALBRequestCountPerTarget",
      resourceLabel: pulumi.interpolate`${args.routing.loadBalancerArnSuffix}/${targetGroup.arnSuffix}`,
    }, plan.scaling.requestsPerTarget, [listenerRule]);
  }

  private resolve(name: string, args: MicroserviceServiceArgs): ServicePlan {
    const r = resolveService(args);
    if (!r.ok) throw new pulumi.ResourceError(`MicroserviceService "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }
}
