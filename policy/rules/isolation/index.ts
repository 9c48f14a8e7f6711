import type { Rule } from "../types";
import { environmentIsolation } from "./environment-isolation";
import { environmentTablesBlackholeOtherEnvironments } from "./environment-tables-blackhole-other-environments";

/** Every isolation rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [environmentIsolation, environmentTablesBlackholeOtherEnvironments];
