/**
 * The data, observability and security pricers on hand-worked examples: each resource built as the captured graph
 * holds it (inputs copied from the real prod and dev plans), its charges worked out by hand in the comment, and
 * the monthly cost at the me-south-1 snapshot's prices checked for the priced types.
 */
import { expect } from "chai";
import type { CapturedResource } from "../../offline/types";
import type { Charge, PricingContext, UsageAssumptions } from "../../offline/cost/types";
import { DATA_PRICERS } from "../../offline/cost/pricers/data";
import { loadSnapshot } from "../../offline/cost/snapshot";
import { capturedResource } from "../support/captured";

const ASSUMPTIONS: UsageAssumptions = {
  natGatewayDataGb: 100,
  transitDataGbPerAttachment: 50,
  vpnDataGb: 10,
  endpointDataGb: 10,
  loadBalancerLcu: 1,
  wafRequestsMillions: 5,
  logIngestionGbPerGroup: 3,
  s3StorageGbPerBucket: 40,
  snapshotGbPerVolumeGb: 1.5,
  route53QueriesMillionsPerZone: 1,
  lambdaInvocationsMillions: 2,
  lakeStorageGbPerBucket: 200,
  athenaScannedTbPerWorkgroup: 1,
};

let serial = 0;
function res(type: string, name: string, inputs: Record<string, unknown>): CapturedResource {
  serial += 1;
  return capturedResource({
    urn: `urn:pulumi:prod::tila-platform::${type}::${name}`,
    type,
    name,
    parent: "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod",
    id: `id-${serial}`,
    inputs,
  });
}

function ctx(resources: CapturedResource[], assumptions: UsageAssumptions = ASSUMPTIONS): PricingContext {
  return {
    stack: "prod",
    region: "me-south-1",
    assumptions,
    resources,
    byUrn: new Map(resources.map((r) => [r.urn, r])),
    byId: new Map(resources.filter((r) => r.id !== undefined).map((r) => [r.id as string, r])),
  };
}

function price(r: CapturedResource, all: CapturedResource[] = [r], assumptions?: UsageAssumptions): readonly Charge[] {
  const pricer = DATA_PRICERS[r.type];
  expect(pricer, `a pricer for ${r.type}`).to.be.a("function");
  return pricer(r, ctx(all, assumptions));
}

/** Sum of quantity × the me-south-1 snapshot's price, as the estimate will compute it. */
function monthly(charges: readonly Charge[]): number {
  const snap = loadSnapshot("me-south-1");
  return charges.reduce((sum, c) => {
    const p = snap.prices[c.priceKey];
    expect(p, `me-south-1 prices ${c.priceKey}`).to.not.equal(undefined);
    return sum + c.quantity * p.usd;
  }, 0);
}

const aerospikeNode = (): CapturedResource =>
  res("aws:ec2/instance:Instance", "prod-aerospike-node-0", {
    instanceType: "r7g.xlarge",
    monitoring: true,
    rootBlockDevice: { deleteOnTermination: true, encrypted: true, volumeSize: 30, volumeType: "gp3" },
    tags: { Snapshot: "prod-aerospike", Name: "prod-aerospike-0" },
  });

