/**
 * Cross-key rules of `observability.apm` (docs/observability-apm.md#configuration): the Java
 * services named for Glowroot exist in this environment's catalogue, management holds no agents, and
 * an environment's agents have a central collector to report to (management's glowroot.enabled).
 * Pure; each issue names its key.
 */
import { engineInstanceTypeIssue } from "../components/data/clusterPlan";
import { ENGINE_PROFILES } from "../components/data/engines";
import { instanceTypeIssue } from "../components/data/instanceTypes";
import { apmSchema } from "./apmSchema";
import { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";

type Raw = Record<string, unknown>;

function apmOf(raw: Raw | undefined): ReturnType<typeof apmSchema.safeParse> {
  const observability = raw?.observability as { apm?: unknown } | undefined;
  return apmSchema.safeParse(observability?.apm);
}

/** Service names of a raw catalogue, or undefined when it is not a list (the schema reports that). */
function catalogueNames(raw: Raw): string[] | undefined {
  const catalog = (raw.services as { catalog?: unknown } | undefined)?.catalog;
  if (!Array.isArray(catalog)) return undefined;
  return catalog.flatMap((s) => (typeof (s as { name?: unknown })?.name === "string" ? [(s as { name: string }).name] : []));
}

/**
 * Issues of one stack's APM keys given every stack file's raw config. Reports nothing when this
 * stack's `observability.apm` does not parse: the schema has reported why.
 */
export function apmIssues(stack: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  const parsed = apmOf(raw);
  if (!parsed.success) return [];
  const { glowroot } = parsed.data;
  const at = (...rest: PropertyKey[]): string => keyPath(["observability", "apm", "glowroot", ...rest]);
  const issues: ConfigIssue[] = [];
  const { collector } = glowroot;
  if (stack === "management") {
    if (glowroot.javaServices.length > 0) issues.push({ path: at("javaServices"), message: "management runs no services; name the Java services in each environment's stack file" });
    if (collector.instanceType !== undefined) {
      const problem = instanceTypeIssue(collector.instanceType);
      if (problem !== undefined) issues.push({ path: at("collector", "instanceType"), message: problem });
    }
    if (collector.cassandra.instanceType !== undefined) {
      const problem = engineInstanceTypeIssue(ENGINE_PROFILES.cassandra, collector.cassandra.instanceType);
      if (problem !== undefined) issues.push({ path: at("collector", "cassandra", "instanceType"), message: problem });
    }
    return issues;
  }
  const rawCollector = ((raw.observability as { apm?: { glowroot?: Raw } } | undefined)?.apm?.glowroot as Raw | undefined)?.collector;
  if (rawCollector !== undefined) issues.push({ path: at("collector"), message: "the central collector runs in management: size it in Pulumi.management.yaml" });
  const names = catalogueNames(raw);
  const seen = new Set<string>();
  glowroot.javaServices.forEach((s, i) => {
    if (seen.has(s)) issues.push({ path: at("javaServices", i), message: `"${s}" is listed twice` });
    seen.add(s);
    if (names && !names.includes(s)) issues.push({ path: at("javaServices", i), message: `"${s}" is not a service of this environment's catalogue (${names.join(", ")})` });
  });
  if (!glowroot.enabled) return issues;
  // The agent is attached through JAVA_TOOL_OPTIONS; a service's own value would replace it silently.
  const catalog = (raw.services as { catalog?: unknown } | undefined)?.catalog;
  if (Array.isArray(catalog)) {
    catalog.forEach((s: { name?: unknown; environment?: Record<string, unknown> } | undefined, i) => {
      if (typeof s?.name === "string" && seen.has(s.name) && s.environment?.JAVA_TOOL_OPTIONS !== undefined) {
        issues.push({ path: keyPath(["services", "catalog", i, "environment", "JAVA_TOOL_OPTIONS"]), message: `${s.name} is a Glowroot Java service: its agent is attached through JAVA_TOOL_OPTIONS, which this value would replace` });
      }
    });
  }
  if (glowroot.javaServices.length === 0) issues.push({ path: at("javaServices"), message: "glowroot is enabled but names no Java service: list them, or set enabled: false" });
  const management = all.management ? apmOf(all.management) : undefined;
  if (management?.success && !management.data.glowroot.enabled) {
    issues.push({ path: at("enabled"), message: "the agents report to management's central collector: set observability.apm.glowroot.enabled: true in Pulumi.management.yaml first" });
  }
  return issues;
}
