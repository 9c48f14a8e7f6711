/** The region offering check, called directly on hand-built captured resources: compliant and not. */
import { expect } from "chai";
import { regionOfferingCheck as check } from "../../../offline/aws/offerings";
import type { AwsContext } from "../../../offline/aws/rules";
import { resource } from "./support";

const ctx: AwsContext = { stack: "dev", region: "me-south-1", accountId: "222222222222" };
const subnet = (az: string) => resource("aws:ec2/subnet:Subnet", `data-${az.slice(-1)}`, { availabilityZone: az, cidrBlock: "10.10.0.0/24" }, { id: `subnet-${az.slice(-1)}` });
const subnets = [subnet("me-south-1a"), subnet("me-south-1b"), subnet("me-south-1c")];
const instance = (instanceType: string, subnetId = "subnet-a") => resource("aws:ec2/instance:Instance", "graph-node-0", { instanceType, subnetId });
const messages = (rs: Parameters<typeof check>[0], c: AwsContext = ctx) => check(rs, c).map((f) => `[${f.check}] ${f.name}: ${f.message}`);

describe("region offering check", () => {
  describe("EC2 instances and launch templates", () => {
    it("accepts a type offered in the zone of the instance's subnet", () => {
      expect(messages([...subnets, instance("r6i.xlarge")])).to.deep.equal([]);
    });

    it("flags a type the region does not offer, naming the zone and what is offered nearby (issue 8, finding 1)", () => {
      expect(messages([...subnets, instance("r7i.xlarge")])).to.deep.equal([
        '[region-offering] graph-node-0: instanceType "r7i.xlarge" is not offered in me-south-1 (placed in me-south-1a). Offered nearby: r7g.xlarge, r6i.xlarge, r6g.xlarge, r5.xlarge.',
      ]);
    });

    it("looks the subnet's zone up by id: a type missing from that zone only is flagged there", () => {
      expect(messages([...subnets, instance("g4dn.xlarge", "subnet-b")])).to.deep.equal([]);
      expect(messages([...subnets, instance("g4dn.xlarge", "subnet-a")])).to.deep.equal([
        '[region-offering] graph-node-0: instanceType "g4dn.xlarge" is offered in me-south-1 but not in me-south-1a (placed in me-south-1a).',
      ]);
    });

    it("checks a launch template against its network interface's subnet", () => {
      const lt = (instanceType: string) => resource("aws:ec2/launchTemplate:LaunchTemplate", "workers-lt", { instanceType, networkInterfaces: [{ subnetId: "subnet-c" }] });
      expect(messages([...subnets, lt("m7g.large")])).to.deep.equal([]);
      expect(messages([...subnets, lt("x2idn.16xlarge")])).to.deep.equal([
        '[region-offering] workers-lt: instanceType "x2idn.16xlarge" is offered in me-south-1 but not in me-south-1c (placed in me-south-1c).',
      ]);
    });
  });

  describe("managed data services", () => {
    const group = (type: string, name: string) => resource(type, `${name}-subnet-group`, { name, subnetIds: ["subnet-a", "subnet-b"] });
    const rdsGroup = group("aws:rds/subnetGroup:SubnetGroup", "dev-mysql");
    const rds = (instanceClass: string, engineVersion = "8.0") =>
      resource("aws:rds/instance:Instance", "dev-mysql-instance", { engine: "mysql", engineVersion, instanceClass, dbSubnetGroupName: "dev-mysql" });

    it("accepts db.t4g and MySQL 8.0 in me-south-1; flags a class without hardware there and a retired major version", () => {
      expect(messages([...subnets, rdsGroup, rds("db.t4g.medium")])).to.deep.equal([]);
      expect(messages([...subnets, rdsGroup, rds("db.r7i.large", "5.6")])).to.deep.equal([
        '[region-offering] dev-mysql-instance: instanceClass "db.r7i.large" cannot run in me-south-1a, me-south-1b: its hardware, EC2 r7i.large, is not offered in me-south-1. Offered nearby: db.r7g.large, db.r6i.large, db.r6g.large, db.r5.large.',
        '[region-offering] dev-mysql-instance: engineVersion "5.6" is not an RDS for MySQL major version offered in me-south-1 (offered: 8.0, 8.4).',
      ]);
    });

    it("checks ElastiCache node types against the zones of the cache's subnet group", () => {
      const cacheGroup = group("aws:elasticache/subnetGroup:SubnetGroup", "dev-redis");
      const rg = (nodeType: string) => resource("aws:elasticache/replicationGroup:ReplicationGroup", "dev-redis-rg", { nodeType, subnetGroupName: "dev-redis" });
      expect(messages([...subnets, cacheGroup, rg("cache.r7g.large")])).to.deep.equal([]);
      expect(messages([...subnets, cacheGroup, rg("cache.t4g.small")], { ...ctx, region: "me-central-1" })).to.have.length(1);
      expect(messages([...subnets, cacheGroup, rg("cache.m7i.large")])[0]).to.match(/^\[region-offering\] dev-redis-rg: nodeType "cache\.m7i\.large" cannot run in me-south-1a, me-south-1b: its hardware, EC2 m7i\.large, is not offered in me-south-1\. Offered nearby: cache\.m7g\.large/);
    });

    it("checks OpenSearch data and dedicated master types and the engine version", () => {
      const domain = (clusterConfig: Record<string, unknown>, engineVersion = "OpenSearch_2.19") =>
        resource("aws:opensearch/domain:Domain", "dev-search-domain", { engineVersion, clusterConfig, vpcOptions: { subnetIds: ["subnet-a", "subnet-b", "subnet-c"] } });
      expect(messages([...subnets, domain({ instanceType: "r7g.large.search", dedicatedMasterEnabled: true, dedicatedMasterType: "m7g.large.search" })])).to.deep.equal([]);
      const [master, version, ...rest] = messages([...subnets, domain({ instanceType: "r7g.large.search", dedicatedMasterEnabled: true, dedicatedMasterType: "m7i.large.search" }, "OpenSearch_1.0")]);
      expect(rest).to.deep.equal([]);
      expect(master).to.match(/^\[region-offering\] dev-search-domain: clusterConfig\.dedicatedMasterType "m7i\.large\.search" cannot run in me-south-1a, me-south-1b, me-south-1c: its hardware, EC2 m7i\.large, is not offered in me-south-1\. Offered nearby: m7g\.large\.search/);
      expect(version).to.equal('[region-offering] dev-search-domain: engineVersion "OpenSearch_1.0" is not offered in me-south-1 (catalogued: OpenSearch_2.15, OpenSearch_2.19).');
      expect(messages([...subnets, domain({ instanceType: "r7g.large.search", dedicatedMasterEnabled: false, dedicatedMasterType: "m7i.large.search" })]), "masters off").to.deep.equal([]);
    });
  });

  describe("Fargate", () => {
    const td = (cpuArchitecture?: string) =>
      resource("aws:ecs/taskDefinition:TaskDefinition", "dev-cart-task", { requiresCompatibilities: ["FARGATE"], ...(cpuArchitecture ? { runtimePlatform: { cpuArchitecture, operatingSystemFamily: "LINUX" } } : {}) }, { outputs: { arn: "arn:td/cart" } });
    const service = resource("aws:ecs/service:Service", "dev-cart-service", { taskDefinition: "arn:td/cart", capacityProviderStrategies: [{ capacityProvider: "FARGATE", base: 1, weight: 1 }, { capacityProvider: "FARGATE_SPOT", weight: 3 }] });

    it("accepts ARM64 tasks on Fargate and Fargate Spot: AWS's API reference says Spot runs ARM64 on platform 1.4.0", () => {
      expect(messages([td("ARM64"), service])).to.deep.equal([]);
      expect(messages([td(), service]), "no runtimePlatform is X86_64").to.deep.equal([]);
    });

    it("flags an architecture Fargate does not run", () => {
      expect(messages([td("RISCV64")])).to.deep.equal([
        "[region-offering] dev-cart-task: runtimePlatform.cpuArchitecture RISCV64 is not offered on Fargate in me-south-1 (offered: X86_64, ARM64).",
      ]);
    });
  });

  it("leaves an uncatalogued region to config validation, which names the catalogued ones", () => {
    expect(messages([...subnets, instance("r7i.xlarge")], { ...ctx, region: "eu-west-1" })).to.deep.equal([]);
  });
});
