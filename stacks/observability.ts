/**
 * Observability of a stack (docs/observability.md): the alert topics, the alarms and dashboards
 * derived from the stack's own components, and the notifiers. Returns the topics the other parts
 * (Prometheus, APM) route their alerts to.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { stackThresholds, teamsRouting } from "../config/observability";
import { ENVIRONMENTS } from "../config/schema";
import { partitionOf } from "../components/compute/imageNames";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { OfficeVpn } from "../components/network/OfficeVpn";
import { TransitHub } from "../components/network/TransitHub";
import { AlertChannels } from "../components/observability/AlertChannels";
import { failureRuleArn } from "../components/delivery/deliveryPolicies";
import { Inventory, planAlarms } from "../components/observability/alarmPlan";
import { DashboardSpec, crossEnvironmentWidgets, environmentWidgets, networkWidgets } from "../components/observability/dashboard";
import { ObservabilityStack, metricAlarmArgs } from "../components/observability/ObservabilityStack";
import { MonitoringSink, MonitoringLink } from "../components/observability/CrossAccountObservability";
import { AlertTopics } from "../components/observability/types";
import { LogShippingTarget } from "../components/observability/logging/graylogPlan";
import { DataTier } from "./data";
import { ServicesTier } from "./services";
import { commonTags } from "./shared";

/** The components of a stack that its observability watches. */
export interface ObservabilityParts {
  network: EnvironmentNetwork;
  /** Environments only. */
  data?: DataTier;
  services?: ServicesTier["parts"];
  /** Management only. */
  transit?: TransitHub;
  officeVpns?: readonly OfficeVpn[];
  /** The stack's security topic (findings), when it has one: its notifications go to Teams too. */
  securityTopic?: { arn: pulumi.Output<string>; keyArn: pulumi.Output<string> };
  /** The stack's private DNS zone, where collectors and central endpoints get names. */
  privateZone?: { zoneId: pulumi.Input<string>; name: string };
  /** Management: its public apex zone (Graylog's certificate is validated there). */
  publicZone?: { zoneId: pulumi.Input<string>; name: string };
  /** The alert topics, when the stack created them early (environments: the data tier's own alarms route to them). */
  alerts?: AlertChannels;
  /** The Transit Gateway the stack's VPC is attached to (environments: management's). */
  transitGatewayId?: pulumi.Input<string>;
  /** Environments: management's cross-account observability sink, which their metrics are shared with. */
  monitoringSinkArn?: pulumi.Input<string>;
  /** Environments shipping logs: where to (stacks/logging.ts logShippingTarget). */
  logTarget?: LogShippingTarget;
}

export interface ObservabilityWiring {
  /** Undefined until the stack has alert topics. */
  topics?: AlertTopics;
  outputs: Record<string, pulumi.Input<unknown>>;
}

/** The stack's critical and warning topics (created before anything that alarms). */
export function buildAlertChannels(cfg: ValidatedConfig): AlertChannels {
  const alerts = cfg.settings.observability.alerts;
  return new AlertChannels(`${cfg.stack}-alerts`, {
    environment: cfg.stack,
    accountId: cfg.settings.accountId,
    region: cfg.region,
    partition: partitionOf(cfg.region),
    emails: alerts.emails,
    // Management's service pipelines report failures to the warning topic (stacks/delivery.ts).
    eventRuleArns: cfg.kind === "management" && cfg.settings.delivery ? [failureRuleArn({ partition: partitionOf(cfg.region), region: cfg.region, accountId: cfg.settings.accountId })] : undefined,
    protect: cfg.stack === "prod",
    tags: commonTags(cfg.stack, cfg.settings.tags),
  });
}

/** What the stack runs, read from its components. */
export function inventoryOf(cfg: ValidatedConfig, parts: ObservabilityParts): Inventory<pulumi.Input<string>> {
  const svc = parts.services;
  const exposure = (name: string): string =>
    cfg.kind === "environment" ? (cfg.settings.services.catalog.find((s) => s.name === name)?.exposure ?? "public") : "public";
  const attachments: Inventory<pulumi.Input<string>>["transitAttachments"][number][] = [];
  if (parts.transitGatewayId && parts.network.attachmentId) attachments.push({ label: cfg.stack, transitGatewayId: parts.transitGatewayId, attachmentId: parts.network.attachmentId });
  const tunnels: { label: string; address: pulumi.Input<string> }[] = [];
  if (cfg.kind === "management" && parts.officeVpns) {
    parts.officeVpns.forEach((vpn, k) => {
      const office = cfg.settings.offices[k]!;
      for (const d of office.devices) {
        if (parts.transitGatewayId && vpn.attachmentIds[d.name]) attachments.push({ label: `${office.name}-${d.name}`, transitGatewayId: parts.transitGatewayId, attachmentId: vpn.attachmentIds[d.name]! });
        for (const n of [1, 2] as const) {
          const address = vpn.tunnelAddresses.apply((list) => list.find((t) => t.device === d.name && t.tunnel === n)?.outsideAddress ?? "");
          tunnels.push({ label: `${office.name}-${d.name}-t${n}`, address });
        }
      }
    });
  }
  const data = parts.data;
  return {
    environment: cfg.stack,
    accountId: cfg.settings.accountId,
    loadBalancers: svc ? [{ name: "public", arnSuffix: svc.publicAlb.arnSuffix }, { name: "internal", arnSuffix: svc.internalAlb.arnSuffix }] : [],
    services: svc
      ? Object.entries(svc.services).map(([name, s]) => ({
          name,
          clusterName: svc.cluster.clusterName,
          serviceName: s.serviceName,
          targetGroup: s.targetGroupArnSuffix,
          loadBalancer: exposure(name) === "internal" ? svc.internalAlb.arnSuffix : svc.publicAlb.arnSuffix,
        }))
      : [],
    nodes: data
      ? Object.entries(data.clusters).flatMap(([cluster, c]) => c.instanceIds.map((instanceId, index) => ({ cluster, index, instanceId, paths: c.monitoredPaths })))
      : [],
    mysql: data ? { identifier: data.mysql.identifier, allocatedStorageGiB: data.mysql.allocatedStorageGiB, readReplicas: [] } : undefined,
    redis: data ? { replicationGroupId: data.redis.replicationGroupId, memberClusterIds: data.redis.memberClusterIds } : undefined,
    opensearch: data ? { domainName: data.search.domainName, volumeSizeGiB: data.search.volumeSizeGiB } : undefined,
    natGateways: parts.network.natGatewayIds.map((id, index) => ({ index, id })),
    vpnTunnels: tunnels,
    transitAttachments: attachments,
  };
}

