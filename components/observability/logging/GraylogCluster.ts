/**
 * The Graylog server nodes in management (docs/observability-logging.md#the-graylog-cluster): EC2
 * instances placed over the AZs by placeGraylog, in the load balancer's node group, registered by
 * private IP in its GELF and API target groups; Graylog's password_secret and admin password
 * generated into Secrets Manager under the cluster's key; a role that reads exactly the node's
 * secrets and publishes CloudWatch agent metrics; IMDSv2, encrypted gp3 root, auto-recovery and a
 * healthy-hosts alarm per target group to the critical topic.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { cloudwatchAgentPolicy, trustPolicy } from "../../data/clusterIdentity";
import { AMI_PARAMETERS, instanceArchitecture, instanceTypeIssue } from "../../data/instanceTypes";
import { encodeUserData } from "../../data/userData";
import { DEFAULT_ROOT_USERNAME, type GraylogBootstrapInput } from "./graylogBootstrap";
import { placeGraylog } from "./graylogPlacement";
import { recoveryAlarm } from "../../data/recoveryAlarm";

/** Graylog runs on Java 17 with a 1-2 GB heap and a disk journal; m6i.large is its documented minimum class. */
export const GRAYLOG_DEFAULT_INSTANCE_TYPE = "m6i.large";
/** Root volume: the OS, Graylog and its message journal (journal default 5 GB, kept on the root file system). */
export const GRAYLOG_ROOT_GIB = 50;
/** Graylog's password_secret must be at least 64 characters (server.conf); 96 leaves room. */
export const PASSWORD_SECRET_LENGTH = 96;
/** The admin user's name (root_username), read by the provisioning step from the admin secret. */
export const GRAYLOG_ADMIN_USER = DEFAULT_ROOT_USERNAME;

