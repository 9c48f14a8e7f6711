/**
 * The data, observability and security pricers against the real plans: every type of their domain in the real
 * prod and management graphs is priced or listed free, every price key they ask for on the five real stacks is in
 * both regions' snapshots, the data price files hold nothing the stacks do not use, and a price is verified only
 * when its source is AWS's own rows.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { PricingContext, UsageAssumptions } from "../../offline/cost/types";
import { DATA_FREE_TYPES, DATA_PRICERS } from "../../offline/cost/pricers/data";
import { DATA_OFFERS, UNCHECKED_DATA_OFFERS } from "../../offline/cost/pricers/dataOffers";
import { pricerRegistry } from "../../offline/cost/pricers";
import { PRICES_DIR, loadSnapshot } from "../../offline/cost/snapshot";
import { DEFAULT_ASSUMPTIONS, estimateStack } from "../../offline/cost/estimate";
import type { StackRun } from "../../offline/engine";
import { realStacks } from "../support/realStacks";

/** AWS service modules whose types this domain prices (plus the random provider's passwords behind the secrets). */
const DATA_MODULES = new Set([
  "accessanalyzer",
  "amp",
  "cfg",
  "cloudtrail",
  "cloudwatch",
  "dlm",
  "dynamodb",
  "ebs",
  "elasticache",
  "guardduty",
  "iam",
  "inspector2",
  "kinesis",
  "kms",
  "oam",
  "opensearch",
  "rds",
  "s3",
  "secretsmanager",
  "securityhub",
  "sns",
  "sqs",
]);
const DATA_EC2_TYPES = new Set(["aws:ec2/instance:Instance", "aws:ec2/volumeAttachment:VolumeAttachment", "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults"]);

function inDomain(type: string): boolean {
  if (type.startsWith("random:")) return true;
  if (DATA_EC2_TYPES.has(type)) return true;
  const m = /^aws:([a-z0-9]+)\//.exec(type);
  return m !== null && DATA_MODULES.has(m[1]);
}

const ASSUMPTIONS: UsageAssumptions = {
  natGatewayDataGb: 100,
  transitDataGbPerAttachment: 50,
  vpnDataGb: 10,
  endpointDataGb: 10,
  loadBalancerLcu: 1,
  wafRequestsMillions: 5,
  logIngestionGbPerGroup: 1,
  s3StorageGbPerBucket: 10,
  snapshotGbPerVolumeGb: 1.5,
  route53QueriesMillionsPerZone: 1,
  lambdaInvocationsMillions: 1,
  lakeStorageGbPerBucket: 200,
  athenaScannedTbPerWorkgroup: 1,
};

function context(run: StackRun): PricingContext {
  const resources = run.resources;
  return {
    stack: run.stack,
    region: "me-south-1",
    assumptions: ASSUMPTIONS,
    resources,
    byUrn: new Map(resources.map((r) => [r.urn, r])),
    byId: new Map(resources.filter((r) => r.id !== undefined).map((r) => [r.id as string, r])),
  };
}

/** Every price key the data pricers ask for on one stack's graph. */
function keysOf(run: StackRun): Set<string> {
  const ctx = context(run);
  const keys = new Set<string>();
  for (const r of run.resources) for (const c of DATA_PRICERS[r.type]?.(r, ctx) ?? []) keys.add(c.priceKey);
  return keys;
}

interface PriceFile {
  prices: Record<string, { usd: number; source: string; verified: boolean }>;
}
const readData = (region: string): PriceFile => JSON.parse(fs.readFileSync(path.join(PRICES_DIR, region, "data.json"), "utf8")) as PriceFile;

