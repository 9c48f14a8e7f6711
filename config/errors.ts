/** One problem found in a stack's configuration, with the path of the offending key. */
export interface ConfigIssue {
  /** Full key path, e.g. `tila-platform:network.azCount` or `tila-platform:services[2].cpu`. */
  path: string;
  message: string;
}

/**
 * Thrown before any resource is created when a stack's config is invalid. Carries *every* issue
 * found, so one run shows the whole list instead of one error per attempt.
 */
export class ConfigValidationError extends Error {
  readonly issues: readonly ConfigIssue[];
  readonly stack: string;

  constructor(stack: string, issues: readonly ConfigIssue[]) {
    super(
      `Stack "${stack}" has ${issues.length} configuration error${issues.length === 1 ? "" : "s"}:\n` +
        issues.map((i) => `  - ${i.path}: ${i.message}`).join("\n"),
    );
    this.name = "ConfigValidationError";
    this.stack = stack;
    this.issues = issues;
  }
}

export function isConfigValidationError(e: unknown): e is ConfigValidationError {
  return e instanceof Error && e.name === "ConfigValidationError" && Array.isArray((e as ConfigValidationError).issues);
}