describe("data pricers: EC2 and EBS", () => {
  it("prices an instance's hours, its detailed monitoring and its gp3 root volume", () => {
    // r7g.xlarge: 730 h; detailed monitoring: 7 metrics; root: 30 GB gp3 at the baseline (no IOPS or throughput lines).
    // me-south-1: 730 × 0.257 = 187.61; 7 × 0.36 = 2.52; 30 × 0.0968 = 2.904; total 193.034.
    const charges = price(aerospikeNode());
    expect(charges).to.deep.equal([
      { priceKey: "ec2.instance.r7g.xlarge", dimension: "instance hours (r7g.xlarge, Linux on-demand)", quantity: 730 },
      { priceKey: "cloudwatch.metric", dimension: "detailed monitoring (7 metrics)", quantity: 7 },
      { priceKey: "ebs.gp3.storage", dimension: "root volume storage (gp3, 30 GB)", quantity: 30 },
    ]);
    expect(monthly(charges)).to.be.closeTo(193.034, 1e-9);
  });

  it("leaves out detailed monitoring when it is off and a root device the AMI decides", () => {
    const charges = price(res("aws:ec2/instance:Instance", "plain", { instanceType: "m6i.large", monitoring: false }));
    // m6i.large, verified Bahrain row 0.132: 730 × 0.132 = 96.36.
    expect(charges).to.deep.equal([{ priceKey: "ec2.instance.m6i.large", dimension: "instance hours (m6i.large, Linux on-demand)", quantity: 730 }]);
    expect(monthly(charges)).to.be.closeTo(96.36, 1e-9);
  });

  it("prices a gp3 data volume's storage and the IOPS and throughput above 3,000 and 125 MiB/s", () => {
    // prod-aerospike-data-0: 200 GB, 6,000 IOPS, 250 MiB/s: 200 GB; 6,000 − 3,000 = 3,000 IOPS; 250 − 125 = 125 MiB/s.
    // me-south-1: 200 × 0.0968 = 19.36; 3,000 × 0.006 = 18; 125 × 0.048 = 6; total 43.36.
    const vol = res("aws:ebs/volume:Volume", "prod-aerospike-data-0", { size: 200, type: "gp3", iops: 6000, throughput: 250, tags: { Snapshot: "prod-aerospike" } });
    const charges = price(vol);
    expect(charges).to.deep.equal([
      { priceKey: "ebs.gp3.storage", dimension: "volume storage (gp3, 200 GB)", quantity: 200 },
      { priceKey: "ebs.gp3.iops", dimension: "volume IOPS above 3000 (6000 provisioned)", quantity: 3000 },
      { priceKey: "ebs.gp3.throughput", dimension: "volume throughput above 125 MiB/s (250 provisioned)", quantity: 125 },
    ]);
    expect(monthly(charges)).to.be.closeTo(43.36, 1e-9);
  });

  it("prices a volume at the gp3 baseline by its storage alone", () => {
    const charges = price(res("aws:ebs/volume:Volume", "v", { size: 50, type: "gp3", iops: 3000, throughput: 125 }));
    expect(charges).to.deep.equal([{ priceKey: "ebs.gp3.storage", dimension: "volume storage (gp3, 50 GB)", quantity: 50 }]);
  });

  it("prices a DLM policy's snapshots as the GB of the volumes its target tags select × snapshotGbPerVolumeGb", () => {
    // Three 200 GB volumes tagged Snapshot=prod-aerospike, one 500 GB volume of another cluster: 600 GB × 1.5 = 900 GB.
    // me-south-1: 900 × 0.06 = 54.
    const vols = [0, 1, 2].map((i) => res("aws:ebs/volume:Volume", `prod-aerospike-data-${i}`, { size: 200, type: "gp3", tags: { Snapshot: "prod-aerospike" } }));
    const other = res("aws:ebs/volume:Volume", "prod-kafka-data-0", { size: 500, type: "gp3", tags: { Snapshot: "prod-kafka" } });
    const policy = res("aws:dlm/lifecyclePolicy:LifecyclePolicy", "prod-aerospike-snapshots", {
      policyDetails: { policyType: "EBS_SNAPSHOT_MANAGEMENT", resourceTypes: ["VOLUME"], targetTags: { Snapshot: "prod-aerospike" } },
    });
    const charges = price(policy, [...vols, other, policy]);
    expect(charges).to.deep.equal([
      { priceKey: "ebs.snapshot.storage", dimension: "snapshot storage (600 GB of volumes × 1.5)", quantity: 900, assumption: "snapshotGbPerVolumeGb" },
    ]);
    expect(monthly(charges)).to.be.closeTo(54, 1e-9);
  });

  it("prices an INSTANCE policy's snapshots over each selected instance's root and attached volumes", () => {
    // One tagged instance: 30 GB root + a 200 GB volume attached to it; another 100 GB volume attached elsewhere.
    // (30 + 200) × 1.5 = 345 GB.
    const node = aerospikeNode();
    const vol = res("aws:ebs/volume:Volume", "data-0", { size: 200, type: "gp3" });
    const stray = res("aws:ebs/volume:Volume", "stray", { size: 100, type: "gp3" });
    const attach = res("aws:ec2/volumeAttachment:VolumeAttachment", "a0", { instanceId: node.id, volumeId: vol.id, deviceName: "/dev/sdf" });
    const other = res("aws:ec2/volumeAttachment:VolumeAttachment", "a1", { instanceId: "i-other", volumeId: stray.id, deviceName: "/dev/sdf" });
    const policy = res("aws:dlm/lifecyclePolicy:LifecyclePolicy", "p", { policyDetails: { resourceTypes: ["INSTANCE"], targetTags: { Snapshot: "prod-aerospike" } } });
    expect(price(policy, [node, vol, stray, attach, other, policy])).to.deep.equal([
      { priceKey: "ebs.snapshot.storage", dimension: "snapshot storage (230 GB of volumes × 1.5)", quantity: 345, assumption: "snapshotGbPerVolumeGb" },
    ]);
  });

  it("prices nothing for a DLM policy that selects no volume", () => {
    const policy = res("aws:dlm/lifecyclePolicy:LifecyclePolicy", "p", { policyDetails: { resourceTypes: ["VOLUME"], targetTags: { Snapshot: "none" } } });
    expect(price(policy, [policy, aerospikeNode()])).to.deep.equal([]);
  });
});

