/**
 * `npm run -s ci:role -- --stack <s> --kind deploy|preview [--print arn|region|audience]...`: what a
 * GitLab job needs to assume a stack's role through OIDC, read from `Pulumi.<stack>.yaml` (the
 * account in `tila-platform:accountId`, the region in `aws:region`, the ID token's audience in
 * `tila-platform:security.gitlab.audience`). pipelines/gitlab/aws-oidc.sh calls it; one line on
 * stdout, nothing else. Exit 0 ok, 1 the stack file is missing or its values are not usable, 2 a
 * usage error.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { parse as parseYaml } from "yaml";
import { deployRoleName } from "../components/security/hubIdentity";
import { previewRoleName } from "../components/security/baseline/roleNames";
import { STACKS, StackName } from "../components/environments";
import { DEFAULT_REGION, gitlabSchema } from "../config/schema";

export const ROLE_KINDS = ["deploy", "preview"] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

export const PRINTABLE = ["arn", "region", "audience"] as const;
export type Printable = (typeof PRINTABLE)[number];

/** The `aud` of the ID token when a stack file names none: the schema's default, never a copy of it. */
export const DEFAULT_AUDIENCE: string = gitlabSchema.shape.audience.parse(undefined);

/** The deploy role, or the read-only role merge-request previews assume (any branch; docs/security.md). */
export function roleName(stack: StackName, kind: RoleKind): string {
  return kind === "deploy" ? deployRoleName(stack) : previewRoleName(stack);
}

/** The partition of a region: China and GovCloud have their own ARNs. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface StackRole {
  readonly stack: StackName;
  readonly kind: RoleKind;
  readonly accountId: string;
  readonly region: string;
  readonly audience: string;
  readonly arn: string;
}

/** A stack file that exists but cannot give a role: names the file and every bad key. */
export class StackFileError extends Error {}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Reads the role of `stack` from `<projectDir>/Pulumi.<stack>.yaml`. */
export function stackRole(stack: StackName, kind: RoleKind, projectDir: string): StackRole {
  const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new StackFileError(`${file}: cannot be read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new StackFileError(`${file}: is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const config = record(record(doc)?.config) ?? {};
  const problems: string[] = [];
  const accountId = config["tila-platform:accountId"];
  if (typeof accountId !== "string" || !ACCOUNT.test(accountId)) problems.push(`tila-platform:accountId: must be a 12-digit AWS account id in quotes (got ${JSON.stringify(accountId ?? null)})`);
  const region = config["aws:region"] ?? DEFAULT_REGION;
  if (typeof region !== "string" || !REGION.test(region)) problems.push(`aws:region: must be an AWS region such as me-south-1 (got ${JSON.stringify(region)})`);
  const audience = record(record(config["tila-platform:security"])?.gitlab)?.audience ?? DEFAULT_AUDIENCE;
  if (typeof audience !== "string" || audience === "") problems.push(`tila-platform:security.gitlab.audience: must be a non-empty string (got ${JSON.stringify(audience)})`);
  if (problems.length > 0) throw new StackFileError(`${file}: ${problems.join("; ")}`);
  const r = region as string;
  return {
    stack,
    kind,
    accountId: accountId as string,
    region: r,
    audience: audience as string,
    arn: `arn:${partitionOf(r)}:iam::${accountId as string}:role/${roleName(stack, kind)}`,
  };
}

export const USAGE = `Usage: npm run -s ci:role -- --stack <${STACKS.join("|")}> --kind <${ROLE_KINDS.join("|")}> [--print <${PRINTABLE.join("|")}>]...

Prints what Pulumi.<stack>.yaml says, one line per --print in the order given: the ARN of the
stack's deploy or preview role (the default), the stack's region, or the audience its GitLab ID
token must carry.
`;

interface Writer {
  write(chunk: string): unknown;
}

/** Runs the command; resolves to the exit code. */
export function main(argv: string[], io: { stdout: Writer; stderr: Writer; projectDir?: string } = { stdout: process.stdout, stderr: process.stderr }): number {
  const usage = (reason: string): number => {
    io.stderr.write(`ci:role: ${reason}\n${USAGE}`);
    return 2;
  };
  let values;
  try {
    values = parseArgs({ args: argv, options: { stack: { type: "string" }, kind: { type: "string" }, print: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: false }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
  if (values.help === true) {
    io.stdout.write(USAGE);
    return 0;
  }
  const stack = values.stack;
  if (stack === undefined) return usage("--stack is required");
  if (!(STACKS as readonly string[]).includes(stack)) return usage(`unknown stack "${stack}"; stacks: ${STACKS.join(", ")}`);
  const kind = values.kind;
  if (kind === undefined) return usage("--kind is required");
  if (!(ROLE_KINDS as readonly string[]).includes(kind)) return usage(`unknown kind "${kind}"; kinds: ${ROLE_KINDS.join(", ")}`);
  const prints = values.print ?? ["arn"];
  const bad = prints.find((p) => !(PRINTABLE as readonly string[]).includes(p));
  if (bad !== undefined) return usage(`--print ${bad}: one of ${PRINTABLE.join(", ")}`);
  let role: StackRole;
  try {
    role = stackRole(stack as StackName, kind as RoleKind, io.projectDir ?? path.resolve(__dirname, ".."));
  } catch (e) {
    if (!(e instanceof StackFileError)) throw e;
    io.stderr.write(`ci:role: ${e.message}\n`);
    return 1;
  }
  io.stdout.write(prints.map((p) => `${role[p as Printable]}\n`).join(""));
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
