/**
 * Writes `policy/config/<stack>.json` (the `--policy-pack-config` files) from the rule metadata and
 * the enforcement model in enforcement.ts, so the files never drift from the rules.
 *
 *   npm run policy:config            rewrite the files
 *   npm run policy:config -- --check exit 1 (and name the files) when a committed file differs
 */
import * as fs from "fs";
import * as path from "path";
import { RULES } from "./rules";
import { STACKS, StackName, renderConfig, stackConfig } from "./enforcement";
import type { Rule } from "./rules/types";

export const CONFIG_DIR = path.join(__dirname, "config");

/** The rendered text of every stack's config file. */
export function generateConfigs(rules: readonly Rule[] = RULES): Record<StackName, string> {
  return Object.fromEntries(STACKS.map((s) => [s, renderConfig(stackConfig(rules, s))])) as Record<StackName, string>;
}

/** Stacks whose committed file is missing or differs from the generated text. */
export function staleConfigs(dir: string = CONFIG_DIR, rules: readonly Rule[] = RULES): StackName[] {
  const generated = generateConfigs(rules);
  return STACKS.filter((s) => {
    const file = path.join(dir, `${s}.json`);
    return !fs.existsSync(file) || fs.readFileSync(file, "utf8") !== generated[s];
  });
}

export function writeConfigs(dir: string = CONFIG_DIR, rules: readonly Rule[] = RULES): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const generated = generateConfigs(rules);
  return STACKS.map((s) => {
    const file = path.join(dir, `${s}.json`);
    fs.writeFileSync(file, generated[s]);
    return file;
  });
}

if (require.main === module) {
  if (process.argv.includes("--check")) {
    const stale = staleConfigs();
    if (stale.length > 0) {
      process.stderr.write(`policy config out of date for: ${stale.join(", ")}; run npm run policy:config\n`);
      process.exit(1);
    }
    process.stdout.write(`policy config up to date (${RULES.length} rules, ${STACKS.length} stacks)\n`);
  } else {
    for (const f of writeConfigs()) process.stdout.write(`wrote ${path.relative(process.cwd(), f)}\n`);
  }
}