describe("data pricers: managed data services", () => {
  const prodMysql = (): CapturedResource =>
    res("aws:rds/instance:Instance", "prod-mysql-instance", {
      engine: "mysql",
      instanceClass: "db.r7g.xlarge",
      multiAz: true,
      allocatedStorage: 200,
      storageType: "gp3",
      backupRetentionPeriod: 30,
    });

  it("prices a Multi-AZ RDS instance at the Multi-AZ rows, with backups beyond the free amount", () => {
    // db.r7g.xlarge MySQL Multi-AZ: 730 h; 200 GB gp3 Multi-AZ; backups 200 × 1.5 = 300 GB, 200 free: 100 GB billed.
    // me-south-1: 730 × 1.032 = 753.36; 200 × 0.276 = 55.2; 100 × 0.114 = 11.4; total 819.96.
    const charges = price(prodMysql());
    expect(charges).to.deep.equal([
      { priceKey: "rds.instance.mysql.db.r7g.xlarge.multi-az", dimension: "instance hours (db.r7g.xlarge mysql, Multi-AZ)", quantity: 730 },
      { priceKey: "rds.storage.gp3.multi-az", dimension: "storage (gp3, 200 GB, Multi-AZ)", quantity: 200 },
      {
        priceKey: "rds.backup.storage",
        dimension: "backup storage beyond the free 200 GB (200 GB × 1.5 retained)",
        quantity: 100,
        assumption: "snapshotGbPerVolumeGb",
      },
    ]);
    expect(monthly(charges)).to.be.closeTo(819.96, 1e-9);
  });

  it("prices a Single-AZ instance without backup charges when the retained backups fit the free amount", () => {
    // dev: db.t4g.medium Single-AZ, 20 GB gp3; snapshotGbPerVolumeGb 1 keeps backups at 20 GB = the free 20 GB.
    // me-south-1: 730 × 0.078 = 56.94; 20 × 0.138 = 2.76; total 59.7.
    const dev = res("aws:rds/instance:Instance", "dev-mysql-instance", {
      engine: "mysql",
      instanceClass: "db.t4g.medium",
      multiAz: false,
      allocatedStorage: 20,
      storageType: "gp3",
      backupRetentionPeriod: 7,
    });
    const charges = price(dev, [dev], { ...ASSUMPTIONS, snapshotGbPerVolumeGb: 1 });
    expect(charges).to.deep.equal([
      { priceKey: "rds.instance.mysql.db.t4g.medium.single-az", dimension: "instance hours (db.t4g.medium mysql, Single-AZ)", quantity: 730 },
      { priceKey: "rds.storage.gp3.single-az", dimension: "storage (gp3, 20 GB, Single-AZ)", quantity: 20 },
    ]);
    expect(monthly(charges)).to.be.closeTo(59.7, 1e-9);
  });

  it("prices RDS gp3 IOPS and throughput above the baseline, which is 12,000 and 500 MiB/s from 400 GB", () => {
    const big = res("aws:rds/instance:Instance", "big", { engine: "mysql", instanceClass: "db.r7g.large", multiAz: false, allocatedStorage: 500, storageType: "gp3", iops: 15000, storageThroughput: 600, backupRetentionPeriod: 0 });
    const charges = price(big);
    expect(charges.slice(2)).to.deep.equal([
      { priceKey: "rds.storage.gp3.iops.single-az", dimension: "IOPS above 12000 (15000 provisioned, Single-AZ)", quantity: 3000 },
      { priceKey: "rds.storage.gp3.throughput.single-az", dimension: "throughput above 500 MiB/s (600 provisioned, Single-AZ)", quantity: 100 },
    ]);
  });

  it("prices every node of a Redis replication group", () => {
    // prod-redis: 3 × cache.r7g.large = 2,190 node hours; me-south-1: 2,190 × 0.2628 = 575.532.
    const rg = res("aws:elasticache/replicationGroup:ReplicationGroup", "prod-redis-replication-group", { engine: "redis", nodeType: "cache.r7g.large", numCacheClusters: 3 });
    const charges = price(rg);
    expect(charges).to.deep.equal([{ priceKey: "elasticache.node.redis.cache.r7g.large", dimension: "node hours (3 × cache.r7g.large redis)", quantity: 2190 }]);
    expect(monthly(charges)).to.be.closeTo(575.532, 1e-9);
  });

  it("counts a cluster-mode group's shards × (replicas + 1)", () => {
    const rg = res("aws:elasticache/replicationGroup:ReplicationGroup", "sharded", { engine: "redis", nodeType: "cache.t4g.small", numNodeGroups: 2, replicasPerNodeGroup: 1 });
    expect(price(rg)).to.deep.equal([{ priceKey: "elasticache.node.redis.cache.t4g.small", dimension: "node hours (4 × cache.t4g.small redis)", quantity: 2920 }]);
  });

  it("prices an OpenSearch domain's data nodes, dedicated masters and per-node storage", () => {
    // prod-search: 3 × r7g.large.search = 2,190 h; 3 × m7g.large.search masters = 2,190 h; 3 × 200 GB gp3 = 600 GB.
    // me-south-1: 2,190 × 0.2131 = 466.689; 2,190 × 0.1632 = 357.408; 600 × 0.1464 = 87.84; total 911.937.
    const domain = res("aws:opensearch/domain:Domain", "prod-search-domain", {
      clusterConfig: { dedicatedMasterCount: 3, dedicatedMasterEnabled: true, dedicatedMasterType: "m7g.large.search", instanceCount: 3, instanceType: "r7g.large.search", zoneAwarenessEnabled: true },
      ebsOptions: { ebsEnabled: true, volumeSize: 200, volumeType: "gp3" },
    });
    const charges = price(domain);
    expect(charges).to.deep.equal([
      { priceKey: "opensearch.instance.r7g.large.search", dimension: "data node hours (3 × r7g.large.search)", quantity: 2190 },
      { priceKey: "opensearch.instance.m7g.large.search", dimension: "dedicated master hours (3 × m7g.large.search)", quantity: 2190 },
      { priceKey: "opensearch.storage.gp3", dimension: "storage (3 × 200 GB gp3)", quantity: 600 },
    ]);
    expect(monthly(charges)).to.be.closeTo(911.937, 1e-9);
  });

  it("prices a single-node domain without masters", () => {
    // dev-search: 1 × t3.small.search, 10 GB gp3: 730 × 0.0432 = 31.536; 10 × 0.1464 = 1.464; total 33.
    const domain = res("aws:opensearch/domain:Domain", "dev-search-domain", {
      clusterConfig: { dedicatedMasterEnabled: false, instanceCount: 1, instanceType: "t3.small.search" },
      ebsOptions: { ebsEnabled: true, volumeSize: 10, volumeType: "gp3" },
    });
    const charges = price(domain);
    expect(charges.map((c) => c.priceKey)).to.deep.equal(["opensearch.instance.t3.small.search", "opensearch.storage.gp3"]);
    expect(monthly(charges)).to.be.closeTo(33, 1e-9);
  });
});

