/**
 * Management's Graylog cluster (docs/observability-logging.md#the-graylog-cluster): the load
 * balancer and its certificate, the names every stack reaches it by, and what the provisioning
 * step needs (GraylogEndpoints). Only management runs it, and only with `observability.logging.graylog.enabled`.
 */
import * as pulumi from "@pulumi/pulumi";
import { ENVIRONMENTS } from "../config/schema";
import { DEFAULT_INDEX_SETS } from "../config/loggingSchema";
import { STACKS } from "../components/environments";
import { NoSqlCluster } from "../components/data/NoSqlCluster";
import { renderBootstrap } from "../components/data/bootstrap";
import { MONGODB_PORT, REPLICA_SET } from "../components/data/bootstrap/mongodb";
import { partitionOf } from "../components/compute/imageNames";
import { GraylogCluster } from "../components/observability/logging/GraylogCluster";
import { renderGraylogBootstrap } from "../components/observability/logging/graylogBootstrap";
import { OPENSEARCH_PORT } from "../components/data/searchPlan";
import { EncryptionKey } from "../components/security/EncryptionKey";
import { GraylogArchive } from "../components/observability/logging/GraylogArchive";
import { GraylogSearch } from "../components/observability/logging/GraylogSearch";
import { archiveExpiryDays } from "../components/observability/logging/graylogArchivePlan";
import { ValidatedConfig } from "../config/validate";
import { AlertTopics } from "../components/observability/types";
import { privateZoneName } from "../components/network/DnsZones";
import { GraylogLoadBalancer } from "../components/observability/logging/GraylogLoadBalancer";
import { GELF_TCP_PORT, GRAYLOG_HTTPS_PORT, GraylogEndpoints, IndexSetSpec, indexPrefix } from "../components/observability/logging/graylogPlan";
import { ObservabilityParts, watchParts } from "./observability";
import { commonTags } from "./shared";

/** Logical name of management's Graylog pieces; IAM names start with the stack's name (deployPolicy.ts). */
export const GRAYLOG_NAME = "management-graylog";
/** Graylog's MongoDB replica set: nodes are `<name>-<i>.<private zone>`. */
export const GRAYLOG_MONGODB = "management-graylog-mongodb";
/** The database (and its user) Graylog keeps its configuration in: Graylog's default `graylog`. */
export const GRAYLOG_DATABASE = "graylog";
/** Daily snapshots of the MongoDB data volumes kept (DLM): the configuration, streams and users. */
export const GRAYLOG_MONGODB_SNAPSHOT_DAYS = 14;
/** The OpenSearch domain's name (3-28 characters). */
export const GRAYLOG_SEARCH_DOMAIN = "management-graylog";

type ManagementConfig = Extract<ValidatedConfig, { kind: "management" }>;

/** Every stack's index set: its own settings, or DEFAULT_INDEX_SETS for a stack not named. */
export function graylogIndexSets(cfg: ManagementConfig): IndexSetSpec[] {
  const own = cfg.settings.observability.logging.graylog.indexSets;
  return STACKS.map((stack) => {
    const s = own[stack] ?? DEFAULT_INDEX_SETS[stack];
    return { stack, prefix: indexPrefix(stack), hotDays: s.hotDays, archiveDays: s.archiveDays };
  });
}

export interface GraylogBuild {
  /** Stack outputs: `graylogLoadBalancerDnsName` (environments CNAME to it) and `graylog`. */
  outputs: Record<string, pulumi.Input<unknown>>;
  /** What the provisioning step (stacks/graylogProvisioning.ts) is handed. */
  endpoints: GraylogEndpoints<pulumi.Input<string>>;
  /** The cluster's pieces, for the provisioning step's wiring. */
  loadBalancer: GraylogLoadBalancer;
  nodes: GraylogCluster;
}

