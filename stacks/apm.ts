/**
 * Application performance monitoring of a stack (docs/observability-apm.md): New Relic (license
 * key, agent settings, the AWS integration and metric stream) and Glowroot (the central collector's
 * endpoint in management, the agent settings of the Java services). Everything is off unless
 * `observability.apm` turns it on; an environment with APM off gets nothing here.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS } from "../config/schema";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { partitionOf } from "../components/compute/imageNames";
import { NoSqlCluster } from "../components/data/NoSqlCluster";
import { EncryptionKey } from "../components/security/EncryptionKey";
import { renderBootstrap } from "../components/data/bootstrap";
import { CASSANDRA_CLIENT_PORT } from "../components/data/bootstrap/cassandra";
import { GlowrootAgents } from "../components/observability/apm/GlowrootAgents";
import { GlowrootCollectorEndpoint } from "../components/observability/apm/GlowrootCollectorEndpoint";
import { GlowrootCentral } from "../components/observability/apm/GlowrootCentral";
import { NewRelicIntegration } from "../components/observability/apm/NewRelicIntegration";
import { NewRelicLicense } from "../components/observability/apm/NewRelicLicense";
import { glowrootJavaToolOptions } from "../components/observability/apm/glowrootPlan";
import { LICENSE_KEY_VARIABLE, newRelicAgentEnvironment, newRelicAppName } from "../components/observability/apm/newRelicPlan";
import { ObservabilityParts, watchParts } from "./observability";
import { ManagementReference, commonTags } from "./shared";
import type { ServiceApm } from "./serviceWiring";

export type { ServiceApm };

/** What an environment hands apmForServices: the management reference and the pieces the Glowroot agents need. */
export interface ApmServiceWiring {
  management: ManagementReference;
  privateZone: { zoneId: pulumi.Input<string>; name: string };
  /** Security group of each service (ServiceSecurityGroups.ids). */
  serviceGroups: Readonly<Record<string, pulumi.Input<string>>>;
}

/** One license secret per stack, shared by the agents (apmForServices) and the metric stream (buildApm). */
const licenses = new WeakMap<ValidatedConfig, NewRelicLicense>();

function licenseOf(cfg: ValidatedConfig): NewRelicLicense {
  let license = licenses.get(cfg);
  if (!license) {
    license = new NewRelicLicense(`${cfg.stack}-newrelic`, { environment: cfg.stack, protect: cfg.stack === "prod", tags: commonTags(cfg.stack, cfg.settings.tags) });
    licenses.set(cfg, license);
  }
  return license;
}

/** Created before the services: what each service's task definition gets (undefined: nothing). */
export function apmForServices(cfg: ValidatedConfig, wiring?: ApmServiceWiring): (service: string) => ServiceApm | undefined {
  if (cfg.kind !== "environment") return () => undefined;
  const env = cfg.stack;
  const { newRelic, glowroot } = cfg.settings.observability.apm;
  const license = newRelic.enabled && newRelic.agents ? licenseOf(cfg) : undefined;

  let collectorHost: string | undefined;
  const javaServices = new Set(glowroot.enabled ? glowroot.javaServices : []);
  if (javaServices.size > 0) {
    if (!wiring) throw new Error(`${env}: Glowroot agents need the management reference, private zone and service groups (ApmServiceWiring)`);
    const managementCidr = cfg.plan.stacks.management?.cidr;
    if (!managementCidr) throw new Error(`${env}: management has no network.cidr in the address plan`);
    const agents = new GlowrootAgents(`${env}-glowroot`, {
      environment: env,
      privateZone: wiring.privateZone,
      collectorDnsName: wiring.management.output("glowrootCollectorDnsName").apply((n) => {
        if (!n) throw new Error("management exports no glowrootCollectorDnsName: enable observability.apm.glowroot in Pulumi.management.yaml");
        return n;
      }),
      managementCidr,
      serviceGroups: Object.fromEntries([...javaServices].map((s) => {
        const sg = wiring.serviceGroups[s];
        if (sg === undefined) throw new Error(`${env}: no security group for Java service "${s}"`);
        return [s, sg];
      })),
      tags: commonTags(env, cfg.settings.tags),
    });
    collectorHost = agents.collectorHost;
  }

  return (service) => {
    const java = collectorHost !== undefined && javaServices.has(service);
    if (!license && !java) return undefined;
    const apm: ServiceApm = { environment: {}, secrets: {}, secretKmsKeyArns: [] };
    if (license) {
      Object.assign(apm.environment, newRelicAgentEnvironment({ appName: newRelicAppName(newRelic.appName, service, env), logLevel: newRelic.logLevel }));
      apm.secrets[LICENSE_KEY_VARIABLE] = { secretArn: license.secretArn, jsonKey: license.jsonKey };
      apm.secretKmsKeyArns.push(license.keyArn);
    }
    if (java) {
      apm.environment.JAVA_TOOL_OPTIONS = glowrootJavaToolOptions({ agentPath: glowroot.agentPath, collectorHost: collectorHost!, environment: env, service });
    }
    return apm;
  };
}

