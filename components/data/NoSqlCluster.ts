/**
 * A stateful cluster on EC2 (docs/data-tier.md): ArangoDB, MongoDB, Aerospike, Couchbase, and the
 * Apache services Solr, Kafka and ZooKeeper, one engine profile each. Nodes spread round-robin over
 * the data subnets so that losing one AZ keeps a quorum (enforced when `protect` is set), each with
 * a separate encrypted data volume, a stable DNS name, EC2 auto-recovery and DLM snapshots.
 * Every decision lives in `clusterPlan.ts`; this class only turns the plan into resources.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";
import type { BootstrapContext } from "./bootstrap/types";
import { createClusterSecurityGroup } from "./clusterAccess";
import { createClusterIdentity } from "./clusterIdentity";
import { NoSqlClusterPlan, NoSqlClusterPlanError, PlannedNode, planNoSqlCluster } from "./clusterPlan";
import { SNAPSHOT_TAG, createClusterSnapshots } from "./clusterSnapshots";
import { EngineName } from "./engines";
import { mountOnlyUserData } from "./mountOnlyUserData";
import { ManagedCredential } from "./credentials";
import { MetricsEndpoint, metricsEndpoints, monitoredPaths } from "./nodeMetrics";
import { EncodedUserData, encodeUserData } from "./userData";
import type { LogShippingTarget } from "../observability/logging/graylogPlan";
import type { DataEnvironment } from "./managedDefaults";
import { recoveryAlarm } from "./recoveryAlarm";

export type { BootstrapContext } from "./bootstrap/types";

const SERVICE = "data";
/** Where every node's data volume is attached; AL2023 links the NVMe device to this name. */
export const DATA_DEVICE = "/dev/sdf";
/** The OS, packages and logs; engine data never lives here. */
export const ROOT_VOLUME_GIB = 30;
export const DNS_TTL = 60;

