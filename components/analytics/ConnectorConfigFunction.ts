/**
 * The connector configurations applied as code (docs/analytics.md, "Ingestion: Kafka Connect"): the
 * kafka-connect-config Lambda in the app subnets with its own security group (egress to the workers'
 * REST port and HTTPS for the ECS API only; the workers admit it on 8083), a role that may list and
 * describe the tasks of the workers' cluster and nothing else, and an aws.lambda.Invocation per
 * change of the wanted configurations: a new configuration runs it again, a refusal fails the deploy.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_RUNTIME, functionArchive } from "../data/functionBundle";
import { Tags, resourceTags } from "../tags";
import { CONNECT_REST_PORT, CONNECT_WORKERS } from "./analyticsPlan";

const VPC_ACCESS_POLICY = "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole";

export interface ConnectorConfigFunctionArgs {
  readonly environment: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The workers' group: egress to it on the REST port. */
  readonly workersSecurityGroupId: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly tags: Tags;
}

export class ConnectorConfigFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  private readonly fn: aws.lambda.Function;
  private readonly name: string;

  constructor(name: string, args: ConnectorConfigFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tila:analytics:ConnectorConfigFunction", name, {}, opts);
    this.name = name;
    const parent = { parent: this };
    const tags = (role: string): Record<string, string> => resourceTags(args.tags, CONNECT_WORKERS, `${name}-${role}`);
    const functionName = `tila-${args.environment}-connect-config`;

    const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/aws/lambda/${functionName}`, retentionInDays: args.logRetentionDays, tags: tags("logs") }, parent);
    const sg = new aws.ec2.SecurityGroup(`${name}-sg`, {
      vpcId: args.vpcId,
      description: `Kafka Connect configuration function in ${args.environment}, no ingress`,
      tags: tags("sg"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-rest`, {
      securityGroupId: sg.id, referencedSecurityGroupId: args.workersSecurityGroupId, ipProtocol: "tcp", fromPort: CONNECT_REST_PORT, toPort: CONNECT_REST_PORT,
      description: `To the Kafka Connect workers' REST API on ${CONNECT_REST_PORT}`, tags: tags("out-rest"),
    }, parent);
    new aws.vpc.SecurityGroupEgressRule(`${name}-out-https`, {
      securityGroupId: sg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443,
      description: "ECS API and CloudWatch Logs over HTTPS (endpoints or NAT)", tags: tags("out-https"),
    }, parent);

    const role = new aws.iam.Role(`${name}-role`, {
      description: `Kafka Connect configuration function in ${args.environment}`,
      assumeRolePolicy: pulumi.output(args.clusterArn).apply((arn) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Sid: "LambdaOfThisAccount", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": arn.split(":")[4] } } }],
      })),
      tags: tags("role"),
    }, parent);
    const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, { role: role.name, policyArn: VPC_ACCESS_POLICY }, parent);
    const policy = new aws.iam.RolePolicy(`${name}-policy`, {
      role: role.id,
      name: "connect-config",
      policy: pulumi.all([args.clusterArn, args.clusterName, logGroup.arn]).apply(([clusterArn, clusterName, logGroupArn]) =>
        JSON.stringify(connectorConfigPolicy({ clusterArn, clusterName, logGroupArn }))),
    }, parent);

    this.fn = new aws.lambda.Function(`${name}-function`, {
      name: functionName,
      description: "Applies the Kafka Connect connectors' configurations (invoked by the deployment)",
      role: role.arn,
      runtime: FUNCTION_RUNTIME,
      handler: "index.handler",
      code: functionArchive("kafka-connect-config"),
      memorySize: 256,
      // Up to 5 minutes waiting for a worker, then one GET and PUT per connector.
      timeout: 420,
      environment: { variables: { CLUSTER: args.clusterName, SERVICE: args.serviceName, REST_PORT: String(CONNECT_REST_PORT) } },
      vpcConfig: { subnetIds: [...args.subnetIds], securityGroupIds: [sg.id] },
      tags: tags("function"),
    }, { parent: this, dependsOn: [policy, vpcAccess, logGroup] });

    this.functionName = this.fn.name;
    this.securityGroupId = sg.id;
    this.roleArn = role.arn;
    this.registerOutputs({ functionName: this.functionName, securityGroupId: this.securityGroupId, roleArn: this.roleArn });
  }

  /** Applies `connectors` at deploy time, again whenever they change; a refusal fails the deployment. */
  apply(connectors: pulumi.Input<Record<string, pulumi.Input<Record<string, string>>>>, dependsOn: pulumi.Input<pulumi.Resource>[]): aws.lambda.Invocation {
    const invocation = new aws.lambda.Invocation(`${this.name}-apply`, {
      functionName: this.fn.name,
      input: pulumi.output(connectors).apply((c) => JSON.stringify({ connectors: c })),
    }, { parent: this, dependsOn });
    invocation.result.apply((result) => {
      if (typeof result !== "string" || result === "") return;
      const parsed = JSON.parse(result) as { ok?: unknown; error?: unknown };
      if (parsed.ok !== true) throw new pulumi.ResourceError(`${this.name}: connector configuration refused: ${String(parsed.error)}`, invocation);
    });
    return invocation;
  }
}

/**
 * The function's inline policy: list the tasks of its cluster (ListTasks takes no resource ARN; the
 * ecs:cluster condition pins the cluster, as the Prometheus discovery role does), describe that
 * cluster's tasks, write its own logs.
 */
export function connectorConfigPolicy(p: { clusterArn: string; clusterName: string; logGroupArn: string }): object {
  const prefix = p.clusterArn.slice(0, p.clusterArn.indexOf(":cluster/") + 1);
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ListWorkerTasks", Effect: "Allow", Action: ["ecs:ListTasks"], Resource: "*", Condition: { ArnEquals: { "ecs:cluster": p.clusterArn } } },
      { Sid: "DescribeWorkerTasks", Effect: "Allow", Action: ["ecs:DescribeTasks"], Resource: `${prefix}task/${p.clusterName}/*` },
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${p.logGroupArn}:*` },
    ],
  };
}
