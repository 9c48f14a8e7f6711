import type { Rule } from "../types";

/** Every data rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [];
