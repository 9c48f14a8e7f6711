/**
 * A Lambda in the VPC that provisions data-store users at deploy time (docs/data-tier.md,
 * "Credentials per service"): the MySQL users and grants, the OpenSearch roles. The program invokes
 * it once per change of what it should provision (`invoke`: an aws.lambda.Invocation whose input is
 * the wanted state, so a new input re-runs it and an unchanged one does not), and a failure fails
 * the deployment.
 *
 * Its identity is the narrowest that does the job: it reads exactly the secrets it is given (the
 * master credential it administers with), decrypts them only through Secrets Manager, writes its
 * own log group, and manages its VPC network interfaces through the AWS managed
 * AWSLambdaVPCAccessExecutionRole (ENI actions AWS authorizes only on "*"). Its security group has
 * no ingress and egress only to the stores it provisions and to HTTPS (Secrets Manager through the
 * endpoints).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Tags } from "../tags";
import { FUNCTION_RUNTIME, functionArchive } from "./functionBundle";
import { Owner, tagsFor } from "./managedResources";

const VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

export interface ProvisioningFunctionArgs {
  /** Handler folder under `functions/` (`mysql-users`). */
  readonly code: string;
  /** What it provisions, for descriptions: `MySQL users of prod-mysql`. */
  readonly purpose: string;
  readonly vpcId: pulumi.Input<string>;
  /** App-tier subnets: routes to the data tier and to the Secrets Manager endpoint. */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** Data stores it connects to, by label: egress to that group on that port only. */
  readonly targets: Readonly<Record<string, { readonly securityGroupId: pulumi.Input<string>; readonly port: number }>>;
  /** Secrets it may read (the store's master credential, and any it hands out). */
  readonly secretArns: readonly pulumi.Input<string>[];
  /** Customer-managed key of those secrets. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Plain settings: the secret ARNs and endpoints, never a password. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly logRetentionDays: number;
  /** @default 120 */
  readonly timeoutSeconds?: number;
  readonly tags: Tags;
}

export class ProvisioningFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  /** Admitted by the stores it provisions (their client security groups). */
  readonly securityGroupId: pulumi.Output<string>;
  private readonly fn: aws.lambda.Function;
  private readonly owner: Owner;

  constructor(name: string, args: ProvisioningFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:data:ProvisioningFunction", name, {}, opts);
    const owner: Owner = { name, parent: this, tags: args.tags };
    this.owner = owner;
    const parent = { parent: this };

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
      // Lambda writes to /aws/lambda/<function name>; the name is fixed so the group exists first.
      name: `/aws/lambda/${name}`,
      retentionInDays: args.logRetentionDays,
      tags: tagsFor(owner, "logs"),
    }, parent);

    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: `${args.purpose}: provisioning function, no ingress`,
      tags: tagsFor(owner, "sg"),
    }, parent);
    for (const [label, t] of Object.entries(args.targets)) {
      new aws.vpc.SecurityGroupEgressRule(`${name}-out-${label}`, {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: t.port,
        toPort: t.port,
        referencedSecurityGroupId: t.securityGroupId,
        description: `${args.purpose}: to ${label} on ${t.port}`,
        tags: tagsFor(owner, `out-${label}`),
      }, parent);
    }
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-https`, {
      securityGroupId: sg.id,
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      cidrIpv4: "0.0.0.0/0",
      description: `${args.purpose}: Secrets Manager and CloudWatch Logs over HTTPS (endpoints or NAT)`,
      tags: tagsFor(owner, "out-https"),
    }, parent);

    const role = new aws.iam.Role(`${name}-role`, {
      description: `${args.purpose}: provisioning function`,
      // The key is this account's, created by the same provider: its ARN names the account without an invoke.
      assumeRolePolicy: pulumi.output(args.kmsKeyArn).apply((keyArn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "LambdaOfThisAccount", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": keyArn.split(":")[4] } } }],
      })),
      tags: tagsFor(owner, "role"),
    }, parent);
    const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, { role: role.name, policyArn: VPC_ACCESS_POLICY }, parent);
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      name: "provision",
      policy: pulumi.all([pulumi.all([...args.secretArns]), args.kmsKeyArn, logGroup.arn]).apply(([secrets, keyArn, logGroupArn]) => JSON.stringify(provisionerPolicy({
        secretArns: secrets, kmsKeyArn: keyArn, logGroupArn,
      }))),
    }, parent);

    this.fn = new aws.lambda.Function(`${name}-function`, {
      name,
      description: `${args.purpose} (invoked by the deployment)`,
      role: role.arn,
      runtime: FUNCTION_RUNTIME,
      handler: "index.handler",
      code: functionArchive(args.code),
      memorySize: 256,
      timeout: args.timeoutSeconds ?? 120,
      environment: { variables: { ...args.environment } },
      vpcConfig: { subnetIds: [...args.subnetIds], securityGroupIds: [sg.id] },
      tags: tagsFor(owner, "function"),
    }, { parent: this, dependsOn: [policy, vpcAccess, logGroup] });

    this.functionName = this.fn.name;
    this.functionArn = this.fn.arn;
    this.roleArn = role.arn;
    this.securityGroupId = sg.id;
    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, roleArn: this.roleArn, securityGroupId: this.securityGroupId });
  }

  /**
   * Runs the function with `input` at deploy time, again whenever `input` changes. The handler
   * answers `{ok: false, error}` for what it refuses; that fails the deployment here.
   */
  invoke(label: string, input: pulumi.Input<object>, dependsOn: pulumi.Input<pulumi.Resource>[]): aws.lambda.Invocation {
    const invocation = new aws.lambda.Invocation(`${this.owner.name}-${label}`, {
      functionName: this.fn.name,
      input: pulumi.output(input).apply((i) => JSON.stringify(i)),
    }, { parent: this, dependsOn });
    invocation.result.apply((result) => {
      if (typeof result !== "string" || result === "") return;
      const parsed = JSON.parse(result) as { ok?: unknown; error?: unknown };
      if (parsed.ok !== true) throw new pulumi.ResourceError(`${this.owner.name}: provisioning refused: ${String(parsed.error)}`, invocation);
    });
    return invocation;
  }
}

export interface ProvisionerPolicyInputs {
  readonly secretArns: readonly string[];
  readonly kmsKeyArn: string;
  readonly logGroupArn: string;
}

/** The provisioning function's inline policy: its secrets, their key through Secrets Manager, its logs. */
export function provisionerPolicy(p: ProvisionerPolicyInputs): object {
  const region = p.kmsKeyArn.split(":")[3];
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadProvisioningSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [...new Set(p.secretArns)].sort() },
      { Sid: "DecryptThroughSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [p.kmsKeyArn], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } },
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${p.logGroupArn}:*`] },
    ],
  };
}
