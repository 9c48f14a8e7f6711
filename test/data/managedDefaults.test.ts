import * as fc from "fast-check";
import { expect } from "chai";
import { AccessShape, DataEnvironment, Resolved, clientIssues } from "../../components/data/managedDefaults";
import { MySqlOptions, mysqlDefaults, resolveMySql } from "../../components/data/mysqlPlan";
import { RedisOptions, redisAccessString, redisDefaults, resolveRedis } from "../../components/data/redisPlan";
import { SearchOptions, resolveSearch, searchAccessPolicy, searchDefaults, searchLogPolicy } from "../../components/data/searchPlan";
import { tagsFor } from "./managedHarness";

const ENVS: readonly DataEnvironment[] = ["dev", "stage", "preprod", "prod"];

function access(overrides: Partial<AccessShape> = {}): AccessShape {
  return { subnetCount: 3, clientCidrs: ["10.40.32.0/20"], clientSecurityGroupLabels: [], tags: tagsFor("prod"), ...overrides };
}

function issuesOf<T>(r: Resolved<T>): readonly string[] {
  return r.ok ? [] : r.issues;
}

function valueOf<T>(r: Resolved<T>): T {
  if (!r.ok) throw new Error(`unexpected issues: ${r.issues.join("; ")}`);
  return r.value;
}

const mysql = (o: Partial<MySqlOptions> & { environment: DataEnvironment }, a: Partial<AccessShape> = {}) => resolveMySql("db", o, access(a));
const redis = (o: Partial<RedisOptions> & { environment: DataEnvironment }, a: Partial<AccessShape> = {}) => resolveRedis("cache", o, access(a));
const search = (o: Partial<SearchOptions> & { environment: DataEnvironment }, a: Partial<AccessShape> = {}) => resolveSearch("search", o, access(a));

describe("mysqlDefaults", () => {
  it("makes prod and preprod Multi-AZ, deletion-protected and final-snapshotted, and only prod protected", () => {
    const table = ENVS.map((e) => { const d = mysqlDefaults(e); return [e, d.multiAz, d.deletionProtection, d.finalSnapshot, d.protect]; });
    expect(table).to.deep.equal([
      ["dev", false, false, false, false],
      ["stage", false, false, false, false],
      ["preprod", true, true, true, false],
      ["prod", true, true, true, true],
    ]);
  });

  it("keeps backups 30 days in prod, 14 preprod, 7 in stage and dev", () => {
    expect(ENVS.map((e) => mysqlDefaults(e).backupRetentionDays)).to.deep.equal([7, 7, 14, 30]);
  });

  it("sizes db.r7g.large for prod/preprod and db.t4g.medium elsewhere", () => {
    expect(ENVS.map((e) => mysqlDefaults(e).instanceClass)).to.deep.equal(["db.t4g.medium", "db.t4g.medium", "db.r7g.large", "db.r7g.large"]);
  });

  it("resolves every environment's defaults without an issue", () => {
    for (const e of ENVS) expect(issuesOf(mysql({ environment: e })), e).to.deep.equal([]);
  });
});

