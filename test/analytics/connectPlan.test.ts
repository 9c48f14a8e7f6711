/**
 * The Kafka Connect plan, directly: the S3 sink's configuration lands where the lake's tables read
 * (topics/<topic>/dt=YYYY-MM-DD, Parquet, the data key), every option is checked against the
 * connector's documented table (an unknown key or a bad value is refused naming it), the worker
 * settings of distributed mode, and the task role's policy judged by the pack's IAM evaluator.
 */
import { expect } from "chai";
import { CONNECT_REST_PORT, DEFAULT_TOPICS, PARTITION_COLUMN, topicPrefix } from "../../components/analytics/analyticsPlan";
import {
  OPENSEARCH_SINK_URL,
  OPENSEARCH_SINK_VERSION,
  PLUGIN_INSTALL_COMMAND,
  PLUGIN_PATH,
  CONNECT_IMAGE, DEAD_LETTER_TOPIC, S3_SINK_PLUGIN, WORKER_COMMAND, checkedS3SinkConfig, connectTaskPolicy, maxWorkers, s3SinkConfig, s3SinkConfigIssues, workerCount, workerEnvironment,
} from "../../components/analytics/connectPlan";
import { unpinnedReason } from "../../policy/rules/compute/pinnedImages";
import { allows } from "../../policy/rules/iam/evaluate";

const KEY = "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const inputs = { topics: DEFAULT_TOPICS, bucketName: "tila-prod-lake-raw-444444444444", region: "me-south-1", keyArn: KEY, dlqReplicationFactor: 3 };

describe("connectPlan: the S3 sink's configuration", () => {
  it("writes every configured topic as Parquet under the contract's prefix and dt partitions, on the record time, SSE-KMS with the data key", () => {
    const c = s3SinkConfig(inputs);
    expect(c.topics.split(",")).to.deep.equal(DEFAULT_TOPICS.map((t) => t.name));
    expect(c["format.class"]).to.equal("io.confluent.connect.s3.format.parquet.ParquetFormat");
    // The connector writes <topics.dir>/<topic>/<path.format>/: the contract's topicPrefix then dt=.
    for (const t of DEFAULT_TOPICS) expect(`${c["topics.dir"]}/${t.name}/`).to.equal(topicPrefix(t.name));
    expect(c["path.format"]).to.equal(`'${PARTITION_COLUMN}'=YYYY-MM-dd`);
    expect(c).to.include({ "timestamp.extractor": "Record", timezone: "UTC", "partition.duration.ms": "86400000", "s3.sse.kms.key.id": KEY, "s3.ssea.name": "aws:kms" });
    expect(c["value.converter.schemas.enable"], "ParquetFormat needs a schema").to.equal("true");
    expect(c).to.include({ "errors.tolerance": "all", "errors.deadletterqueue.topic.name": DEAD_LETTER_TOPIC, "errors.deadletterqueue.topic.replication.factor": "3" });
    expect(s3SinkConfigIssues(c)).to.deep.equal([]);
  });

  it("refuses an undocumented key and each bad value, naming the key", () => {
    const c = s3SinkConfig(inputs);
    expect(s3SinkConfigIssues({ ...c, "s3.bucket": "x" })).to.deep.equal(["s3.bucket: not a documented option of the S3 sink connector (or not one this lake allows)"]);
    const bad = s3SinkConfigIssues({ ...c, "format.class": "io.confluent.connect.s3.format.json.JsonFormat", "flush.size": "0", "s3.sse.kms.key.id": "alias/aws/s3", "path.format": "YYYY/MM/dd", "value.converter.schemas.enable": "false" });
    expect(bad.map((i) => i.split(":")[0])).to.have.members(["format.class", "flush.size", "s3.sse.kms.key.id", "path.format", "value.converter.schemas.enable"]);
  });

  it("refuses a missing required key and errors.tolerance all without a dead-letter topic", () => {
    const { "s3.bucket.name": _bucket, "errors.deadletterqueue.topic.name": _dlq, ...rest } = s3SinkConfig(inputs);
    void _bucket; void _dlq;
    expect(s3SinkConfigIssues(rest)).to.have.members([
      "s3.bucket.name: required",
      "errors.deadletterqueue.topic.name: required when errors.tolerance is all (a bad record must not vanish)",
    ]);
    expect(() => checkedS3SinkConfig({ ...inputs, flushSize: 0 })).to.throw(/flush\.size: must be a positive integer/);
    expect(() => s3SinkConfig({ ...inputs, topics: [] })).to.throw(/no topics/);
  });
});

