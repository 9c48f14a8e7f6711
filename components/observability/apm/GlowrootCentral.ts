/**
 * The Glowroot central collector nodes in management (docs/observability-apm.md#glowroot): EC2
 * instances running glowroot-central against the collector's Cassandra, registered by private IP in
 * the endpoint's target group, in the endpoint's node security group (gRPC 8181 from the load
 * balancer, the UI on 4000 from management's CIDR only), with a role that reads only their two
 * secrets and publishes only CloudWatch agent metrics, auto-recovery and a healthy-hosts alarm.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Tags, missingCommonTags, resourceTags } from "../../tags";
import { cloudwatchAgentPolicy, trustPolicy } from "../../data/clusterIdentity";
import { AMI_PARAMETERS, instanceArchitecture, instanceTypeIssue } from "../../data/instanceTypes";
import { GLOWROOT_GRPC_PORT } from "./glowrootPlan";
import { GLOWROOT_UI_PORT, renderGlowrootCentralBootstrap } from "./glowrootCentralBootstrap";
import { recoveryAlarm } from "../../data/recoveryAlarm";

/**
 * Glowroot central clusters its nodes only through JGroups with a symmetric-encryption keystore
 * (its jgroups-tcp.xml); until that keystore is provisioned, one node runs (auto-recovered), and
 * more are refused rather than run unclustered.
 */
export const MAX_UNCLUSTERED_NODES = 1;

export interface GlowrootCentralArgs {
  readonly environment: string;
  readonly region: string;
  readonly partition: string;
  /** App subnets, one per AZ: node i goes to subnets[i % n]. */
  readonly subnets: readonly { readonly az: string; readonly subnetId: pulumi.Input<string> }[];
  /** @default 1 (see MAX_UNCLUSTERED_NODES) */
  readonly nodeCount?: number;
  /** Glowroot central runs on Java 17; its bundled native libraries are x86_64-first. @default "m6i.large" */
  readonly instanceType?: string;
  /** The endpoint's node security group (admits the load balancer on 8181). */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** The endpoint's IP target group on 8181. */
  readonly targetGroupArn: pulumi.Input<string>;
  /** `targetgroup/<name>/<id>` and `net/<name>/<id>`: the NetworkELB alarm's dimensions. */
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** Who may open the UI on 4000: management's CIDR (operators arrive through its VPN and endpoints). */
  readonly uiCidrs: readonly string[];
  readonly cassandra: {
    readonly contactPoints: readonly string[];
    readonly port: number;
    readonly localDatacenter: string;
    readonly keyspace: string;
    readonly userSecretArn: pulumi.Input<string>;
  };
  /** The key the secrets are encrypted with: the role may decrypt through Secrets Manager only. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Critical topic: the target group has no healthy collector, and node recovery. */
  readonly alarmTopicArn?: pulumi.Input<string>;
  readonly protect: boolean;
  readonly tags: Tags;
}

/** Every problem with the args, each naming its field. */
export function glowrootCentralIssues(args: GlowrootCentralArgs): string[] {
  const issues: string[] = [];
  const count = args.nodeCount ?? 1;
  if (!Number.isInteger(count) || count < 1) issues.push(`nodeCount: ${count} must be a whole number of at least 1`);
  else if (count > MAX_UNCLUSTERED_NODES) issues.push(`nodeCount: ${count} central nodes would run unclustered (JGroups needs a shared encryption keystore, docs/observability-apm.md#open-points); run ${MAX_UNCLUSTERED_NODES}`);
  const type = args.instanceType ?? "m6i.large";
  const typeIssue = instanceTypeIssue(type);
  if (typeIssue !== undefined) issues.push(`instanceType: ${typeIssue}`);
  if (args.subnets.length === 0) issues.push("subnets: at least one app subnet is needed");
  if (args.uiCidrs.length === 0) issues.push("uiCidrs: name who may open the UI (management's CIDR)");
  for (const [i, c] of args.uiCidrs.entries()) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) issues.push(`uiCidrs[${i}]: "${c}" is not an IPv4 CIDR`);
    else if (c.endsWith("/0")) issues.push(`uiCidrs[${i}]: the UI never admits ${c}`);
  }
  if (args.cassandra.contactPoints.length === 0) issues.push("cassandra.contactPoints: name the store's nodes");
  issues.push(...missingCommonTags(args.tags));
  return issues;
}

export class GlowrootCentral extends pulumi.ComponentResource {
  readonly instanceIds: pulumi.Output<string>[];
  readonly privateIps: pulumi.Output<string>[];
  /** The secret holding Glowroot's symmetric encryption key (same on every node). */
  readonly keySecretArn: pulumi.Output<string>;

