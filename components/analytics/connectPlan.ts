/**
 * The Kafka Connect plan (docs/analytics.md, "Ingestion: Kafka Connect"): the pinned worker image
 * and plugin, the distributed-mode worker settings, the S3 sink connector's configuration for the
 * lake's topics and its check against the connector's documented options, and the task role's
 * policy. Pure: no Pulumi, no config; KafkaConnectWorkers wires what this decides.
 *
 * Facts relied on (URLs in docs/analytics.md): Confluent's S3 sink (io.confluent.connect.s3.S3SinkConnector,
 * configuration reference https://docs.confluent.io/kafka-connectors/s3-sink/current/configuration_options.html):
 * ParquetFormat needs records with a schema; with a deterministic partitioner (TimeBasedPartitioner on
 * the record's timestamp, `timestamp.extractor=Record`) and `rotate.interval.ms` its object names
 * depend only on the records, which is what its exactly-once guarantee rests on. Worker settings: Kafka
 * Connect worker configuration (https://docs.confluent.io/platform/current/connect/references/allconfigs.html);
 * the cp-kafka-connect image maps `CONNECT_<KEY>` environment variables (dots as underscores) onto them.
 */
import { AnalyticsTopic, CONNECT_REST_PORT, CONNECT_WORKERS, PARTITION_COLUMN, topicPrefix } from "./analyticsPlan";

/** The worker image: Confluent Platform 7.7 (Apache Kafka 3.7: EnvVarConfigProvider, KIP-887, is there). */
export const CONNECT_IMAGE = "confluentinc/cp-kafka-connect:7.7.1";
/** The S3 sink, installed from Confluent Hub by the init container at this exact version. */
export const S3_SINK_PLUGIN = "confluentinc/kafka-connect-s3:10.5.17";
export const S3_SINK_CLASS = "io.confluent.connect.s3.S3SinkConnector";
/** Where the init container installs plugins and the worker loads them (a task volume). */
export const PLUGIN_PATH = "/plugins";
/** The cp image's entrypoint writes the worker properties here at start, so it is a volume under a read-only root. */
export const WORKER_CONFIG_DIR = "/etc/kafka-connect";
/** The S3 sink's objects go under `topics/<topic>/`, the contract's topicPrefix. */
export const TOPICS_DIR = "topics";
export const S3_SINK_CONNECTOR_NAME = "lake-s3-sink";
/** Records the sink could not convert or write go here, with the error in the headers. */
export const DEAD_LETTER_TOPIC = "analytics-dlq";

/** Distributed mode: one group per environment, and its three internal topics. */
export function workerGroup(environment: string): { groupId: string; configTopic: string; offsetTopic: string; statusTopic: string } {
  const base = `tila-${environment}-${CONNECT_WORKERS}`;
  return { groupId: base, configTopic: `${base}-configs`, offsetTopic: `${base}-offsets`, statusTopic: `${base}-status` };
}

export interface WorkerPlanInputs {
  readonly environment: string;
  /** `host:9092,...`: the Kafka cluster's brokers (PLAINTEXT listener, docs/data-tier.md). */
  readonly bootstrapServers: string;
  /** How many brokers the cluster has: the internal topics' replication factor is min(3, brokers). */
  readonly brokers: number;
}

/** How many workers: 3 in prod (one per AZ), 2 elsewhere. */
export function workerCount(environment: string): number {
  return environment === "prod" ? 3 : 2;
}

/** The scaling ceiling: twice the floor (more workers than connector tasks would sit idle). */
export function maxWorkers(environment: string): number {
  return 2 * workerCount(environment);
}

/** The worker-wide key converter: set by the start command, not the environment list (see WORKER_COMMAND). */
export const WORKER_KEY_CONVERTER = "org.apache.kafka.connect.storage.StringConverter";

/**
 * The worker's environment (the cp image turns `CONNECT_X_Y` into `x.y`). `rest.advertised.host.name`
 * is the task's own IP, set by the start command (`hostname -i` in awsvpc mode), so a follower
 * forwards configuration requests to the leader's address, not a container name.
 */
