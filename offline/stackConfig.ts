/**
 * Stack config for the offline engine, read straight from `Pulumi.yaml` and `Pulumi.<stack>.yaml`
 * the way the Pulumi CLI would hand it to the program: a flat `"<namespace>:<key>" -> string` map.
 * Secure values cannot be decrypted without the CLI and the secrets provider, so each one becomes
 * a marked placeholder and its key is listed as secret (the program still sees a secret Output).
 */
import * as fs from "fs";
import * as path from "path";
import { parseYamlCached as parse } from "../config/yamlCache";
import { ConfigValidationError } from "../config/errors";
import { DEFAULT_REGION } from "../config/schema";

/** Prefix of the value that stands in for every `{secure: ...}` config value offline. */
export const SECRET_PLACEHOLDER_PREFIX = "offline-placeholder:";
/** Region used when neither the stack nor the project sets `aws:region` (docs/network.md). */
export { DEFAULT_REGION };
/**
 * Account id used when `<project>:accountId` is not set. One account for every stack: a stack that
 * lives in its own account says so in its config, and the offline ARNs follow.
 */
export const DEFAULT_ACCOUNT_ID = "111111111111";
/** Organization used when `<project>:managementStack` does not name one. */
export const DEFAULT_ORGANIZATION = "tila";
/** Order stacks run and are reported in; stacks not listed follow alphabetically. */
export const STACK_ORDER = ["management", "dev", "stage", "preprod", "prod"];

export interface StackConfig {
  project: string;
  stack: string;
  /** Flattened config as `pulumi.runtime.setAllConfig` takes it. */
  config: Record<string, string>;
  /** Keys whose value was `{secure: ...}` (now a placeholder) or declared `secret: true`. */
  secretKeys: string[];
  region: string;
  accountId: string;
  organization: string;
  /** The stack file that was read (absolute path). */
  configFile: string;
  /** Things the offline engine cannot honour, e.g. ESC `environment:` imports. */
  warnings: string[];
}

export interface LoadStackConfigOptions {
  projectDir: string;
  /** Use this file instead of `Pulumi.<stack>.yaml` (relative paths resolve against the cwd). */
  configFile?: string;
}

export interface ProjectFile {
  name: string;
  /** Program entry point relative to the project dir, from `main:` (default `index.ts`). */
  main: string;
  /** Directory holding the stack files, from `stackConfigDir:` (default the project dir). */
  stackConfigDir: string;
  /** Project-level config defaults, already flattened and namespaced. */
  defaults: Record<string, string>;
  secretDefaults: string[];
}

/** Why a YAML file cannot be used, as a message without the file name (callers add it). */
class YamlFileError extends Error {}

