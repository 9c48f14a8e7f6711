/**
 * The rule registry: every rule of the pack, assembled from the domain folders. Each folder's
 * `index.ts` exports `rules: Rule[]`; adding a rule touches only its own file and its domain's
 * index. A new domain folder is added to DOMAINS below (test/policy/config.test.ts fails until it
 * is, and also when a rule file exports a rule its domain index does not list).
 */
import { rules as analytics } from "./analytics";
import { rules as compute } from "./compute";
import { rules as cost } from "./cost";
import { rules as data } from "./data";
import { rules as delivery } from "./delivery";
import { rules as edge } from "./edge";
import { rules as iam } from "./iam";
import { rules as isolation } from "./isolation";
import { rules as logging } from "./logging";
import { rules as network } from "./network";
import { rules as security } from "./security";
import { rules as tagging } from "./tagging";
import type { Rule } from "./types";

export const DOMAINS: Readonly<Record<string, readonly Rule[]>> = { network, compute, data, edge, iam, logging, tagging, isolation, security, cost, delivery, analytics };

/** Policy names the CLI accepts and our config files can key on; `all` is the CLI's wildcard. */
export const RULE_NAME = /^[a-z0-9-]+$/;
const CATEGORIES = ["security", "availability"];

/** Flattens the domains and checks every rule, listing every problem at once. */
export function assembleRules(domains: Readonly<Record<string, readonly Rule[]>>): Rule[] {
  const problems: string[] = [];
  const seen = new Map<string, string[]>();
  const rules: Rule[] = [];
  for (const [domain, list] of Object.entries(domains)) {
    list.forEach((rule, i) => {
      const where = `${domain}[${i}]${rule?.name ? ` "${rule.name}"` : ""}`;
      if (!rule || typeof rule.name !== "string") {
        problems.push(`${where}: not a rule object (missing name)`);
        return;
      }
      if (!RULE_NAME.test(rule.name) || rule.name === "all") problems.push(`${where}: name must match ${RULE_NAME} and not be "all"`);
      if (!rule.description) problems.push(`${where}: missing description`);
      if (!rule.meta) {
        problems.push(`${where}: missing meta`);
      } else {
        if (!CATEGORIES.includes(rule.meta.category)) problems.push(`${where}: meta.category must be one of ${CATEGORIES.join(", ")}`);
        if (rule.meta.domain !== domain) problems.push(`${where}: meta.domain is "${rule.meta.domain}" but the rule is listed in ${domain}/index.ts`);
      }
      seen.set(rule.name, [...(seen.get(rule.name) ?? []), domain]);
      rules.push(rule);
    });
  }
  for (const [name, where] of seen) {
    if (where.length > 1) problems.push(`duplicate rule name "${name}" (in ${where.join(", ")})`);
  }
  if (problems.length > 0) throw new Error(`invalid policy rules:\n  ${problems.join("\n  ")}`);
  return rules;
}

export const RULES: Rule[] = assembleRules(DOMAINS);
