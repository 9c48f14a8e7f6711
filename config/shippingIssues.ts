/**
 * Cross-key rules of `observability.logging.shipping` (docs/observability-logging.md#configuration):
 * management hosts Graylog and ships nowhere; an environment ships only while management runs
 * Graylog (the target it resolves would not exist); an excluded service is one of the catalogue; in
 * prod the services' CloudWatch copy is kept at least FALLBACK_LOG_MIN_DAYS. Pure; each issue names
 * its key.
 */
import { FALLBACK_LOG_MIN_DAYS } from "../components/compute/firelens";
import { floorFor } from "../components/retentionFloors";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { graylogSchema, shippingSchema } from "./loggingSchema";

type Raw = Record<string, unknown>;

function loggingOf(raw: Raw | undefined): Raw | undefined {
  const observability = raw?.observability as { logging?: unknown } | undefined;
  const logging = observability?.logging;
  return typeof logging === "object" && logging !== null ? (logging as Raw) : undefined;
}

/** Service names of a raw catalogue, or undefined when it is not a list (the schema reports that). */
function catalogueNames(raw: Raw): string[] | undefined {
  const catalog = (raw.services as { catalog?: unknown } | undefined)?.catalog;
  if (!Array.isArray(catalog)) return undefined;
  return catalog.flatMap((s) => (typeof (s as { name?: unknown })?.name === "string" ? [(s as { name: string }).name] : []));
}

/** Issues of one stack's shipping keys given every stack file's raw config; nothing when they do not parse. */
export function shippingIssues(stack: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  const parsed = shippingSchema.safeParse(loggingOf(raw)?.shipping);
  if (!parsed.success) return [];
  const shipping = parsed.data;
  const at = (...rest: PropertyKey[]): string => keyPath(["observability", "logging", "shipping", ...rest]);
  const issues: ConfigIssue[] = [];
  if (stack === "management") {
    if (shipping.enabled) issues.push({ path: at("enabled"), message: "management hosts Graylog and ships to no other stack; turn shipping on in the environments' stack files" });
    return issues;
  }
  const names = catalogueNames(raw);
  const seen = new Set<string>();
  shipping.excludeServices.forEach((s, i) => {
    if (seen.has(s)) issues.push({ path: at("excludeServices", i), message: `"${s}" is listed twice` });
    seen.add(s);
    if (names && !names.includes(s)) issues.push({ path: at("excludeServices", i), message: `"${s}" is not a service of this environment's catalogue (${names.join(", ")})` });
  });
  if (!shipping.enabled) return issues;
  const graylog = graylogSchema.safeParse(loggingOf(all.management)?.graylog);
  if (!all.management || (graylog.success && !graylog.data.enabled)) {
    issues.push({
      path: at("enabled"),
      message: "management runs no Graylog (observability.logging.graylog.enabled is false in Pulumi.management.yaml), so the target is not reachable; enable Graylog there first",
    });
  }
  const floor = floorFor(FALLBACK_LOG_MIN_DAYS, stack);
  if (floor !== undefined && shipping.fallbackRetentionDays < floor) {
    issues.push({ path: at("fallbackRetentionDays"), message: `${stack} keeps the services' CloudWatch copy at least ${floor} days, to cover a Graylog outage over a long weekend (got ${shipping.fallbackRetentionDays})` });
  }
  return issues;
}