/** A YAML mapping, or undefined for a file with no document at all (empty or only comments). */
function readYaml(file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new YamlFileError(`cannot be read: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    // The parser's message carries the line and column, then an excerpt: keep the first line.
    throw new YamlFileError(`is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  if (doc === null || doc === undefined) return undefined;
  if (typeof doc !== "object" || Array.isArray(doc)) throw new YamlFileError("is not a YAML mapping of keys to values");
  return doc as Record<string, unknown>;
}

/** The project file: any problem is the engine's to report (no stack can run). */
function readProjectYaml(file: string): Record<string, unknown> {
  try {
    return readYaml(file) ?? {};
  } catch (e) {
    throw new Error(`offline engine: ${file} ${(e as Error).message}`);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function namespaced(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces every `{secure: ...}` inside `value`; reports whether it found one. */
function stripSecure(value: unknown, placeholder: string): { value: unknown; secret: boolean } {
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") return { value: placeholder, secret: true };
    let secret = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = stripSecure(v, `${placeholder}.${k}`);
      secret ||= s.secret;
      out[k] = s.value;
    }
    return { value: out, secret };
  }
  if (Array.isArray(value)) {
    let secret = false;
    const out = value.map((v, i) => {
      const s = stripSecure(v, `${placeholder}[${i}]`);
      secret ||= s.secret;
      return s.value;
    });
    return { value: out, secret };
  }
  return { value, secret: false };
}

/** The string the program sees: objects and arrays as JSON, scalars via `String`. */
export function configString(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Flattens a stack file's `config:` block. */
export function flattenConfig(project: string, block: unknown): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  if (block === undefined || block === null) return { config, secretKeys };
  if (!isRecord(block)) throw new Error("offline engine: `config:` must be a mapping of keys to values");
  for (const [rawKey, raw] of Object.entries(block)) {
    const key = namespaced(project, rawKey);
    const { value, secret } = stripSecure(raw, `${SECRET_PLACEHOLDER_PREFIX}${key}`);
    config[key] = configString(value);
    if (secret) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/**
 * Project-level `config:` in Pulumi.yaml: a scalar or array is the value; a mapping is either
 * `{value: ...}` or a declaration `{type, description, default, secret}` whose `default` applies.
 */
function projectDefaults(project: string, block: unknown): { defaults: Record<string, string>; secret: string[] } {
  const defaults: Record<string, string> = {};
  const secret: string[] = [];
  if (!isRecord(block)) return { defaults, secret };
  for (const [rawKey, raw] of Object.entries(block)) {
    const key = namespaced(project, rawKey);
    let value: unknown = raw;
    if (isRecord(raw)) {
      if ("value" in raw) value = raw.value;
      else if ("default" in raw) value = raw.default;
      else continue;
      if (raw.secret === true) secret.push(key);
    }
    defaults[key] = configString(value);
  }
  return { defaults, secret };
}

export function loadProject(projectDir: string): ProjectFile {
  const file = path.join(projectDir, "Pulumi.yaml");
  const doc = readProjectYaml(file);
  if (typeof doc.name !== "string" || doc.name === "") throw new Error(`offline engine: ${file} has no project name`);
  const { defaults, secret } = projectDefaults(doc.name, doc.config);
  return {
    name: doc.name,
    main: typeof doc.main === "string" && doc.main !== "" ? doc.main : "index.ts",
    stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".",
    defaults,
    secretDefaults: secret,
  };
}

/** Stacks that have a `Pulumi.<stack>.yaml`, in STACK_ORDER then alphabetical order. */
export function listStacks(projectDir: string): string[] {
  const dir = path.resolve(projectDir, loadProject(projectDir).stackConfigDir);
  const names = fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((n): n is string => n !== undefined);
  return sortStacks([...new Set(names)]);
}

export function sortStacks(names: string[]): string[] {
  const rank = (n: string): number => (STACK_ORDER.includes(n) ? STACK_ORDER.indexOf(n) : STACK_ORDER.length);
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** The file a stack's config comes from: `override` when given, else `Pulumi.<stack>.y(a)ml`. */
export function stackConfigFile(projectDir: string, stack: string, override?: string): string {
  return override ? path.resolve(override) : stackFile(projectDir, loadProject(projectDir).stackConfigDir, stack);
}

function stackFile(projectDir: string, stackConfigDir: string, stack: string): string {
  const dir = path.resolve(projectDir, stackConfigDir);
  const yml = path.join(dir, `Pulumi.${stack}.yml`);
  return fs.existsSync(yml) ? yml : path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Splits `org/project/stack`; a bare `stack` is in the current org and project. */
export function parseStackName(fullName: string): { organization?: string; project?: string; stack: string } | undefined {
  const parts = fullName.split("/");
  if (parts.some((p) => p === "")) return undefined;
  if (parts.length === 1) return { stack: parts[0] };
  if (parts.length === 3) return { organization: parts[0], project: parts[1], stack: parts[2] };
  return undefined;
}

export function loadStackConfig(stack: string, opts: LoadStackConfigOptions): StackConfig {
  const project = loadProject(opts.projectDir);
  const configFile = opts.configFile ? path.resolve(opts.configFile) : stackFile(opts.projectDir, project.stackConfigDir, stack);
  // A stack file that cannot be read is a config error of that stack, named by its file.
  let doc: Record<string, unknown> | undefined;
  try {
    doc = readYaml(configFile);
  } catch (e) {
    if (!(e instanceof YamlFileError)) throw e;
    throw new ConfigValidationError(stack, [{ path: configFile, message: e.message }]);
  }
  if (doc === undefined) {
    throw new ConfigValidationError(stack, [{ path: configFile, message: "is empty: a stack file needs a config: block with the stack's keys" }]);
  }
  const own = flattenConfig(project.name, doc.config);
  const config = { ...project.defaults, ...own.config };
  const secretKeys = [...new Set([...project.secretDefaults.filter((k) => !(k in own.config)), ...own.secretKeys])].sort();
  const warnings: string[] = [];
  if (doc.environment !== undefined) {
    warnings.push(`${path.basename(configFile)}: ESC \`environment:\` imports cannot be resolved offline; their values are missing`);
  }
  const management = config[`${project.name}:managementStack`];
  const organization = (management && parseStackName(management)?.organization) || DEFAULT_ORGANIZATION;
  return {
    project: project.name,
    stack,
    config,
    secretKeys,
    region: config["aws:region"] || DEFAULT_REGION,
    accountId: config[`${project.name}:accountId`] || DEFAULT_ACCOUNT_ID,
    organization,
    configFile,
    warnings,
  };
}

/**
 * Config values naming a stack of this project as `org/<project>/<stack>` (for example
 * `managementStack`): those stacks must run first so their StackReferences resolve.
 */
export function referencedStacks(cfg: StackConfig): { key: string; fullName: string; stack: string }[] {
  const found: { key: string; fullName: string; stack: string }[] = [];
  for (const [key, value] of Object.entries(cfg.config)) {
    if (cfg.secretKeys.includes(key)) continue;
    const ref = parseStackName(value);
    if (ref?.project === cfg.project && ref.stack !== cfg.stack) found.push({ key, fullName: value, stack: ref.stack });
  }
  return found;
}
