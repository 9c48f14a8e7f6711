/** The cost rules of the pack: a stack's estimate against its budget. */
import type { Rule } from "../types";
import { costWithinBudget } from "./cost-within-budget";

/** Every cost rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [costWithinBudget];
