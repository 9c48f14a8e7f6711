/**
 * Resource builders the three managed data components share: the customer-managed KMS key, the
 * client-only security group and the engine log groups. Each takes the parent component, so every
 * resource stays a child of the component that asked for it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";

/** Value of the `Service` tag on everything the managed data components create. */
export const DATA_SERVICE_TAG = "data";

export interface Owner {
  /** Component name: every logical name is `${name}-${role}`. */
  readonly name: string;
  readonly parent: pulumi.Resource;
  readonly tags: Tags;
}

export function tagsFor(owner: Owner, role: string): Record<string, string> {
  return resourceTags(owner.tags, DATA_SERVICE_TAG, `${owner.name}-${role}`);
}

/**
 * A customer-managed key (not the AWS-managed `aws/rds` etc.) so that key policy, rotation and
 * cross-account snapshot sharing stay under our control. The default key policy delegates to IAM
 * in this account, which is what the services' grants need. 30 days' deletion window: the longest
 * AWS allows, since losing the key loses every snapshot encrypted with it.
 */
export function dataKey(owner: Owner, description: string, protect: boolean): aws.kms.Key {
  return new aws.kms.Key(`${owner.name}-key`, {
    description,
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    tags: tagsFor(owner, "key"),
  }, { parent: owner.parent, protect });
}

export interface ClientAccess {
  readonly vpcId: pulumi.Input<string>;
  readonly port: number;
  /** What listens on the port, for descriptions ("MySQL"). */
  readonly what: string;
  readonly clientCidrs: readonly string[];
  readonly clientSecurityGroupIds: Readonly<Record<string, pulumi.Input<string>>>;
}

/** `10.40.16.0/20` -> `10-40-16-0-20`: rule names follow the CIDR, not its position in the list. */
function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, "-");
}

/**
 * The service's security group: one ingress rule per client on the one port, nothing else. Rules
 * are separate resources so each has a description and a new client never rewrites the others. No
 * egress rule: the provider strips AWS's default allow-all egress, and these services only answer
 * connections, which connection tracking allows without one.
 */
export function clientSecurityGroup(owner: Owner, access: ClientAccess): aws.ec2.SecurityGroup {
  const sg = new aws.ec2.SecurityGroup(`${owner.name}-sg`, {
    vpcId: access.vpcId,
    description: `${access.what} on ${access.port} from the app tier only`,
    tags: tagsFor(owner, "sg"),
  }, { parent: owner.parent });
  const rule = (suffix: string, source: { cidrIpv4?: string; referencedSecurityGroupId?: pulumi.Input<string> }, from: string): void => {
    new aws.vpc.SecurityGroupIngressRule(`${owner.name}-ingress-${suffix}`, {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: access.port,
      toPort: access.port,
      ...source,
      description: `${access.what} from ${from}`,
      tags: tagsFor(owner, `ingress-${suffix}`),
    }, { parent: owner.parent });
  };
  for (const cidr of access.clientCidrs) rule(cidrSlug(cidr), { cidrIpv4: cidr }, cidr);
  for (const [label, id] of Object.entries(access.clientSecurityGroupIds)) rule(`sg-${label}`, { referencedSecurityGroupId: id }, `the ${label} security group`);
  return sg;
}

/**
 * A log group created before the service writes to it, so it gets our retention and tags instead
 * of the never-expiring group the service would create itself. Encrypted with the CloudWatch Logs
 * default key: a customer key here would need a key policy for `logs.<region>.amazonaws.com`.
 */
export function logGroup(owner: Owner, role: string, logGroupName: string, retentionDays: number): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(`${owner.name}-${role}`, {
    name: logGroupName,
    retentionInDays: retentionDays,
    tags: tagsFor(owner, role),
  }, { parent: owner.parent });
}