describe("connectPlan: the workers", () => {
  it("installs both sinks before the worker starts: the S3 sink from Confluent Hub and the OpenSearch sink's pinned release", () => {
    const [shell, flag, script] = PLUGIN_INSTALL_COMMAND;
    expect([shell, flag]).to.deep.equal(["bash", "-c"]);
    expect(script).to.match(/^set -euo pipefail; /);
    expect(script).to.contain(`confluent-hub install --no-prompt --component-dir ${PLUGIN_PATH} --worker-configs /dev/null ${S3_SINK_PLUGIN}`);
    expect(OPENSEARCH_SINK_URL).to.equal(`https://github.com/Aiven-Open/opensearch-connector-for-apache-kafka/releases/download/v${OPENSEARCH_SINK_VERSION}/opensearch-connector-for-apache-kafka-${OPENSEARCH_SINK_VERSION}.tar`);
    expect(script).to.contain(`curl -fsSL --retry 3 -o /tmp/opensearch-sink.tar ${OPENSEARCH_SINK_URL}; tar -xf /tmp/opensearch-sink.tar -C ${PLUGIN_PATH}`);
  });

  it("run distributed mode with three internal topics replicated min(3, brokers), the REST port and the plugin path", () => {
    const env = workerEnvironment({ environment: "prod", bootstrapServers: "kafka-1.prod.internal.tila.sa:9092", brokers: 3 });
    expect(env).to.include({ CONNECT_GROUP_ID: "tila-prod-analytics-connect", CONNECT_CONFIG_STORAGE_TOPIC: "tila-prod-analytics-connect-configs", CONNECT_REST_PORT: String(CONNECT_REST_PORT), CONNECT_PLUGIN_PATH: "/plugins" });
    for (const k of ["CONFIG", "OFFSET", "STATUS"]) expect(env[`CONNECT_${k}_STORAGE_REPLICATION_FACTOR`], k).to.equal("3");
    expect(workerEnvironment({ environment: "dev", bootstrapServers: "k:9092", brokers: 1 }).CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR).to.equal("1");
    expect(() => workerEnvironment({ environment: "dev", bootstrapServers: "k:9092", brokers: 0 })).to.throw(/no brokers/);
    expect(WORKER_COMMAND.join(" ")).to.match(/CONNECT_REST_ADVERTISED_HOST_NAME="\$\(hostname -i\)"/);
    expect([workerCount("prod"), workerCount("preprod"), maxWorkers("prod")]).to.deep.equal([3, 2, 6]);
  });

  it("pin the image and the plugin by exact version", () => {
    expect(unpinnedReason(CONNECT_IMAGE)).to.equal(undefined);
    expect(S3_SINK_PLUGIN).to.match(/^confluentinc\/kafka-connect-s3:\d+\.\d+\.\d+$/);
  });

  it("task role: writes only under the raw bucket's topics/, reads nothing, uses the key only through S3", () => {
    const raw = "arn:aws:s3:::tila-prod-lake-raw";
    const doc = connectTaskPolicy({ rawBucketArn: raw, keyArn: KEY, region: "me-south-1", partition: "aws" });
    const can = (action: string, resource: string, context?: Record<string, string>): boolean => allows([doc], { action, resources: [resource], ...(context ? { context } : {}) });
    expect(can("s3:PutObject", `${raw}/topics/orders/dt=2026-12-05/orders+0+0000000000.snappy.parquet`)).to.equal(true);
    expect(can("s3:PutObject", `${raw}/other/x`)).to.equal(false);
    expect(can("s3:PutObject", "arn:aws:s3:::tila-prod-lake-curated/topics/orders/x")).to.equal(false);
    expect(can("s3:GetObject", `${raw}/topics/orders/x`)).to.equal(false);
    expect(can("s3:DeleteObject", `${raw}/topics/orders/x`)).to.equal(false);
    expect(can("kms:GenerateDataKey", KEY, { "kms:ViaService": "s3.me-south-1.amazonaws.com" })).to.equal(true);
    expect(can("kms:GenerateDataKey", KEY, { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com" })).to.equal(false);
  });
});
