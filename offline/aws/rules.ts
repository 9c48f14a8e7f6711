/**
 * What AWS itself would refuse, checked on a captured stack before it counts as planned: names over
 * a service's limit, instance types the region does not offer, inputs the provider will not keep as
 * written. A finding fails that stack's plan the way `pulumi up` would fail (or never converge).
 */
import type { CapturedResource } from "../types";

/** One thing a real deployment would reject or keep changing. */
export interface AwsFinding {
  /** Which check found it, e.g. `name-limit`, `region-offering`, `provider-read-back`. */
  check: string;
  /** URN, logical name and type token of the offending resource. */
  urn: string;
  name: string;
  type: string;
  /** A sentence naming the value, the limit and what to do. */
  message: string;
}

/** Where the stack would be deployed. */
export interface AwsContext {
  stack: string;
  region: string;
  accountId: string;
  /**
   * A resource another stack of the same run created, by provider id (mock ids are unique across
   * a run), with the account that stack deploys to: lets a check see who owns a shared resource.
   */
  lookup?: (id: string) => { resource: CapturedResource; accountId: string } | undefined;
}

/** A check over one stack's captured graph; pure, no I/O. */
export type AwsCheck = (resources: readonly CapturedResource[], ctx: AwsContext) => AwsFinding[];

/** Thrown for a stack whose captured graph AWS would not accept; carries every finding. */
export class AwsRulesError extends Error {
  readonly findings: readonly AwsFinding[];

  constructor(stack: string, findings: readonly AwsFinding[]) {
    super(
      `stack "${stack}" would fail on AWS (${findings.length} finding${findings.length === 1 ? "" : "s"}):\n` +
        findings.map((f) => `  - [${f.check}] ${f.name} (${f.type}): ${f.message}`).join("\n"),
    );
    this.name = "AwsRulesError";
    this.findings = findings;
  }
}

export function isAwsRulesError(e: unknown): e is AwsRulesError {
  return e instanceof Error && e.name === "AwsRulesError" && Array.isArray((e as AwsRulesError).findings);
}

/** Runs every check; the findings in check order, then capture order. */
export function runAwsChecks(checks: readonly AwsCheck[], resources: readonly CapturedResource[], ctx: AwsContext): AwsFinding[] {
  return checks.flatMap((check) => check(resources, ctx));
}
