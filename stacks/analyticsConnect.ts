/**
 * Wires the Kafka Connect workers of an environment's lake (docs/analytics.md, "Ingestion: Kafka
 * Connect"): the workers on the environment's ECS cluster, reading the environment's Kafka cluster,
 * writing the raw bucket through the S3 sink, and the S3 sink's checked configuration.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONNECT_WORKERS } from "../components/analytics/analyticsPlan";
import { ConnectorConfigFunction } from "../components/analytics/ConnectorConfigFunction";
import { KafkaConnectWorkers } from "../components/analytics/KafkaConnectWorkers";
import { S3_SINK_CONNECTOR_NAME, checkedS3SinkConfig } from "../components/analytics/connectPlan";
import type { LakeRefs } from "../components/analytics/lakeRefs";
import type { EffectiveAnalytics } from "../config/analyticsSchema";
import { ValidatedConfig } from "../config/validate";
import type { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import type { Tags } from "../components/tags";
import type { DataTier } from "./data";
import type { ServicesTier } from "./services";

/** What the workers need of the environment (a subset of stacks/analytics.ts AnalyticsInputs, declared here: no import cycle). */
export interface ConnectEnvironment {
  readonly network: EnvironmentNetwork;
  readonly data: DataTier;
  readonly services: ServicesTier["parts"];
  readonly tags: Tags;
}

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

export interface ConnectInputs {
  /** Extra connector configurations to apply beside the S3 sink (the search-analytics OpenSearch sink). */
  readonly connectors?: Readonly<Record<string, pulumi.Input<Record<string, string>>>>;
  /** Worker environment variables from Secrets Manager the extra connectors reference (`${env:NAME}`). */
  readonly workerSecrets?: Readonly<Record<string, { readonly secretArn: pulumi.Input<string>; readonly jsonKey?: string }>>;
}

export interface Connect {
  readonly workers: KafkaConnectWorkers;
  /** Every connector configuration, by connector name: the S3 sink's and those given. */
  readonly connectors: Readonly<Record<string, pulumi.Input<Record<string, string>>>>;
  readonly outputs: Record<string, pulumi.Input<unknown>>;
}

/** The workers and the connectors' configurations; the lake must be on (buildAnalytics checks). */
export function buildConnect(cfg: EnvironmentConfig, settings: EffectiveAnalytics, inputs: ConnectEnvironment, lake: LakeRefs, extra: ConnectInputs = {}): Connect {
  const env = cfg.stack;
  const kafkaSettings = cfg.settings.data.clusters.find((c) => c.engine === "kafka");
  if (kafkaSettings === undefined) throw new Error(`analytics: the ${env} lake needs a Kafka cluster (data.clusters)`);
  const kafka = inputs.data.clusters[kafkaSettings.name ?? kafkaSettings.engine];
  if (kafka === undefined) throw new Error(`analytics: no Kafka cluster ${kafkaSettings.name ?? kafkaSettings.engine} in the data tier`);
  const groupId = inputs.services.groups.ids[CONNECT_WORKERS];
  if (groupId === undefined) throw new Error(`analytics: no security group for ${CONNECT_WORKERS}`);
  const brokers = kafka.nodeDnsNames.length;

  // Applies the connectors through the workers' REST API at deploy; the workers admit it on 8083.
  const configFunction = new ConnectorConfigFunction(`${env}-connect-config`, {
    environment: env,
    vpcId: inputs.network.vpcId,
    subnetIds: inputs.network.subnetIds.app,
    workersSecurityGroupId: groupId,
    clusterArn: inputs.services.cluster.clusterArn,
    clusterName: inputs.services.cluster.clusterName,
    serviceName: CONNECT_WORKERS,
    logRetentionDays: cfg.settings.services.logRetentionDays,
    tags: inputs.tags,
  });
  const workers = new KafkaConnectWorkers(`${env}-connect`, {
    environment: env,
    clusterArn: inputs.services.cluster.clusterArn,
    clusterName: inputs.services.cluster.clusterName,
    subnetIds: inputs.network.subnetIds.app,
    securityGroupId: groupId,
    kafka: { securityGroupId: kafka.securityGroupId, bootstrapServers: kafka.connectString, brokers },
    searchSecurityGroupId: inputs.data.search.securityGroupId,
    s3PrefixListId: inputs.network.s3PrefixListId,
    rawBucketArn: lake.rawBucketArn,
    keyArn: lake.keyArn,
    secrets: extra.workerSecrets ?? {},
    secretKmsKeyArns: Object.keys(extra.workerSecrets ?? {}).length > 0 ? [inputs.data.key.keyArn] : [],
    restClientGroupIds: { "connect-config": configFunction.securityGroupId },
    logRetentionDays: cfg.settings.services.logRetentionDays,
    tags: inputs.tags,
  });

  const s3Sink = pulumi.all([lake.rawBucketName, lake.keyArn]).apply(([bucketName, keyArn]) =>
    checkedS3SinkConfig({ topics: settings.topics, bucketName, region: cfg.region, keyArn, dlqReplicationFactor: Math.min(3, brokers) }));
  const connectors = { [S3_SINK_CONNECTOR_NAME]: s3Sink, ...(extra.connectors ?? {}) };
  configFunction.apply(connectors, [workers]);
  return {
    workers,
    connectors,
    outputs: {
      service: workers.serviceName,
      configFunction: configFunction.functionName,
      logGroup: workers.logGroupName,
      connectors: Object.keys(connectors).sort(),
    },
  };
}
