import type { Rule } from "../types";

/** Every logging rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [];
