import { expect } from "chai";
import * as fs from "fs";
import { MySqlDatabase } from "../../components/data/MySqlDatabase";
import { NoSqlCluster } from "../../components/data/NoSqlCluster";
import { SearchDomain } from "../../components/data/SearchDomain";
import { DataOperatorRole } from "../../components/data/DataOperatorRole";
import { bundleFunction } from "../../components/data/functionBundle";
import { renderBootstrap } from "../../components/data/bootstrap";
import { decodeUserData } from "../../components/data/userData";
import { mysqlServiceAccess } from "../../components/data/mysqlPlan";
import { CaptureResult } from "../../offline/types";
import { T, captureError, one, ofType, only, run, tagsFor } from "./managedHarness";

const KEY = "arn:aws:kms:me-south-1:444444444444:key/11111111-2222-4333-a444-555555555555";
const SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_SUBNETS = ["subnet-app-a", "subnet-app-b", "subnet-app-c"];
const FUNCTION = "aws:lambda/function:Function";
const INVOCATION = "aws:lambda/invocation:Invocation";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";

describe("a credential per service (components)", () => {
  describe("MySqlDatabase with service users", () => {
    let result: CaptureResult;
    before(async () => {
      result = await run(() => {
        const db = new MySqlDatabase("prod-mysql", {
          environment: "prod", vpcId: "vpc-prod", subnetIds: SUBNETS, clientSecurityGroupIds: { checkout: "sg-checkout" }, kmsKeyArn: KEY, tags: tagsFor("prod"),
          serviceUsers: ["checkout", "order-history"], provisioningSubnetIds: APP_SUBNETS,
        });
        return { checkout: db.serviceAccess.checkout!.dbUserArn, history: db.serviceAccess["order-history"]!.dbUserArn, resourceId: db.resourceId };
      });
    });

    it("names each service's own rds-db:connect ARN from the instance's DbiResourceId", () => {
      const instance = one(result, "aws:rds/instance:Instance", "prod-mysql-instance");
      expect(result.outputs.checkout).to.equal(`arn:aws:rds-db:me-south-1:444444444444:dbuser:${String(instance.outputs.resourceId)}/svc_checkout`);
      expect(result.outputs.history).to.match(/:dbuser:db-[A-Z0-9]{26}\/svc_order_history$/);
      expect(mysqlServiceAccess("order-history")).to.deep.equal({ user: "svc_order_history", database: "order_history" });
    });

    it("invokes the provisioning function with the wanted users only, after the instance, the credential and its admission", () => {
      const invocation = only(result, INVOCATION);
      expect(JSON.parse(String(invocation.inputs.input))).to.deep.equal({
        users: [{ service: "checkout", user: "svc_checkout", database: "checkout" }, { service: "order-history", user: "svc_order_history", database: "order_history" }],
      });
      const deps = invocation.options.dependsOn;
      expect(deps).to.include(one(result, "aws:rds/instance:Instance", "prod-mysql-instance").urn);
      expect(deps).to.include(one(result, T.INGRESS, "prod-mysql-ingress-provisioner").urn);
      expect(JSON.stringify(invocation.inputs)).to.not.include(String(one(result, T.RANDOM, "prod-mysql-credential-password").outputs.result));
    });

    it("runs the function in the app subnets with the master secret's ARN (never its value) and a role that reads only that secret", () => {
      const fn = only(result, FUNCTION);
      expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", handler: "index.handler", name: "prod-mysql-users" });
      expect((fn.inputs.vpcConfig as { subnetIds: string[] }).subnetIds).to.deep.equal(APP_SUBNETS);
      const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
      const master = one(result, T.SECRET, "prod-mysql-credential-secret").outputs.arn;
      expect(env.MASTER_SECRET_ARN).to.equal(master);
      const policy = JSON.parse(String(one(result, ROLE_POLICY, "prod-mysql-users-policy").inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
      expect(policy.Statement.find((s) => s.Sid === "ReadProvisioningSecrets")!.Resource).to.deep.equal([master]);
      const ingress = one(result, T.INGRESS, "prod-mysql-ingress-provisioner").inputs;
      expect(ingress).to.include({ fromPort: 3306, toPort: 3306, referencedSecurityGroupId: one(result, T.SG, "prod-mysql-users-sg").id });
    });

    it("refuses service users without subnets for the provisioning function", async () => {
      const err = await captureError(() => new MySqlDatabase("bad", {
        environment: "dev", vpcId: "vpc", subnetIds: SUBNETS, clientCidrs: ["10.10.0.0/16"], tags: tagsFor("dev"), serviceUsers: ["checkout"],
      }), "dev");
      expect(err.message).to.include("provisioningSubnetIds is required");
    });
  });

  describe("SearchDomain with service users", () => {
    it("gives each service its own internal user secret and provisions role and mapping with the secret's ARN and version", async () => {
      const result = await run(() => {
        const d = new SearchDomain("dev-search", {
          environment: "dev", vpcId: "vpc", subnetIds: SUBNETS, clientSecurityGroupIds: { search: "sg-search" }, kmsKeyArn: KEY, tags: tagsFor("dev"),
          serviceUsers: ["search"], provisioningSubnetIds: APP_SUBNETS,
        });
        return { search: d.serviceSecretArns.search };
      }, "dev");
      const own = one(result, T.SECRET, "dev-search-svc-search-secret").outputs.arn;
      expect(result.outputs.search).to.equal(own);
      const input = JSON.parse(String(only(result, INVOCATION).inputs.input)) as { users: Record<string, string>[] };
      expect(input.users).to.have.length(1);
      expect(input.users[0]).to.deep.include({ service: "search", user: "search", role: "svc_search", indexPattern: "search-*", secretArn: own });
      const policy = JSON.parse(String(one(result, ROLE_POLICY, "dev-search-users-policy").inputs.policy)) as { Statement: { Sid: string; Resource: string[] }[] };
      expect(policy.Statement.find((s) => s.Sid === "ReadProvisioningSecrets")!.Resource).to.deep.equal([one(result, T.SECRET, "dev-search-master-user-secret").outputs.arn, own].sort());
    });
  });

  describe("NoSqlCluster with service users", () => {
    it("puts only the secrets' ARNs in node 0's user data and lets the nodes read exactly the admin and service secrets", async () => {
      const result = await run(() => {
        const c = new NoSqlCluster("dev-mongodb", {
          environment: "dev", engine: "mongodb", nodeCount: 1, instanceType: "r7g.large", vpcId: "vpc",
          subnets: [{ az: "me-south-1a", subnetId: "subnet-a" }], clients: { securityGroupIds: { catalog: "sg-catalog" } },
          dns: { zoneId: "Z1", zoneName: "dev.internal.tila.sa" }, kmsKeyArn: KEY, snapshotRetentionDays: 3, protect: false,
          userData: renderBootstrap, serviceUsers: ["catalog"], tags: tagsFor("dev"),
        });
        return { catalog: c.serviceSecretArns.catalog, database: c.serviceDatabases.catalog };
      }, "dev");
      const secret = one(result, T.SECRET, "dev-mongodb-svc-catalog-secret").outputs.arn as string;
      expect(result.outputs).to.deep.equal({ catalog: secret, database: "catalog" });
      // Node 0's script is over 16 KB with the exporter steps, so NoSqlCluster sends it gzip-compressed.
      const userData = decodeUserData(only(result, "aws:ec2/instance:Instance").inputs);
      expect(userData).to.include(secret).and.include("read_service_secret");
      for (const r of ofType(result, T.RANDOM)) expect(userData).to.not.include(String(r.outputs.result));
      const policy = JSON.parse(String(one(result, ROLE_POLICY, "dev-mongodb-admin-secret-read").inputs.policy)) as { Statement: { Sid: string; Resource: unknown }[] };
      expect(policy.Statement.find((s) => s.Sid === "ReadServiceSecrets")!.Resource).to.deep.equal([secret]);
    });

    it("creates no users on an engine without authentication", async () => {
      const result = await run(() => {
        const c = new NoSqlCluster("dev-zookeeper", {
          environment: "dev", engine: "zookeeper", nodeCount: 1, instanceType: "m7g.medium", vpcId: "vpc",
          subnets: [{ az: "me-south-1a", subnetId: "subnet-a" }], clients: { securityGroupIds: { kafka: "sg-kafka" } },
          dns: { zoneId: "Z1", zoneName: "dev.internal.tila.sa" }, snapshotRetentionDays: 3, protect: false, serviceUsers: ["catalog"], tags: tagsFor("dev"),
        });
        return { users: c.serviceSecretArns };
      }, "dev");
      expect(result.outputs.users).to.deep.equal({});
      expect(ofType(result, T.SECRET)).to.deep.equal([]);
    });
  });

  describe("DataOperatorRole", () => {
    it("is assumable from this account with MFA only, and reads exactly the admin secrets through the data key", async () => {
      const admin = "arn:aws:secretsmanager:me-south-1:444444444444:secret:prod/data/prod-redis-admin-x-abc123";
      const result = await run(() => {
        const r = new DataOperatorRole("prod-data-operators", { environment: "prod", adminSecretArns: { redis: admin }, kmsKeyArn: KEY, tags: tagsFor("prod") });
        return { arn: r.roleArn };
      });
      const role = only(result, "aws:iam/role:Role");
      expect(role.inputs.name).to.equal("prod-data-operator");
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: { AWS: string }; Condition: unknown }[] };
      expect(trust.Statement[0]!.Principal.AWS).to.equal("arn:aws:iam::444444444444:root");
      expect(trust.Statement[0]!.Condition).to.deep.equal({ Bool: { "aws:MultiFactorAuthPresent": "true" } });
      const policy = JSON.parse(String(only(result, ROLE_POLICY).inputs.policy)) as { Statement: { Resource: string[]; Condition?: unknown }[] };
      expect(policy.Statement[0]!.Resource).to.deep.equal([admin]);
      expect(policy.Statement[1]!.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "secretsmanager.me-south-1.amazonaws.com" } });
    });
  });

  describe("the provisioning functions' packages", () => {
    for (const name of ["mysql-users", "opensearch-users"]) {
      it(`bundles functions/${name} into one index.js that loads and refuses an empty event without calling anything`, async () => {
        const file = bundleFunction(name);
        expect(fs.statSync(file).size).to.be.greaterThan(1000);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(file) as { handler: (e: unknown) => Promise<{ ok: boolean }> };
        expect(await mod.handler({})).to.deep.include({ ok: false });
      });
    }
  });
});
