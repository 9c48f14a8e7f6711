/**
 * IAM documents of a MicroserviceService, as plain functions of resolved ARNs so they can be read
 * and tested without an engine. Least privilege, per service:
 * - the execution role (used by the ECS agent to start the task) may pull from the one ECR
 *   repository the image names, write to the service's own log group, read exactly the secrets
 *   the task definition injects and decrypt with exactly their keys, through Secrets Manager only;
 * - the task role (used by the application) gets nothing but what a declared need writes for it:
 *   `rds-db:connect` as its own MySQL user when it uses MySQL (IAM database authentication), never
 *   a broad default; with FireLens, the log router (which runs with the task role) reads its one
 *   config object and writes the CloudWatch copy to the service's own log group.
 */
import { bucketArnOf, isS3ObjectArn } from "./firelens";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: PolicyStatement[];
}

export interface TrustPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: {
    readonly Sid: string;
    readonly Effect: "Allow";
    readonly Principal: { readonly Service: string };
    readonly Action: "sts:AssumeRole";
    readonly Condition: Record<string, Record<string, string>>;
  }[];
}

/** Where a resource lives, read from its ARN. */
export interface ArnLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Partition, region and account of an ARN. The service reads them from its own log group's ARN:
 * the log group is created by the same provider as the tasks, so the values are right in any
 * partition and region without an invoke, and `awslogs-region` is the log group's region by
 * construction.
 */
export function arnLocation(arn: string): ArnLocation {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[3] === "" || !/^\d{12}$/.test(parts[4])) {
    throw new Error(`"${arn}" is not a regional ARN with an account`);
  }
  return { partition: parts[1], region: parts[3], accountId: parts[4] };
}

/** DNS suffix of the service endpoints in a partition (`kms:ViaService` values use it). */
export function dnsSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * Trust for `ecs-tasks.amazonaws.com`, limited to tasks of this account (`aws:SourceAccount`,
 * against the confused-deputy problem). The task role also pins `aws:SourceArn` to this account's
 * ECS resources in this region, as the ECS guide's task-role example does; the execution role keeps
 * to `aws:SourceAccount`, the one condition the guide documents for it.
 */
export function ecsTasksTrustPolicy(where: ArnLocation, role: "execution" | "task"): TrustPolicyDocument {
  const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": where.accountId } };
  if (role === "task") condition.ArnLike = { "aws:SourceArn": `arn:${where.partition}:ecs:${where.region}:${where.accountId}:*` };
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "EcsTasksOfThisAccount", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: condition }],
  };
}

export interface ExecutionPolicyInputs {
  readonly where: ArnLocation;
  /** The private ECR repository of the image; undefined for a public or third-party registry. */
  readonly ecrRepositoryArn?: string;
  /** ARN of the service's log group, without the `:*` suffix. */
  readonly logGroupArn: string;
  /** Secrets the task definition injects; duplicates are fine (one secret, several JSON keys). */
  readonly secretArns: readonly string[];
  /** Customer-managed keys of those secrets. */
  readonly kmsKeyArns: readonly string[];
}

export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/** The execution role's one inline policy. */
export function executionRolePolicy(p: ExecutionPolicyInputs): PolicyDocument {
  const statements: PolicyStatement[] = [];
  if (p.ecrRepositoryArn !== undefined) {
    // GetAuthorizationToken is account-wide: the API has no resource to scope it to, so IAM only
    // accepts "*" for it. The token alone reads nothing; the pull actions below are what is scoped.
    statements.push({ Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" });
    statements.push({ Sid: "PullServiceImage", Effect: "Allow", Action: [...ECR_PULL_ACTIONS], Resource: [p.ecrRepositoryArn] });
  }
  statements.push({ Sid: "WriteServiceLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${p.logGroupArn}:*`] });
  const secrets = uniqueSorted(p.secretArns);
  if (secrets.length > 0) statements.push({ Sid: "ReadInjectedSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: secrets });
  const keys = uniqueSorted(p.kmsKeyArns);
  if (keys.length > 0) {
    statements.push({
      Sid: "DecryptInjectedSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: keys,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.where.region}.${dnsSuffix(p.where.partition)}` } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

export interface TaskPolicyInputs {
  /** `arn:<partition>:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>` of the service's own users. */
  readonly databaseUserArns: readonly string[];
  /** The log router's needs when the service ships through FireLens. */
  readonly firelens?: {
    /** The fallback file the init process downloads (`arn:<partition>:s3:::<bucket>/<key>`). */
    readonly configObjectArn: string;
    /** The service's log group (without `:*`): the CloudWatch copy goes there. */
    readonly logGroupArn: string;
  };
}

/** The task role's inline policy, or undefined when the service needs no AWS access. */
export function taskRolePolicy(p: TaskPolicyInputs): PolicyDocument | undefined {
  const users = uniqueSorted(p.databaseUserArns);
  const statements: PolicyStatement[] = [];
  for (const arn of users) {
    if (!/^arn:[a-z-]+:rds-db:[a-z0-9-]+:\d{12}:dbuser:[A-Za-z0-9-]+\/[A-Za-z0-9_]+$/.test(arn)) throw new Error(`"${arn}" is not one database user's rds-db ARN`);
  }
  if (users.length > 0) statements.push({ Sid: "ConnectAsOwnDatabaseUser", Effect: "Allow", Action: ["rds-db:connect"], Resource: users });
  if (p.firelens !== undefined) {
    const { configObjectArn, logGroupArn } = p.firelens;
    if (!isS3ObjectArn(configObjectArn)) throw new Error(`"${configObjectArn}" is not one S3 object's ARN`);
    // The init process asks the bucket's region before it downloads (GetBucketLocation, then GetObject).
    statements.push({ Sid: "ReadLogRouterConfig", Effect: "Allow", Action: ["s3:GetObject"], Resource: [configObjectArn] });
    statements.push({ Sid: "LocateLogRouterConfig", Effect: "Allow", Action: ["s3:GetBucketLocation"], Resource: [bucketArnOf(configObjectArn)] });
    // The core cloudwatch_logs output with auto_create_group off creates its streams and writes; nothing else.
    statements.push({ Sid: "WriteServiceLogCopy", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroupArn}:*`] });
  }
  return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

/** Every (action, resource) pair of a policy, for audits and tests. */
export function grants(doc: PolicyDocument): { action: string; resource: string }[] {
  return doc.Statement.flatMap((s) => {
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    return s.Action.flatMap((action) => resources.map((resource) => ({ action, resource })));
  });
}
