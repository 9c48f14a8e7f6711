/**
 * The stack's monthly cost estimate (offline/cost, docs/cost.md) must not exceed its budget
 * (`tila-platform:cost.budgetMonthlyUsd`, carried into policy/config/<stack>.json by npm run policy:config).
 */
import type { StackRule } from "../types";
import { estimateStack, resolveAssumptions } from "../../../offline/cost/estimate";
import { loadSnapshot } from "../../../offline/cost/snapshot";
import type { UsageAssumptions } from "../../../offline/cost/types";
import { capturedFromPolicy } from "./policyResources";

export interface CostBudgetConfig {
  /** The stack's budget in USD a month; absent: the rule does not apply. */
  budgetMonthlyUsd?: number;
  /** The stack's region (its `aws:region`): which price snapshot applies. */
  region: string;
  /** The stack's usage assumption overrides (`tila-platform:cost.assumptions`). */
  assumptions: Partial<UsageAssumptions>;
}

const money = (n: number): string => `$${n.toFixed(2)}`;

export const costWithinBudget: StackRule = {
  name: "cost-within-budget",
  description:
    "A stack's estimated monthly cost (its resources priced from the committed price snapshot of its region with its usage assumptions) must not exceed the budget in its config (tila-platform:cost.budgetMonthlyUsd), so a change that makes an environment dearer than agreed is seen before it is deployed.",
  meta: { category: "availability", domain: "cost", appliesTo: ["*"] },
  configSchema: {
    properties: {
      budgetMonthlyUsd: { type: "number", exclusiveMinimum: 0 },
      region: { type: "string", default: "me-south-1" },
      assumptions: { type: "object", additionalProperties: { type: "number", minimum: 0 }, default: {} },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<CostBudgetConfig>();
    if (config.budgetMonthlyUsd === undefined) args.notApplicable("no budget set (tila-platform:cost.budgetMonthlyUsd)");
    const budget = config.budgetMonthlyUsd as number;
    const resources = capturedFromPolicy(args.resources);
    const root = resources.find((r) => r.type === "pulumi:pulumi:Stack");
    const stack = root ? (root.urn.split("::")[0]?.replace(/^urn:pulumi:/, "") ?? "stack") : "stack";
    let total: number;
    let top: string;
    try {
      const cost = estimateStack(stack, config.region, resources, loadSnapshot(config.region), resolveAssumptions(config.assumptions));
      total = cost.total;
      top = Object.entries(cost.byTier)
        .filter(([, v]) => v > 0)
        .sort(([, a], [, b]) => b - a)
        .map(([t, v]) => `${t} ${money(v)}`)
        .join(", ");
    } catch (e) {
      report(`the stack's cost could not be estimated, so its budget of ${money(budget)} a month cannot be checked: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (total > budget) {
      report(
        `the stack's estimated cost is ${money(total)} a month (${top}), over its budget of ${money(budget)} by ${money(total - budget)}; lower the cost or raise tila-platform:cost.budgetMonthlyUsd (npm run plan -- --cost lists the line items)`,
      );
    }
  },
};
