import { expect } from "chai";
import { RedisCache, RedisCacheArgs } from "../../components/data/RedisCache";
import { CaptureResult } from "../../offline/types";
import {
  T, captureError, expectIngressOnly, expectNoCredentialInOutputs, one, ofType, only, run, tagsFor,
} from "./managedHarness";

const COMPONENT = "tila:data:RedisCache";
const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup";
const USER = "aws:elasticache/user:User";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";

function passwordOf(result: CaptureResult, credential: string): string {
  return one(result, T.RANDOM, `${credential}-password`).outputs.result as string;
}

function documentOf(result: CaptureResult, credential: string): Record<string, unknown> {
  const version = one(result, T.SECRET_VERSION, `${credential}-secret-version`);
  expect(version.secretInputs).to.include("secretString");
  return JSON.parse(version.inputs.secretString as string) as Record<string, unknown>;
}

const PROD_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_CIDRS = ["10.40.32.0/20", "10.40.48.0/20", "10.40.64.0/20"];

function capture(name: string, args: RedisCacheArgs): Promise<CaptureResult> {
  return run(() => {
    const cache = new RedisCache(name, args);
    return {
      primaryEndpoint: cache.primaryEndpoint, readerEndpoint: cache.readerEndpoint, port: cache.port, securityGroupId: cache.securityGroupId,
      adminSecretArn: cache.adminSecretArn, serviceSecretArns: cache.serviceSecretArns,
    };
  }, args.environment);
}