export function workerEnvironment(i: WorkerPlanInputs): Record<string, string> {
  if (i.brokers < 1) throw new Error("workerEnvironment: the Kafka cluster has no brokers");
  const g = workerGroup(i.environment);
  const rf = String(Math.min(3, i.brokers));
  return {
    CONNECT_BOOTSTRAP_SERVERS: i.bootstrapServers,
    CONNECT_GROUP_ID: g.groupId,
    CONNECT_CONFIG_STORAGE_TOPIC: g.configTopic,
    CONNECT_OFFSET_STORAGE_TOPIC: g.offsetTopic,
    CONNECT_STATUS_STORAGE_TOPIC: g.statusTopic,
    CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: rf,
    CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: rf,
    CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: rf,
    CONNECT_VALUE_CONVERTER: "org.apache.kafka.connect.json.JsonConverter",
    CONNECT_VALUE_CONVERTER_SCHEMAS_ENABLE: "true",
    CONNECT_REST_PORT: String(CONNECT_REST_PORT),
    CONNECT_LISTENERS: `http://0.0.0.0:${CONNECT_REST_PORT}`,
    CONNECT_PLUGIN_PATH: PLUGIN_PATH,
    // Connector configs may reference ${env:NAME} (the OpenSearch sink's password), never hold secrets.
    CONNECT_CONFIG_PROVIDERS: "env",
    CONNECT_CONFIG_PROVIDERS_ENV_CLASS: "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
  };
}

/**
 * The worker's start: advertise the task IP, then the image's own entrypoint. The image requires a
 * worker-wide key converter (CONNECT_KEY_CONVERTER); it is set here because the policy pack reads
 * any variable with the word KEY in the environment list as a secret (ecs-no-secrets-in-environment),
 * and a class name is none.
 */
export const WORKER_COMMAND: readonly string[] = [
  "bash", "-c",
  `export CONNECT_KEY_CONVERTER=${WORKER_KEY_CONVERTER} CONNECT_REST_ADVERTISED_HOST_NAME="$(hostname -i)"; exec /etc/confluent/docker/run`,
];
/**
 * Aiven's OpenSearch sink (Apache 2.0) for search analytics, which is not on Confluent Hub: its
 * GitHub release's tar, unpacked into the plugin volume (asset name per release:
 * `opensearch-connector-for-apache-kafka-<version>.tar`, Aiven-Open/opensearch-connector-for-apache-kafka README).
 */
export const OPENSEARCH_SINK_VERSION = "4.0.1";
export const OPENSEARCH_SINK_URL = `https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/releases/download/v${OPENSEARCH_SINK_VERSION}/opensearch-connector-for-apache-kafka-${OPENSEARCH_SINK_VERSION}.tar`;

/**
 * The init container: both pinned plugins into the shared volume, touching no worker file. A
 * failed download fails the init container, so the worker never starts without its plugins.
 */
export const PLUGIN_INSTALL_COMMAND: readonly string[] = [
  "bash", "-c",
  [
    "set -euo pipefail",
    `confluent-hub install --no-prompt --component-dir ${PLUGIN_PATH} --worker-configs /dev/null ${S3_SINK_PLUGIN}`,
    `curl -fsSL --retry 3 -o /tmp/opensearch-sink.tar ${OPENSEARCH_SINK_URL}`,
    `tar -xf /tmp/opensearch-sink.tar -C ${PLUGIN_PATH}`,
    "rm -f /tmp/opensearch-sink.tar",
  ].join("; "),
];

export interface S3SinkInputs {
  readonly topics: readonly AnalyticsTopic[];
  readonly bucketName: string;
  readonly region: string;
  /** The data key's ARN: objects are SSE-KMS with it (the bucket's default too). */
  readonly keyArn: string;
  /** Replication factor of the dead-letter topic (min(3, brokers)). */
  readonly dlqReplicationFactor: number;
  /** @default one task per topic */
  readonly tasksMax?: number;
  /** @default 10000 records per object at most */
  readonly flushSize?: number;
  /** @default 600000: an object per partition and topic at least every 10 minutes of record time */
  readonly rotateIntervalMs?: number;
}

