import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { readStackFiles } from "../../config/load";
import { STACKS } from "../../config/schema";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

function rawOf(file: string): RawConfig {
  const doc = parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(
    Object.entries(doc.config)
      .filter(([k]) => k.startsWith("tila-platform:"))
      .map(([k, v]) => [k.slice("tila-platform:".length), v]),
  );
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function issuesFor(stack: string, raw: RawConfig, others = real): string[] {
  const r = validateStackConfig(stack, "me-south-1", raw, others);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("config validation", () => {
  for (const stack of STACKS) {
    it(`accepts the real ${stack} stack file`, () => {
      expect(real[stack], `Pulumi.${stack}.yaml`).to.not.equal(undefined);
      expect(issuesFor(stack, real[stack]!)).to.deep.equal([]);
    });
  }

  it("reports every error of a broken file at once, each with its key path", () => {
    const issues = issuesFor("prod", rawOf(path.join(ROOT, "test/fixtures/config/Pulumi.prod.bad.yaml")));
    const joined = issues.join("\n");
    expect(joined).to.include("tila-platform:accountId: must be a 12-digit AWS account id");
    expect(joined).to.include("tila-platform:tags: Unrecognized key");
    expect(joined).to.include("CostCentre");
    // Overlap with dev's address space is found by reading every stack file.
    expect(joined).to.match(/tila-platform:network\.cidr: 10\.10\.0\.0\/16 overlaps 10\.10\.0\.0\/16 at Pulumi\.dev\.yaml/);
    // Cross-field rules still run on the sections that parsed, despite the errors above.
    expect(issues).to.include("tila-platform:network.azCount: prod requires at least 3 (got 2)");
    expect(issues).to.include('tila-platform:managementStack: must be "<org>/tila-platform/management" (got "tila/other-project/management")');
    expect(issues).to.include("tila-platform:tags.CostCenter: is required");
    for (const key of ["data", "services", "edge"]) expect(issues).to.include(`tila-platform:${key}: is required`);
    expect(issues).to.have.length(10);
  });

  it("requires at least 3 AZs and per-AZ NAT in prod", () => {
    const raw = clone(real.prod!) as { network: { azCount: number; natStrategy: string } };
    raw.network.azCount = 2;
    raw.network.natStrategy = "single";
    const issues = issuesFor("prod", raw);
    expect(issues).to.include("tila-platform:network.azCount: prod requires at least 3 (got 2)");
    expect(issues.some((i) => i.startsWith("tila-platform:network.natStrategy: prod requires perAz"))).to.equal(true);
  });

  it("lets dev run on 2 AZs with a single NAT", () => {
    const raw = clone(real.dev!) as { network: { azCount: number; natStrategy: string } };
    expect(raw.network.azCount).to.equal(2);
    expect(issuesFor("dev", raw)).to.deep.equal([]);
  });

  it("rejects an office CIDR that overlaps an environment", () => {
    const raw = clone(real.management!) as { offices: { cidrs: string[] }[] };
    raw.offices[0]!.cidrs = ["10.40.128.0/17"];
    expect(issuesFor("management", raw)).to.include("tila-platform:offices[0].cidrs[0]: 10.40.128.0/17 overlaps 10.40.0.0/16 at Pulumi.prod.yaml tila-platform:network.cidr");
  });

  it("rejects an office that names an environment that does not exist", () => {
    const raw = clone(real.management!) as { offices: { allowedEnvironments: string[] }[] };
    raw.offices[1]!.allowedEnvironments = ["dev", "qa"];
    expect(issuesFor("management", raw)).to.include('tila-platform:offices[1].allowedEnvironments[1]: "qa" is not an environment (dev, stage, preprod, prod)');
  });

  it("rejects two office devices with the same public IP", () => {
    const raw = clone(real.management!) as { offices: { devices: { ipAddress: string }[] }[] };
    raw.offices[0]!.devices[1]!.ipAddress = raw.offices[0]!.devices[0]!.ipAddress;
    expect(issuesFor("management", raw).some((i) => i.startsWith("tila-platform:offices[0].devices[1].ipAddress: the two devices must have different public IPs"))).to.equal(true);
  });

  it("requires a well-formed management stack name", () => {
    const raw = clone(real.stage!);
    raw.managementStack = "management";
    expect(issuesFor("stage", raw)).to.include('tila-platform:managementStack: must be "<org>/tila-platform/management" (got "management")');
  });

  it("requires the organization a DIY backend accepts in managementStack once security.stateBackend names one", () => {
    const raw = clone(real.stage!) as Record<string, unknown> & { security: Record<string, unknown> };
    expect(raw.managementStack).to.equal("tila/tila-platform/management");
    raw.security = { ...raw.security, stateBackend: { bucket: "tila-pulumi-state" } };
    expect(issuesFor("stage", raw)).to.include(
      'tila-platform:managementStack: must be "organization/tila-platform/management": security.stateBackend names a DIY (S3) backend, which accepts no organization but "organization" (got "tila/tila-platform/management")',
    );
    raw.managementStack = "organization/tila-platform/management";
    expect(issuesFor("stage", raw).filter((i) => i.startsWith("tila-platform:managementStack"))).to.deep.equal([]);
  });

  it("requires a hub role in the management account when the environment has its own account", () => {
    const raw = clone(real.preprod!);
    delete raw.hubRoleArn;
    expect(issuesFor("preprod", raw)[0]).to.match(/^tila-platform:hubRoleArn: required: this stack's account 333333333333 differs from management's 111111111111/);
    raw.hubRoleArn = "arn:aws:iam::999999999999:role/x";
    expect(issuesFor("preprod", raw)).to.include("tila-platform:hubRoleArn: must be a role in the management account 111111111111");
  });

  it("rejects a subnet plan that does not fit the VPC", () => {
    const raw = clone(real.dev!) as { network: { cidr: string } };
    raw.network.cidr = "10.10.0.0/24";
    const issues = issuesFor("dev", raw);
    expect(issues.some((i) => i.startsWith("tila-platform:network: subnet plan does not fit"))).to.equal(true);
  });

  it("rejects an AZ outside the region, an unknown AZ ID and a count mismatch", () => {
    const raw = clone(real.dev!) as { network: { availabilityZoneIds?: string[] } };
    raw.network.availabilityZoneIds = ["mes1-az1", "mec1-az2", "mes1-az7"];
    const issues = issuesFor("dev", raw);
    const zones = "mes1-az1 (me-south-1a), mes1-az2 (me-south-1b), mes1-az3 (me-south-1c)";
    expect(issues).to.include("tila-platform:network.availabilityZoneIds: lists 3 zones but azCount is 2");
    expect(issues).to.include(`tila-platform:network.availabilityZoneIds[1]: mec1-az2 is in me-central-1, not in me-south-1; me-south-1 has ${zones}`);
    expect(issues).to.include(`tila-platform:network.availabilityZoneIds[2]: mes1-az7 is not an AZ ID of me-south-1; it has ${zones}`);
  });

  it("takes AZ IDs, not AZ names, which map to different physical zones per account", () => {
    const raw = clone(real.dev!) as { network: { availabilityZoneIds?: string[]; availabilityZones?: string[] } };
    raw.network.availabilityZoneIds = ["me-south-1a", "mes1-az2"];
    expect(issuesFor("dev", raw)).to.include("tila-platform:network.availabilityZoneIds[0]: must be an AZ ID such as mes1-az1 (AZ names such as me-south-1a differ per account)");
    raw.network.availabilityZoneIds = ["mes1-az3", "mes1-az1"];
    expect(issuesFor("dev", raw)).to.deep.equal([]);
  });

  it("rejects a stack that is not one of the five", () => {
    const r = validateStackConfig("qa", "me-south-1", {}, real);
    expect(r.ok).to.equal(false);
    expect(r.ok ? "" : r.issues[0]!.message).to.include('"qa" is not a stack of this project');
  });

  it("flags an environment whose management file is missing", () => {
    const issues = issuesFor("dev", real.dev!, { ...real, management: undefined });
    expect(issues).to.include("Pulumi.management.yaml: the management stack file is missing; every environment depends on it");
  });

  describe("errors that used to escape as program errors or say too little", () => {
    it("rejects a Fargate CPU size at its key path, listing the sizes Fargate offers", () => {
      const raw = clone(real.prod!) as { services: { catalog: { cpu: number; memory: number }[] } };
      raw.services.catalog[2]!.cpu = 300;
      expect(issuesFor("prod", raw)).to.deep.equal(["tila-platform:services.catalog[2].cpu: 300 is not a Fargate task size; use one of 256, 512, 1024, 2048, 4096, 8192, 16384"]);
    });

    it("rejects a memory size Fargate does not pair with the CPU", () => {
      const raw = clone(real.prod!) as { services: { catalog: { cpu: number; memory: number }[] } };
      raw.services.catalog[0]!.cpu = 256;
      raw.services.catalog[0]!.memory = 4096;
      expect(issuesFor("prod", raw)).to.deep.equal(["tila-platform:services.catalog[0].memory: 4096 MiB is not valid with cpu 256 on Fargate; use 512, 1024, 2048"]);
    });

    it("reports duplicate AZ IDs as a config error instead of failing in the placement code", () => {
      const raw = clone(real.prod!) as { network: { availabilityZoneIds?: string[] } };
      raw.network.availabilityZoneIds = ["mes1-az1", "mes1-az1", "mes1-az2"];
      expect(issuesFor("prod", raw)).to.include("tila-platform:network.availabilityZoneIds: zones must be distinct");
    });

    it("names a misspelt top-level key and points the missing key at it", () => {
      const raw = clone(real.dev!);
      raw.netwrok = raw.network;
      delete raw.network;
      const issues = issuesFor("dev", raw);
      expect(issues).to.include("tila-platform:netwrok: unknown key; did you mean network?");
      expect(issues).to.include("tila-platform:network: is required (found tila-platform:netwrok, a misspelling?)");
      expect(issues.some((i) => i.startsWith("tila-platform: Unrecognized key")), "the unnamed root issue is replaced").to.equal(false);
    });

    it("names an unknown top-level key that resembles nothing, with the keys there are", () => {
      const raw = clone(real.management!);
      raw.colour = "blue";
      expect(issuesFor("management", raw)).to.deep.equal(["tila-platform:colour: unknown key; keys: observability, accountId, tags, network, dns, incidentResponse, accountMode, cost, transit, offices, endpoints, security, delivery"]);
    });
  });

  describe("data tier", () => {
    type Clusters = { data: { clusters: { engine: string; nodes?: number }[] } };

    it("rejects a prod ZooKeeper ensemble that loses its quorum with one AZ", () => {
      const raw = clone(real.prod!) as Clusters;
      raw.data.clusters[0] = { engine: "zookeeper", nodes: 3 };
      expect(issuesFor("prod", raw)).to.deep.equal([]);
      raw.data.clusters[0] = { engine: "zookeeper", nodes: 1 };
      const issues = issuesFor("prod", raw);
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(/^tila-platform:data\.clusters\[0\]\.nodes: 1 Apache ZooKeeper nodes over 3 AZs do not survive losing one AZ in prod \(losing me-south-1a .+\); use at least 3$/);
    });

    it("rejects ArangoDB on a Graviton type before anything is built", () => {
      const raw = clone(real.prod!) as { data: { clusters: { engine: string; instanceType?: string }[] } };
      const i = raw.data.clusters.findIndex((c) => c.engine === "arangodb");
      raw.data.clusters[i]!.instanceType = "r7g.xlarge";
      const issues = issuesFor("prod", raw);
      expect(issues).to.have.length(1);
      expect(issues[0]).to.match(new RegExp(`^tila-platform:data\\.clusters\\[${i}\\]\\.instanceType: .*r7g\\.xlarge.*arm64`));
    });

    it("rejects an even ZooKeeper ensemble", () => {
      const raw = clone(real.prod!) as Clusters;
      raw.data.clusters[0] = { engine: "zookeeper", nodes: 2 };
      expect(issuesFor("prod", raw)[0]).to.match(/^tila-platform:data\.clusters\[0\]\.nodes: Apache ZooKeeper needs an odd node count/);
    });

    it("rejects Kafka in an environment without ZooKeeper", () => {
      const raw = clone(real.dev!) as Clusters;
      raw.data.clusters = raw.data.clusters.filter((c) => c.engine !== "zookeeper");
      const issues = issuesFor("dev", raw);
      expect(issues.filter((i) => i.includes("add a zookeeper cluster"))).to.have.length(2); // kafka and solr
    });

    it("allows single-node clusters in dev, where losing an AZ is acceptable", () => {
      const raw = clone(real.dev!) as Clusters;
      expect(raw.data.clusters.find((c) => c.engine === "mongodb")!.nodes).to.equal(1);
      expect(issuesFor("dev", raw)).to.deep.equal([]);
    });

    it("rejects a duplicate cluster name and an unknown engine", () => {
      const raw = clone(real.stage!) as Clusters;
      raw.data.clusters.push({ engine: "mongodb" }, { engine: "cassandra" });
      const issues = issuesFor("stage", raw);
      expect(issues.some((i) => i.startsWith("tila-platform:data.clusters[8].engine: Invalid option"))).to.equal(true);
      expect(issuesFor("stage", { ...raw, data: { ...raw.data, clusters: raw.data.clusters.slice(0, 8) } })).to.include('tila-platform:data.clusters[7].name: duplicate cluster name "mongodb"');
    });
  });

  describe("services", () => {
    type Catalog = { services: { fargateSpot: boolean; minimumHealthyPercent: number; scaling: { min: number }; catalog: { name: string; image: string; exposure: string; uses: string[]; routing: { priority: number; paths?: string[]; host?: string } }[] } };
    const prod = (): Catalog => clone(real.prod!) as Catalog;

    it("refuses a mutable image tag and an untagged image", () => {
      const raw = prod();
      raw.services.catalog[0]!.image = "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/storefront:latest";
      raw.services.catalog[1]!.image = "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/catalog";
      const issues = issuesFor("prod", raw);
      const image = (i: number): string | undefined => issues.find((x) => x.startsWith(`tila-platform:services.catalog[${i}].image: `));
      expect(image(0)).to.match(/"[^"]+:latest" .*pin a digest/);
      expect(image(1)).to.match(/tila\/catalog" .*pin a digest/);
      raw.services.catalog[0]!.image = "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/storefront:1.4";
      expect(issuesFor("prod", raw).some((x) => x.startsWith("tila-platform:services.catalog[0].image: "))).to.equal(true);
    });

    it("refuses a service that uses a data resource the environment does not run", () => {
      const raw = prod();
      raw.services.catalog[2]!.uses = ["opensearch", "cassandra"];
      expect(issuesFor("prod", raw)[0]).to.match(/^tila-platform:services\.catalog\[2\]\.uses\[1\]: "cassandra" is not a data resource of this environment/);
    });

    it("refuses two services on the same listener priority", () => {
      const raw = prod();
      raw.services.catalog[2]!.routing.priority = raw.services.catalog[1]!.routing.priority;
      expect(issuesFor("prod", raw)).to.include('tila-platform:services.catalog[2].routing.priority: 100 is already used by "catalog" on the public ALB');
    });

    it("requires on-demand capacity, 100% minimum healthy and two tasks per service in prod", () => {
      const raw = prod();
      raw.services.fargateSpot = true;
      raw.services.minimumHealthyPercent = 50;
      raw.services.scaling.min = 1;
      (raw.services.catalog[0] as { scaling?: { min: number } }).scaling = { min: 1 };
      const issues = issuesFor("prod", raw);
      expect(issues.some((i) => i.startsWith("tila-platform:services.fargateSpot: prod runs on on-demand Fargate only"))).to.equal(true);
      expect(issues.some((i) => i.startsWith("tila-platform:services.minimumHealthyPercent: prod requires 100"))).to.equal(true);
      expect(issues).to.include("tila-platform:services.scaling.min: prod needs at least 2 tasks per service, in different AZs (got 1)");
    });

    it("lets dev run single tasks on Fargate Spot", () => {
      const raw = clone(real.dev!) as Catalog;
      expect(raw.services.fargateSpot).to.equal(true);
      expect(issuesFor("dev", raw)).to.deep.equal([]);
    });

    it("refuses a public service with both a path and a host, and an internal one with either", () => {
      const raw = prod();
      raw.services.catalog[1]!.routing.host = "shop";
      raw.services.catalog[7]!.routing.paths = ["/pay/*"];
      const issues = issuesFor("prod", raw);
      expect(issues).to.include("tila-platform:services.catalog[1].routing: a public service routes by exactly one of paths (on the API host) or host");
      expect(issues.some((i) => i.startsWith("tila-platform:services.catalog[7].routing: an internal service is routed by its own host payments.prod.internal"))).to.equal(true);
    });
  });
});
