import { expect } from "chai";
import { RedisCache, RedisCacheArgs } from "../../components/data/RedisCache";
import { CaptureResult } from "../../offline/types";
import {
  T, captureError, expectIngressOnly, expectNoCredentialInOutputs, expectParentedAndTagged, one, ofType, only, randomResult, run, secretDocument, tagsFor,
} from "./managedHarness";

const COMPONENT = "tila:data:RedisCache";
const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const SUBNET_GROUP = "aws:elasticache/subnetGroup:SubnetGroup";

const PROD_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_CIDRS = ["10.40.32.0/20", "10.40.48.0/20", "10.40.64.0/20"];

function capture(name: string, args: RedisCacheArgs): Promise<CaptureResult> {
  return run(() => {
    const cache = new RedisCache(name, args);
    return { primaryEndpoint: cache.primaryEndpoint, readerEndpoint: cache.readerEndpoint, port: cache.port, securityGroupId: cache.securityGroupId, secretArn: cache.secretArn };
  }, args.environment);
}

describe("RedisCache", () => {
  describe("in prod", () => {
    let result: CaptureResult;
    let group: Record<string, unknown>;

    before(async () => {
      result = await capture("prod-redis", { environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, tags: tagsFor("prod") });
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

    it("sets the AUTH token from its ManagedCredential as a secret, rotating (old and new valid) on change", () => {
      const res = one(result, GROUP, "prod-redis-replication-group");
      expect(res.secretInputs).to.include("authToken");
      expect(group.authToken).to.equal(randomResult(result));
      expect(group.authTokenUpdateStrategy).to.equal("ROTATE");
      expect(one(result, T.RANDOM, "prod-redis-auth-token-password").inputs).to.include({ length: 64, overrideSpecial: "!&#$^<>-" });
    });

    it("stores the token with the primary endpoint in a secret version that is itself secret", () => {
      expect(secretDocument(result)).to.deep.equal({
        username: "default", password: randomResult(result), engine: "redis", host: one(result, GROUP, "prod-redis-replication-group").outputs.primaryEndpointAddress, port: 6379,
      });
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

    it("outputs both endpoints, the port, the security group and the secret ARN, and no token", () => {
      const res = one(result, GROUP, "prod-redis-replication-group");
      expect(result.outputs).to.deep.equal({
        primaryEndpoint: res.outputs.primaryEndpointAddress, readerEndpoint: res.outputs.readerEndpointAddress, port: 6379,
        securityGroupId: only(result, T.SG).id, secretArn: only(result, T.SECRET).outputs.arn,
      });
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("parents every resource to the component (or its credential) and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-redis");
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

    it("still encrypts at rest and in transit (required) behind a secret AUTH token", () => {
      expect(group).to.include({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required", authToken: randomResult(result) });
      expect(one(result, GROUP, "dev-redis-replication-group").secretInputs).to.include("authToken");
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("admits only the given security group on 6379", () => {
      expectIngressOnly(result, 6379, { cidrs: [], sgs: ["sg-cart"] });
    });
  });

  describe("argument validation", () => {
    it("rejects a single node in prod with a ResourceError naming the field", async () => {
      const err = await captureError(() => new RedisCache("bad", {
        environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, numCacheClusters: 1, tags: tagsFor("prod"),
      }));
      expect(err.constructor.name).to.equal("ResourceError");
      expect(err.message).to.include('RedisCache "bad"').and.include("numCacheClusters: prod needs at least 2 nodes");
    });
  });
});