/**
 * The S3 sink for the lake's topics: Parquet (Snappy) under `topics/<topic>/dt=YYYY-MM-DD/`, one
 * object per flush or rotation, partitioned by the record's own timestamp (UTC) so that a replay
 * writes the same object names (exactly-once into S3). A record that cannot be converted goes to
 * the dead-letter topic with its error instead of stopping the connector.
 */
export function s3SinkConfig(i: S3SinkInputs): Record<string, string> {
  if (i.topics.length === 0) throw new Error("s3SinkConfig: no topics");
  for (const t of i.topics) {
    if (topicPrefix(t.name) !== `${TOPICS_DIR}/${t.name}/`) throw new Error(`s3SinkConfig: topic ${t.name} would not land under its contract prefix`);
  }
  return {
    "connector.class": S3_SINK_CLASS,
    "tasks.max": String(i.tasksMax ?? i.topics.length),
    topics: i.topics.map((t) => t.name).join(","),
    "s3.bucket.name": i.bucketName,
    "s3.region": i.region,
    "s3.sse.kms.key.id": i.keyArn,
    "s3.ssea.name": "aws:kms",
    "storage.class": "io.confluent.connect.s3.storage.S3Storage",
    "format.class": "io.confluent.connect.s3.format.parquet.ParquetFormat",
    "parquet.codec": "snappy",
    "topics.dir": TOPICS_DIR,
    "partitioner.class": "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
    "path.format": `'${PARTITION_COLUMN}'=YYYY-MM-dd`,
    "partition.duration.ms": "86400000",
    locale: "en-US",
    timezone: "UTC",
    "timestamp.extractor": "Record",
    "flush.size": String(i.flushSize ?? 10000),
    "rotate.interval.ms": String(i.rotateIntervalMs ?? 600000),
    "schema.compatibility": "NONE",
    "behavior.on.null.values": "ignore",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "true",
    "errors.tolerance": "all",
    "errors.deadletterqueue.topic.name": DEAD_LETTER_TOPIC,
    "errors.deadletterqueue.topic.replication.factor": String(i.dlqReplicationFactor),
    "errors.deadletterqueue.context.headers.enable": "true",
    "errors.log.enable": "true",
  };
}

type Check = (value: string) => string | undefined;
const oneOf = (...allowed: string[]): Check => (v) => (allowed.includes(v) ? undefined : `must be one of ${allowed.join(", ")}`);
const bool: Check = oneOf("true", "false");
const positiveInt: Check = (v) => (/^[1-9]\d*$/.test(v) ? undefined : "must be a positive integer");
const nonEmpty: Check = (v) => (v.trim() === "" ? "must not be empty" : undefined);
const topicList: Check = (v) => (/^[a-z0-9][a-z0-9._-]*(,[a-z0-9][a-z0-9._-]*)*$/.test(v) ? undefined : "must be a comma-separated list of topic names");
const bucketName: Check = (v) => (/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v) ? undefined : "must be an S3 bucket name");
const region: Check = (v) => (/^[a-z]{2}(-[a-z]+)+-\d$/.test(v) ? undefined : "must be an AWS region");
const kmsKey: Check = (v) => (/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+$/.test(v) ? undefined : "must be a KMS key ARN");
const pathFormat: Check = (v) => (v === `'${PARTITION_COLUMN}'=YYYY-MM-dd` ? undefined : `must be '${PARTITION_COLUMN}'=YYYY-MM-dd, the lake's partition layout`);

/**
 * The options this project may set, as the S3 sink's configuration reference documents them (values
 * narrowed to what the lake accepts: Parquet only, time-based partitions on the record time, KMS
 * only), plus Kafka Connect's own sink keys (connector.class, tasks.max, topics, converters, errors.*).
 */
