/**
 * Prometheus of a stack (docs/observability-prometheus.md): in each environment its own workspace
 * (metrics stay in the environment's account), the collector that scrapes every service the
 * catalogue runs and every data node's exporters, and the alert rules routed to the stack's alert
 * topics. Management has nothing to scrape and gets none of it.
 */
import * as pulumi from "@pulumi/pulumi";
import { stackThresholds } from "../config/observability";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { alertRuleGroups } from "../components/observability/prometheus/alerting";
import { PrometheusCollector } from "../components/observability/prometheus/PrometheusCollector";
import { PrometheusWorkspace } from "../components/observability/prometheus/PrometheusWorkspace";
import { ObservabilityParts } from "./observability";
import { commonTags } from "./shared";

export function buildPrometheus(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  if (cfg.kind !== "environment") return { prometheus: { enabled: false, reason: "management runs nothing to scrape" } };
  const s = cfg.settings;
  const p = s.observability.prometheus;
  if (!p.enabled) return { prometheus: { enabled: false, reason: "observability.prometheus.enabled is false" } };
  const env = cfg.stack;
  const { data, services } = parts;
  if (!data || !services) throw new Error(`${env}: Prometheus needs the data and services tiers`);
  const tags = commonTags(env, s.tags);

  const dataClusters = Object.entries(data.clusters).sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => ({
    name,
    engine: s.data.clusters.find((x) => (x.name ?? x.engine) === name)?.engine ?? name,
    securityGroupId: c.securityGroupId,
    nodeDnsNames: c.nodeDnsNames,
    endpoints: c.metricsEndpoints,
  }));
  const scrapedServices = s.services.catalog.map((svc) => {
    const securityGroupId = services.groups.ids[svc.name];
    if (securityGroupId === undefined) throw new Error(`${env}: no security group for service "${svc.name}"`);
    return { name: svc.name, port: svc.port, securityGroupId };
  });

  const workspace = new PrometheusWorkspace(`${env}-prometheus`, {
    environment: env,
    region: cfg.region,
    logRetentionDays: p.logRetentionDays,
    ruleGroups: alertRuleGroups({
      environment: env,
      nodeJobs: [...new Set(dataClusters.flatMap((c) => c.endpoints.map((e) => e.job)))].sort(),
      services: scrapedServices.length > 0,
    }),
    topics,
    protect: env === "prod",
    tags,
  });
  const collector = new PrometheusCollector(`${env}-prometheus-collector`, {
    environment: env,
    region: cfg.region,
    vpcId: parts.network.vpcId,
    subnetIds: parts.network.subnetIds.app,
    cluster: { arn: services.cluster.clusterArn, name: services.cluster.clusterName },
    workspace: { arn: workspace.workspaceArn, remoteWriteUrl: workspace.remoteWriteUrl },
    scrapeIntervalSeconds: p.scrapeIntervalSeconds,
    servicesMetricsPath: p.servicesMetricsPath,
    logRetentionDays: p.logRetentionDays,
    services: scrapedServices,
    dataClusters,
    // Its own alarms warn: a collector outage loses metrics, not customer traffic, and DataNodeTargetsMissing pages if it lasts.
    alarms: topics ? { topicArn: topics.warning, thresholds: stackThresholds(env, s.observability.alerts) } : undefined,
    tags,
  });

  return {
    prometheus: {
      enabled: true,
      workspaceId: workspace.workspaceId,
      remoteWriteUrl: workspace.remoteWriteUrl,
      alerting: workspace.alerting ? "rules routed to the critical and warning topics" : "no alert topics yet: no rules created",
      collector: collector.serviceName,
      discoveredServices: collector.discoveredServices,
      staticTargets: collector.staticTargets,
      collectorAlarms: collector.alarmNames,
    },
  };
}
