/**
 * Config validation against the region capability catalogue: the real stacks pass, ArangoDB on
 * r7i (issue 8, finding 1) fails naming the key, region and what is offered nearby, and moving an
 * environment to me-central-1 gives an exact verdict.
 */
import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { ENVIRONMENTS } from "../../config/schema";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/**
 * Validation of `raw` in `region`. Moving an environment moves its images' registry with it: the
 * repositories live in management's region, which an environment attached to its Transit Gateway shares.
 */
function issues(stack: string, region: string, raw: RawConfig): string[] {
  const moved = JSON.parse(JSON.stringify(raw).replace(/\.dkr\.ecr\.me-south-1\./g, `.dkr.ecr.${region}.`)) as RawConfig;
  const r = validateStackConfig(stack, region, moved, real);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

type Cluster = { engine: string; instanceType?: string };
function withArango(stack: string, instanceType: string | undefined): RawConfig {
  const raw = clone(real[stack as keyof typeof real]!);
  const clusters = (raw.data as { clusters: Cluster[] }).clusters;
  const arango = clusters.find((c) => c.engine === "arangodb")!;
  if (instanceType === undefined) delete arango.instanceType;
  else arango.instanceType = instanceType;
  return raw;
}

describe("config validation: region offerings", () => {
  for (const stack of ENVIRONMENTS) {
    it(`accepts every type, class and version of the real ${stack} stack in me-south-1`, () => {
      expect(issues(stack, "me-south-1", real[stack]!)).to.deep.equal([]);
    });
  }

  it("refuses ArangoDB on r7i in me-south-1 (the old dev/stage/prod config), naming the key, the region and x86 types nearby", () => {
    expect(issues("prod", "me-south-1", withArango("prod", "r7i.xlarge"))).to.deep.equal([
      'tila-platform:data.clusters[4].instanceType: "r7i.xlarge" is not offered in me-south-1 (zones me-south-1a, me-south-1b, me-south-1c); offered nearby: r6i.xlarge, r5.xlarge',
    ]);
    expect(issues("dev", "me-south-1", withArango("dev", "r7i.large"))).to.deep.equal([
      'tila-platform:data.clusters[4].instanceType: "r7i.large" is not offered in me-south-1 (zones me-south-1a, me-south-1b); offered nearby: r6i.large, r5.large',
    ]);
  });

  it("checks the engine default when the config names no type (ArangoDB's default is offered)", () => {
    expect(issues("prod", "me-south-1", withArango("prod", undefined))).to.deep.equal([]);
  });

  it("checks the chosen zones, not just the region: a type missing from one zone is refused there", () => {
    const raw = clone(real.dev!);
    (raw.network as { availabilityZoneIds?: string[] }).availabilityZoneIds = ["mes1-az1", "mes1-az2"];
    (raw.data as { clusters: Cluster[] }).clusters[0].instanceType = "x2idn.16xlarge";
    const found = issues("dev", "me-south-1", raw);
    expect(found.filter((i) => i.includes("offered"))).to.deep.equal([]);
    (raw.network as { availabilityZoneIds?: string[] }).availabilityZoneIds = ["mes1-az2", "mes1-az3"];
    expect(issues("dev", "me-south-1", raw).filter((i) => i.includes("offered"))).to.deep.equal([
      'tila-platform:data.clusters[0].instanceType: "x2idn.16xlarge" is offered in me-south-1 but not in me-south-1c (zones me-south-1b, me-south-1c); no type of the same family and size is offered there, in any generation',
    ]);
  });

  it("refuses a zone the region does not have and a region the catalogue does not cover", () => {
    const four = clone(real.prod!);
    Object.assign(four.network as object, { azCount: 4 });
    expect(issues("prod", "me-south-1", four).filter((i) => i.includes("azCount"))).to.deep.equal([
      "tila-platform:network.azCount: me-south-1 has 3 zones in the region catalogue (mes1-az1, mes1-az2, mes1-az3); 4 is too many",
    ]);
    expect(issues("dev", "eu-west-1", real.dev!)).to.deep.equal([
      "aws:region: eu-west-1 is not in the region capability catalogue (me-central-1, me-south-1); add it with npm run catalogue:refresh and regions/services.json",
    ]);
  });

  describe("moving an environment to me-central-1 (aws:region only)", () => {
    it("prod and preprod pass: every type, class and version they use is offered there", () => {
      expect(issues("prod", "me-central-1", real.prod!)).to.deep.equal([]);
      expect(issues("preprod", "me-central-1", real.preprod!)).to.deep.equal([]);
    });

    it("stage fails on its burstable managed classes (the me-central-1 snapshot lists no t3 or t4g), each with its key", () => {
      const tail = "is not offered in me-central-1; no type of the same family and size is offered there, in any generation";
      expect(issues("stage", "me-central-1", real.stage!)).to.deep.equal([
        `tila-platform:data.mysql.instanceClass: "db.t4g.large" cannot run in me-central-1 (me-central-1a, me-central-1b): its hardware, EC2 t4g.large, ${tail}`,
        `tila-platform:data.redis.nodeType: "cache.t4g.medium" cannot run in me-central-1 (me-central-1a, me-central-1b): its hardware, EC2 t4g.medium, ${tail}`,
        `tila-platform:data.opensearch.dataNodeType: "t3.medium.search" cannot run in me-central-1 (me-central-1a, me-central-1b): its hardware, EC2 t3.medium, ${tail}`,
      ]);
    });

    it("says when a refused class is a component default rather than a config value", () => {
      const raw = clone(real.dev!);
      delete (raw.data as { mysql?: unknown }).mysql;
      expect(issues("dev", "me-central-1", raw)[0]).to.match(/^tila-platform:data\.mysql\.instanceClass: "db\.t4g\.medium" \(the dev default\) cannot run in me-central-1/);
    });
  });
});