describe("RedisCache", () => {
  describe("in prod", () => {
    let result: CaptureResult;
    let group: Record<string, unknown>;

    before(async () => {
      result = await capture("prod-redis", { environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, serviceUsers: ["cart", "checkout"], tags: tagsFor("prod") });
      group = one(result, GROUP, "prod-redis-replication-group").inputs;
    });

    it("runs Redis 7.1 with cluster mode off on three nodes, Multi-AZ with automatic failover", () => {
      expect(group).to.include({
        engine: "redis", engineVersion: "7.1", clusterMode: "disabled", nodeType: "cache.r7g.large", numCacheClusters: 3,
        automaticFailoverEnabled: true, multiAzEnabled: true, port: 6379, replicationGroupId: "prod-redis",
      });
    });

    it("encrypts at rest with a dedicated rotating key and requires TLS in transit", () => {
      const key = only(result, T.KMS);
      expect(key.inputs.enableKeyRotation).to.equal(true);
      expect(group).to.include({ atRestEncryptionEnabled: true, kmsKeyId: key.outputs.arn, transitEncryptionEnabled: true, transitEncryptionMode: "required" });
    });

    it("authenticates with its RBAC user group, not an AUTH token (DELETE moves an AUTH group to the users)", () => {
      const res = one(result, GROUP, "prod-redis-replication-group");
      expect(group.authToken).to.equal(undefined);
      expect(group.authTokenUpdateStrategy).to.equal("DELETE");
      expect(group.userGroupIds).to.deep.equal([one(result, USER_GROUP, "prod-redis-users").inputs.userGroupId]);
      expect(res.inputs.userGroupIds).to.deep.equal(["prod-redis-users"]);
    });

    it("gives each service its own user, limited to its key prefix, with a password of its own in a secret of its own", () => {
      const users = Object.fromEntries(ofType(result, USER).map((u) => [u.inputs.userName as string, u]));
      expect(Object.keys(users).sort()).to.deep.equal(["cart", "checkout", "default", "ops-admin"]);
      expect(users.cart!.inputs).to.include({ userId: "prod-redis-svc-cart", engine: "redis", accessString: "on ~cart:* +@all -@dangerous" });
      expect(users.checkout!.inputs.accessString).to.equal("on ~checkout:* +@all -@dangerous");
      expect(users.cart!.secretInputs).to.include("authenticationMode");
      expect(users.cart!.inputs.authenticationMode).to.deep.equal({ type: "password", passwords: [passwordOf(result, "prod-redis-svc-cart")] });
      expect(passwordOf(result, "prod-redis-svc-cart")).to.not.equal(passwordOf(result, "prod-redis-svc-checkout"));
      expect(documentOf(result, "prod-redis-svc-cart")).to.deep.include({ username: "cart", password: passwordOf(result, "prod-redis-svc-cart"), engine: "redis", port: 6379 });
      expect(one(result, T.RANDOM, "prod-redis-svc-cart-password").inputs).to.include({ length: 64, overrideSpecial: "!&#$^<>-" });
    });

    it("switches the group's default user off and keeps the every-key admin user for operators", () => {
      const byName = Object.fromEntries(ofType(result, USER).map((u) => [u.inputs.userName as string, u.inputs]));
      expect(byName.default!.accessString).to.equal("off -@all");
      expect(byName["ops-admin"]!.accessString).to.equal("on ~* +@all");
      const members = one(result, USER_GROUP, "prod-redis-users").inputs.userIds as string[];
      expect([...members].sort()).to.deep.equal(["prod-redis-admin", "prod-redis-default", "prod-redis-svc-cart", "prod-redis-svc-checkout"]);
      expect(documentOf(result, "prod-redis-admin")).to.deep.include({ username: "ops-admin", host: one(result, GROUP, "prod-redis-replication-group").outputs.primaryEndpointAddress });
    });

    it("keeps 7 days of snapshots in set windows, a final snapshot, and is protected", () => {
      expect(group).to.include({ snapshotRetentionLimit: 7, snapshotWindow: "00:00-01:00", maintenanceWindow: "tue:01:30-tue:02:30", finalSnapshotIdentifier: "prod-redis-final" });
      expect(one(result, GROUP, "prod-redis-replication-group").options.protect).to.equal(true);
    });

    it("delivers the slow log and engine log as JSON to its own log groups", () => {
      expect(group.logDeliveryConfigurations).to.deep.equal([
        { destinationType: "cloudwatch-logs", destination: "/aws/elasticache/prod-redis/slow-log", logFormat: "json", logType: "slow-log" },
        { destinationType: "cloudwatch-logs", destination: "/aws/elasticache/prod-redis/engine-log", logFormat: "json", logType: "engine-log" },
      ]);
      expect(ofType(result, T.LOG_GROUP).map((g) => g.inputs.retentionInDays)).to.deep.equal([90, 90]);
    });

    it("uses a subnet group over exactly the data subnets and the security group admitting only 6379 from the app tier", () => {
      const subnets = one(result, SUBNET_GROUP, "prod-redis-subnet-group");
      expect(subnets.inputs.subnetIds).to.deep.equal(PROD_SUBNETS);
      expect(group.subnetGroupName).to.equal(subnets.inputs.name);
      expect(group.securityGroupIds).to.deep.equal([only(result, T.SG).id]);
      expectIngressOnly(result, 6379, { cidrs: APP_CIDRS, sgs: [] });
    });

    it("outputs both endpoints, the port, the security group and the secret ARNs, and no password", () => {
      const res = one(result, GROUP, "prod-redis-replication-group");
      const secretArn = (credential: string) => one(result, T.SECRET, `${credential}-secret`).outputs.arn;
      expect(result.outputs).to.deep.equal({
        primaryEndpoint: res.outputs.primaryEndpointAddress, readerEndpoint: res.outputs.readerEndpointAddress, port: 6379,
        securityGroupId: only(result, T.SG).id, adminSecretArn: secretArn("prod-redis-admin"),
        serviceSecretArns: { cart: secretArn("prod-redis-svc-cart"), checkout: secretArn("prod-redis-svc-checkout") },
      });
      for (const r of ofType(result, T.RANDOM)) expectNoCredentialInOutputs(result, r.outputs.result as string);
    });

    it("parents every resource to the component (or one of its credentials) and tags it", () => {
      const component = one(result, COMPONENT, "prod-redis");
      const credentials = ofType(result, T.CREDENTIAL).map((c) => c.urn);
      for (const c of ofType(result, T.CREDENTIAL)) expect(c.parent).to.equal(component.urn);
      for (const r of result.resources.filter((x) => x.custom)) expect([component.urn, ...credentials], r.name).to.include(r.parent);
    });
  });

  describe("in dev", () => {
    let result: CaptureResult;
    let group: Record<string, unknown>;

    before(async () => {
      result = await capture("dev-redis", {
        environment: "dev", vpcId: "vpc-dev", subnetIds: ["subnet-dev-a", "subnet-dev-b"], clientSecurityGroupIds: { cart: "sg-cart" }, tags: tagsFor("dev"),
      });
      group = one(result, GROUP, "dev-redis-replication-group").inputs;
    });

    it("runs one small node without failover or Multi-AZ", () => {
      expect(group).to.include({ numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false, nodeType: "cache.t4g.small" });
    });

    it("keeps one day of snapshots, no final snapshot and no protect", () => {
      expect(group.snapshotRetentionLimit).to.equal(1);
      expect(group.finalSnapshotIdentifier).to.equal(undefined);
      expect(one(result, GROUP, "dev-redis-replication-group").options.protect).to.equal(false);
    });

    it("still encrypts at rest and in transit (required) behind its user group, with no service user unless asked", () => {
      expect(group).to.include({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required" });
      expect(group.userGroupIds).to.deep.equal(["dev-redis-users"]);
      expect(ofType(result, USER).map((u) => u.inputs.userName).sort()).to.deep.equal(["default", "ops-admin"]);
    });

    it("admits only the given security group on 6379", () => {
      expectIngressOnly(result, 6379, { cidrs: [], sgs: ["sg-cart"] });
    });
  });

  describe("argument validation", () => {
    it("refuses a service user named like the admin or the default user", async () => {
      const err = await captureError(() => new RedisCache("bad", {
        environment: "dev", vpcId: "vpc-dev", subnetIds: ["a", "b"], clientCidrs: APP_CIDRS, serviceUsers: ["ops-admin", "default", "Cart"], tags: tagsFor("dev"),
      }));
      expect(err.message).to.include('serviceUsers[0]: "ops-admin"').and.include('serviceUsers[1]: "default"').and.include('serviceUsers[2]: "Cart"');
    });

    it("rejects a single node in prod with a ResourceError naming the field", async () => {
      const err = await captureError(() => new RedisCache("bad", {
        environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, numCacheClusters: 1, tags: tagsFor("prod"),
      }));
      expect(err.constructor.name).to.equal("ResourceError");
      expect(err.message).to.include('RedisCache "bad"').and.include("numCacheClusters: prod needs at least 2 nodes");
    });
  });
});
