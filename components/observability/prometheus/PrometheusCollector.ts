/**
 * The ADOT collector of an environment (docs/observability-prometheus.md#collector): one Fargate task
 * on the environment's ECS cluster that discovers the services with ecs_observer, scrapes them and the
 * data nodes' exporters, and remote-writes to the workspace with SigV4. Its security group reaches
 * exactly each service's port and each cluster's exporter ports, and those groups admit exactly it
 * on exactly those ports (rules created here, by the client, as Kafka admits itself to ZooKeeper).
 * Its own ECS service is watched like a catalogue service (running below desired, CPU, memory), by
 * the alarm planner's own service alarms, on the topic the stack gives it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { trustPolicy } from "../../data/clusterIdentity";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { AlarmKind, AlarmSpec, planAlarms } from "../alarmPlan";
import { metricAlarmArgs } from "../ObservabilityStack";
import { ResolvedThresholds } from "../thresholds";
import { NodeScrape, collectorConfigYaml } from "./collectorConfig";
import { collectorExecutionPolicy, collectorTaskPolicy } from "./policies";
import { ecsServiceSafety } from "../../compute/ecsServiceSafety";

const SERVICE = "observability";
/** A fixed name, like the services': operators address it as tila-<env>/prometheus-collector. */
export const COLLECTOR_SERVICE_NAME = "prometheus-collector";
/**
 * AWS Distro for OpenTelemetry collector, pinned to a release (aws-observability/aws-otel-collector
 * VERSION v0.49.0). It runs as the image's own user `aoc`, UID 4317 (its Dockerfile).
 */
export const COLLECTOR_IMAGE = "public.ecr.aws/aws-observability/aws-otel-collector:v0.49.0";
export const COLLECTOR_USER = "4317:4317";
const TMP_VOLUME = "tmp";
/** Fargate's smallest size with headroom for a few thousand series per scrape. */
const CPU = 512;
const MEMORY = 1024;

/**
 * The planner's service alarms that apply to the collector: it has no target group, so no 5xx or
 * unhealthy-host alarms (and so no "service down" composite); `DataNodeTargetsMissing` in the
 * workspace is the end-to-end check that it scrapes.
 */
export const COLLECTOR_ALARM_KINDS: readonly AlarmKind[] = ["service-below-desired", "service-cpu", "service-memory"];

/** The collector's own alarms, as the planner plans them for a service named `prometheus-collector`. */
export function collectorAlarmSpecs<V>(environment: string, clusterName: V, serviceName: V, thresholds: ResolvedThresholds): AlarmSpec<V | string>[] {
  const plan = planAlarms<V | string>({
    environment,
    accountId: "",
    loadBalancers: [],
    services: [{ name: COLLECTOR_SERVICE_NAME, clusterName, serviceName, targetGroup: "", loadBalancer: "" }],
    nodes: [],
    natGateways: [],
    vpnTunnels: [],
    transitAttachments: [],
  }, thresholds);
  return plan.alarms
    .filter((a) => (COLLECTOR_ALARM_KINDS as readonly string[]).includes(a.kind))
    .map((a) => ({ ...a, description: `${a.description.split(" Runbook: ")[0]} Runbook: ${COLLECTOR_RUNBOOKS[a.kind] ?? ""}` }));
}

/** The collector's runbooks: the planner's are written for the catalogue's services. */
const COLLECTOR_RUNBOOKS: Readonly<Record<string, string>> = {
  "service-below-desired": "read the prometheus-collector service's events and /tila/<env>/prometheus/collector (image pull from public ECR through the NAT gateway, a config error on start); while it is down nothing is scraped.",
  "service-cpu": "many more series than usual (a new cluster or a service exporting per-request labels); raise the task size in PrometheusCollector.ts or drop the series.",
  "service-memory": "too many series or a remote-write backlog (AMP throttling or unreachable, see the log group); raise the task memory in PrometheusCollector.ts.",
};

export interface CollectorDataCluster {
  /** The cluster's name (the `cluster` label). */
  readonly name: string;
  readonly engine: string;
  /** The cluster's security group: it admits the collector on `endpoints`' ports. */
  readonly securityGroupId: pulumi.Input<string>;
  /** Every node's private DNS name. */
  readonly nodeDnsNames: readonly string[];
  readonly endpoints: readonly { readonly job: string; readonly port: number; readonly path: string }[];
}

export interface CollectorService {
  readonly name: string;
  /** The container port the service serves its metrics on (its only port). */
  readonly port: number;
  /** The service's security group: it admits the collector on `port`. */
  readonly securityGroupId: pulumi.Input<string>;
}

