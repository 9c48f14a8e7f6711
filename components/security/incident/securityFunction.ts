/**
 * One Lambda of incident response or audit reporting, built the same way for both: its code bundled
 * from `functions/<code>/` with the pinned esbuild (components/data/functionBundle.ts, shared with
 * the data-tier provisioner), a role with one inline policy, its own log group (created first, with
 * a retention), and an async-invocation config whose failures go to the security topic.
 *
 * `sourceCodeHash` is the SHA-256 of the bundle itself, so the plan records it and a change to a
 * handler (or to anything it bundles) shows up as an update of the function.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FUNCTION_RUNTIME, bundleFacts, functionArchive } from "../../data/functionBundle";
import { Tags, resourceTags } from "../../tags";
import { PolicyDocument, serviceTrust } from "./policies";

export interface SecurityFunctionArgs {
  /** Folder under `functions/`. */
  readonly code: string;
  /** The function's name (also its log group's): at most 64 characters. */
  readonly functionName: string;
  /** The role's name; auto-named when absent. */
  readonly roleName?: string;
  readonly description: string;
  readonly accountId: string;
  readonly policy: pulumi.Input<PolicyDocument>;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly logRetentionDays: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Where failed async invocations (after Lambda's retries) are reported. */
  readonly failureTopicArn: pulumi.Input<string>;
  readonly service: string;
  readonly tags: Tags;
  readonly parent: pulumi.Resource;
}

export interface SecurityFunction {
  readonly fn: aws.lambda.Function;
  readonly role: aws.iam.Role;
  /** Base64 SHA-256 of the deployed bundle, and its size in bytes. */
  readonly codeHash: string;
  readonly bundleBytes: number;
}

export function createSecurityFunction(name: string, a: SecurityFunctionArgs): SecurityFunction {
  if (a.functionName.length > 64 || !/^[A-Za-z0-9_-]+$/.test(a.functionName)) {
    throw new pulumi.ResourceError(`functionName: "${a.functionName}" must be 1-64 letters, digits, - or _`, a.parent);
  }
  const opts = { parent: a.parent };
  const tags = (role: string) => resourceTags(a.tags, a.service, `${name}-${role}`);
  const facts = bundleFacts(a.code);

  const role = new aws.iam.Role(`${name}-role`, {
    ...(a.roleName ? { name: a.roleName } : {}),
    description: a.description,
    assumeRolePolicy: JSON.stringify(serviceTrust("lambda.amazonaws.com", a.accountId)),
    tags: tags("role"),
  }, opts);
  const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: pulumi.output(a.policy).apply((p) => JSON.stringify(p)) }, opts);
  const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, {
    name: `/aws/lambda/${a.functionName}`,
    retentionInDays: a.logRetentionDays,
    tags: tags("logs"),
  }, opts);

  const fn = new aws.lambda.Function(`${name}-function`, {
    name: a.functionName,
    description: a.description,
    runtime: FUNCTION_RUNTIME,
    architectures: ["arm64"],
    handler: "index.handler",
    code: functionArchive(a.code),
    sourceCodeHash: facts.hash,
    role: role.arn,
    timeout: a.timeoutSeconds,
    memorySize: a.memoryMb,
    environment: { variables: a.environment },
    tags: tags("function"),
  }, { parent: a.parent, dependsOn: [policy, logs] });

  // Two retries, then the failure (with the event) goes to the security topic: nothing is dropped
  // silently, and a poison event cannot retry for the default six hours.
  new aws.lambda.FunctionEventInvokeConfig(`${name}-async`, {
    functionName: fn.name,
    maximumRetryAttempts: 2,
    maximumEventAgeInSeconds: 3600,
    destinationConfig: { onFailure: { destination: a.failureTopicArn } },
  }, opts);
  return { fn, role, codeHash: facts.hash, bundleBytes: facts.bytes };
}
