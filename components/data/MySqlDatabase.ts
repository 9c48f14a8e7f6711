/**
 * RDS for MySQL 8.4 on the data subnets (docs/data-tier.md). Every per-environment decision is in
 * `mysqlPlan.ts`; this class turns the resolved plan into resources.
 *
 * Services never see the master credential: each service named in `serviceUsers` gets its own
 * IAM-authenticated user limited to its own schema, created and kept in step by a provisioning
 * function in the VPC that the deployment invokes whenever the list changes. A service connects with
 * a token its task role signs (`rds-db:connect` on `dbUserArn(service)`), so it holds no password.
 *
 * The master password is a `ManagedCredential` (random into Secrets Manager), not RDS's
 * `manageMasterUserPassword`: that option turns on a Secrets Manager rotation every 7 days that
 * nothing in this program sees, so services holding the old password fail without warning, and
 * switching an existing instance to it later fails at plan (terraform-aws-rds #527/#547/#572/#588,
 * terraform-provider-aws #38433). Here the password changes only when this program changes it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../tags";
import { ManagedCredential } from "./credentials";
import { Owner, clientSecurityGroup, dataKey, logGroup, tagsFor } from "./managedResources";
import { MYSQL_ENGINE_VERSION, MYSQL_PARAMETERS, MYSQL_PARAMETER_FAMILY, MYSQL_PORT, MySqlOptions, MySqlPlan, mysqlServiceAccess, resolveMySql } from "./mysqlPlan";
import { ProvisioningFunction } from "./ProvisioningFunction";

const LOG_EXPORTS = ["error", "slowquery"] as const;
const ENHANCED_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";
/** The CA every new RDS instance should use; the older rds-ca-2019 expired in 2024. */
const CA_CERTIFICATE = "rds-ca-rsa2048-g1";

