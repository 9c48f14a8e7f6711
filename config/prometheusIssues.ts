/**
 * What a valid `observability.prometheus` cannot say on its own (docs/observability-prometheus.md):
 * management has nothing to scrape, and prod keeps the collector's logs as long as its services'.
 */
import { SERVICE_LOG_MIN_DAYS, floorFor } from "../components/retentionFloors";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { prometheusSchema } from "./prometheusSchema";

/** Issues of one stack's Prometheus keys; nothing when they do not parse (the schema has said why). */
export function prometheusIssues(stack: string, raw: Readonly<Record<string, unknown>>): ConfigIssue[] {
  const section = (raw.observability as { prometheus?: unknown } | undefined)?.prometheus;
  const parsed = prometheusSchema.safeParse(section);
  if (!parsed.success) return [];
  const at = (key: string): string => keyPath(["observability", "prometheus", key]);
  const issues: ConfigIssue[] = [];
  if (stack === "management" && (section as { enabled?: unknown } | undefined)?.enabled === true) {
    issues.push({ path: at("enabled"), message: "management runs no services or data nodes to scrape; Prometheus is per environment (leave it unset or false here)" });
  }
  const floor = floorFor(SERVICE_LOG_MIN_DAYS, stack);
  if (floor !== undefined && parsed.data.logRetentionDays < floor) {
    issues.push({ path: at("logRetentionDays"), message: `${stack} keeps the collector's logs at least ${floor} days, as its services' (got ${parsed.data.logRetentionDays})` });
  }
  return issues;
}