/** Undefined unless this is management with Graylog enabled. */
export function buildGraylog(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): GraylogBuild | undefined {
  if (cfg.kind !== "management" || !cfg.settings.observability.logging.graylog.enabled) return undefined;
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

  const storage = graylogStorage(cfg, parts, topics, lb);
  const graylog = s.observability.logging.graylog;
  const nodes = new GraylogCluster(GRAYLOG_NAME, {
    environment: cfg.stack,
    region: cfg.region,
    partition: partitionOf(cfg.region),
    subnets: parts.network.availabilityZones.map((az, i) => ({ az, subnetId: parts.network.subnetIds.app[i]! })),
    nodeCount: graylog.nodeCount,
    ...(graylog.instanceType !== undefined ? { instanceType: graylog.instanceType } : {}),
    nodeSecurityGroupId: lb.nodeSecurityGroupId,
    targetGroups: lb.targetGroups,
    loadBalancerArnSuffix: lb.loadBalancerArnSuffix,
    externalUri: `${lb.url}/`,
    mongodb: {
      hosts: storage.mongodb.nodeDnsNames,
      port: MONGODB_PORT,
      replicaSet: REPLICA_SET,
      database: storage.mongodb.serviceDatabases[GRAYLOG_DATABASE] ?? GRAYLOG_DATABASE,
      userSecretArn: storage.mongodb.serviceSecretArns[GRAYLOG_DATABASE]!,
    },
    opensearch: { endpoint: storage.search.endpoint, userSecretArn: storage.search.userSecretArn },
    kmsKeyArn: storage.key.keyArn,
    userData: renderGraylogBootstrap,
    alarmTopicArn: topics?.critical,
    protect: true,
    tags,
  });

  if (topics) graylogAlarms(cfg, topics, nodes, storage);

  const endpoints: GraylogEndpoints<pulumi.Input<string>> = {
    url: lb.url,
    adminSecretArn: nodes.adminSecretArn,
    secretsKeyArn: storage.key.keyArn,
    loadBalancerSecurityGroupId: lb.loadBalancerSecurityGroupId,
    vpcId: parts.network.vpcId,
    subnetIds: parts.network.subnetIds.app,
    ...(storage.archive ? {
      archive: {
        bucketName: storage.archive.bucketName,
        snapshotRoleArn: storage.archive.snapshotRoleArn,
        domainEndpoint: storage.search.endpoint,
        domainArn: storage.search.domainArn,
        masterSecretArn: storage.search.userSecretArn,
        domainSecurityGroupId: storage.search.securityGroupId,
      },
    } : {}),
  };

  return {
    loadBalancer: lb,
    nodes,
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
        nodes: nodes.instanceIds,
        nodeAzs: nodes.nodeAzs,
        adminSecretArn: nodes.adminSecretArn,
        mongodb: { hosts: storage.mongodb.nodeDnsNames, database: GRAYLOG_DATABASE, userSecretArn: storage.mongodb.serviceSecretArns[GRAYLOG_DATABASE]! },
        opensearch: { endpoint: storage.search.endpoint, domainName: storage.search.domainName, userSecretArn: storage.search.userSecretArn },
        ...(storage.archive ? { archive: { bucketName: storage.archive.bucketName, snapshotRoleArn: storage.archive.snapshotRoleArn } } : {}),
        indexSets: storage.indexSets.map((i) => ({ stack: i.stack, hotDays: i.hotDays, archiveDays: i.archiveDays })),
      },
    },
  };
}

interface GraylogStorage {
  key: EncryptionKey;
  mongodb: NoSqlCluster;
  search: GraylogSearch;
  archive?: GraylogArchive;
  indexSets: IndexSetSpec[];
}

/**
 * Graylog's storage (docs/observability-logging.md#the-graylog-cluster): one key for all of it, the
 * MongoDB replica set on the data tier's pattern (3 nodes, one per AZ, in management's data
 * subnets, a `graylog` user limited to its database), the OpenSearch domain, and the archive
 * bucket when any index set archives. Each admits the Graylog nodes' group only, whose egress to
 * them is opened here.
 */