export function buildObservability(cfg: ValidatedConfig, parts: ObservabilityParts): ObservabilityWiring {
  const stack = cfg.stack;
  const alertsCfg = cfg.settings.observability.alerts;
  const tags = commonTags(stack, cfg.settings.tags);
  const channels = parts.alerts ?? buildAlertChannels(cfg);
  const topics = channels.topics;
  const inventory = inventoryOf(cfg, parts);

  const routing = teamsRouting(stack, alertsCfg);
  const teamsTopics = [
    ...(routing.critical ? [{ name: "critical", arn: topics.critical }] : []),
    ...(routing.warning ? [{ name: "warning", arn: topics.warning }] : []),
    ...(routing.security && parts.securityTopic ? [{ name: "security", arn: parts.securityTopic.arn }] : []),
  ];

  const dashboards: DashboardSpec[] = [];
  let sinkArn: pulumi.Output<string> | undefined;
  if (cfg.kind === "environment") {
    dashboards.push({ key: "environment", name: `tila-${stack}`, widgets: environmentWidgets(inventory, cfg.region, parts.services?.waf.webAclName) });
    const mgmtAccount = cfg.plan.managementAccountId;
    // A link needs a sink in another account: an environment sharing management's account is already in its view.
    if (parts.monitoringSinkArn && mgmtAccount && mgmtAccount !== cfg.settings.accountId) {
      new MonitoringLink(`${stack}-monitoring-link`, { environment: stack, sinkArn: parts.monitoringSinkArn, tags });
    }
  } else {
    const environments = ENVIRONMENTS.flatMap((name) => {
      const e = cfg.plan.stacks[name];
      return e ? [{ name, accountId: e.accountId }] : [];
    });
    const linked = environments.filter((e) => e.accountId !== cfg.settings.accountId);
    const sink = new MonitoringSink("monitoring-sink", { sourceAccountIds: [...new Set(linked.map((e) => e.accountId))], tags });
    sinkArn = sink.sinkArn;
    dashboards.push({
      key: "platform",
      name: "tila-platform",
      widgets: [...networkWidgets(inventory, cfg.region), ...crossEnvironmentWidgets(environments, cfg.region)],
    });
  }

  const obs = new ObservabilityStack(`${stack}-observability`, {
    environment: stack,
    inventory,
    thresholds: stackThresholds(stack, alertsCfg),
    topics,
    dashboards,
    teams: { topics: teamsTopics, logRetentionDays: cfg.settings.incidentResponse.logRetentionDays },
    tags,
  });

  return {
    topics,
    outputs: {
      alertTopics: { critical: topics.critical, warning: topics.warning },
      ...(sinkArn ? { monitoringSinkArn: sinkArn } : {}),
      monitoring: {
        alarms: Object.fromEntries(Object.entries(obs.alarmNamesByKind).map(([k, v]) => [k, v.length])),
        dashboards: obs.dashboardNames,
        teams: obs.teamsTopics,
        emails: channels.emailCounts,
      },
    },
  };
}

/**
 * Alarms on parts a stack builds after its ObservabilityStack (management's Glowroot and Graylog
 * nodes, their stores): planned like an environment's data tier (components/observability/alarmPlan.ts:
 * instance status, memory, each monitored file system; a domain's status, storage, JVM pressure and
 * master) with the stack's thresholds. Each alarm is `<prefix>-<key>`, tagged for `service`, under `parent`.
 */
export function watchParts(
  cfg: ValidatedConfig,
  parts: Pick<Inventory<pulumi.Input<string>>, "nodes" | "opensearch">,
  topics: AlertTopics,
  naming: { prefix: string; service: string },
  parent: pulumi.Resource,
): void {
  const plan = planAlarms({
    environment: cfg.stack,
    accountId: cfg.settings.accountId,
    loadBalancers: [],
    services: [],
    nodes: parts.nodes,
    ...(parts.opensearch ? { opensearch: parts.opensearch } : {}),
    natGateways: [],
    vpnTunnels: [],
    transitAttachments: [],
  }, stackThresholds(cfg.stack, cfg.settings.observability.alerts));
  const tags = commonTags(cfg.stack, cfg.settings.tags);
  for (const a of plan.alarms) {
    const topic = a.severity === "critical" ? topics.critical : topics.warning;
    const name = `${naming.prefix}-${a.key}`;
    new aws.cloudwatch.MetricAlarm(name, metricAlarmArgs(a, topic, { ...tags, Service: naming.service, Name: name }), { parent });
  }
}
