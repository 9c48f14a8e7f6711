/**
 * Management's Graylog cluster (docs/observability-logging.md#the-graylog-cluster): the load
 * balancer and its certificate, the names every stack reaches it by, and what the provisioning
 * step needs (GraylogEndpoints). Only management runs it, and only with `observability.logging.graylog.enabled`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { privateZoneName } from "../components/network/DnsZones";
import { GraylogLoadBalancer } from "../components/observability/logging/GraylogLoadBalancer";
import { GELF_TCP_PORT, GRAYLOG_HTTPS_PORT, GraylogEndpoints } from "../components/observability/logging/graylogPlan";
import { ObservabilityParts } from "./observability";
import { commonTags } from "./shared";

/** Logical name of management's Graylog pieces; IAM names start with the stack's name (deployPolicy.ts). */
export const GRAYLOG_NAME = "management-graylog";

export interface GraylogBuild {
  /** Stack outputs: `graylogLoadBalancerDnsName` (environments CNAME to it) and `graylog`. */
  outputs: Record<string, pulumi.Input<unknown>>;
  /** What the provisioning step (stacks/graylogProvisioning.ts) is handed. */
  endpoints: GraylogEndpoints<pulumi.Input<string>>;
  /** The cluster's pieces, for the provisioning step's wiring. */
  loadBalancer: GraylogLoadBalancer;
}

/** Undefined unless this is management with Graylog enabled. */
export function buildGraylog(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): GraylogBuild | undefined {
  if (cfg.kind !== "management" || !cfg.settings.observability.logging.graylog.enabled) return undefined;
  void topics;
  const s = cfg.settings;
  const tags = commonTags(cfg.stack, s.tags);
  if (!parts.privateZone) throw new Error(`${cfg.stack}: Graylog needs the private zone for its name`);
  if (!parts.publicZone) throw new Error(`${cfg.stack}: Graylog's certificate is validated in the public zone, which the stack has not created`);
  const managementCidr = cfg.plan.stacks.management?.cidr ?? s.network.cidr;

  const environments = ENVIRONMENTS.flatMap((name) => {
    const e = cfg.plan.stacks[name];
    return e ? [{ name, cidr: e.cidr }] : [];
  });
  const environmentZones = cfg.plan.hubAccess.map((e) => ({ name: e.name, zoneName: privateZoneName(e.name, e.domain) }));

  const lb = new GraylogLoadBalancer(GRAYLOG_NAME, {
    environment: cfg.stack,
    vpcId: parts.network.vpcId,
    subnetIds: parts.network.subnetIds.app,
    clients: {
      environments,
      managementCidr,
      offices: s.offices.map((o) => ({ name: o.name, cidrs: o.cidrs })),
    },
    privateZone: parts.privateZone,
    environmentZones,
    validationZone: parts.publicZone,
    deletionProtection: true,
    tags,
  });

  const endpoints: GraylogEndpoints<pulumi.Input<string>> = {
    url: lb.url,
    adminSecretArn: "",
    secretsKeyArn: "",
    loadBalancerSecurityGroupId: lb.loadBalancerSecurityGroupId,
    vpcId: parts.network.vpcId,
    subnetIds: parts.network.subnetIds.app,
  };

  return {
    loadBalancer: lb,
    endpoints,
    outputs: {
      graylogLoadBalancerDnsName: lb.loadBalancerDnsName,
      graylog: {
        host: lb.host,
        url: lb.url,
        ports: { gelfTls: GELF_TCP_PORT, https: GRAYLOG_HTTPS_PORT },
        certificateNames: lb.certificateNames,
        loadBalancerSecurityGroupId: lb.loadBalancerSecurityGroupId,
        nodeSecurityGroupId: lb.nodeSecurityGroupId,
      },
    },
  };
}