export interface MySqlDatabaseArgs extends MySqlOptions {
  /** The VPC of the data subnets. */
  readonly vpcId: pulumi.Input<string>;
  /** The data-tier subnets, one per AZ (EnvironmentNetwork `subnetIds.data`); at least two. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** CIDRs admitted to 3306, e.g. EnvironmentNetwork `subnetCidrs.app`. @default [] */
  readonly clientCidrs?: readonly string[];
  /** Security groups admitted to 3306, by a label that names the rule. @default {} */
  readonly clientSecurityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Customer-managed key for storage, Performance Insights and the credential secret.
   * @default a dedicated key with rotation on
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** SNS topic for CPU and free-storage alarms. @default no alarms */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Where the provisioning function of `serviceUsers` runs: subnets that reach the data subnets and
   * the Secrets Manager endpoint (the app tier). Required when serviceUsers is not empty.
   */
  readonly provisioningSubnetIds?: readonly pulumi.Input<string>[];
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service` and `Name` are set here. */
  readonly tags: Tags;
}

export class MySqlDatabase extends pulumi.ComponentResource {
  /** `address:port`. */
  readonly endpoint: pulumi.Output<string>;
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager secret holding the master `{username, password, engine, host, port}`: for operators and the provisioning function only. */
  readonly secretArn: pulumi.Output<string>;
  /** The instance's DbiResourceId (`db-...`), the resource part of `rds-db:connect` ARNs. */
  readonly resourceId: pulumi.Output<string>;
  /** The DB instance identifier (the DBInstanceIdentifier dimension of its metrics) and its storage at creation. */
  readonly identifier: string;
  readonly allocatedStorageGiB: number;
  /** Each service in `serviceUsers`: its user and schema. */
  readonly serviceAccess: Readonly<Record<string, { readonly user: string; readonly database: string; readonly dbUserArn: pulumi.Output<string> }>>;
  /** The provisioning function's role (it reads the master secret), when serviceUsers is not empty. */
  readonly provisionerRoleArn?: pulumi.Output<string>;

  constructor(name: string, args: MySqlDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:MySqlDatabase", name, {}, opts);
    const plan = this.resolve(name, args);
    const owner: Owner = { name, parent: this, tags: args.tags };
    const parent = { parent: this };

    const keyArn = args.kmsKeyArn ?? dataKey(owner, `RDS MySQL ${plan.identifier}: storage, Performance Insights, credential`, plan.protect).arn;
    // The secret records the address of the instance that takes its password: resolved once the instance exists.
    const [host, setHost] = pulumi.deferredOutput<string>();
    const credential = new ManagedCredential(`${name}-credential`, {
      environment: args.environment,
      target: "rds-mysql",
      username: plan.masterUsername,
      kmsKeyArn: keyArn,
      description: `Master user of RDS MySQL ${plan.identifier}`,
      connection: { host, port: MYSQL_PORT },
      tags: args.tags,
    }, parent);

    const sg = clientSecurityGroup(owner, {
      vpcId: args.vpcId,
      port: MYSQL_PORT,
      what: "MySQL",
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupIds: args.clientSecurityGroupIds ?? {},
    });
    const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnet-group`, {
      name: plan.identifier,
      description: `Data subnets of ${plan.identifier}`,
      subnetIds: [...args.subnetIds],
      tags: tagsFor(owner, "subnet-group"),
    }, parent);
    // The family is in the name so a major upgrade creates the new group before deleting the old.
    const parameterGroup = new aws.rds.ParameterGroup(`${name}-parameters`, {
      name: `${plan.identifier}-${MYSQL_PARAMETER_FAMILY.replace(".", "")}`,
      family: MYSQL_PARAMETER_FAMILY,
      description: `utf8mb4, slow query log and TLS-only for ${plan.identifier}`,
      parameters: Object.entries(MYSQL_PARAMETERS).map(([paramName, value]) => ({ name: paramName, value })),
      tags: tagsFor(owner, "parameters"),
    }, parent);
    const monitoringRole = this.monitoringRole(owner);
    const logGroups = LOG_EXPORTS.map((log) => logGroup(owner, `log-${log}`, `/aws/rds/instance/${plan.identifier}/${log}`, plan.logRetentionDays));

    const instance = new aws.rds.Instance(`${name}-instance`, {
      identifier: plan.identifier,
      engine: "mysql",
      engineVersion: MYSQL_ENGINE_VERSION,
      // 8.4 is in RDS standard support, so this costs nothing until its standard support ends; then
      // RDS would bill Extended Support rather than force a major upgrade. Explicit, so that the
      // choice stays visible (8.0 was billed from 2026-07-31 under the same setting).
      engineLifecycleSupport: "open-source-rds-extended-support",
      autoMinorVersionUpgrade: true,
      // Needed for the one-time 8.0 -> 8.4 upgrade of instances created on 8.0 (docs/data-tier.md,
      // "MySQL 8.4"); RDS still upgrades a major version only when engineVersion asks for it.
      allowMajorVersionUpgrade: true,
      instanceClass: plan.instanceClass,
      allocatedStorage: plan.allocatedStorageGiB,
      maxAllocatedStorage: plan.maxAllocatedStorageGiB,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: keyArn,
      dbName: plan.databaseName,
      username: credential.username,
      password: credential.password,
      port: MYSQL_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [sg.id],
      publiclyAccessible: false,
      networkType: "IPV4",
      caCertIdentifier: CA_CERTIFICATE,
      parameterGroupName: parameterGroup.name,
      multiAz: plan.multiAz,
      backupRetentionPeriod: plan.backupRetentionDays,
      backupWindow: plan.backupWindow,
      maintenanceWindow: plan.maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: !plan.finalSnapshot,
      deletionProtection: plan.deletionProtection,
      skipFinalSnapshot: !plan.finalSnapshot,
      finalSnapshotIdentifier: plan.finalSnapshot ? `${plan.identifier}-final` : undefined,
      applyImmediately: plan.applyImmediately,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: keyArn,
      performanceInsightsRetentionPeriod: plan.performanceInsightsRetentionDays,
      monitoringInterval: plan.monitoringIntervalSeconds,
      monitoringRoleArn: monitoringRole.arn,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      iamDatabaseAuthenticationEnabled: true,
      tags: tagsFor(owner, "instance"),
    }, { parent: this, protect: plan.protect, dependsOn: logGroups });
    setHost(instance.address);

    if (args.alarmTopicArn !== undefined) this.alarms(owner, plan, instance, args.alarmTopicArn);

    // arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user> (Service Authorization Reference, rds-db).
    const dbUserArn = (user: string): pulumi.Output<string> => pulumi.all([instance.arn, instance.resourceId]).apply(([arn, id]) => {
      const [, partition, , region, account] = arn.split(":");
      return `arn:${partition}:rds-db:${region}:${account}:dbuser:${id}/${user}`;
    });
    const serviceAccess: Record<string, { user: string; database: string; dbUserArn: pulumi.Output<string> }> = {};
    for (const service of plan.serviceUsers) {
      const access = mysqlServiceAccess(service);
      serviceAccess[service] = { ...access, dbUserArn: dbUserArn(access.user) };
    }
    if (plan.serviceUsers.length > 0) {
      this.provisionerRoleArn = this.provisionUsers(name, args, plan, { instance, securityGroup: sg, credential, keyArn });
    }

    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.securityGroupId = sg.id;
    this.secretArn = credential.secretArn;
    this.resourceId = instance.resourceId;
    this.identifier = plan.identifier;
    this.allocatedStorageGiB = plan.allocatedStorageGiB;
    this.serviceAccess = serviceAccess;
    this.registerOutputs({
      endpoint: this.endpoint, address: this.address, port: this.port, securityGroupId: this.securityGroupId, secretArn: this.secretArn, resourceId: this.resourceId,
      serviceUsers: Object.fromEntries(Object.entries(serviceAccess).map(([s, a]) => [s, { user: a.user, database: a.database }])),
    });
  }

  /**
   * The provisioning function, admitted to 3306, and its invocation with the wanted users: a new
   * service, a removed one or a renamed schema changes the input and so runs it again.
   */
  private provisionUsers(name: string, args: MySqlDatabaseArgs, plan: MySqlPlan, w: {
    instance: aws.rds.Instance; securityGroup: aws.ec2.SecurityGroup; credential: ManagedCredential; keyArn: pulumi.Input<string>;
  }): pulumi.Output<string> {
    if (args.provisioningSubnetIds === undefined || args.provisioningSubnetIds.length === 0) throw new pulumi.ResourceError(`MySqlDatabase "${name}": provisioningSubnetIds is required when serviceUsers is not empty`, this);
    const provisioner = new ProvisioningFunction(`${name}-users`, {
      code: "mysql-users",
      purpose: `MySQL users of ${plan.identifier}`,
      vpcId: args.vpcId,
      subnetIds: args.provisioningSubnetIds,
      targets: { mysql: { securityGroupId: w.securityGroup.id, port: MYSQL_PORT } },
      secretArns: [w.credential.secretArn],
      kmsKeyArn: w.keyArn,
      environment: { MASTER_SECRET_ARN: w.credential.secretArn, DB_HOST: w.instance.address, DB_PORT: String(MYSQL_PORT) },
      logRetentionDays: plan.logRetentionDays,
      tags: args.tags,
    }, { parent: this });
    const admitted = new aws.vpc.SecurityGroupIngressRule(`${name}-ingress-provisioner`, {
      securityGroupId: w.securityGroup.id,
      ipProtocol: "tcp",
      fromPort: MYSQL_PORT,
      toPort: MYSQL_PORT,
      referencedSecurityGroupId: provisioner.securityGroupId,
      description: "MySQL from the users provisioning function",
      tags: tagsFor({ name, parent: this, tags: args.tags }, "ingress-provisioner"),
    }, { parent: this });
    provisioner.invoke("sync", { users: plan.serviceUsers.map((service) => ({ service, ...mysqlServiceAccess(service) })) }, [w.instance, w.credential, admitted]);
    return provisioner.roleArn;
  }

  private resolve(name: string, args: MySqlDatabaseArgs): MySqlPlan {
    const r = resolveMySql(name, args, {
      subnetCount: args.subnetIds.length,
      clientCidrs: args.clientCidrs ?? [],
      clientSecurityGroupLabels: Object.keys(args.clientSecurityGroupIds ?? {}),
      tags: args.tags,
    });
    if (!r.ok) throw new pulumi.ResourceError(`MySqlDatabase "${name}": ${r.issues.join("; ")}`, this);
    return r.value;
  }

  /** Enhanced monitoring publishes OS metrics through this role, assumed by the RDS monitoring service. */
  private monitoringRole(owner: Owner): aws.iam.Role {
    const role = new aws.iam.Role(`${owner.name}-monitoring-role`, {
      description: `RDS enhanced monitoring for ${owner.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
      tags: tagsFor(owner, "monitoring-role"),
    }, { parent: this });
    new aws.iam.RolePolicyAttachment(`${owner.name}-monitoring-policy`, { role: role.name, policyArn: ENHANCED_MONITORING_POLICY }, { parent: this });
    return role;
  }

  /** CPU above 80% for 15 minutes; free storage below 10% of the allocation (autoscaling is stuck or at its ceiling). */
  private alarms(owner: Owner, plan: MySqlPlan, instance: aws.rds.Instance, topicArn: pulumi.Input<string>): void {
    const common = {
      namespace: "AWS/RDS",
      dimensions: { DBInstanceIdentifier: instance.identifier },
      statistic: "Average",
      period: 300,
      alarmActions: [topicArn],
      okActions: [topicArn],
      treatMissingData: "breaching",
    };
    new aws.cloudwatch.MetricAlarm(`${owner.name}-alarm-cpu`, {
      ...common,
      alarmDescription: `${plan.identifier}: CPU above 80% for 15 minutes`,
      metricName: "CPUUtilization",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 80,
      evaluationPeriods: 3,
      tags: tagsFor(owner, "alarm-cpu"),
    }, { parent: this });
    new aws.cloudwatch.MetricAlarm(`${owner.name}-alarm-storage`, {
      ...common,
      alarmDescription: `${plan.identifier}: free storage below 10% of ${plan.allocatedStorageGiB} GiB`,
      metricName: "FreeStorageSpace",
      comparisonOperator: "LessThanThreshold",
      threshold: plan.allocatedStorageGiB * 0.1 * 1024 ** 3,
      evaluationPeriods: 2,
      tags: tagsFor(owner, "alarm-storage"),
    }, { parent: this });
  }
}
