/**
 * Rule properties that come from a stack's own config file rather than from the pack: the budget,
 * region and usage assumptions of cost-within-budget, read from Pulumi.<stack>.yaml when
 * `npm run policy:config` writes policy/config/<stack>.json (so the real `pulumi preview` gets them
 * through --policy-pack-config, and `policy:config -- --check` sees a budget changed without regenerating).
 */
import * as path from "path";
import { analyticsSchema } from "../config/analyticsSchema";
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
    ...athenaBound(cfg.config),
  };
}

/**
 * athena-workgroup-scan-limit's bound from `tila-platform:analytics.athena.bytesScannedCutoffGb`, in
 * GiB (1024^3 bytes), the larger reading of "GB", so a workgroup built from the same number in either
 * unit passes and anything larger is refused. An environment stack (one with `tila-platform:services`)
 * without the key gets the schema's default; management, which has no lake, gets the pack's ceiling.
 */
function athenaBound(flat: Readonly<Record<string, string>>): StackRuleProperties {
  const raw = flat["tila-platform:analytics"];
  if (raw === undefined && flat["tila-platform:services"] === undefined) return {};
  const parsed = analyticsSchema.safeParse(raw === undefined || raw === "" ? {} : JSON.parse(raw));
  if (!parsed.success) return {};
  return { "athena-workgroup-scan-limit": { maxBytesScannedCutoffPerQuery: Math.floor(parsed.data.athena.bytesScannedCutoffGb * 1024 ** 3) } };
}