describe("data pricers on the real plans", function () {
  this.timeout(240000);
  let runs: Record<string, StackRun>;
  before(async () => {
    runs = await realStacks();
  });

  it("prices or lists free every data, observability and security type of the real prod and management plans", () => {
    const known = new Set([...Object.keys(DATA_PRICERS), ...DATA_FREE_TYPES]);
    const seen = new Set<string>();
    const missing: string[] = [];
    for (const stack of ["prod", "management"]) {
      for (const r of runs[stack].resources) {
        if (!r.custom || !inDomain(r.type)) continue;
        seen.add(r.type);
        if (!known.has(r.type)) missing.push(`${stack}: ${r.type}`);
      }
    }
    expect([...new Set(missing)]).to.deep.equal([]);
    // The check has teeth: the plans hold the domain's types, priced and free alike.
    for (const t of ["aws:rds/instance:Instance", "aws:opensearch/domain:Domain", "aws:iam/role:Role", "aws:guardduty/detector:Detector"]) expect([...seen]).to.include(t);
  });

  it("neither prices a type it also lists free nor collides with the network domain", () => {
    const both = DATA_FREE_TYPES.filter((t) => t in DATA_PRICERS);
    expect(both).to.deep.equal([]);
    expect(new Set(DATA_FREE_TYPES).size).to.equal(DATA_FREE_TYPES.length);
    const registry = pricerRegistry();
    for (const t of Object.keys(DATA_PRICERS)) expect(registry.pricers.get(t), t).to.equal(DATA_PRICERS[t]);
  });

  it("finds every price key it asks for on the five real stacks in both regions' snapshots", () => {
    const wanted = new Set<string>();
    for (const run of Object.values(runs)) for (const k of keysOf(run)) wanted.add(k);
    expect(wanted.size).to.be.greaterThan(30);
    for (const region of ["me-south-1", "me-central-1"]) {
      const snap = loadSnapshot(region);
      expect([...wanted].filter((k) => snap.prices[k] === undefined), region).to.deep.equal([]);
    }
  });

  it("prices only the instance, node and DB classes the five real stacks use, and the same keys in both regions", () => {
    const wanted = new Set<string>();
    for (const run of Object.values(runs)) for (const k of keysOf(run)) wanted.add(k);
    const south = Object.keys(readData("me-south-1").prices).sort();
    const central = Object.keys(readData("me-central-1").prices).sort();
    expect(central).to.deep.equal(south);
    const perClass = /^(ec2\.instance|rds\.instance|elasticache\.node|opensearch\.instance)\./;
    expect(south.filter((k) => perClass.test(k) && !wanted.has(k))).to.deep.equal([]);
    expect(south.filter((k) => perClass.test(k)).length).to.be.greaterThan(20);
  });

  it("marks a price verified only when its source is AWS's rows, and says how every other one was derived", () => {
    for (const region of ["me-south-1", "me-central-1"]) {
      for (const [key, p] of Object.entries(readData(region).prices)) {
        if (p.verified) expect(p.source, `${region} ${key}`).to.match(/^MES1-|^MEC1-/);
        else expect(p.source, `${region} ${key}`).to.match(/^assumption: /);
      }
    }
    const verified = Object.entries(readData("me-south-1").prices).filter(([, p]) => p.verified).map(([k]) => k).sort();
    expect(verified).to.deep.equal(["ebs.gp3.storage", "ec2.instance.m6i.large", "ec2.instance.r6i.xlarge", "s3.storage.standard"]);
  });

  it("maps every data price to its offer row for the refresh, and lists the unchecked usage types among them", () => {
    const keys = Object.keys(readData("me-south-1").prices).sort();
    expect(Object.keys(DATA_OFFERS).sort()).to.deep.equal(keys);
    expect(UNCHECKED_DATA_OFFERS.filter((k) => !(k in DATA_OFFERS))).to.deep.equal([]);
    // Instance rows are told apart by type and the Linux on-demand attributes, as in AWS's bulk rows.
    expect(DATA_OFFERS["ec2.instance.m6i.large"]).to.deep.include({ offer: "AmazonEC2", usagetypeSuffix: "BoxUsage:m6i.large" });
    expect(DATA_OFFERS["rds.storage.gp3.multi-az"].usagetypeSuffix).to.equal("RDS:Multi-AZ-GP3-Storage");
  });

  it("leaves no data price missing and no data type unpriced in the estimate of the real prod and management stacks", () => {
    for (const stack of ["prod", "management"]) {
      const cost = estimateStack(stack, "me-south-1", runs[stack].resources, loadSnapshot("me-south-1"), DEFAULT_ASSUMPTIONS);
      const data = cost.items.filter((i) => i.type in DATA_PRICERS);
      expect(cost.missingPrices, stack).to.deep.equal([]);
      expect(Object.keys(cost.unpricedTypes).filter(inDomain), stack).to.deep.equal([]);
      // Every EC2 data node is priced: one instance-hours item per instance of the graph.
      const instances = runs[stack].resources.filter((r) => r.type === "aws:ec2/instance:Instance").length;
      expect(data.filter((i) => i.priceKey.startsWith("ec2.instance.")).length, stack).to.equal(instances);
      expect(data.reduce((sum, i) => sum + i.monthly, 0), stack).to.be.greaterThan(1000);
    }
  });
});