export interface GraylogClusterArgs {
  readonly environment: string;
  readonly region: string;
  readonly partition: string;
  /** App subnets, one per AZ in the network's order: node i goes to subnets[placeGraylog(...).graylog[i]]. */
  readonly subnets: readonly { readonly az: string; readonly subnetId: pulumi.Input<string> }[];
  /** Graylog server nodes. @default 3 */
  readonly nodeCount?: number;
  /** @default GRAYLOG_DEFAULT_INSTANCE_TYPE */
  readonly instanceType?: string;
  /** The load balancer's node group (admits it on 12201 and 9000 only). */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** The GELF (12201) and API (9000) target groups, with their NetworkELB metric dimensions. */
  readonly targetGroups: Readonly<Record<"gelf" | "api", { readonly arn: pulumi.Input<string>; readonly arnSuffix: pulumi.Input<string>; readonly port: number }>>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** `https://graylog.<zone>/`: Graylog's http_external_uri. */
  readonly externalUri: string;
  readonly mongodb: Omit<GraylogBootstrapInput["mongodb"], "userSecretArn"> & { readonly userSecretArn: pulumi.Input<string> };
  readonly opensearch: { readonly endpoint: pulumi.Input<string>; readonly userSecretArn: pulumi.Input<string> };
  /** The cluster's key: Graylog's secrets are encrypted with it, and the nodes decrypt through Secrets Manager only. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** A node's user data (renderGraylogBootstrap); compressed when over EC2's 16 KB. */
  readonly userData: (input: GraylogBootstrapInput) => string;
  /** Critical topic: no healthy node behind a target group, node recovery. */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /** Pulumi `protect` and EC2 termination protection on the nodes, protect on the secrets. */
  readonly protect: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function graylogClusterIssues(args: GraylogClusterArgs): string[] {
  const issues: string[] = [];
  const count = args.nodeCount ?? 3;
  if (!Number.isInteger(count) || count < 1) issues.push(`nodeCount: ${count} must be a whole number of at least 1`);
  const typeIssue = instanceTypeIssue(args.instanceType ?? GRAYLOG_DEFAULT_INSTANCE_TYPE);
  if (typeIssue !== undefined) issues.push(`instanceType: ${typeIssue}`);
  if (args.subnets.length === 0) issues.push("subnets: at least one app subnet is needed");
  if (!/^https:\/\/[a-z0-9.-]+\/$/.test(args.externalUri)) issues.push(`externalUri: "${args.externalUri}" must be https://<host>/`);
  if (args.mongodb.hosts.length === 0) issues.push("mongodb.hosts: name the replica set's members");
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GraylogCluster extends pulumi.ComponentResource {
  readonly instanceIds: pulumi.Output<string>[];
  readonly privateIps: pulumi.Output<string>[];
  /** JSON `passwordSecret`, `rootPassword`: the nodes' server.conf. */
  readonly graylogSecretArn: pulumi.Output<string>;
  /** JSON `username`, `password`: the admin, for the provisioning step and operators. */
  readonly adminSecretArn: pulumi.Output<string>;
  /** AZ of each node. */
  readonly nodeAzs: readonly string[];

  constructor(name: string, args: GraylogClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GraylogCluster", name, {}, opts);
    const issues = graylogClusterIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GraylogCluster "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string, extra: Tags = {}): Record<string, string> => resourceTags(args.tags, "logging", `${name}-${role}`, extra);
    const instanceType = args.instanceType ?? GRAYLOG_DEFAULT_INSTANCE_TYPE;
    const placement = placeGraylog({ nodeCount: args.nodeCount ?? 3, azCount: args.subnets.length });

    // Packages, the Graylog repository, Secrets Manager and CloudWatch (through the endpoints or the NAT gateways).
    for (const [role, port] of [["https", 443], ["http", 80]] as const) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-${role}`, {
        securityGroupId: args.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0",
        description: `Graylog nodes ${role.toUpperCase()} for package installs and AWS APIs`, tags: tags(`out-${role}`),
      }, parent);
    }

    const secretOpts = { ...parent, protect: args.protect };
    const passwordSecret = new random.RandomPassword(`${name}-password-secret`, { length: PASSWORD_SECRET_LENGTH, special: false }, secretOpts);
    const rootPassword = new random.RandomPassword(`${name}-admin-password`, { length: 40, special: true, overrideSpecial: "!#%*+-.:=?^_~", minUpper: 2, minLower: 2, minNumeric: 2, minSpecial: 2 }, secretOpts);
    const secret = (role: string, description: string, value: pulumi.Output<string>): aws.secretsmanager.Secret => {
      const s = new aws.secretsmanager.Secret(`${name}-${role}`, { description, kmsKeyId: args.kmsKeyArn, recoveryWindowInDays: 30, tags: tags(role) }, secretOpts);
      new aws.secretsmanager.SecretVersion(`${name}-${role}-value`, { secretId: s.id, secretString: pulumi.secret(value) }, secretOpts);
      return s;
    };
    const graylogSecret = secret("server-secret", `Graylog (${args.environment}) server.conf: JSON passwordSecret (password_secret) and rootPassword (hashed on the node)`,
      pulumi.jsonStringify({ passwordSecret: passwordSecret.result, rootPassword: rootPassword.result }));
    const adminSecret = secret("admin", `Graylog (${args.environment}) admin user: JSON username, password (the provisioning step, operators)`,
      pulumi.jsonStringify({ username: GRAYLOG_ADMIN_USER, password: rootPassword.result }));

    const role = new aws.iam.Role(`${name}-role`, {
      description: "Graylog nodes: SSM, CloudWatch agent metrics and their three secrets only",
      assumeRolePolicy: trustPolicy("ec2.amazonaws.com"),
      tags: tags("role"),
    }, parent);
    const ready = [
      new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` }, parent),
      new aws.iam.RolePolicy(`${name}-cloudwatch-agent`, { role: role.name, policy: cloudwatchAgentPolicy() }, parent),
      new aws.iam.RolePolicy(`${name}-secrets-read`, {
        role: role.name,
        policy: pulumi.all([graylogSecret.arn, args.mongodb.userSecretArn, args.opensearch.userSecretArn, args.kmsKeyArn]).apply(([server, mongo, search, kms]) => JSON.stringify(nodeSecretsPolicy([server, mongo, search], kms, args.region))),
      }, parent),
    ];
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: tags("profile") }, parent);

    const ami = aws.ssm.getParameterOutput({ name: AMI_PARAMETERS[instanceArchitecture(instanceType)!] }, parent).value;
    const instances = placement.graylog.map((azIndex, i) => {
      const subnet = args.subnets[azIndex]!;
      const userData = pulumi.all([graylogSecret.arn, args.mongodb.userSecretArn, args.opensearch.endpoint, args.opensearch.userSecretArn]).apply(([graylogSecretArn, mongoSecret, endpoint, searchSecret]) => {
        const { mongodb } = args;
        const script = args.userData({
          environment: args.environment,
          region: args.region,
          nodeIndex: i,
          externalUri: args.externalUri,
          mongodb: { hosts: mongodb.hosts, port: mongodb.port, replicaSet: mongodb.replicaSet, database: mongodb.database, userSecretArn: mongoSecret },
          opensearch: { endpoint: `https://${endpoint}`, userSecretArn: searchSecret },
          graylogSecretArn,
        });
        return encodeUserData(script, `${name} node ${i}`);
      });
      const instance = new aws.ec2.Instance(`${name}-node-${i}`, {
        ami,
        instanceType,
        availabilityZone: subnet.az,
        subnetId: subnet.subnetId,
        vpcSecurityGroupIds: [args.nodeSecurityGroupId],
        iamInstanceProfile: profile.name,
        associatePublicIpAddress: false,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { volumeType: "gp3", volumeSize: GRAYLOG_ROOT_GIB, encrypted: true, kmsKeyId: args.kmsKeyArn, deleteOnTermination: true, tags: tags(`${i}-root`) },
        disableApiTermination: args.protect,
        monitoring: true,
        ebsOptimized: true,
        userData: userData.apply((u) => u.userData as string),
        userDataBase64: userData.apply((u) => u.userDataBase64 as string),
        // A new release or setting is rolled out by replacing a node (the journal drains through the others); an AMI update alone must not.
        userDataReplaceOnChange: true,
        tags: tags(String(i), { NodeIndex: String(i) }),
      }, { ...parent, dependsOn: ready, ignoreChanges: ["ami"] });
      for (const key of ["gelf", "api"] as const) {
        new aws.lb.TargetGroupAttachment(`${name}-${key}-${i}`, { targetGroupArn: args.targetGroups[key].arn, targetId: instance.privateIp, port: args.targetGroups[key].port }, parent);
      }
      recoveryAlarm(`${name}-recover-${i}`, {
        instanceId: instance.id, what: `Graylog node ${i}`, partition: args.partition, region: args.region,
        ...(args.alarmTopicArn !== undefined ? { alarmTopicArn: args.alarmTopicArn } : {}),
        tags: tags(`${i}-recover`),
      }, this);
      return instance;
    });

    if (args.alarmTopicArn !== undefined) {
      for (const key of ["gelf", "api"] as const) {
        new aws.cloudwatch.MetricAlarm(`${name}-healthy-hosts-${key}`, {
          alarmDescription: `Graylog has no healthy node behind its ${key === "gelf" ? "GELF input (no environment can ship logs)" : "web interface and API"}. Runbook: on a node (SSM), systemctl status graylog-server, /var/log/graylog-server/server.log, curl -s localhost:9000/api/system/lbstatus; then MongoDB (rs.status()) and the OpenSearch domain's health.`,
          namespace: "AWS/NetworkELB", metricName: "HealthyHostCount",
          dimensions: { TargetGroup: args.targetGroups[key].arnSuffix, LoadBalancer: args.loadBalancerArnSuffix },
          statistic: "Minimum", period: 60, evaluationPeriods: 5, datapointsToAlarm: 5, comparisonOperator: "LessThanThreshold", threshold: 1,
          treatMissingData: "breaching",
          alarmActions: [args.alarmTopicArn], okActions: [args.alarmTopicArn],
          tags: tags(`healthy-hosts-${key}`),
        }, parent);
      }
    }

    this.instanceIds = instances.map((i) => i.id);
    this.privateIps = instances.map((i) => i.privateIp);
    this.graylogSecretArn = graylogSecret.arn;
    this.adminSecretArn = adminSecret.arn;
    this.nodeAzs = placement.graylog.map((i) => args.subnets[i]!.az);
    this.registerOutputs({ instanceIds: this.instanceIds, privateIps: this.privateIps, graylogSecretArn: this.graylogSecretArn, adminSecretArn: this.adminSecretArn });
  }
}

/** The nodes read exactly their three secrets, and decrypt with the cluster's key through Secrets Manager only. */
export function nodeSecretsPolicy(secretArns: readonly string[], kmsKeyArn: string, region: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadGraylogSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...secretArns].sort() },
      { Sid: "DecryptThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: kmsKeyArn, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } },
    ],
  };
}
