/**
 * What the NoSqlCluster tests share: type tokens, a prod and a dev environment of every engine as
 * a stack would compose them, and a view of one captured cluster's resources.
 */
import { EngineName, ENGINE_NAMES, ENGINE_PROFILES } from "../../components/data/engines";
import { NoSqlCluster, NoSqlClusterArgs } from "../../components/data/NoSqlCluster";
import { stableHex } from "../../offline/mockValues";
import type { CaptureResult, CapturedResource } from "../../offline/types";
import { byId, childrenOf, one, onlyChild, tag } from "../support/graph";

export const T = {
  component: "tila:data:NoSqlCluster",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  instance: "aws:ec2/instance:Instance",
  volume: "aws:ebs/volume:Volume",
  attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  record: "aws:route53/record:Record",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachPolicy: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  password: "random:index/randomPassword:RandomPassword",
  dlm: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
} as const;
export const UNTAGGED = new Set<string>([T.attachment, T.record, T.rolePolicy, T.attachPolicy, T.secretVersion, T.password]);

export const AZS = ["me-south-1a", "me-south-1b", "me-south-1c"];
export const APP_CIDRS = ["10.40.32.0/21", "10.40.40.0/21", "10.40.48.0/21"];
export const KMS = "arn:aws:kms:me-south-1:444444444444:key/data";
export const TOPIC = "arn:aws:sns:me-south-1:444444444444:data-alarms";
export const GIVEN_SECRET = "arn:aws:secretsmanager:me-south-1:444444444444:secret:mongodb-admin-AbCdEf";
export const ORDERS_SG = "sg-0orders0000000001";
export const RECOVER = "arn:aws:automate:me-south-1:ec2:recover";
export const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
export const CTX_PREFIX = "#!/bin/bash\n# context ";

export type Env = "prod" | "dev";
export const ENVS: Record<Env, { azs: string[]; protect: boolean; retention: number; nodes: (e: EngineName) => number | undefined }> = {
  prod: { azs: AZS, protect: true, retention: 35, nodes: () => undefined },
  dev: { azs: AZS.slice(0, 2), protect: false, retention: 7, nodes: (e) => ENGINE_PROFILES[e].minNodes },
};

/** Dev's small nodes: burstable Graviton, and its Intel twin for ArangoDB (x86_64 only). */
export function devInstanceType(engine: EngineName): string {
  return engine === "arangodb" ? "t3.large" : "t4g.large";
}

/** What the offline engine answers for an SSM parameter: the AMI id a node of that parameter boots. */
export function mockAmi(parameter: string): string {
  return `ami-${stableHex(parameter)}`;
}

export function subnets(azs: string[]): NoSqlClusterArgs["subnets"] {
  return azs.map((az) => ({ az, subnetId: `subnet-data-${az.slice(-1)}` }));
}

export function baseArgs(env: Env, engine: EngineName): NoSqlClusterArgs {
  const e = ENVS[env];
  return {
    environment: env,
    engine,
    nodeCount: e.nodes(engine),
    vpcId: `vpc-${env}`,
    subnets: subnets(e.azs),
    clients: { cidrs: APP_CIDRS },
    dns: { zoneId: `Z${env.toUpperCase()}`, zoneName: `${env}.internal.tila.sa` },
    snapshotRetentionDays: e.retention,
    protect: e.protect,
    tags: { Environment: env, Owner: "platform", CostCenter: "cc-data", ManagedBy: "pulumi" },
  };
}

/** Every engine in one environment, Solr and Kafka on the ZooKeeper ensemble, as a stack would compose them. */
export function environment(env: Env): () => Record<string, unknown> {
  return () => {
    // Prod records the whole bootstrap context in user data; dev keeps the default mount script.
    const extra: Partial<NoSqlClusterArgs> = env === "prod"
      ? { kmsKeyArn: KMS, alarmTopicArn: TOPIC, userData: (ctx) => `${CTX_PREFIX}${JSON.stringify(ctx)}\n` }
      : { instanceType: "t4g.large", dataVolumeSizeGiB: 20 };
    const zk = new NoSqlCluster("zookeeper", { ...baseArgs(env, "zookeeper"), ...extra, clients: {} });
    const clusters: Partial<Record<EngineName, NoSqlCluster>> = { zookeeper: zk };
    for (const engine of ENGINE_NAMES.filter((e) => e !== "zookeeper")) {
      const args: NoSqlClusterArgs = {
        ...baseArgs(env, engine),
        ...extra,
        ...(ENGINE_PROFILES[engine].needsZookeeper ? { zookeeper: { connectString: zk.connectString, securityGroupId: zk.securityGroupId } } : {}),
        ...(engine === "couchbase" ? { clients: { cidrs: APP_CIDRS, securityGroupIds: { orders: ORDERS_SG } } } : {}),
        ...(engine === "mongodb" && env === "prod" ? { adminSecretArn: GIVEN_SECRET } : {}),
        ...(env === "dev" ? { instanceType: devInstanceType(engine) } : {}),
      };
      clusters[engine] = new NoSqlCluster(engine, args);
    }
    return Object.fromEntries(Object.entries(clusters).map(([e, c]) => [e, { connectString: c.connectString, securityGroupId: c.securityGroupId }]));
  };
}

/** The resources of one cluster in a captured environment. */
export class Cluster {
  readonly component: CapturedResource;

  constructor(readonly result: CaptureResult, readonly name: EngineName) {
    this.component = one(result, T.component, name);
  }

  children(type: string): CapturedResource[] {
    return childrenOf(this.result, this.component, type);
  }

  one(type: string): CapturedResource {
    return onlyChild(this.result, this.component, type);
  }

  byId(id: unknown): CapturedResource {
    return byId(this.result, id);
  }

  /** Instances by node index. */
  get instances(): CapturedResource[] {
    return this.children(T.instance).sort((a, b) => Number(tag(a, "NodeIndex")) - Number(tag(b, "NodeIndex")));
  }

  get sgId(): string {
    return this.one(T.sg).id!;
  }

  /** Rules on this cluster's group, whoever created them. */
  rules(type: string): CapturedResource[] {
    return this.result.resources.filter((r) => r.type === type && r.inputs.securityGroupId === this.sgId);
  }
}

export function ports(r: CapturedResource): number[] {
  const from = r.inputs.fromPort as number;
  return Array.from({ length: (r.inputs.toPort as number) - from + 1 }, (_, i) => from + i);
}
