/**
 * The region capability catalogue: what the dated snapshots say about the Gulf regions, that every
 * file names its source and date, and the lookups config validation and the engine check share.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
  CATALOGUE_REGIONS,
  availabilityZonesOf,
  catalogueSources,
  ec2Offering,
  ec2TwinOf,
  fargateOffering,
  isMysqlVersionOffered,
  managedNearby,
  managedOffering,
  offeredNearby,
  openSearchVersions,
  regionIssue,
} from "../../components/aws/regionCatalogue";
import type { ServicesFile } from "../../components/aws/catalogueTypes";
import { ENGINE_PROFILES } from "../../components/data/engines";
import { instanceArchitecture } from "../../components/data/instanceTypes";
import { MYSQL_ENGINE_VERSION, mysqlDefaults } from "../../components/data/mysqlPlan";
import { redisDefaults } from "../../components/data/redisPlan";
import { OPENSEARCH_ENGINE_VERSION, searchDefaults } from "../../components/data/searchPlan";

const DIR = path.resolve(__dirname, "../../components/aws/regions");

describe("region capability catalogue", () => {
  it("covers me-south-1 (Bahrain) and me-central-1 (UAE)", () => {
    expect(CATALOGUE_REGIONS).to.deep.equal(["me-central-1", "me-south-1"]);
    expect(regionIssue("eu-west-1")).to.match(/^eu-west-1 is not in the region capability catalogue \(me-central-1, me-south-1\)/);
  });

  it("knows each region's zones by name and account-independent id", () => {
    expect(availabilityZonesOf("me-south-1")).to.deep.equal([
      { name: "me-south-1a", zoneId: "mes1-az1" },
      { name: "me-south-1b", zoneId: "mes1-az2" },
      { name: "me-south-1c", zoneId: "mes1-az3" },
    ]);
    expect(availabilityZonesOf("me-central-1").map((z) => z.zoneId)).to.deep.equal(["mec1-az1", "mec1-az2", "mec1-az3"]);
  });

  it("dates every snapshot and names its source; every service fact cites a source with a page and a reading date", () => {
    for (const region of CATALOGUE_REGIONS) {
      const s = catalogueSources(region);
      expect(s?.ec2.source, region).to.match(/DescribeInstanceTypeOfferings.*getmoto\/moto@[0-9a-f]{40}/);
      expect(s?.ec2.sourceDate, region).to.match(/^20\d\d-\d\d-\d\d$/);
    }
    const services = JSON.parse(fs.readFileSync(path.join(DIR, "services.json"), "utf8")) as ServicesFile;
    for (const [region, r] of Object.entries(services.regions)) {
      for (const key of [...r.rds.sources, ...r.elasticache.sources, ...r.opensearch.sources, ...r.fargate.sources]) {
        const note = services.sources[key];
        expect(note, `${region} cites ${key}`).to.not.equal(undefined);
        expect([note.url.startsWith("https://"), /^\d{4}-\d\d-\d\d$/.test(note.read), note.says.length > 20], key).to.deep.equal([true, true, true]);
      }
    }
  });

  describe("EC2 offerings (issue 8, finding 1)", () => {
    it("me-south-1 offers no 7th-generation Intel type, but r6i, m7g and r7g in every zone", () => {
      for (const t of ["r7i.large", "r7i.xlarge", "m7i.large", "c7i.large"]) expect(ec2Offering("me-south-1", t).reason, t).to.equal("not offered in me-south-1");
      for (const t of ["r6i.large", "r6i.xlarge", "m7g.medium", "m7g.large", "r7g.2xlarge"]) expect(ec2Offering("me-south-1", t).ok, t).to.equal(true);
    });

    it("checks zone by zone: a type offered in the region but not in a chosen zone is named with that zone", () => {
      expect(ec2Offering("me-south-1", "g4dn.xlarge", ["me-south-1a", "me-south-1b"])).to.deep.equal({ ok: false, missingIn: ["me-south-1a"], reason: "offered in me-south-1 but not in me-south-1a" });
      expect(ec2Offering("me-south-1", "g4dn.xlarge", ["me-south-1b", "me-south-1c"]).ok).to.equal(true);
      expect(availabilityZonesOf("me-south-1").map((z) => ec2Offering("me-south-1", "x2idn.16xlarge", [z.name]).ok)).to.deep.equal([true, true, false]);
    });

    it("suggests the same family and size in another generation or processor, closest first", () => {
      expect(offeredNearby("me-south-1", "r7i.large", [])).to.deep.equal(["r7g.large", "r6i.large", "r6g.large", "r5.large"]);
      const x86 = (t: string): boolean => instanceArchitecture(t) === "x86_64";
      expect(offeredNearby("me-south-1", "r7i.xlarge", ["me-south-1a", "me-south-1b"], x86)).to.deep.equal(["r6i.xlarge", "r5.xlarge"]);
    });

    it("records that the 2026-03-16 snapshot of me-central-1 lists no t3 or t4g type", () => {
      expect(ec2Offering("me-central-1", "t4g.small").reason).to.equal("not offered in me-central-1");
      expect(ec2Offering("me-central-1", "t3.medium").reason).to.equal("not offered in me-central-1");
    });
  });

  describe("managed services", () => {
    it("reads the EC2 type a class is named after", () => {
      expect([ec2TwinOf("rds", "db.r7g.large"), ec2TwinOf("elasticache", "cache.t4g.small"), ec2TwinOf("opensearch", "r7g.large.search")]).to.deep.equal(["r7g.large", "t4g.small", "r7g.large"]);
      expect([ec2TwinOf("rds", "r7g.large"), ec2TwinOf("opensearch", "r7g.large")]).to.deep.equal([undefined, undefined]);
    });

    it("refuses a class whose hardware the region lacks, naming it, and suggests classes of offered hardware", () => {
      expect(managedOffering("me-south-1", "rds", "db.r7i.large").reason).to.equal("its hardware, EC2 r7i.large, is not offered in me-south-1");
      expect(managedNearby("me-south-1", "rds", "db.r7i.large", [])).to.deep.equal(["db.r7g.large", "db.r6i.large", "db.r6g.large", "db.r5.large"]);
      expect(managedNearby("me-south-1", "opensearch", "r7i.large.search", [])[0]).to.equal("r7g.large.search");
    });

    it("offers the engine versions the components pin, and Fargate ARM64 on demand and on Spot (API reference, platform 1.4.0)", () => {
      for (const region of CATALOGUE_REGIONS) {
        expect(isMysqlVersionOffered(region, MYSQL_ENGINE_VERSION), region).to.equal(true);
        expect(openSearchVersions(region), region).to.include(OPENSEARCH_ENGINE_VERSION);
        expect(fargateOffering(region), region).to.deep.equal({ architectures: ["X86_64", "ARM64"], spotArchitectures: ["X86_64", "ARM64"] });
      }
      expect([isMysqlVersionOffered("me-south-1", "8.0.39"), isMysqlVersionOffered("me-south-1", "5.6"), isMysqlVersionOffered("eu-west-1", "8.0")]).to.deep.equal([true, false, false]);
    });
  });

  describe("component defaults", () => {
    it("prod/preprod defaults are offered in both regions; dev/stage's burstable defaults only in me-south-1 (config validation names them elsewhere)", () => {
      const offered = (region: string, env: "prod" | "preprod" | "stage" | "dev"): string[] => {
        const s = searchDefaults(env);
        const managed: [Parameters<typeof managedOffering>[1], string][] = [
          ["rds", mysqlDefaults(env).instanceClass], ["elasticache", redisDefaults(env).nodeType], ["opensearch", s.dataNodeType], ["opensearch", s.dedicatedMasterType],
        ];
        return managed.filter(([svc, name]) => !managedOffering(region, svc, name).ok).map(([, name]) => name);
      };
      for (const region of CATALOGUE_REGIONS) {
        expect(offered(region, "prod"), region).to.deep.equal([]);
        expect(offered(region, "preprod"), region).to.deep.equal([]);
        for (const p of Object.values(ENGINE_PROFILES)) expect(ec2Offering(region, p.defaultInstanceType).ok, `${region} ${p.engine}`).to.equal(true);
      }
      expect(offered("me-south-1", "dev")).to.deep.equal([]);
      expect(offered("me-central-1", "dev")).to.deep.equal(["db.t4g.medium", "cache.t4g.small", "t3.medium.search"]);
    });
  });
});