/** Created after the services: the New Relic integration and, in management, the Glowroot collector's endpoint. */
export function buildApm(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  const { newRelic, glowroot } = cfg.settings.observability.apm;
  const tags = commonTags(cfg.stack, cfg.settings.tags);
  const outputs: Record<string, pulumi.Input<unknown>> = {};
  const apm: Record<string, pulumi.Input<unknown>> = {};

  if (newRelic.enabled) {
    const license = licenseOf(cfg);
    const integration = new NewRelicIntegration(`${cfg.stack}-newrelic`, {
      environment: cfg.stack,
      newRelicAccountId: newRelic.accountId!,
      newRelicRegion: newRelic.region,
      accountId: cfg.settings.accountId,
      region: cfg.region,
      partition: partitionOf(cfg.region),
      license: { secretArn: license.secretArn, keyArn: license.keyArn },
      metricStream: newRelic.metricStream,
      alarmTopicArn: topics?.warning,
      forceDestroy: cfg.stack !== "prod" && cfg.stack !== "management",
      tags,
    });
    apm.newRelic = {
      licenseSecretArn: license.secretArn,
      integrationRoleArn: integration.integrationRoleArn,
      ...(integration.metricStreamName ? { metricStream: integration.metricStreamName } : {}),
      agents: cfg.kind === "environment" && newRelic.agents,
    };
  }

  if (cfg.kind === "management" && glowroot.enabled) {
    const environments = ENVIRONMENTS.flatMap((name) => {
      const e = cfg.plan.stacks[name];
      return e ? [{ name, cidr: e.cidr }] : [];
    });
    const collector = new GlowrootCollectorEndpoint("glowroot", {
      environment: cfg.stack,
      vpcId: parts.network.vpcId,
      subnetIds: parts.network.subnetIds.app,
      environments,
      privateZone: parts.privateZone,
      tags,
    });
    const { cluster: store, keyArn: storeKeyArn } = glowrootStore(cfg, parts, topics, collector);
    const managementCidr = cfg.plan.stacks.management?.cidr;
    if (!managementCidr) throw new Error(`${cfg.stack}: management has no network.cidr in the address plan`);
    const central = new GlowrootCentral(GLOWROOT_CENTRAL_NODES, {
      environment: cfg.stack,
      region: cfg.region,
      partition: partitionOf(cfg.region),
      subnets: parts.network.availabilityZones.map((az, i) => ({ az, subnetId: parts.network.subnetIds.app[i]! })),
      nodeSecurityGroupId: collector.nodeSecurityGroupId,
      targetGroupArn: collector.targetGroupArn,
      targetGroupArnSuffix: collector.targetGroupArnSuffix,
      loadBalancerArnSuffix: collector.loadBalancerArnSuffix,
      uiCidrs: [managementCidr],
      ...(glowroot.collector.instanceType !== undefined ? { instanceType: glowroot.collector.instanceType } : {}),
      cassandra: {
        contactPoints: store.nodeDnsNames,
        port: CASSANDRA_CLIENT_PORT,
        localDatacenter: cfg.region,
        keyspace: GLOWROOT_KEYSPACE,
        userSecretArn: store.serviceSecretArns[GLOWROOT_KEYSPACE]!,
      },
      kmsKeyArn: storeKeyArn,
      alarmTopicArn: topics?.critical,
      protect: true,
      tags,
    });
    // The central nodes have no data volume: their root file system is the one watched.
    // Watched like the environments' data nodes, with management's thresholds.
    if (topics) watchParts(cfg, { nodes: nodeList(GLOWROOT_CENTRAL_NODES, central.instanceIds, ["/"]) }, topics, { prefix: GLOWROOT_CENTRAL_NODES, service: "apm" }, central);
    outputs.glowrootCollectorDnsName = collector.loadBalancerDnsName;
    apm.glowroot = {
      collectorHost: collector.host,
      targetGroupArn: collector.targetGroupArn,
      nodeSecurityGroupId: collector.nodeSecurityGroupId,
      centralNodes: central.instanceIds,
      cassandra: { contactPoints: store.nodeDnsNames, keyspace: GLOWROOT_KEYSPACE, userSecretArn: store.serviceSecretArns[GLOWROOT_KEYSPACE]!, adminSecretArn: store.adminSecretArn! },
    };
  } else if (cfg.kind === "environment" && glowroot.enabled) {
    apm.glowroot = { javaServices: glowroot.javaServices };
  }

  if (Object.keys(apm).length > 0) outputs.apm = apm;
  return outputs;
}

