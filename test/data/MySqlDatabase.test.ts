import { expect } from "chai";
import { MySqlDatabase, MySqlDatabaseArgs } from "../../components/data/MySqlDatabase";
import { CaptureResult } from "../../offline/types";
import {
  T, captureError, expectIngressOnly, expectNoCredentialInOutputs, expectParentedAndTagged, one, ofType, only, randomResult, run, secretDocument, tagsFor,
} from "./managedHarness";

const COMPONENT = "tila:data:MySqlDatabase";
const INSTANCE = "aws:rds/instance:Instance";
const PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
const SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
const ROLE = "aws:iam/role:Role";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

const PROD_SUBNETS = ["subnet-data-a", "subnet-data-b", "subnet-data-c"];
const APP_CIDRS = ["10.40.32.0/20", "10.40.48.0/20", "10.40.64.0/20"];
const GIVEN_KEY = "arn:aws:kms:me-south-1:444444444444:key/aaaaaaaa-bbbb-4ccc-addd-eeeeeeeeeeee";

function capture(name: string, args: MySqlDatabaseArgs): Promise<CaptureResult> {
  return run(() => {
    const db = new MySqlDatabase(name, args);
    return { endpoint: db.endpoint, address: db.address, port: db.port, securityGroupId: db.securityGroupId, secretArn: db.secretArn };
  }, args.environment);
}

