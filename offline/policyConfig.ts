/**
 * What the Pulumi CLI does with `--policy-pack-config` before a pack sees it, reimplemented so the
 * offline runner and the rule-test harness resolve enforcement and config exactly as a real
 * `pulumi preview --policy-pack policy` does. The CLI (Go, `pkg/resource/analyzer/config.go`):
 *
 * 1. parses the file: a value is an enforcement level string or an object whose optional
 *    `enforcementLevel` is pulled out and whose other keys are the policy's properties;
 * 2. starts every policy at its own level (else the pack's) with its `configSchema` defaults;
 * 3. applies `all` (its enforcement level only: `all` properties are not spread to policies);
 * 4. applies per-policy entries (level replaces, properties merge over the defaults);
 * 5. validates each policy that has a schema against `{type: object, properties, required}`
 *    (additionalProperties of the schema root is never applied) and refuses to run on any error.
 *
 * Config for a name that is not in the pack is accepted silently by the CLI; here it is a warning.
 */
import type { default as Ajv, ValidateFunction } from "ajv";
import type { EnforcementLevel, Policy } from "@pulumi/policy";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The level the SDK uses when neither the policy nor the pack sets one (`policy.ts`). */
export const SDK_DEFAULT_LEVEL: EnforcementLevel = "advisory";

export interface PolicyConfigError {
  /** Policy name, or `all`, or `(file)` for a config that is not an object. */
  policy: string;
  /** Config key or JSON path inside the policy's properties, when the error has one. */
  key?: string;
  message: string;
}

export interface ResolvedPolicy {
  level: EnforcementLevel;
  /** What `args.getConfig()` returns: schema defaults merged with the configured properties. */
  config: Record<string, unknown>;
}

export interface ResolvedPackConfig {
  policies: Map<string, ResolvedPolicy>;
  /** Any error means the CLI would refuse to run the pack. */
  errors: PolicyConfigError[];
  warnings: string[];
}

interface ParsedEntry {
  level?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses a `--policy-pack-config` document the way `parsePolicyPackConfig` does. */
export function parsePackConfig(raw: unknown): { entries: Map<string, ParsedEntry>; errors: PolicyConfigError[] } {
  const entries = new Map<string, ParsedEntry>();
  const errors: PolicyConfigError[] = [];
  if (raw === undefined || raw === null) return { entries, errors };
  if (!isPlainObject(raw)) {
    return { entries, errors: [{ policy: "(file)", message: "policy pack config must be a JSON object" }] };
  }
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === "string") {
      if (!isLevel(value)) {
        errors.push({ policy: name, key: "enforcementLevel", message: `"${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})` });
        continue;
      }
      entries.set(name, { level: value });
    } else if (isPlainObject(value)) {
      const { enforcementLevel, ...properties } = value;
      if (enforcementLevel !== undefined && !isLevel(enforcementLevel)) {
        errors.push({ policy: name, key: "enforcementLevel", message: `${JSON.stringify(enforcementLevel)} is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})` });
        continue;
      }
      const entry: ParsedEntry = {};
      if (enforcementLevel !== undefined) entry.level = enforcementLevel;
      if (Object.keys(properties).length > 0) entry.properties = properties;
      if (entry.level !== undefined || entry.properties !== undefined) entries.set(name, entry);
    } else {
      errors.push({ policy: name, message: `${JSON.stringify(value)} is not a valid value; must be a string or object` });
    }
  }
  return { entries, errors };
}

function schemaDefaults(policy: Policy): Record<string, unknown> | undefined {
  const props = policy.configSchema?.properties;
  if (!props) return undefined;
  let result: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(props)) {
    if (typeof v === "object" && v !== null && "default" in v) (result ??= {})[k] = structuredClone(v.default);
  }
  return result;
}

// gojsonschema ignores keywords it does not know, so ajv must not be strict about them either.
export const AJV_OPTIONS = { allErrors: true, strict: false } as const;
/** Made on the first schema to compile: with the validators kept on disk (policyValidators.ts) a process loads no compiler. */
let ajv: Ajv | undefined;
const compiled = new WeakMap<object, ValidateFunction>();

export type ConfigSchema = NonNullable<Policy["configSchema"]>;

/** What the CLI validates a policy's config against: `{type: object, properties, required}` of its schema. */
export function configRoot(schema: ConfigSchema): Record<string, unknown> {
  const root: Record<string, unknown> = { type: "object" };
  if (Object.keys(schema.properties ?? {}).length > 0) root.properties = schema.properties;
  if (schema.required && schema.required.length > 0) root.required = schema.required;
  return root;
}

/** Uses `validate` (compiled from configRoot(schema) with AJV_OPTIONS elsewhere, see policyValidators.ts) for `schema`. */
export function adoptValidator(schema: ConfigSchema, validate: ValidateFunction): void {
  compiled.set(schema, validate);
}

function validatorFor(schema: ConfigSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ajv ??= new (require("ajv") as typeof import("ajv")).default(AJV_OPTIONS);
    validate = ajv.compile(configRoot(schema));
    compiled.set(schema, validate);
  }
  return validate;
}

function validateProperties(policy: Policy, props: Record<string, unknown>): PolicyConfigError[] {
  const schema = policy.configSchema;
  if (!schema) return [];
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (e) {
    return [{ policy: policy.name, message: `configSchema does not compile: ${e instanceof Error ? e.message : String(e)}` }];
  }
  if (validate(props)) return [];
  return (validate.errors ?? []).map((err) => {
    const missing = err.keyword === "required" ? (err.params as { missingProperty?: string }).missingProperty : undefined;
    const key = missing ?? (err.instancePath.replace(/^\//, "").replace(/\//g, ".") || undefined);
    return { policy: policy.name, ...(key ? { key } : {}), message: `${key ?? "(root)"}: ${err.message ?? "is invalid"}` };
  });
}

/**
 * Resolves every policy's effective enforcement level and config for one stack.
 * @param packLevel the `enforcementLevel` given to `new PolicyPack`. @default "advisory"
 */
export function resolvePackConfig(policies: readonly Policy[], packConfig: unknown, packLevel: EnforcementLevel = SDK_DEFAULT_LEVEL): ResolvedPackConfig {
  const { entries, errors } = parsePackConfig(packConfig);
  const warnings: string[] = [];
  const names = new Set(policies.map((p) => p.name));
  const result = new Map<string, ResolvedPolicy>();
  const all = entries.get("all");
  for (const p of policies) {
    let level = p.enforcementLevel || packLevel;
    if (all?.level) level = all.level;
    const own = entries.get(p.name);
    if (own?.level) level = own.level;
    const config = { ...(schemaDefaults(p) ?? {}), ...(own?.properties ?? {}) };
    result.set(p.name, { level, config });
  }
  for (const name of entries.keys()) {
    if (name !== "all" && !names.has(name)) warnings.push(`config for "${name}", which is not a policy in the pack (ignored)`);
  }
  if (all?.properties) warnings.push(`properties under "all" are ignored by the CLI: ${Object.keys(all.properties).join(", ")}`);
  for (const p of policies) errors.push(...validateProperties(p, result.get(p.name)!.config));
  return { policies: result, errors, warnings };
}

/** `policy: key: message` lines for an error report. */
export function formatConfigError(e: PolicyConfigError): string {
  return `${e.policy}${e.key && !e.message.startsWith(`${e.key}:`) ? `.${e.key}` : ""}: ${e.message}`;
}