describe("resolveMySql", () => {
  it("rejects fewer than 14 days of backups in prod and accepts 14", () => {
    expect(issuesOf(mysql({ environment: "prod", backupRetentionDays: 13 }))).to.deep.equal(["backupRetentionDays: prod keeps at least 14 days of backups, got 13"]);
    expect(valueOf(mysql({ environment: "prod", backupRetentionDays: 14 })).backupRetentionDays).to.equal(14);
  });

  it("accepts short retention outside prod but never zero (no point-in-time recovery)", () => {
    expect(issuesOf(mysql({ environment: "dev", backupRetentionDays: 1 }))).to.deep.equal([]);
    expect(issuesOf(mysql({ environment: "dev", backupRetentionDays: 0 }))).to.deep.equal(["backupRetentionDays: must be an integer from 1 to 35, got 0"]);
  });

  it("refuses to turn Multi-AZ or deletion protection off in preprod or prod", () => {
    expect(issuesOf(mysql({ environment: "preprod", multiAz: false, deletionProtection: false }))).to.deep.equal([
      "multiAz: preprod databases must be Multi-AZ",
      "deletionProtection: preprod databases must have deletion protection",
    ]);
    expect(valueOf(mysql({ environment: "stage", multiAz: true })).multiAz).to.equal(true);
  });

  it("needs the storage ceiling at least 10% above the allocation", () => {
    expect(issuesOf(mysql({ environment: "dev", allocatedStorageGiB: 100, maxAllocatedStorageGiB: 105 }))).to.deep.equal([
      "maxAllocatedStorageGiB: 105 must be at least 10% above allocatedStorageGiB (100)",
    ]);
  });

  it("refuses instance classes without Performance Insights and malformed identifiers", () => {
    const issues = issuesOf(mysql({ environment: "dev", instanceClass: "db.t4g.micro", identifier: "Bad--Name" }));
    expect(issues).to.have.length(2);
    expect(issues[0]).to.match(/^identifier: "Bad--Name"/);
    expect(issues[1]).to.match(/^instanceClass: "db.t4g.micro" has no Performance Insights/);
  });

  it("needs two data subnets and common tags, and reports every problem at once", () => {
    const issues = issuesOf(mysql({ environment: "prod", backupRetentionDays: 7 }, { subnetCount: 1, tags: { Environment: "prod", Owner: "", CostCenter: "cc", ManagedBy: "pulumi" } }));
    expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["subnetIds", "tags.Owner", "backupRetentionDays"]);
  });

  it("refuses an unknown environment before anything else", () => {
    expect(issuesOf(mysql({ environment: "qa" as DataEnvironment }))).to.deep.equal(['environment: "qa" must be one of dev, stage, preprod, prod']);
  });
});

describe("redisDefaults and resolveRedis", () => {
  it("runs 3 nodes in prod, 2 in preprod and 1 elsewhere, with failover and Multi-AZ exactly when there is a replica", () => {
    const table = ENVS.map((e) => { const p = valueOf(redis({ environment: e })); return [e, p.numCacheClusters, p.automaticFailover, p.multiAz]; });
    expect(table).to.deep.equal([["dev", 1, false, false], ["stage", 1, false, false], ["preprod", 2, true, true], ["prod", 3, true, true]]);
  });

  it("keeps snapshots 7 days in prod and a final snapshot in prod/preprod", () => {
    expect(ENVS.map((e) => [redisDefaults(e).snapshotRetentionDays, redisDefaults(e).finalSnapshot])).to.deep.equal([[1, false], [1, false], [3, true], [7, true]]);
  });

  it("rejects fewer than two nodes in preprod or prod, and more than six anywhere", () => {
    expect(issuesOf(redis({ environment: "preprod", numCacheClusters: 1 }))).to.deep.equal(["numCacheClusters: preprod needs at least 2 nodes for Multi-AZ with automatic failover, got 1"]);
    expect(issuesOf(redis({ environment: "dev", numCacheClusters: 7 }))).to.deep.equal(["numCacheClusters: must be an integer from 1 to 6, got 7"]);
  });

  it("rejects fewer than 7 days of snapshots in prod", () => {
    expect(issuesOf(redis({ environment: "prod", snapshotRetentionDays: 3 }))).to.deep.equal(["snapshotRetentionDays: prod keeps at least 7 days of snapshots, got 3"]);
  });

  it("keeps each service's user to its own key prefix and refuses a service listed twice", () => {
    expect(redisAccessString("cart")).to.equal("on ~cart:* +@all -@dangerous");
    expect(valueOf(redis({ environment: "prod", serviceUsers: ["cart"] })).serviceUsers).to.deep.equal(["cart"]);
    expect(issuesOf(redis({ environment: "prod", serviceUsers: ["cart", "cart"] }))).to.deep.equal(['serviceUsers[1]: "cart" is listed twice']);
  });

  it("keeps replication group ids within 40 characters", () => {
    expect(issuesOf(redis({ environment: "dev", replicationGroupId: "a".repeat(41) }))[0]).to.match(/^replicationGroupId: "a{41}" must be 1-40/);
  });
});