export interface PrometheusCollectorArgs {
  readonly environment: string;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  /** Where the task runs: the app tier, beside the services, with routes to the data tier and AWS APIs. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  readonly cluster: { readonly arn: pulumi.Input<string>; readonly name: pulumi.Input<string> };
  readonly workspace: { readonly arn: pulumi.Input<string>; readonly remoteWriteUrl: pulumi.Input<string> };
  /** @default 60 */
  readonly scrapeIntervalSeconds?: number;
  /** @default "/metrics" */
  readonly servicesMetricsPath?: string;
  readonly logRetentionDays: number;
  readonly services: readonly CollectorService[];
  readonly dataClusters: readonly CollectorDataCluster[];
  /**
   * Where the collector's own ECS alarms notify and the stack's thresholds for them (the service
   * defaults and any `prometheus-collector` override). None when omitted: a stack without alert
   * topics creates no alarm that notifies nobody.
   */
  readonly alarms?: { readonly topicArn: pulumi.Input<string>; readonly thresholds: ResolvedThresholds };
  readonly tags: Tags;
}

export class PrometheusCollector extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;
  readonly taskRoleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** `host:port` of every static target, by job: what the collector scrapes besides the services. */
  readonly staticTargets: Readonly<Record<string, readonly string[]>>;
  /** The services ecs_observer looks for. */
  readonly discoveredServices: readonly string[];
  /** The AWS names of the collector's own alarms (empty without `alarms`). */
  readonly alarmNames: readonly string[];

  constructor(name: string, args: PrometheusCollectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:PrometheusCollector", name, {}, opts);
    const issues = missingCommonTags(args.tags);
    const seen = new Set<string>();
    for (const s of args.services) {
      if (seen.has(s.name)) issues.push(`services: "${s.name}" is listed twice`);
      seen.add(s.name);
      if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) issues.push(`services.${s.name}.port: ${s.port} is not a TCP port`);
    }
    if (args.services.some((s) => s.name === COLLECTOR_SERVICE_NAME)) issues.push(`services: "${COLLECTOR_SERVICE_NAME}" is the collector's own service name`);
    if (issues.length > 0) throw new pulumi.ResourceError(`PrometheusCollector "${name}": ${issues.join("; ")}`, this);
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`);
    const parent = { parent: this };

    const nodes: NodeScrape[] = args.dataClusters.flatMap((c) => c.endpoints.map((e) => ({
      job: e.job, cluster: c.name, engine: c.engine, port: e.port, path: e.path, hosts: [...c.nodeDnsNames],
    })));
    this.staticTargets = nodes.reduce<Record<string, string[]>>((acc, n) => {
      (acc[n.job] ??= []).push(...n.hosts.map((h) => `${h}:${n.port}`));
      return acc;
    }, {});
    this.discoveredServices = args.services.map((s) => s.name).sort();

    const sg = this.network(name, args, tags);

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      name: `/tila/${args.environment}/prometheus/collector`,
      retentionInDays: args.logRetentionDays,
      tags: tags("logs"),
    }, parent);
    const executionRole = new aws.iam.Role(`${name}-execution-role`, {
      description: `ECS agent for the ${args.environment} Prometheus collector: its own log streams only`,
      assumeRolePolicy: trustPolicy("ecs-tasks.amazonaws.com"),
      tags: tags("execution-role"),
    }, parent);
    const executionPolicy = new aws.iam.RolePolicy(`${name}-execution-policy`, {
      role: executionRole.name,
      policy: logGroup.arn.apply(collectorExecutionPolicy),
    }, parent);
    const taskRole = new aws.iam.Role(`${name}-task-role`, {
      description: `The ${args.environment} Prometheus collector: remote write to its workspace, ECS discovery on its cluster`,
      assumeRolePolicy: trustPolicy("ecs-tasks.amazonaws.com"),
      tags: tags("task-role"),
    }, parent);
    const hasServices = args.services.length > 0;
    const taskPolicy = new aws.iam.RolePolicy(`${name}-task-policy`, {
      role: taskRole.name,
      policy: pulumi.all([args.workspace.arn, args.cluster.arn]).apply(([workspaceArn, clusterArn]) =>
        collectorTaskPolicy({ workspaceArn, clusterArn: hasServices ? clusterArn : undefined })),
    }, parent);

    const config = pulumi.all([args.cluster.name, args.workspace.remoteWriteUrl]).apply(([clusterName, remoteWriteUrl]) => collectorConfigYaml({
      environment: args.environment,
      region: args.region,
      clusterName,
      remoteWriteUrl,
      scrapeIntervalSeconds: args.scrapeIntervalSeconds ?? 60,
      servicesMetricsPath: args.servicesMetricsPath ?? "/metrics",
      services: args.services.map((s) => ({ service: s.name, port: s.port })),
      nodes,
    }));
    const taskDefinition = new aws.ecs.TaskDefinition(`${name}-task`, {
      family: `tila-${args.environment}-${COLLECTOR_SERVICE_NAME}`,
      cpu: String(CPU),
      memory: String(MEMORY),
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions: pulumi.all([config, logGroup.name]).apply(([content, group]) => JSON.stringify([{
        name: "collector",
        image: COLLECTOR_IMAGE,
        essential: true,
        user: COLLECTOR_USER,
        readonlyRootFilesystem: true,
        // The image reads its whole configuration from this variable (pkg/config/config_factory.go).
        environment: [{ name: "AOT_CONFIG_CONTENT", value: content }],
        mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
        linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["ALL"] } },
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": group, "awslogs-region": args.region, "awslogs-stream-prefix": "collector", mode: "non-blocking", "max-buffer-size": "25m" },
        },
      }])),
      volumes: [{ name: TMP_VOLUME }],
      skipDestroy: true,
      tags: tags("task"),
    }, { parent: this, dependsOn: [executionPolicy, taskPolicy] });

    const service = new aws.ecs.Service(`${name}-service`, {
      name: COLLECTOR_SERVICE_NAME,
      cluster: args.cluster.arn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "LATEST",
      // One task: scrapes do not shard, and a second replica would write every sample twice.
      desiredCount: 1,
      networkConfiguration: { subnets: [...args.subnetIds], securityGroups: [sg.id], assignPublicIp: false },
      ...ecsServiceSafety(),
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      tags: tags("service"),
    }, { parent: this, ignoreChanges: ["desiredCount"] });

    // Capacity is a decision, not a default: exactly one task, held by a scheduled action the
    // autoscaler re-applies daily (ecs-services-autoscaled asks every service to state its capacity).
    const target = new aws.appautoscaling.Target(`${name}-scaling-target`, {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: pulumi.interpolate`service/${args.cluster.name}/${service.name}`,
      minCapacity: 1,
      maxCapacity: 1,
      tags: tags("scaling-target"),
    }, parent);
    new aws.appautoscaling.ScheduledAction(`${name}-hold-one`, {
      name: `tila-${args.environment}-${COLLECTOR_SERVICE_NAME}-hold-one`,
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      schedule: "cron(0 3 * * ? *)",
      scalableTargetAction: { minCapacity: 1, maxCapacity: 1 },
    }, parent);

    const alarms = args.alarms
      ? collectorAlarmSpecs<pulumi.Input<string>>(args.environment, args.cluster.name, service.name, args.alarms.thresholds)
      : [];
    for (const a of alarms) new aws.cloudwatch.MetricAlarm(`${name}-${a.key}`, metricAlarmArgs(a, args.alarms!.topicArn, tags(a.key)), parent);
    this.alarmNames = alarms.map((a) => a.name);

    this.securityGroupId = sg.id;
    this.serviceName = service.name;
    this.taskRoleArn = taskRole.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      securityGroupId: this.securityGroupId,
      serviceName: this.serviceName,
      taskRoleArn: this.taskRoleArn,
      logGroupName: this.logGroupName,
      staticTargets: this.staticTargets,
      discoveredServices: this.discoveredServices,
      alarmNames: this.alarmNames,
    });
  }

  /** The collector's group and both ends of every scrape path; AWS APIs on 443. */
  private network(name: string, args: PrometheusCollectorArgs, tags: (role: string) => Record<string, string>): aws.ec2.SecurityGroup {
    const parent = { parent: this };
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: `Prometheus collector (${args.environment})`,
      tags: tags("sg"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-https`, {
      securityGroupId: sg.id,
      ipProtocol: "tcp", fromPort: 443, toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: "Prometheus collector to AMP remote write and the ECS API",
      tags: tags("out-https"),
    }, parent);
    const scrape = (label: string, targetGroupId: pulumi.Input<string>, port: number, what: string): void => {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-${label}-${port}`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp", fromPort: port, toPort: port,
        referencedSecurityGroupId: targetGroupId,
        description: `Prometheus collector scrapes ${what} on ${port}`,
        tags: tags(`out-${label}-${port}`),
      }, parent);
      new aws.vpc.SecurityGroupIngressRule(`${name}-in-${label}-${port}`, {
        securityGroupId: targetGroupId,
        ipProtocol: "tcp", fromPort: port, toPort: port,
        referencedSecurityGroupId: sg.id,
        description: `${what} scraped by the Prometheus collector on ${port}`,
        tags: tags(`in-${label}-${port}`),
      }, parent);
    };
    for (const c of args.dataClusters) {
      for (const port of [...new Set(c.endpoints.map((e) => e.port))].sort((a, b) => a - b)) scrape(c.name, c.securityGroupId, port, `${c.engine} cluster ${c.name}`);
    }
    for (const s of args.services) scrape(`svc-${s.name}`, s.securityGroupId, s.port, `service ${s.name}`);
    return sg;
  }
}
