/**
 * What a valid `observability.logging` cannot say on its own (docs/observability-logging.md#configuration):
 * the Graylog keys (config/graylogIssues.ts) and the shipping keys (config/shippingIssues.ts). Pure;
 * each issue names its key.
 */
import type { ConfigIssue } from "./errors";
import { graylogIssues } from "./graylogIssues";
import { shippingIssues } from "./shippingIssues";

type Raw = Record<string, unknown>;

/** Issues of one stack's logging keys given every stack file's raw config. */
export function loggingIssues(stack: string, region: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  return [...graylogIssues(stack, region, raw, all), ...shippingIssues(stack, raw, all)];
}