/**
 * Cluster name of Glowroot central's Cassandra in management: nodes are `<name>-<i>.<private zone>`.
 * It starts with the stack's name, as the deploy role may pass only the stack's own roles (deployPolicy.ts).
 */
export const GLOWROOT_STORE = "management-glowroot";
/** Name of the central nodes' component: its role starts with the stack's name, like the store's. */
export const GLOWROOT_CENTRAL_NODES = "management-glowroot-central";
/** The keyspace (and Cassandra role) Glowroot central uses: Glowroot's default `cassandra.keyspace`. */
export const GLOWROOT_KEYSPACE = "glowroot";
/** Daily snapshots of the store's data volumes kept (DLM). */
export const GLOWROOT_STORE_SNAPSHOT_DAYS = 14;

/**
 * Glowroot central's store (docs/observability-apm.md#glowroot): a 3-node Cassandra on the data
 * tier's pattern in management's data subnets, one node per AZ, with a `glowroot` keyspace and role
 * whose password node 0 reads from its own secret. CQL is admitted from the collector nodes' group
 * only (their egress to it is opened here too); node recovery alarms go to the critical topic.
 */
function glowrootStore(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined, collector: GlowrootCollectorEndpoint): { cluster: NoSqlCluster; keyArn: pulumi.Output<string> } {
  if (!parts.privateZone) throw new Error(`${cfg.stack}: Glowroot central's Cassandra needs the private zone for its nodes' names`);
  const network = parts.network;
  const tags = commonTags(cfg.stack, cfg.settings.tags);
  const sizing = cfg.settings.observability.apm.glowroot.collector.cassandra;
  // Volumes, snapshots and the admin and glowroot secrets, as the environments' data key does for theirs.
  const key = new EncryptionKey(GLOWROOT_STORE, { purpose: "glowroot", environment: cfg.stack, protect: true, tags });
  const cluster = new NoSqlCluster(GLOWROOT_STORE, {
    environment: cfg.stack,
    engine: "cassandra",
    vpcId: network.vpcId,
    subnets: network.availabilityZones.map((az, i) => ({ az, subnetId: network.subnetIds.data[i]! })),
    clients: { securityGroupIds: { "glowroot-central": collector.nodeSecurityGroupId } },
    dns: { zoneId: parts.privateZone.zoneId, zoneName: parts.privateZone.name },
    serviceUsers: [GLOWROOT_KEYSPACE],
    ...(sizing.instanceType !== undefined ? { instanceType: sizing.instanceType } : {}),
    ...(sizing.dataVolumeSizeGiB !== undefined ? { dataVolumeSizeGiB: sizing.dataVolumeSizeGiB } : {}),
    snapshotRetentionDays: GLOWROOT_STORE_SNAPSHOT_DAYS,
    protect: true,
    alarmTopicArn: topics?.critical,
    kmsKeyArn: key.keyArn,
    userData: renderBootstrap,
    tags,
  });
  if (topics) watchParts(cfg, { nodes: nodeList(GLOWROOT_STORE, cluster.instanceIds, cluster.monitoredPaths) }, topics, { prefix: GLOWROOT_STORE, service: "apm" }, cluster);
  collector.allowNodesTo(GLOWROOT_STORE, CASSANDRA_CLIENT_PORT, cluster.securityGroupId, "Glowroot central to its Cassandra (CQL)");
  return { cluster, keyArn: key.keyArn };
}

/** A cluster's instances as the alarm planner lists nodes. */
function nodeList(cluster: string, instanceIds: readonly pulumi.Output<string>[], paths: readonly string[]): { cluster: string; index: number; instanceId: pulumi.Output<string>; paths: readonly string[] }[] {
  return instanceIds.map((instanceId, index) => ({ cluster, index, instanceId, paths }));
}
