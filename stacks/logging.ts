/**
 * Central logging of a stack (docs/observability-logging.md). Management: the Graylog cluster, its
 * storage and the provisioning of its inputs, index sets, streams and alerts. Environments: the name
 * they reach Graylog by (logShippingTarget, created before the data tier and the services, which
 * ship to it), and the shipper of their flow logs and ALB access logs.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { GELF_TCP_PORT } from "../components/observability/logging/graylogPlan";
import type { EnvironmentLogShipping } from "./serviceWiring";
import { GraylogName } from "../components/observability/logging/GraylogName";
import { ObservabilityParts } from "./observability";
import { buildLogShipper } from "./logShipper";
import { buildGraylog } from "./graylog";
import { provisionGraylog } from "./graylogProvisioning";
import { ManagementReference, commonTags } from "./shared";

/** An environment's target with what its services also need: the CloudWatch copy's retention and the services that keep CloudWatch only. */
export type { EnvironmentLogShipping };

/**
 * Environments with shipping on: `graylog.<env zone>`, a CNAME to management's load balancer in the
 * environment's private zone (the certificate covers it). Undefined when shipping is off.
 */
export function logShippingTarget(cfg: ValidatedConfig, mgmt: ManagementReference, privateZone: { zoneId: pulumi.Input<string>; name: string }): EnvironmentLogShipping | undefined {
  if (cfg.kind !== "environment" || !cfg.settings.observability.logging.shipping.enabled) return undefined;
  const managementCidr = cfg.plan.stacks.management?.cidr;
  if (!managementCidr) throw new Error(`${cfg.stack}: management has no network.cidr in the address plan`);
  const host = new GraylogName(`${cfg.stack}-graylog-name`, {
    environment: cfg.stack,
    privateZone,
    loadBalancerDnsName: mgmt.output("graylogLoadBalancerDnsName").apply((n) => {
      if (!n) throw new Error("management exports no graylogLoadBalancerDnsName: enable observability.logging.graylog in Pulumi.management.yaml");
      return n;
    }),
    tags: commonTags(cfg.stack, cfg.settings.tags),
  }).host;
  const { fallbackRetentionDays, excludeServices } = cfg.settings.observability.logging.shipping;
  return { host, port: GELF_TCP_PORT, managementCidr, fallbackRetentionDays, excludeServices };
}

/** Created after the services: management's Graylog and its provisioning; an environment's log shipper. */
export function buildLogging(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  if (cfg.kind === "management") {
    // stacks/graylog.ts (cluster and storage), then stacks/graylogProvisioning.ts (streams, alerts).
    const graylog = buildGraylog(cfg, parts, topics);
    if (!graylog) return {};
    const outputs: Record<string, pulumi.Input<unknown>> = { ...graylog.outputs };
    Object.assign(outputs, provisionGraylog(cfg, parts, graylog.endpoints, topics));
    return outputs;
  }
  // Flow logs and ALB access logs.
  return buildLogShipper(cfg, parts, topics);
}
