/**
 * The only module that reads Pulumi config. It gathers this stack's `tila-platform:*` keys, reads
 * the sibling stack files for the address plan, validates everything, and throws one
 * ConfigValidationError listing every issue before any resource exists.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parseYamlCached as parseYaml } from "./yamlCache";
import { ConfigIssue, ConfigValidationError } from "./errors";
import { DEFAULT_REGION, PROJECT, STACKS, StackName } from "./schema";
import { linkRequired, misspeltNamespaceKeys, namespaceIssues } from "./strayKeys";
import { RawConfig, ValidatedConfig, validateStackConfig } from "./validate";

export const PROJECT_DIR = path.resolve(__dirname, "..");

/** Config values arrive as strings; structured ones are JSON (as `Config.requireObject` expects). */
function decode(value: string): unknown {
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[") || t === "true" || t === "false") {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** This stack's `tila-platform:*` keys, without the namespace. */
export function currentRawConfig(): RawConfig {
  const out: RawConfig = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (key.startsWith(`${PROJECT}:`)) out[key.slice(PROJECT.length + 1)] = decode(value);
  }
  return out;
}

/** Read `Pulumi.<stack>.yaml` files for the address plan; namespaced keys only, secrets untouched. */
export function readStackFiles(projectDir: string = PROJECT_DIR): { raw: Partial<Record<StackName, RawConfig>>; issues: ConfigIssue[] } {
  const raw: Partial<Record<StackName, RawConfig>> = {};
  const issues: ConfigIssue[] = [];
  for (const stack of STACKS) {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) continue;
    try {
      const doc = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
      const cfg: RawConfig = {};
      for (const [key, value] of Object.entries(doc.config ?? {})) {
        if (key.startsWith(`${PROJECT}:`)) cfg[key.slice(PROJECT.length + 1)] = value;
      }
      raw[stack] = cfg;
    } catch (e) {
      issues.push({ path: `Pulumi.${stack}.yaml`, message: `cannot be read: ${(e as Error).message}` });
    }
  }
  return { raw, issues };
}

/** Load and validate the running stack's config, or throw with every issue. */
export function loadConfig(projectDir: string = PROJECT_DIR): ValidatedConfig {
  const stack = pulumi.getStack();
  const awsConfig = new pulumi.Config("aws");
  const region = awsConfig.get("region") ?? DEFAULT_REGION;
  const files = readStackFiles(projectDir);
  // The account guard: the provider reads the same key and refuses other accounts' credentials.
  const result = validateStackConfig(stack, region, currentRawConfig(), files.raw, { allowedAccountIds: awsConfig.get("allowedAccountIds") });
  // Keys in a misspelt namespace never reach the validator: name them here.
  const stray = misspeltNamespaceKeys(Object.keys(pulumi.runtime.allConfig()));
  const issues = [...files.issues, ...namespaceIssues(stray), ...linkRequired(result.ok ? [] : result.issues, stray)];
  if (issues.length > 0 || !result.ok) throw new ConfigValidationError(stack, issues);
  return result.config;
}