export interface NoSqlClusterArgs {
  /** Environment name (`prod`, `dev`, ...); in tags, descriptions and the bootstrap context. */
  readonly environment: string;
  /** Which engine profile to run (ports, quorum rule, sizes); see `engines.ts`. */
  readonly engine: EngineName;
  /**
   * Nodes, placed round-robin over `subnets`. With `protect`, the count must survive an AZ loss
   * (e.g. 3 or 5 ZooKeeper nodes on 3 AZs, never 4). Cost: one instance and one data volume each.
   * @default the profile's defaultNodes (3 for every engine)
   */
  readonly nodeCount?: number;
  /**
   * An EBS-only m, c, r, x or t type (auto-recovery needs EBS-only). Its name decides the AL2023 AMI:
   * Graviton (`r7g`, `m7g`, `c7gn`, `t4g`) boots arm64, Intel or AMD (`r6i`, `m7a`, `m5`, `t3`)
   * boots x86_64. An engine whose profile limits `architectures` (ArangoDB: x86_64) refuses the rest.
   * Cost: Graviton lists about 20% below its Intel twin (r7g.xlarge vs r7i.xlarge, on demand).
   * @default the profile's defaultInstanceType (r7g.xlarge for MongoDB, Aerospike and Couchbase, r6i.xlarge for ArangoDB, m7g.large for Solr, Kafka, ZooKeeper)
   */
  readonly instanceType?: string;
  /** gp3 data volume size per node; IOPS and throughput come from the profile. @default the profile's dataVolume.defaultSizeGiB */
  readonly dataVolumeSizeGiB?: number;
  /** The VPC of `subnets`. */
  readonly vpcId: pulumi.Input<string>;
  /** The `data` tier subnets, one per AZ, in the network's AZ order (node i goes to subnets[i % n]). */
  readonly subnets: readonly { readonly az: string; readonly subnetId: pulumi.Input<string> }[];
  /**
   * Who may reach the client ports: the app tier's CIDRs now, per-service security groups later
   * (the key names the rule). Nothing else reaches the cluster.
   */
  readonly clients: {
    /** @default [] */
    readonly cidrs?: readonly string[];
    /** @default {} */
    readonly securityGroupIds?: Readonly<Record<string, pulumi.Input<string>>>;
  };
  /** The environment's private zone; node i is `<name>-<i>.<zoneName>`. */
  readonly dns: { readonly zoneId: pulumi.Input<string>; readonly zoneName: string };
  /**
   * The environment's ZooKeeper ensemble, by reference: required for Solr and Kafka, rejected for
   * the rest. This cluster's group is then admitted to ZooKeeper's client port.
   * @default undefined
   */
  readonly zookeeper?: { readonly connectString: pulumi.Input<string>; readonly securityGroupId: pulumi.Input<string> };
  /**
   * Existing secret `{"username","password"}` for the engine's admin user; the nodes may read only
   * this secret. @default a generated 32-character password in a new secret, for engines with an admin user
   */
  readonly adminSecretArn?: pulumi.Input<string>;
  /**
   * Services that get their own user, limited to their own database (MongoDB, ArangoDB) or bucket
   * (Couchbase): a generated password in a secret of its own that node 0 reads at first boot to
   * create the user. Only for engines with users (the profile's needsAdminSecret); ignored
   * otherwise. @default []
   */
  readonly serviceUsers?: readonly string[];
  /** KMS key for root and data volumes and the generated secrets. @default the AWS managed keys (aws/ebs, aws/secretsmanager) */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Daily data-volume snapshots to keep (DLM). Cost: incremental snapshot storage per GB-month. */
  readonly snapshotRetentionDays: number;
  /**
   * Prod-like: Pulumi `protect` on instances, data volumes and the admin secret, EC2 termination
   * protection, and the AZ-loss check on nodeCount becomes an error.
   */
  readonly protect: boolean;
  /**
   * Where the nodes ship their logs (management's Graylog, GELF over TLS): every node's context
   * carries it, so `renderBootstrap` adds the Fluent Bit step, and the cluster's group may reach
   * `managementCidr` on `port`, and nothing more. Cost: the GELF traffic crosses the Transit Gateway
   * (per-GB processing).
   * @default undefined: the nodes keep their logs, and the user data and the group are what they were
   */
  readonly logShipping?: LogShippingTarget;
  /** Alarm topic told when a node's system status check fails (and it is recovered). @default recovery only, no notification */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Builds a node's user data from its context, with ZooKeeper and the admin secret resolved to
   * plain strings: `renderBootstrap` from `./bootstrap` installs and joins the engine.
   * @default a script that only formats and mounts the data volume
   */
  readonly userData?: (ctx: BootstrapContext) => pulumi.Input<string>;
  /** Common tags (Environment, Owner, CostCenter, ManagedBy); `Service`, `Name` and cluster tags are added. */
  readonly tags: Tags;
}

export class NoSqlCluster extends pulumi.ComponentResource {
  readonly securityGroupId: pulumi.Output<string>;
  /** By node index; known at construction. */
  readonly nodeDnsNames: string[];
  /** Known at construction: ZooKeeper/Kafka/Solr/ArangoDB/Aerospike/Couchbase `host:port,...`, MongoDB a `mongodb://` URI. */
  readonly connectString: string;
  readonly instanceIds: pulumi.Output<string>[];
  readonly clientPorts: number[];
  /** The admin secret (given or generated); undefined for engines without an admin user. For operators and the nodes only. */
  readonly adminSecretArn?: pulumi.Output<string>;
  /** Each service in `serviceUsers` (engines with users): its own user's secret. */
  readonly serviceSecretArns: Readonly<Record<string, pulumi.Output<string>>>;
  /** Each service in `serviceUsers`: the database or bucket its user may use. */
  readonly serviceDatabases: Readonly<Record<string, string>>;
  /** The Prometheus endpoints every node serves (node_exporter, the engine's own); see nodeMetrics.ts. */
  readonly metricsEndpoints: readonly MetricsEndpoint[];
  /** The filesystems each node's CloudWatch agent reports `disk_used_percent` for (the `path` dimension). */
  readonly monitoredPaths: readonly string[];

