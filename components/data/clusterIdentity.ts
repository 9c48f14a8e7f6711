/**
 * Who a NoSqlCluster node is to AWS: an instance role that can do SSM Session Manager and publish
 * the CloudWatch agent's metrics into its namespace (no SSH keys anywhere), plus read access to the admin credentials (generated here when the
 * caller brings none) and to the services' own credentials, whose users the bootstrap creates.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NoSqlClusterPlan } from "./clusterPlan";
import { CW_AGENT_NAMESPACE } from "./nodeMetrics";

export interface ClusterIdentityArgs {
  name: string;
  plan: NoSqlClusterPlan;
  adminSecretArn?: pulumi.Input<string>;
  kmsKeyArn?: pulumi.Input<string>;
  /** The services' own secrets, which node 0 reads to create their users. @default [] */
  serviceSecretArns?: readonly pulumi.Input<string>[];
  tags: (role: string) => Record<string, string>;
  parent: pulumi.Resource;
}

export interface ClusterIdentity {
  instanceProfile: aws.iam.InstanceProfile;
  /** The admin secret the nodes may read, given or created; undefined for engines without one. */
  adminSecretArn?: pulumi.Output<string>;
  /** What must exist before a node boots and asks for its permissions. */
  ready: pulumi.Resource[];
}

/** Secrets Manager waits this long before deleting a secret; 30 (the maximum) where data is protected. */
const RECOVERY_DAYS = { protected: 30, unprotected: 7 } as const;

export function trustPolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

/** PutMetricData (which takes no resource) only into the agent's namespace, by the cloudwatch:namespace condition key. */
export function cloudwatchAgentPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
      Sid: "PublishAgentMetrics",
      Effect: "Allow",
      Action: "cloudwatch:PutMetricData",
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": CW_AGENT_NAMESPACE } },
    }],
  });
}

export function createClusterIdentity(a: ClusterIdentityArgs): ClusterIdentity {
  const { name, plan, parent } = a;
  const role = new aws.iam.Role(`${name}-role`, {
    description: `Nodes of ${plan.profile.displayName} cluster ${name}: SSM access and the admin secret only`,
    assumeRolePolicy: trustPolicy("ec2.amazonaws.com"),
    tags: a.tags("role"),
  }, { parent });
  const ready: pulumi.Resource[] = [
    new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, {
      role: role.name,
      policyArn: `arn:${plan.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    }, { parent }),
    // The CloudWatch agent's disk and memory metrics (bootstrap/monitoring.ts): CloudWatchAgentServerPolicy
    // cut down to the one call it makes here, and only into its own namespace.
    new aws.iam.RolePolicy(`${name}-cloudwatch-agent`, { role: role.name, policy: cloudwatchAgentPolicy() }, { parent }),
  ];

  const adminSecretArn = plan.createAdminSecret ? createAdminSecret(a) : a.adminSecretArn !== undefined ? pulumi.output(a.adminSecretArn) : undefined;
  const services = a.serviceSecretArns ?? [];
  if (adminSecretArn !== undefined) {
    // A secret encrypted with our key also needs kms:Decrypt, but only through Secrets Manager.
    const decrypt = (plan.createAdminSecret || services.length > 0) && a.kmsKeyArn !== undefined ? a.kmsKeyArn : undefined;
    const policy = pulumi.all([adminSecretArn, decrypt, pulumi.all([...services])]).apply(([secretArn, keyArn, serviceArns]) => JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "ReadAdminSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArn },
        ...(serviceArns.length === 0 ? [] : [{ Sid: "ReadServiceSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...serviceArns].sort() }]),
        ...(keyArn === undefined ? [] : [{
          Sid: "DecryptAdminSecret",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: keyArn,
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${plan.region}.amazonaws.com` } },
        }]),
      ],
    }));
    ready.push(new aws.iam.RolePolicy(`${name}-admin-secret-read`, { role: role.name, policy }, { parent }));
  }

  const instanceProfile = new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name, tags: a.tags("profile") }, { parent });
  return { instanceProfile, adminSecretArn, ready };
}

function createAdminSecret(a: ClusterIdentityArgs): pulumi.Output<string> {
  const { name, plan, parent } = a;
  const opts = { parent, protect: plan.protect };
  // Alphanumeric only: the password goes into connection URIs and config files unescaped.
  const password = new random.RandomPassword(`${name}-admin-password`, { length: 32, special: false }, opts);
  const secret = new aws.secretsmanager.Secret(`${name}-admin`, {
    description: `${plan.profile.displayName} ${name} (${plan.environment}) admin user`,
    kmsKeyId: a.kmsKeyArn,
    recoveryWindowInDays: plan.protect ? RECOVERY_DAYS.protected : RECOVERY_DAYS.unprotected,
    tags: a.tags("admin"),
  }, opts);
  new aws.secretsmanager.SecretVersion(`${name}-admin-value`, {
    secretId: secret.id,
    secretString: pulumi.secret(pulumi.jsonStringify({ username: plan.profile.adminUsername, password: password.result })),
  }, opts);
  return secret.arn;
}