  constructor(name: string, args: GlowrootCentralArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:observability:GlowrootCentral", name, {}, opts);
    const issues = glowrootCentralIssues(args);
    if (issues.length > 0) throw new pulumi.ResourceError(`GlowrootCentral "${name}": ${issues.join("; ")}`, this);
    const parent = { parent: this };
    const tags = (role: string, extra: Tags = {}): Record<string, string> => resourceTags(args.tags, "apm", `${name}-${role}`, extra);
    const instanceType = args.instanceType ?? "m6i.large";
    const nodeCount = args.nodeCount ?? 1;

    // The UI from management only; the gRPC rules (load balancer -> nodes) are the endpoint's.
    for (const cidr of args.uiCidrs) {
      const key = cidr.replace(/[./]/g, "-");
      new aws.vpc.SecurityGroupIngressRule(`${name}-ui-${key}`, {
        securityGroupId: args.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: GLOWROOT_UI_PORT, toPort: GLOWROOT_UI_PORT, cidrIpv4: cidr,
        description: "Glowroot central UI from management", tags: tags(`ui-${key}`),
      }, parent);
    }
    // Packages, the GitHub release, Secrets Manager and CloudWatch (through the endpoints or the NAT gateway).
    for (const [role, port] of [["https", 443], ["http", 80]] as const) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-${role}`, {
        securityGroupId: args.nodeSecurityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0",
        description: `Glowroot central ${role.toUpperCase()} for package installs and AWS APIs`, tags: tags(`out-${role}`),
      }, parent);
    }

    const key = new random.RandomId(`${name}-encryption-key`, { byteLength: 16 }, { ...parent, protect: args.protect });
    const keySecret = new aws.secretsmanager.Secret(`${name}-encryption-key`, {
      description: `Glowroot central (${args.environment}) cassandra.symmetricEncryptionKey: encrypts the passwords central stores`,
      kmsKeyId: args.kmsKeyArn,
      recoveryWindowInDays: 30,
      tags: tags("encryption-key"),
    }, { ...parent, protect: args.protect });
    new aws.secretsmanager.SecretVersion(`${name}-encryption-key-value`, {
      secretId: keySecret.id,
      secretString: pulumi.secret(pulumi.jsonStringify({ symmetricEncryptionKey: key.hex })),
    }, { ...parent, protect: args.protect });

    const role = new aws.iam.Role(`${name}-role`, {
      description: "Glowroot central nodes: SSM, CloudWatch agent metrics and their two secrets only",
      assumeRolePolicy: trustPolicy("ec2.amazonaws.com"),
      tags: tags("role"),
    }, parent);
    const ready = [
      new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, { role: role.name, policyArn: `arn:${args.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` }, parent),
      new aws.iam.RolePolicy(`${name}-cloudwatch-agent`, { role: role.name, policy: cloudwatchAgentPolicy() }, parent),
      new aws.iam.RolePolicy(`${name}-secrets-read`, {
        role: role.name,
        policy: pulumi.all([args.cassandra.userSecretArn, keySecret.arn, args.kmsKeyArn]).apply(([user, keyArn, kms]) => JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Sid: "ReadCentralSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [user, keyArn].sort() },
            { Sid: "DecryptThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: kms, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com` } } },
          ],
        })),
      }, parent),
    ];
    const profile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: tags("profile") }, parent);

    const architecture = instanceArchitecture(instanceType)!;
    const ami = aws.ssm.getParameterOutput({ name: AMI_PARAMETERS[architecture] }, parent).value;
    const instances = Array.from({ length: nodeCount }, (_, i) => {
      const subnet = args.subnets[i % args.subnets.length]!;
      const userData = pulumi.all([args.cassandra.userSecretArn, keySecret.arn]).apply(([userSecretArn, keySecretArn]) => renderGlowrootCentralBootstrap({
        environment: args.environment,
        region: args.region,
        nodeIndex: i,
        contactPoints: args.cassandra.contactPoints,
        cassandraPort: args.cassandra.port,
        localDatacenter: args.cassandra.localDatacenter,
        keyspace: args.cassandra.keyspace,
        userSecretArn,
        keySecretArn,
      }));
      const instance = new aws.ec2.Instance(`${name}-node-${i}`, {
        ami,
        instanceType,
        availabilityZone: subnet.az,
        subnetId: subnet.subnetId,
        vpcSecurityGroupIds: [args.nodeSecurityGroupId],
        iamInstanceProfile: profile.name,
        associatePublicIpAddress: false,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { volumeType: "gp3", volumeSize: 30, encrypted: true, kmsKeyId: args.kmsKeyArn, deleteOnTermination: true, tags: tags(`${i}-root`) },
        disableApiTermination: args.protect,
        monitoring: true,
        ebsOptimized: true,
        userData,
        // Stateless: a new release is rolled out by replacing the node; an AMI update alone must not.
        userDataReplaceOnChange: true,
        tags: tags(String(i), { NodeIndex: String(i) }),
      }, { ...parent, dependsOn: ready, ignoreChanges: ["ami"] });
      new aws.lb.TargetGroupAttachment(`${name}-target-${i}`, {
        targetGroupArn: args.targetGroupArn,
        targetId: instance.privateIp,
        port: GLOWROOT_GRPC_PORT,
      }, parent);
      recoveryAlarm(`${name}-recover-${i}`, {
        instanceId: instance.id, what: `Glowroot central node ${i}`, partition: args.partition, region: args.region,
        ...(args.alarmTopicArn !== undefined ? { alarmTopicArn: args.alarmTopicArn } : {}),
        tags: tags(`${i}-recover`),
      }, this);
      return instance;
    });

    if (args.alarmTopicArn !== undefined) {
      new aws.cloudwatch.MetricAlarm(`${name}-healthy-hosts`, {
        alarmDescription: "Glowroot central has no healthy collector behind its load balancer: agents cannot report. Runbook: check glowroot-central.service and /var/log/glowroot-central on the node (SSM), then Cassandra (nodetool status).",
        namespace: "AWS/NetworkELB", metricName: "HealthyHostCount",
        dimensions: { TargetGroup: args.targetGroupArnSuffix, LoadBalancer: args.loadBalancerArnSuffix },
        statistic: "Minimum", period: 60, evaluationPeriods: 5, datapointsToAlarm: 5, comparisonOperator: "LessThanThreshold", threshold: 1,
        treatMissingData: "breaching",
        alarmActions: [args.alarmTopicArn], okActions: [args.alarmTopicArn],
        tags: tags("healthy-hosts"),
      }, parent);
    }

    this.instanceIds = instances.map((i) => i.id);
    this.privateIps = instances.map((i) => i.privateIp);
    this.keySecretArn = keySecret.arn;
    this.registerOutputs({ instanceIds: this.instanceIds, privateIps: this.privateIps, keySecretArn: this.keySecretArn });
  }
}