  constructor(name: string, args: NoSqlClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:NoSqlCluster", name, {}, opts);
    const plan = this.resolve(name, args);
    const parent = this;
    const clusterTags = { Cluster: name, Engine: plan.engine };
    const tags = (role: string, extra: Tags = {}): Record<string, string> => resourceTags(args.tags, SERVICE, `${name}-${role}`, { ...clusterTags, ...extra });

    const sg = createClusterSecurityGroup({
      name, plan, parent, tags, vpcId: args.vpcId,
      clientSecurityGroupIds: args.clients.securityGroupIds ?? {},
      zookeeperSecurityGroupId: args.zookeeper?.securityGroupId,
    });
    const serviceUsers = plan.profile.needsAdminSecret ? (args.serviceUsers ?? []) : [];
    const serviceCredentials = serviceUsers.map((service) => {
      const database = service.replace(/-/g, "_");
      const credential = new ManagedCredential(`${name}-svc-${service}`, {
        environment: args.environment as DataEnvironment,
        target: "cluster-user",
        engine: plan.engine,
        username: database,
        kmsKeyArn: args.kmsKeyArn,
        description: `Service ${service}'s user of ${plan.profile.displayName} ${name} (${database} only)`,
        tags: args.tags,
      }, { parent: this });
      return { service, database, credential };
    });
    const identity = createClusterIdentity({
      name, plan, parent, tags, adminSecretArn: args.adminSecretArn, kmsKeyArn: args.kmsKeyArn,
      serviceSecretArns: serviceCredentials.map((c) => c.credential.secretArn),
    });
    createClusterSnapshots({ name, plan, parent, tags });
    if (args.logShipping) {
      const { port, managementCidr } = args.logShipping;
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-graylog`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        cidrIpv4: managementCidr,
        description: `${plan.profile.displayName} ${name} logs to Graylog in management (GELF over TLS on ${port})`,
        tags: tags("out-graylog"),
      }, { parent });
    }

    const ami = aws.ssm.getParameterOutput({ name: plan.amiParameter }, { parent }).value;
    const userData = args.userData ?? mountOnlyUserData;
    const instances = plan.nodes.map((node) => {
      const ctx: BootstrapContext = {
        engine: plan.engine,
        clusterName: name,
        environment: plan.environment,
        region: plan.region,
        nodeIndex: node.index,
        nodeCount: plan.nodeCount,
        az: node.az,
        selfDnsName: node.dnsName,
        peerDnsNames: [...plan.dnsNames],
        dataDevice: DATA_DEVICE,
        mountPoint: plan.dataVolume.mountPoint,
        ...(args.logShipping ? { logShipping: args.logShipping } : {}),
      };
      // The bootstrap renders from plain values, so references are resolved first.
      const serviceSecrets = pulumi.all(serviceCredentials.map((c) => c.credential.secretArn));
      const rendered = pulumi.all([args.zookeeper?.connectString, identity.adminSecretArn, serviceSecrets]).apply(([zookeeperConnect, adminSecretArn, secretArns]) => pulumi.output(userData({
        ...ctx,
        ...(zookeeperConnect === undefined ? {} : { zookeeperConnect }),
        ...(adminSecretArn === undefined ? {} : { adminSecretArn }),
        // ARNs only: node 0 reads the passwords at boot with its role.
        ...(serviceCredentials.length === 0 ? {} : { serviceUsers: serviceCredentials.map((c, k) => ({ service: c.service, database: c.database, secretArn: secretArns[k]! })) }),
      })));
      // Plain while it fits EC2's 16 KB, gzip-compressed when it does not (userData.ts).
      const encoded = rendered.apply((script) => encodeUserData(script, `NoSqlCluster "${name}" node ${node.index}`));
      return this.node(name, args, plan, node, {
        ami, securityGroupId: sg.id, instanceProfile: identity.instanceProfile.name, ready: identity.ready, userData: encoded, tags,
      });
    });

    this.securityGroupId = sg.id;
    this.nodeDnsNames = plan.dnsNames;
    this.connectString = plan.connectString;
    this.instanceIds = instances.map((i) => i.id);
    this.clientPorts = [...plan.profile.clientPorts];
    this.adminSecretArn = identity.adminSecretArn;
    this.serviceSecretArns = Object.fromEntries(serviceCredentials.map((c) => [c.service, c.credential.secretArn]));
    this.serviceDatabases = Object.fromEntries(serviceCredentials.map((c) => [c.service, c.database]));
    this.metricsEndpoints = metricsEndpoints(plan.engine);
    this.monitoredPaths = monitoredPaths(plan.dataVolume.mountPoint);
    this.registerOutputs({
      serviceSecretArns: this.serviceSecretArns,
      serviceDatabases: this.serviceDatabases,
      securityGroupId: this.securityGroupId,
      nodeDnsNames: this.nodeDnsNames,
      connectString: this.connectString,
      instanceIds: this.instanceIds,
      clientPorts: this.clientPorts,
      adminSecretArn: this.adminSecretArn,
      metricsEndpoints: this.metricsEndpoints,
      monitoredPaths: this.monitoredPaths,
    });
  }

  private resolve(name: string, args: NoSqlClusterArgs): NoSqlClusterPlan {
    try {
      return planNoSqlCluster(name, args);
    } catch (e) {
      if (e instanceof NoSqlClusterPlanError) throw new pulumi.ResourceError(`NoSqlCluster "${name}" has invalid arguments: ${e.issues.join("; ")}`, this);
      throw e;
    }
  }

  /** One node: instance, separate data volume, its attachment, DNS name and recovery alarm. */
  private node(name: string, args: NoSqlClusterArgs, plan: NoSqlClusterPlan, node: PlannedNode, w: {
    ami: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
    instanceProfile: pulumi.Output<string>;
    ready: pulumi.Resource[];
    userData: pulumi.Output<EncodedUserData>;
    tags: (role: string, extra?: Tags) => Record<string, string>;
  }): aws.ec2.Instance {
    const parent = this;
    const i = node.index;
    const nodeTags = { NodeIndex: String(i) };
    const instance = new aws.ec2.Instance(`${name}-node-${i}`, {
      ami: w.ami,
      instanceType: plan.instanceType,
      availabilityZone: node.az,
      subnetId: args.subnets[node.subnetIndex].subnetId,
      vpcSecurityGroupIds: [w.securityGroupId],
      iamInstanceProfile: w.instanceProfile,
      associatePublicIpAddress: false,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
      rootBlockDevice: {
        volumeType: "gp3",
        volumeSize: ROOT_VOLUME_GIB,
        encrypted: true,
        kmsKeyId: args.kmsKeyArn,
        deleteOnTermination: true,
        tags: w.tags(`${i}-root`, nodeTags),
      },
      disableApiTermination: plan.protect,
      monitoring: true,
      ebsOptimized: true,
      userData: w.userData.apply((u) => u.userData),
      userDataBase64: w.userData.apply((u) => u.userDataBase64),
      tags: w.tags(String(i), nodeTags),
    }, {
      parent,
      protect: plan.protect,
      dependsOn: w.ready,
      // A new AMI release or bootstrap edit must never replace or restart a stateful node: `ami`
      // changes would replace every node at once, and user data runs only at first boot, so an
      // edit would only stop/start every node together (quorum loss) and change nothing. Both
      // reach a node when it is deliberately replaced, one node at a time.
      ignoreChanges: ["ami", "userData", "userDataBase64"],
    });

    // A separate volume outlives its instance: a replaced node re-attaches the same data.
    const volume = new aws.ebs.Volume(`${name}-data-${i}`, {
      availabilityZone: node.az,
      type: "gp3",
      size: plan.dataVolume.sizeGiB,
      iops: plan.dataVolume.iops,
      throughput: plan.dataVolume.throughput,
      encrypted: true,
      kmsKeyId: args.kmsKeyArn,
      finalSnapshot: plan.protect,
      tags: w.tags(`${i}-data`, { ...nodeTags, [SNAPSHOT_TAG]: name }),
    }, { parent, protect: plan.protect });
    new aws.ec2.VolumeAttachment(`${name}-data-attach-${i}`, {
      deviceName: DATA_DEVICE,
      volumeId: volume.id,
      instanceId: instance.id,
      // Detaching a mounted data volume from a running engine risks corrupting it.
      stopInstanceBeforeDetaching: true,
    }, { parent });

    new aws.route53.Record(`${name}-dns-${i}`, {
      zoneId: args.dns.zoneId,
      name: node.dnsName,
      type: "A",
      ttl: DNS_TTL,
      records: [instance.privateIp],
    }, { parent });

    recoveryAlarm(`${name}-recover-${i}`, {
      instanceId: instance.id, what: node.dnsName, partition: plan.partition, region: plan.region,
      ...(args.alarmTopicArn !== undefined ? { alarmTopicArn: args.alarmTopicArn } : {}),
      tags: w.tags(`${i}-recover`, nodeTags),
    }, parent);
    return instance;
  }
}