function graylogStorage(cfg: ManagementConfig, parts: ObservabilityParts, topics: AlertTopics | undefined, lb: GraylogLoadBalancer): GraylogStorage {
  const network = parts.network;
  const graylog = cfg.settings.observability.logging.graylog;
  const tags = commonTags(cfg.stack, cfg.settings.tags);
  // Volumes, snapshots, the secrets, the OpenSearch domain and the archive: one key, rotated yearly.
  const key = new EncryptionKey(GRAYLOG_NAME, { purpose: "graylog", environment: cfg.stack, protect: true, tags });

  const mongodb = new NoSqlCluster(GRAYLOG_MONGODB, {
    environment: cfg.stack,
    engine: "mongodb",
    nodeCount: 3,
    vpcId: network.vpcId,
    subnets: network.availabilityZones.map((az, i) => ({ az, subnetId: network.subnetIds.data[i]! })),
    clients: { securityGroupIds: { graylog: lb.nodeSecurityGroupId } },
    dns: { zoneId: parts.privateZone!.zoneId, zoneName: parts.privateZone!.name },
    serviceUsers: [GRAYLOG_DATABASE],
    ...(graylog.mongodb.instanceType !== undefined ? { instanceType: graylog.mongodb.instanceType } : {}),
    dataVolumeSizeGiB: graylog.mongodb.dataVolumeSizeGiB ?? 50,
    snapshotRetentionDays: GRAYLOG_MONGODB_SNAPSHOT_DAYS,
    protect: true,
    alarmTopicArn: topics?.critical,
    kmsKeyArn: key.keyArn,
    userData: renderBootstrap,
    tags,
  });
  lb.allowNodesTo("mongodb", MONGODB_PORT, mongodb.securityGroupId, "Graylog nodes to their MongoDB replica set");

  const search = new GraylogSearch(`${GRAYLOG_NAME}-search`, {
    environment: cfg.stack,
    domainName: GRAYLOG_SEARCH_DOMAIN,
    vpcId: network.vpcId,
    subnetIds: network.subnetIds.data.slice(0, 3),
    clientSecurityGroupId: lb.nodeSecurityGroupId,
    ...(graylog.search.instanceCount !== undefined ? { instanceCount: graylog.search.instanceCount } : {}),
    ...(graylog.search.instanceType !== undefined ? { instanceType: graylog.search.instanceType } : {}),
    volumeSizeGiB: graylog.search.volumeSizeGiB ?? 200,
    kmsKeyArn: key.keyArn,
    protect: true,
    tags,
  });
  lb.allowNodesTo("opensearch", OPENSEARCH_PORT, search.securityGroupId, "Graylog nodes to their OpenSearch domain (HTTPS)");

  const indexSets = graylogIndexSets(cfg);
  const expiryDays = archiveExpiryDays(indexSets);
  const archive = expiryDays === undefined ? undefined : new GraylogArchive(`${GRAYLOG_NAME}-archive`, {
    environment: cfg.stack,
    region: cfg.region,
    expiryDays,
    kmsKeyArn: key.keyArn,
    protect: true,
    tags,
  });
  return { key, mongodb, search, ...(archive ? { archive } : {}), indexSets };
}

/**
 * The Graylog nodes, the MongoDB members and the OpenSearch domain are watched like an
 * environment's data tier (components/observability/alarmPlan.ts: instance status, memory, each
 * monitored file system; the domain's cluster status, storage, JVM pressure and master), with
 * management's thresholds. Management's ObservabilityStack is built before them, so they are planned here.
 */
function graylogAlarms(cfg: ManagementConfig, topics: AlertTopics, nodes: GraylogCluster, storage: GraylogStorage): void {
  watchParts(cfg, {
    nodes: [
      // The Graylog nodes have no data volume: their root file system (the journal) is the one watched.
      ...nodes.instanceIds.map((instanceId, index) => ({ cluster: GRAYLOG_NAME, index, instanceId, paths: ["/"] })),
      ...storage.mongodb.instanceIds.map((instanceId, index) => ({ cluster: GRAYLOG_MONGODB, index, instanceId, paths: storage.mongodb.monitoredPaths })),
    ],
    opensearch: { domainName: storage.search.domainName, volumeSizeGiB: storage.search.volumeSizeGiB },
  }, topics, { prefix: `${GRAYLOG_NAME}-alarm`, service: "logging" }, nodes);
}
