/**
 * The security group of one NoSqlCluster: client ports from the declared clients only, peer ports
 * from the cluster itself only, and egress limited to package/API traffic, the cluster and (for Solr
 * and Kafka) ZooKeeper's client port. Rules are separate resources so that another cluster can
 * add itself to this group (Kafka to ZooKeeper) without the two fighting over inline rule lists.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENGINE_PROFILES } from "./engines";
import { NoSqlClusterPlan, PortRange, portRanges, rangeLabel } from "./clusterPlan";

const ANYWHERE = "0.0.0.0/0";

export interface ClusterAccessArgs {
  name: string;
  plan: NoSqlClusterPlan;
  vpcId: pulumi.Input<string>;
  clientSecurityGroupIds: Readonly<Record<string, pulumi.Input<string>>>;
  zookeeperSecurityGroupId?: pulumi.Input<string>;
  tags: (role: string) => Record<string, string>;
  parent: pulumi.Resource;
}

function tcp(r: PortRange): { ipProtocol: string; fromPort: number; toPort: number } {
  return { ipProtocol: "tcp", fromPort: r.from, toPort: r.to };
}

export function createClusterSecurityGroup(a: ClusterAccessArgs): aws.ec2.SecurityGroup {
  const { name, plan, parent } = a;
  const what = `${plan.profile.displayName} ${name}`;
  const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
    vpcId: a.vpcId,
    description: `${plan.profile.displayName} cluster ${name} (${plan.environment})`,
    tags: a.tags("sg"),
  }, { parent });

  for (const source of plan.clientSources) {
    for (const range of plan.clientPortRanges) {
      const peer = "cidr" in source ? { cidrIpv4: source.cidr } : { referencedSecurityGroupId: a.clientSecurityGroupIds[source.securityGroupKey] };
      new aws.vpc.SecurityGroupIngressRule(`${name}-in-client-${rangeLabel(range)}-${source.label}`, {
        securityGroupId: sg.id,
        ...tcp(range),
        ...peer,
        description: `${what} clients (${source.label}) on ${rangeLabel(range)}`,
        tags: a.tags(`in-client-${rangeLabel(range)}-${source.label}`),
      }, { parent });
    }
  }
  for (const range of plan.peerPortRanges) {
    new aws.vpc.SecurityGroupIngressRule(`${name}-in-peer-${rangeLabel(range)}`, {
      securityGroupId: sg.id,
      ...tcp(range),
      referencedSecurityGroupId: sg.id,
      description: `${what} peers on ${rangeLabel(range)}, from the cluster itself`,
      tags: a.tags(`in-peer-${rangeLabel(range)}`),
    }, { parent });
  }

  // Package repositories and AWS APIs (SSM, Secrets Manager, S3 through its gateway endpoint).
  for (const [role, port] of [["https", 443], ["http", 80]] as const) {
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-${role}`, {
      securityGroupId: sg.id,
      ...tcp({ from: port, to: port }),
      cidrIpv4: ANYWHERE,
      description: `${what} ${role.toUpperCase()} for package installs and AWS APIs`,
      tags: a.tags(`out-${role}`),
    }, { parent });
  }
  new aws.vpc.SecurityGroupEgressRule(`${name}-out-self`, {
    securityGroupId: sg.id,
    ipProtocol: "-1",
    referencedSecurityGroupId: sg.id,
    description: `${what} to its own nodes`,
    tags: a.tags("out-self"),
  }, { parent });

  if (a.zookeeperSecurityGroupId !== undefined) admitToZookeeper(a, sg, what);
  return sg;
}

/** Solr/Kafka reach ZooKeeper's client port; the rule on ZooKeeper's group is created here, by the client. */
function admitToZookeeper(a: ClusterAccessArgs, sg: aws.ec2.SecurityGroup, what: string): void {
  const { name, parent } = a;
  for (const range of portRanges(ENGINE_PROFILES.zookeeper.clientPorts)) {
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-zookeeper-${rangeLabel(range)}`, {
      securityGroupId: sg.id,
      ...tcp(range),
      referencedSecurityGroupId: a.zookeeperSecurityGroupId,
      description: `${what} to ZooKeeper on ${rangeLabel(range)}`,
      tags: a.tags(`out-zookeeper-${rangeLabel(range)}`),
    }, { parent });
    new aws.vpc.SecurityGroupIngressRule(`${name}-zookeeper-in-${rangeLabel(range)}`, {
      securityGroupId: a.zookeeperSecurityGroupId!,
      ...tcp(range),
      referencedSecurityGroupId: sg.id,
      description: `ZooKeeper clients: ${what} on ${rangeLabel(range)}`,
      tags: a.tags(`zookeeper-in-${rangeLabel(range)}`),
    }, { parent });
  }
}
