/**
 * Rule properties that come from a stack's own config file rather than from the pack: the budget,
 * region and usage assumptions of cost-within-budget, read from Pulumi.<stack>.yaml when
 * `npm run policy:config` writes policy/config/<stack>.json (so the real `pulumi preview` gets them
 * through --policy-pack-config, and `policy:config -- --check` sees a budget changed without regenerating).
 */
import * as path from "path";
import { costSettingsOf } from "../config/costSchema";
import { loadStackConfig } from "../offline/stackConfig";

const PROJECT_DIR = path.resolve(__dirname, "..");

/** Rule name -> the properties a stack's config gives it. */
export type StackRuleProperties = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export function stackRuleConfig(stack: string, projectDir: string = PROJECT_DIR): StackRuleProperties {
  const cfg = loadStackConfig(stack, { projectDir });
  const cost = costSettingsOf(cfg.config);
  return {
    "cost-within-budget": {
      region: cfg.region,
      ...(cost.budgetMonthlyUsd !== undefined ? { budgetMonthlyUsd: cost.budgetMonthlyUsd } : {}),
      ...(cost.assumptions !== undefined && Object.keys(cost.assumptions).length > 0 ? { assumptions: cost.assumptions } : {}),
    },
  };
}
