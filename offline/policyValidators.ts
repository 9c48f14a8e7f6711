/**
 * The pack's config validators, compiled once and kept on disk as ajv's standalone code: ajv
 * compiles a schema by generating and evaluating JavaScript, about 55 ms for the pack's schemas in
 * every process that checks a policy config (the plan, its policy worker, a hot-fix re-plan). The
 * file is keyed by a hash of every schema, ajv's version and options, so a changed schema makes a
 * new one; its functions are the code ajv would have generated in this process.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { default as Ajv, ValidateFunction } from "ajv";
import type { Policy } from "@pulumi/policy";
import { AJV_OPTIONS, adoptValidator, configRoot } from "./policyConfig";
import { writeWhole } from "./writeWhole";

/** Bumped when the file's layout changes. */
const FORMAT = 1;

function ajvVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("ajv/package.json") as { version: string }).version;
}

/**
 * Hands policyConfig.ts a validator for every policy with a config schema: from `cacheDir` when a
 * file for exactly these schemas is there, else compiled now and written for the next process.
 * Anything that goes wrong (a schema that does not compile, an unwritable folder) leaves the
 * schemas to policyConfig.ts, which compiles each itself and names the one that fails.
 */
export function precompileValidators(policies: readonly Policy[], cacheDir: string): void {
  const schemas = policies.flatMap((p) => (p.configSchema ? [p.configSchema] : []));
  if (schemas.length === 0) return;
  const roots = schemas.map((s, i) => ({ ...configRoot(s), $id: `tila-policy-config-${i}` }));
  const key = createHash("sha256").update(JSON.stringify([FORMAT, ajvVersion(), AJV_OPTIONS, roots])).digest("hex").slice(0, 32);
  const file = path.join(cacheDir, `${key}.js`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stored = require(file) as Record<string, ValidateFunction | undefined>;
    const validators = schemas.map((_, i) => stored[`v${i}`]);
    if (validators.every((v) => typeof v === "function")) {
      schemas.forEach((s, i) => adoptValidator(s, validators[i]!));
      return;
    }
  } catch {
    // Not there yet (or unreadable): compiled below.
  }
  // The compiler loads only now, when the file is missing: most processes never need it.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvClass = (require("ajv") as typeof import("ajv")).default;
  const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone")).default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  let ajv: Ajv;
  try {
    ajv = new AjvClass({ ...AJV_OPTIONS, schemas: roots, code: { source: true } });
    schemas.forEach((s, i) => adoptValidator(s, ajv.getSchema(`tila-policy-config-${i}`)!));
  } catch {
    return;
  }
  try {
    const code = standaloneCode(ajv, Object.fromEntries(roots.map((r, i) => [`v${i}`, r.$id])));
    writeWhole(file, code);
    // Only the pack's current schemas are ever read: the files of earlier ones go.
    for (const f of fs.readdirSync(cacheDir)) if (f !== path.basename(file) && /^[0-9a-f]{32}\.js$/.test(f)) fs.rmSync(path.join(cacheDir, f), { force: true });
  } catch {
    // A read-only node_modules only costs the compile next time.
  }
}