describe("MySqlDatabase", () => {
  describe("in prod", () => {
    let result: CaptureResult;
    let instance: Record<string, unknown>;

    before(async () => {
      result = await capture("prod-mysql", {
        environment: "prod",
        vpcId: "vpc-prod",
        subnetIds: PROD_SUBNETS,
        clientCidrs: APP_CIDRS,
        alarmTopicArn: "arn:aws:sns:me-south-1:444444444444:alerts",
        databaseName: "tila",
        tags: tagsFor("prod"),
      });
      instance = one(result, INSTANCE, "prod-mysql-instance").inputs;
    });

    it("runs MySQL 8.4 Multi-AZ on db.r7g.large, private, with IAM auth and minor upgrades", () => {
      expect(instance).to.include({
        engine: "mysql", engineVersion: "8.4", allowMajorVersionUpgrade: true, instanceClass: "db.r7g.large", multiAz: true, publiclyAccessible: false,
        autoMinorVersionUpgrade: true, iamDatabaseAuthenticationEnabled: true, copyTagsToSnapshot: true, identifier: "prod-mysql", dbName: "tila",
        storageType: "gp3", caCertIdentifier: "rds-ca-rsa2048-g1", engineLifecycleSupport: "open-source-rds-extended-support",
      });
    });

    it("encrypts storage and Performance Insights with a dedicated rotating KMS key", () => {
      const key = only(result, T.KMS);
      expect(key.inputs).to.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
      expect(instance).to.include({ storageEncrypted: true, kmsKeyId: key.outputs.arn, performanceInsightsEnabled: true, performanceInsightsKmsKeyId: key.outputs.arn, performanceInsightsRetentionPeriod: 7 });
    });

    it("keeps 30 days of backups (at least 14), deletion protection and a final snapshot, and is protected", () => {
      expect(instance.backupRetentionPeriod).to.equal(30).and.to.be.at.least(14);
      expect(instance).to.include({ deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "prod-mysql-final", deleteAutomatedBackups: false });
      const res = one(result, INSTANCE, "prod-mysql-instance");
      expect(res.options.protect).to.equal(true);
      expect(only(result, T.KMS).options.protect).to.equal(true);
    });

    it("uses the master password from its ManagedCredential, as a secret, and not an RDS-managed one", () => {
      const res = one(result, INSTANCE, "prod-mysql-instance");
      expect(res.secretInputs).to.include("password");
      expect(instance.password).to.equal(randomResult(result));
      expect(instance.username).to.equal("dbadmin");
      expect(instance.manageMasterUserPassword).to.equal(undefined);
    });

    it("stores the credential with the instance's address and port in a secret encrypted with the database key", () => {
      expect(secretDocument(result)).to.deep.equal({
        username: "dbadmin", password: randomResult(result), engine: "mysql", host: one(result, INSTANCE, "prod-mysql-instance").outputs.address, port: 3306,
      });
      expect(only(result, T.SECRET).inputs).to.include({ kmsKeyId: only(result, T.KMS).outputs.arn, recoveryWindowInDays: 30 });
    });

    it("applies utf8mb4, the slow query log and TLS-only through a mysql8.4 parameter group named for its family", () => {
      const pg = one(result, PARAMETER_GROUP, "prod-mysql-parameters");
      expect(pg.inputs.family).to.equal("mysql8.4");
      expect(pg.inputs.name).to.equal("prod-mysql-mysql84");
      const params = Object.fromEntries((pg.inputs.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
      expect(params).to.deep.equal({
        character_set_server: "utf8mb4", collation_server: "utf8mb4_0900_ai_ci", slow_query_log: "1", long_query_time: "1", require_secure_transport: "1", log_output: "FILE",
      });
      expect(instance.parameterGroupName).to.equal(pg.inputs.name);
    });

    it("exports the error and slow query logs into log groups it created with a retention", () => {
      expect(instance.enabledCloudwatchLogsExports).to.deep.equal(["error", "slowquery"]);
      const groups = ofType(result, T.LOG_GROUP).map((g) => [g.inputs.name, g.inputs.retentionInDays]);
      expect(groups).to.deep.equal([["/aws/rds/instance/prod-mysql/error", 90], ["/aws/rds/instance/prod-mysql/slowquery", 90]]);
      const deps = one(result, INSTANCE, "prod-mysql-instance").options.dependsOn;
      for (const g of ofType(result, T.LOG_GROUP)) expect(deps).to.include(g.urn);
    });

    it("turns on enhanced monitoring every 60 s through a role only RDS monitoring can assume", () => {
      const role = only(result, ROLE);
      expect(JSON.parse(role.inputs.assumeRolePolicy as string).Statement).to.deep.equal([
        { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(only(result, ATTACHMENT).inputs).to.include({ role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
      expect(instance).to.include({ monitoringInterval: 60, monitoringRoleArn: role.outputs.arn });
    });

    it("places the instance on a subnet group over exactly the data subnets", () => {
      const group = one(result, SUBNET_GROUP, "prod-mysql-subnet-group");
      expect(group.inputs.subnetIds).to.deep.equal(PROD_SUBNETS);
      expect(instance.dbSubnetGroupName).to.equal(group.inputs.name);
    });

    it("admits only the app tier CIDRs on 3306, with no egress", () => {
      expectIngressOnly(result, 3306, { cidrs: APP_CIDRS, sgs: [] });
      expect(instance.vpcSecurityGroupIds).to.deep.equal([only(result, T.SG).id]);
    });

    it("alarms on CPU and free storage to the given topic", () => {
      const alarms = ofType(result, ALARM);
      expect(alarms.map((a) => a.inputs.metricName).sort()).to.deep.equal(["CPUUtilization", "FreeStorageSpace"]);
      for (const a of alarms) expect(a.inputs.alarmActions).to.deep.equal(["arn:aws:sns:me-south-1:444444444444:alerts"]);
      expect(one(result, ALARM, "prod-mysql-alarm-storage").inputs.threshold).to.equal(10 * 1024 ** 3);
    });

    it("outputs the endpoint, address, port, security group and secret ARN, and no credential", () => {
      const res = one(result, INSTANCE, "prod-mysql-instance");
      expect(result.outputs).to.deep.equal({
        endpoint: res.outputs.endpoint, address: res.outputs.address, port: 3306, securityGroupId: only(result, T.SG).id, secretArn: only(result, T.SECRET).outputs.arn,
      });
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("parents every resource to the component (or its credential) and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-mysql");
    });
  });

  describe("in dev", () => {
    let result: CaptureResult;
    let instance: Record<string, unknown>;

    before(async () => {
      result = await capture("dev-mysql", {
        environment: "dev",
        vpcId: "vpc-dev",
        subnetIds: ["subnet-dev-a", "subnet-dev-b"],
        clientSecurityGroupIds: { orders: "sg-orders" },
        clientCidrs: ["10.10.32.0/20"],
        kmsKeyArn: GIVEN_KEY,
        tags: tagsFor("dev"),
      });
      instance = one(result, INSTANCE, "dev-mysql-instance").inputs;
    });

    it("runs a single-AZ db.t4g.medium with 3 days of backups", () => {
      expect(instance).to.include({ multiAz: false, instanceClass: "db.t4g.medium", backupRetentionPeriod: 7 });
    });

    it("has no deletion protection, no final snapshot and no protect", () => {
      expect(instance).to.include({ deletionProtection: false, skipFinalSnapshot: true });
      expect(instance.finalSnapshotIdentifier).to.equal(undefined);
      expect(one(result, INSTANCE, "dev-mysql-instance").options.protect).to.equal(false);
    });

    it("still encrypts everything, with the given key and no key of its own", () => {
      expect(ofType(result, T.KMS)).to.deep.equal([]);
      expect(instance).to.include({ storageEncrypted: true, kmsKeyId: GIVEN_KEY, performanceInsightsKmsKeyId: GIVEN_KEY });
      expect(only(result, T.SECRET).inputs).to.include({ kmsKeyId: GIVEN_KEY, recoveryWindowInDays: 7 });
    });

    it("admits the given security group and CIDR on 3306 only", () => {
      expectIngressOnly(result, 3306, { cidrs: ["10.10.32.0/20"], sgs: ["sg-orders"] });
    });

    it("keeps the password secret and out of every output", () => {
      expect(one(result, INSTANCE, "dev-mysql-instance").secretInputs).to.include("password");
      expect(instance.password).to.equal(randomResult(result));
      expectNoCredentialInOutputs(result, randomResult(result));
    });

    it("creates no alarms without a topic", () => {
      expect(ofType(result, ALARM)).to.deep.equal([]);
    });
  });

  describe("argument validation", () => {
    it("rejects less than 14 days of backups in prod with a ResourceError naming the field", async () => {
      const err = await captureError(() => new MySqlDatabase("bad", {
        environment: "prod", vpcId: "vpc-prod", subnetIds: PROD_SUBNETS, clientCidrs: APP_CIDRS, backupRetentionDays: 7, tags: tagsFor("prod"),
      }));
      expect(err.constructor.name).to.equal("ResourceError");
      expect(err.message).to.include('MySqlDatabase "bad"').and.include("backupRetentionDays: prod keeps at least 14 days of backups, got 7");
    });

    it("rejects a database nobody may reach and one open to the world", async () => {
      const none = await captureError(() => new MySqlDatabase("closed", { environment: "dev", vpcId: "vpc", subnetIds: ["a", "b"], tags: tagsFor("dev") }), "dev");
      expect(none.message).to.include("clientCidrs/clientSecurityGroupIds: at least one client");
      const open = await captureError(() => new MySqlDatabase("open", { environment: "dev", vpcId: "vpc", subnetIds: ["a", "b"], clientCidrs: ["0.0.0.0/0"], tags: tagsFor("dev") }), "dev");
      expect(open.message).to.include('clientCidrs[0]: "0.0.0.0/0" would open the port to every address');
    });
  });
});