describe("searchDefaults and resolveSearch", () => {
  it("spans 3 AZs with 3 data nodes and 3 dedicated masters in prod/preprod, 2 AZs in stage, 1 node in dev", () => {
    const table = ENVS.map((e) => { const p = valueOf(search({ environment: e })); return [e, p.availabilityZoneCount, p.zoneAwareness, p.dataNodeCount, p.dedicatedMasterCount]; });
    expect(table).to.deep.equal([["dev", 1, false, 1, 0], ["stage", 2, true, 2, 0], ["preprod", 3, true, 3, 3], ["prod", 3, true, 3, 3]]);
  });

  it("keeps the data node count a multiple of the AZ count for any valid shape", () => {
    fc.assert(fc.property(fc.constantFrom(1, 2, 3), fc.integer({ min: 1, max: 12 }), (azs, nodes) => {
      const issues = issuesOf(search({ environment: "dev", availabilityZoneCount: azs, dataNodeCount: nodes }));
      const flagged = issues.some((i) => i.startsWith("dataNodeCount:"));
      return flagged === (nodes % azs !== 0);
    }));
  });

  it("refuses fewer than 3 AZs or no dedicated masters in prod", () => {
    expect(issuesOf(search({ environment: "prod", availabilityZoneCount: 2, dataNodeCount: 2, dedicatedMasterCount: 0 }))).to.deep.equal([
      "availabilityZoneCount: prod domains span 3 AZs, got 2",
      "dedicatedMasterCount: prod domains need dedicated masters (3 or 5)",
    ]);
  });

  it("refuses an even master count, T2 instances and too few subnets", () => {
    const issues = issuesOf(search({ environment: "stage", dedicatedMasterCount: 2, dataNodeType: "t2.small.search" }, { subnetCount: 1 }));
    expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["subnetIds", "dedicatedMasterCount", "dataNodeType"]);
  });

  it("turns Auto-Tune off on T3 and on elsewhere", () => {
    expect(valueOf(search({ environment: "dev" })).autoTune).to.equal(false);
    expect(valueOf(search({ environment: "prod" })).autoTune).to.equal(true);
    expect(searchDefaults("prod").dataNodeType).to.equal("r6g.large.search");
  });

  it("writes an access policy for this domain only: open to fine-grained access, or to this account's signed principals", () => {
    const arn = "arn:aws:es:me-south-1:444444444444:domain/prod-search";
    const open = searchAccessPolicy("fineGrained", arn) as { Statement: { Principal: unknown; Resource: string }[] };
    const signed = searchAccessPolicy("accountSigned", arn) as { Statement: { Principal: unknown; Resource: string }[] };
    expect(open.Statement[0]).to.include({ Resource: `${arn}/*` });
    expect(open.Statement[0].Principal).to.deep.equal({ AWS: "*" });
    expect(signed.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::444444444444:root" });
  });

  it("scopes the log policy to the given log groups and their account", () => {
    const arns = ["arn:aws:logs:me-south-1:444444444444:log-group:/a", "arn:aws:logs:me-south-1:444444444444:log-group:/b"];
    const doc = searchLogPolicy(arns) as { Statement: { Resource: string[]; Condition: unknown }[] };
    expect(doc.Statement[0].Resource).to.deep.equal(arns.map((a) => `${a}:*`));
    expect(doc.Statement[0].Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": ["444444444444"] } });
  });
});

describe("clientIssues", () => {
  it("needs at least one client and never admits the whole internet", () => {
    expect(clientIssues(access({ clientCidrs: [] }))).to.have.length(1);
    expect(clientIssues(access({ clientCidrs: ["0.0.0.0/0"] }))).to.deep.equal(['clientCidrs[0]: "0.0.0.0/0" would open the port to every address']);
  });

  it("names a malformed CIDR, a duplicate and a bad security group label", () => {
    const issues = clientIssues(access({ clientCidrs: ["10.0.0.1/16", "10.1.0.0/16", "10.1.0.0/16"], clientSecurityGroupLabels: ["Orders"] }));
    expect(issues.map((i) => i.split(":")[0])).to.deep.equal(["clientCidrs[0]", "clientCidrs[2]", "clientSecurityGroupIds.Orders"]);
  });
});
