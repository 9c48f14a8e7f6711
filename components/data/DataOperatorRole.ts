/**
 * The one identity of an environment that may read its data tier's admin credentials (docs/data-tier.md,
 * "Credentials per service"): the MySQL master user, the Redis operators' user, the OpenSearch master
 * user and the cluster admins. No service receives any of them; operators assume this role, from
 * this account and with MFA, for break-glass work (schema fixes, user recovery, a cluster rebuild).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags, resourceTags } from "../tags";

export interface DataOperatorRoleArgs {
  /** Environment name: the role is `<environment>-data-operator`. */
  readonly environment: string;
  /** The admin secrets operators may read, by what they administer (`mysql`, `redis`, `kafka`...). */
  readonly adminSecretArns: Readonly<Record<string, pulumi.Input<string>>>;
  /** Customer-managed key of those secrets; decrypt only through Secrets Manager. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Common tags; `Service` is `data`. */
  readonly tags: Tags;
}

/** Trust: principals of this account (whose own policies allow sts:AssumeRole on it) with MFA. */
export function operatorTrustPolicy(accountId: string, partition = "aws"): object {
  return {
    Version: "2012-10-17",
    Statement: [{
      Sid: "OperatorsOfThisAccountWithMfa",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }],
  };
}

export function operatorPolicy(secretArns: readonly string[], kmsKeyArn: string): object {
  const region = kmsKeyArn.split(":")[3];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadDataAdminSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [...new Set(secretArns)].sort() },
      { Sid: "DecryptThroughSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [kmsKeyArn], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } },
    ],
  };
}

export class DataOperatorRole extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: DataOperatorRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:DataOperatorRole", name, {}, opts);
    const tags = (role: string) => resourceTags(args.tags, "data", `${name}-${role}`);
    const role = new aws.iam.Role(`${name}-role`, {
      name: `${args.environment}-data-operator`,
      description: `Operators of ${args.environment}'s data tier: reads the admin credentials (MFA required)`,
      assumeRolePolicy: pulumi.output(args.kmsKeyArn).apply((arn) => {
        const parts = arn.split(":");
        return JSON.stringify(operatorTrustPolicy(parts[4]!, parts[1]!));
      }),
      maxSessionDuration: 3600,
      tags: tags("role"),
    }, { parent: this });
    new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      name: "data-admin-secrets",
      policy: pulumi.all([pulumi.all(Object.values(args.adminSecretArns)), args.kmsKeyArn]).apply(([arns, key]) => JSON.stringify(operatorPolicy(arns, key))),
    }, { parent: this });
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