describe("data pricers: secrets, keys, CloudWatch, S3, DynamoDB, Prometheus", () => {
  it("prices a secret per month, and each replica as a secret", () => {
    // 1 × 0.40 = 0.40; with two replicas 3 × 0.40 = 1.20.
    const secret = res("aws:secretsmanager/secret:Secret", "prod-mysql-secret", { namePrefix: "prod/data/x-" });
    expect(price(secret)).to.deep.equal([{ priceKey: "secretsmanager.secret", dimension: "secret", quantity: 1 }]);
    expect(monthly(price(secret))).to.be.closeTo(0.4, 1e-9);
    const replicated = res("aws:secretsmanager/secret:Secret", "r", { replicas: [{ region: "eu-west-1" }, { region: "me-central-1" }] });
    expect(price(replicated)).to.deep.equal([{ priceKey: "secretsmanager.secret", dimension: "secret and 2 replicas", quantity: 3 }]);
  });

  it("prices a customer managed key at one key-month", () => {
    const key = res("aws:kms/key:Key", "prod-data-key", { enableKeyRotation: true });
    expect(price(key)).to.deep.equal([{ priceKey: "kms.key", dimension: "customer managed key", quantity: 1 }]);
    expect(monthly(price(key))).to.be.closeTo(1, 1e-9);
  });

  it("prices a standard alarm at one alarm metric, a 10-second one as high resolution", () => {
    const std = res("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-aerospike-recover-0", { metricName: "StatusCheckFailed_System", namespace: "AWS/EC2", period: 60 });
    expect(price(std)).to.deep.equal([{ priceKey: "cloudwatch.alarm.standard", dimension: "standard alarm (1 metric)", quantity: 1 }]);
    const high = res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", { metricName: "CPUUtilization", namespace: "AWS/EC2", period: 10 });
    expect(price(high)).to.deep.equal([{ priceKey: "cloudwatch.alarm.high-resolution", dimension: "high-resolution alarm (1 metric)", quantity: 1 }]);
    // 0.12 + 0.36 = 0.48
    expect(monthly([...price(std), ...price(high)])).to.be.closeTo(0.48, 1e-9);
  });

  it("prices a metric-math alarm per metric it reads, not per expression", () => {
    // dev's ALB 5xx % alarm: one expression over three metrics (300 s): 3 alarm metrics; me-south-1 3 × 0.12 = 0.36.
    const alarm = res("aws:cloudwatch/metricAlarm:MetricAlarm", "dev-alb-5xx", {
      metricQueries: [
        { expression: "100 * (FILL(elb, 0) + FILL(target, 0)) / FILL(requests, 1)", id: "e1", returnData: true },
        { id: "elb", metric: { metricName: "HTTPCode_ELB_5XX_Count", namespace: "AWS/ApplicationELB", period: 300, stat: "Sum" }, returnData: false },
        { id: "target", metric: { metricName: "HTTPCode_Target_5XX_Count", namespace: "AWS/ApplicationELB", period: 300, stat: "Sum" }, returnData: false },
        { id: "requests", metric: { metricName: "RequestCount", namespace: "AWS/ApplicationELB", period: 300, stat: "Sum" }, returnData: false },
      ],
    });
    const charges = price(alarm);
    expect(charges).to.deep.equal([{ priceKey: "cloudwatch.alarm.standard", dimension: "standard alarm (3 metrics of a metric-math alarm)", quantity: 3 }]);
    expect(monthly(charges)).to.be.closeTo(0.36, 1e-9);
  });

  it("prices a composite alarm at one composite alarm-month", () => {
    const c = res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "prod-observability-svc-cart-down", { alarmRule: "ALARM(a) OR ALARM(b)" });
    expect(price(c)).to.deep.equal([{ priceKey: "cloudwatch.alarm.composite", dimension: "composite alarm", quantity: 1 }]);
    expect(monthly(price(c))).to.be.closeTo(0.6, 1e-9);
  });

  it("prices a log group's ingestion and what its retention keeps", () => {
    // 3 GB a month kept 7 days: stored 3 × 7 / (365 / 12) = 21 / 30.41666… = 0.690410958… GB.
    // me-south-1: 3 × 0.6 = 1.8; 0.690410958 × 0.036 = 0.024854794; total 1.824854794.
    const group = res("aws:cloudwatch/logGroup:LogGroup", "prod-cart-logs", { name: "/tila/prod/cart", retentionInDays: 7 });
    const charges = price(group);
    expect(charges.map((c) => [c.priceKey, c.assumption])).to.deep.equal([
      ["cloudwatch.logs.ingestion", "logIngestionGbPerGroup"],
      ["cloudwatch.logs.storage", "logIngestionGbPerGroup"],
    ]);
    expect(charges[0].quantity).to.equal(3);
    expect(charges[1].quantity).to.be.closeTo(21 / (365 / 12), 1e-12);
    expect(monthly(charges)).to.be.closeTo(1.8 + (21 / (365 / 12)) * 0.036, 1e-12);
  });

  it("holds a year's ingestion for a group that never expires, and caps longer retention at a year", () => {
    const forever = res("aws:cloudwatch/logGroup:LogGroup", "forever", { name: "/x" });
    expect(price(forever)[1]).to.deep.equal({
      priceKey: "cloudwatch.logs.storage",
      dimension: "log storage (365 days kept, never expires: a year's)",
      quantity: 36,
      assumption: "logIngestionGbPerGroup",
    });
    const tenYears = res("aws:cloudwatch/logGroup:LogGroup", "long", { name: "/y", retentionInDays: 3653 });
    expect(price(tenYears)[1].quantity).to.equal(36);
  });

  it("bills only dashboards beyond the stack's first three", () => {
    const boards = ["a", "b", "c", "d"].map((n) => res("aws:cloudwatch/dashboard:Dashboard", `board-${n}`, {}));
    const charged = boards.map((b) => price(b, boards));
    expect(charged.slice(0, 3)).to.deep.equal([[], [], []]);
    expect(charged[3]).to.deep.equal([{ priceKey: "cloudwatch.dashboard", dimension: "dashboard beyond the free three", quantity: 1 }]);
    expect(monthly(charged[3])).to.be.closeTo(3.6, 1e-9);
  });

  it("prices a metric stream's updates: 500 metrics each minute", () => {
    // 500 × 43,800 minutes = 21,900,000 updates = 21,900 thousand; me-south-1 21,900 × 0.0036 = 78.84.
    const stream = res("aws:cloudwatch/metricStream:MetricStream", "prod-newrelic-stream", { outputFormat: "opentelemetry1.0" });
    const charges = price(stream);
    expect(charges).to.deep.equal([{ priceKey: "cloudwatch.metric-stream.updates", dimension: "metric updates (500 metrics each minute, assumed)", quantity: 21900 }]);
    expect(monthly(charges)).to.be.closeTo(78.84, 1e-9);
  });

  it("prices a bucket's Standard storage from s3StorageGbPerBucket", () => {
    // 40 GB × 0.025 (verified Bahrain row) = 1.
    const bucket = res("aws:s3/bucket:Bucket", "prod-flow-logs", { forceDestroy: false });
    const charges = price(bucket);
    expect(charges).to.deep.equal([{ priceKey: "s3.storage.standard", dimension: "Standard storage", quantity: 40, assumption: "s3StorageGbPerBucket" }]);
    expect(monthly(charges)).to.be.closeTo(1, 1e-9);
    expect(price(bucket, [bucket], { ...ASSUMPTIONS, s3StorageGbPerBucket: 0 })).to.deep.equal([]);
  });

  it("prices an on-demand table's writes from the invocations assumption, a provisioned one not at all", () => {
    // 2 million writes × 0.75 = 1.5.
    const table = res("aws:dynamodb/table:Table", "management-graylog-alerts", { billingMode: "PAY_PER_REQUEST", hashKey: "pk" });
    const charges = price(table);
    expect(charges).to.deep.equal([{ priceKey: "dynamodb.write-request", dimension: "on-demand writes (one per function invocation)", quantity: 2, assumption: "lambdaInvocationsMillions" }]);
    expect(monthly(charges)).to.be.closeTo(1.5, 1e-9);
    expect(price(res("aws:dynamodb/table:Table", "p", { billingMode: "PROVISIONED" }))).to.deep.equal([]);
  });

  it("prices a Prometheus workspace's samples from the stack's scraped nodes", () => {
    // 2 instances × 1,000 series × 43,800 minutes = 87,600,000 samples = 8.76 × 10M; me-south-1 8.76 × 1.08 = 9.4608.
    const ws = res("aws:amp/workspace:Workspace", "prod-prometheus-workspace", { alias: "tila-prod" });
    const nodes = [aerospikeNode(), aerospikeNode()];
    const charges = price(ws, [ws, ...nodes]);
    expect(charges).to.deep.equal([{ priceKey: "amp.samples", dimension: "samples ingested (2 nodes × 1000 series each minute, assumed)", quantity: 8.76 }]);
    expect(monthly(charges)).to.be.closeTo(9.4608, 1e-9);
    expect(price(ws, [ws])).to.deep.equal([]);
  });
});
