/**
 * The data tier of an environment (docs/data-tier.md): the self-managed clusters on EC2 and the managed
 * MySQL, Redis and OpenSearch, all in the `data` subnets and reachable only from the app tier.
 */
import * as pulumi from "@pulumi/pulumi";
import { EnvironmentName, DataSettings } from "../config/schema";
import { DataOperatorRole } from "../components/data/DataOperatorRole";
import { NoSqlCluster } from "../components/data/NoSqlCluster";
import { MySqlDatabase } from "../components/data/MySqlDatabase";
import { RedisCache } from "../components/data/RedisCache";
import { SearchDomain } from "../components/data/SearchDomain";
import { renderBootstrap } from "../components/data/bootstrap";
import { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import { EncryptionKey } from "../components/security/EncryptionKey";
import { Tags } from "../components/tags";
import { LogShippingTarget } from "../components/observability/logging/graylogPlan";

export interface DataTierInputs {
  environment: EnvironmentName;
  data: DataSettings;
  network: EnvironmentNetwork;
  privateZone: { zoneId: pulumi.Input<string>; zoneName: string };
  /**
   * For each data resource (cluster name, `mysql`, `redis`, `opensearch`), the security groups of the
   * services that declared it: exactly these are admitted on its client ports, nothing else, and
   * exactly these get a user of their own on it (never the admin credential).
   */
  clients: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
  /** OpenSearch clients that are sinks writing another prefix (`search-queries-*`), write-only (SearchOptions.serviceWriters). */
  searchWriters?: Readonly<Record<string, string>>;
  /** Where the clusters' own alarms (EC2 auto-recovery) notify: the stack's warning topic. */
  alarmTopicArn?: pulumi.Input<string>;
  /** Where the nodes ship their logs (Fluent Bit to management's Graylog); undefined: they keep them. */
  logShipping?: LogShippingTarget;
  tags: Tags;
}

export interface DataTier {
  clusters: Record<string, NoSqlCluster>;
  mysql: MySqlDatabase;
  redis: RedisCache;
  search: SearchDomain;
  /** The key that encrypts the tier's volumes, databases and credential secrets. */
  key: EncryptionKey;
  /** The only identity that may read the admin credentials. */
  operators: DataOperatorRole;
  /** Non-secret facts for the stack outputs: endpoints and where each credential lives. */
  outputs: Record<string, pulumi.Input<unknown>>;
}

const HA: readonly string[] = ["prod", "preprod"];

export function buildDataTier(i: DataTierInputs): DataTier {
  const { environment, data, network, tags } = i;
  const clientsOf = (resource: string): Readonly<Record<string, pulumi.Input<string>>> => i.clients[resource] ?? {};
  /** The services that declared a resource: each gets its own user on it. */
  const usersOf = (resource: string): string[] => Object.keys(clientsOf(resource)).sort();
  const subnets = network.availabilityZones.map((az, k) => ({ az, subnetId: network.subnetIds.data[k]! }));
  const protect = environment === "prod";
  const key = new EncryptionKey(`${environment}-data`, { purpose: "data", environment, protect, tags });
  const kmsKeyArn = key.keyArn;

  // ZooKeeper first: Solr and Kafka are wired to its ensemble by reference.
  const ordered = [...data.clusters].sort((a, b) => Number(b.engine === "zookeeper") - Number(a.engine === "zookeeper"));
  const clusters: Record<string, NoSqlCluster> = {};
  let zookeeper: NoSqlCluster | undefined;
  for (const c of ordered) {
    const name = c.name ?? c.engine;
    const needsZk = c.engine === "solr" || c.engine === "kafka";
    const cluster = new NoSqlCluster(`${environment}-${name}`, {
      environment,
      engine: c.engine,
      nodeCount: c.nodes,
      instanceType: c.instanceType,
      dataVolumeSizeGiB: c.volumeGiB,
      vpcId: network.vpcId,
      subnets,
      clients: { securityGroupIds: clientsOf(name) },
      serviceUsers: usersOf(name),
      dns: i.privateZone,
      zookeeper: needsZk && zookeeper ? { connectString: zookeeper.connectString, securityGroupId: zookeeper.securityGroupId } : undefined,
      snapshotRetentionDays: data.snapshotRetentionDays,
      kmsKeyArn,
      protect,
      userData: renderBootstrap,
      ...(i.logShipping ? { logShipping: i.logShipping } : {}),
      alarmTopicArn: i.alarmTopicArn,
      tags,
    });
    clusters[name] = cluster;
    if (c.engine === "zookeeper") zookeeper = cluster;
  }

  const subnetIds = network.subnetIds.data;
  // The provisioning functions run in the app tier, beside the services: routes to the data tier and the endpoints.
  const provisioningSubnetIds = network.subnetIds.app;
  const mysql = new MySqlDatabase(`${environment}-mysql`, {
    environment, ...data.mysql, vpcId: network.vpcId, subnetIds, clientSecurityGroupIds: clientsOf("mysql"), kmsKeyArn, tags,
    serviceUsers: usersOf("mysql"), provisioningSubnetIds,
  });
  const redis = new RedisCache(`${environment}-redis`, {
    environment, ...data.redis, vpcId: network.vpcId, subnetIds, clientSecurityGroupIds: clientsOf("redis"), kmsKeyArn, tags, serviceUsers: usersOf("redis"),
  });
  const { createServiceLinkedRole, ...searchOptions } = data.opensearch ?? { createServiceLinkedRole: false };
  const search = new SearchDomain(`${environment}-search`, {
    environment,
    ...searchOptions,
    vpcId: network.vpcId,
    subnetIds,
    clientSecurityGroupIds: clientsOf("opensearch"),
    kmsKeyArn,
    createServiceLinkedRole,
    serviceUsers: usersOf("opensearch"),
    serviceWriters: i.searchWriters ?? {},
    provisioningSubnetIds,
    tags,
  });

  const adminSecrets: Record<string, pulumi.Input<string>> = { mysql: mysql.secretArn, redis: redis.adminSecretArn, opensearch: search.secretArn };
  for (const [n, c] of Object.entries(clusters)) if (c.adminSecretArn) adminSecrets[n] = c.adminSecretArn;
  const operators = new DataOperatorRole(`${environment}-data-operators`, { environment, adminSecretArns: adminSecrets, kmsKeyArn, tags });

  return {
    clusters,
    mysql,
    redis,
    search,
    key,
    operators,
    outputs: {
      clusters: Object.fromEntries(Object.entries(clusters).map(([n, c]) => [n, {
        connectString: c.connectString, nodes: c.nodeDnsNames.length, adminSecretArn: c.adminSecretArn, serviceSecretArns: c.serviceSecretArns,
      }])),
      mysql: { endpoint: mysql.endpoint, secretArn: mysql.secretArn, serviceUsers: Object.fromEntries(Object.entries(mysql.serviceAccess).map(([svc, a]) => [svc, { user: a.user, database: a.database }])) },
      redis: { primaryEndpoint: redis.primaryEndpoint, adminSecretArn: redis.adminSecretArn, serviceSecretArns: redis.serviceSecretArns },
      opensearch: { endpoint: search.endpoint, secretArn: search.secretArn, serviceSecretArns: search.serviceSecretArns },
      operatorRoleArn: operators.roleArn,
      highAvailability: HA.includes(environment),
    },
  };
}