const DOCUMENTED: Readonly<Record<string, Check>> = {
  "connector.class": oneOf(S3_SINK_CLASS),
  "tasks.max": positiveInt,
  topics: topicList,
  "s3.bucket.name": bucketName,
  "s3.region": region,
  "s3.sse.kms.key.id": kmsKey,
  "s3.ssea.name": oneOf("aws:kms"),
  "s3.part.size": positiveInt,
  "storage.class": oneOf("io.confluent.connect.s3.storage.S3Storage"),
  "format.class": oneOf("io.confluent.connect.s3.format.parquet.ParquetFormat"),
  "parquet.codec": oneOf("none", "snappy", "gzip", "lzo", "brotli", "lz4", "zstd"),
  "topics.dir": oneOf(TOPICS_DIR),
  "directory.delim": oneOf("/"),
  "partitioner.class": oneOf("io.confluent.connect.storage.partitioner.TimeBasedPartitioner"),
  "path.format": pathFormat,
  "partition.duration.ms": oneOf("86400000"),
  locale: nonEmpty,
  timezone: oneOf("UTC"),
  "timestamp.extractor": oneOf("Record", "RecordField"),
  "timestamp.field": nonEmpty,
  "flush.size": positiveInt,
  "rotate.interval.ms": positiveInt,
  "schema.compatibility": oneOf("NONE", "BACKWARD", "FORWARD", "FULL"),
  "behavior.on.null.values": oneOf("ignore", "fail", "write"),
  "key.converter": oneOf("org.apache.kafka.connect.storage.StringConverter"),
  "value.converter": oneOf("org.apache.kafka.connect.json.JsonConverter"),
  // ParquetFormat needs a schema on every record.
  "value.converter.schemas.enable": oneOf("true"),
  "errors.tolerance": oneOf("none", "all"),
  "errors.deadletterqueue.topic.name": nonEmpty,
  "errors.deadletterqueue.topic.replication.factor": positiveInt,
  "errors.deadletterqueue.context.headers.enable": bool,
  "errors.log.enable": bool,
  "errors.log.include.messages": oneOf("false"),
};

/** Every problem of an S3 sink configuration, each naming its key; empty when it is valid. */
export function s3SinkConfigIssues(config: Readonly<Record<string, string>>): string[] {
  const issues: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    const check = DOCUMENTED[key];
    if (check === undefined) { issues.push(`${key}: not a documented option of the S3 sink connector (or not one this lake allows)`); continue; }
    const problem = check(value);
    if (problem) issues.push(`${key}: ${problem}, got "${value}"`);
  }
  for (const required of ["connector.class", "topics", "s3.bucket.name", "s3.region", "format.class", "flush.size", "storage.class", "s3.sse.kms.key.id"]) {
    if (config[required] === undefined) issues.push(`${required}: required`);
  }
  if (config["timestamp.extractor"] === "RecordField" && config["timestamp.field"] === undefined) issues.push("timestamp.field: required with timestamp.extractor RecordField");
  if (config["errors.tolerance"] === "all" && config["errors.deadletterqueue.topic.name"] === undefined) {
    issues.push("errors.deadletterqueue.topic.name: required when errors.tolerance is all (a bad record must not vanish)");
  }
  return issues;
}

/** The S3 sink's configuration, refused whole when any option is not documented or not allowed. */
export function checkedS3SinkConfig(i: S3SinkInputs): Record<string, string> {
  const config = s3SinkConfig(i);
  const issues = s3SinkConfigIssues(config);
  if (issues.length > 0) throw new Error(`S3 sink connector configuration: ${issues.join("; ")}`);
  return config;
}

export interface ConnectTaskPolicyInputs {
  readonly rawBucketArn: string;
  readonly keyArn: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * The workers' task role: write objects under the raw bucket's `topics/` only (multipart included),
 * see the bucket (HeadBucket at the connector's start needs s3:ListBucket, which carries no prefix),
 * and use the data key only through S3 in this region.
 */
export function connectTaskPolicy(p: ConnectTaskPolicyInputs): { Version: "2012-10-17"; Statement: object[] } {
  const suffix = p.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteTopicObjects", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], Resource: `${p.rawBucketArn}/${TOPICS_DIR}/*` },
      { Sid: "SeeRawBucket", Effect: "Allow", Action: ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:GetBucketLocation"], Resource: p.rawBucketArn },
      {
        Sid: "DataKeyThroughS3",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: p.keyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${p.region}.${suffix}` } },
      },
    ],
  };
}
