/**
 * Cross-key rules of `observability.logging.graylog` (docs/observability-logging.md#configuration):
 * Graylog runs in management only; there its node count is odd and at least 3 and the whole cluster
 * (nodes, MongoDB members, OpenSearch masters) survives the loss of any one of the network's AZs;
 * instance types are ones the nodes can run; the OpenSearch data nodes are a multiple of the AZs;
 * index sets keep at least their floors; every environment's Graylog name lies under management's
 * domain, whose public zone validates the certificate. Pure; each issue names its key.
 */
import { engineInstanceTypeIssue } from "../components/data/clusterPlan";
import { ENGINE_PROFILES } from "../components/data/engines";
import { instanceTypeIssue } from "../components/data/instanceTypes";
import { azLossProblems } from "../components/observability/logging/graylogPlacement";
import { GRAYLOG_ARCHIVE_MIN_DAYS, GRAYLOG_HOT_MIN_DAYS, floorFor } from "../components/retentionFloors";
import { ENVIRONMENTS } from "../components/environments";
import type { ConfigIssue } from "./errors";
import { keyPath } from "./keyPath";
import { graylogSchema } from "./loggingSchema";

type Raw = Record<string, unknown>;

const at = (...rest: PropertyKey[]): string => keyPath(["observability", "logging", "graylog", ...rest]);

function rawGraylogOf(raw: Raw | undefined): unknown {
  const logging = (raw?.observability as { logging?: { graylog?: unknown } } | undefined)?.logging;
  return typeof logging === "object" && logging !== null ? logging.graylog : undefined;
}

function domainOf(raw: Raw | undefined): string | undefined {
  const domain = (raw?.dns as { domain?: unknown } | undefined)?.domain;
  return typeof domain === "string" ? domain : undefined;
}

/** Issues of one stack's Graylog keys; nothing when they do not parse (the schema has said why). */
export function graylogIssues(stack: string, region: string, raw: Raw, all: Readonly<Record<string, Raw | undefined>>): ConfigIssue[] {
  void region;
  const rawGraylog = rawGraylogOf(raw);
  if (stack !== "management") {
    if (typeof rawGraylog !== "object" || rawGraylog === null) return rawGraylog === undefined ? [] : [{ path: at(), message: "Graylog runs in management: configure it in Pulumi.management.yaml" }];
    return Object.keys(rawGraylog).map((k) => ({ path: at(k), message: "Graylog runs in management: configure it in Pulumi.management.yaml, not in an environment" }));
  }
  const parsed = graylogSchema.safeParse(rawGraylog);
  if (!parsed.success) return [];
  const g = parsed.data;
  const issues: ConfigIssue[] = [];

  for (const [s, set] of Object.entries(g.indexSets)) {
    if (set === undefined) continue;
    const hot = floorFor(GRAYLOG_HOT_MIN_DAYS, s);
    if (hot !== undefined && set.hotDays < hot) issues.push({ path: at("indexSets", s, "hotDays"), message: `${set.hotDays} is below ${s}'s floor of ${hot} days searchable (components/retentionFloors.ts)` });
    const archive = floorFor(GRAYLOG_ARCHIVE_MIN_DAYS, s);
    if (archive !== undefined && set.archiveDays < archive) issues.push({ path: at("indexSets", s, "archiveDays"), message: `${set.archiveDays} is below ${s}'s floor of ${archive} days archived (components/retentionFloors.ts)` });
  }
  if (!g.enabled) return issues;

  if (g.nodeCount < 3 || g.nodeCount % 2 === 0) {
    issues.push({ path: at("nodeCount"), message: `${g.nodeCount} Graylog nodes: run an odd number of at least 3 (one leader, and the rest carry the load when an AZ is lost)` });
  }
  const azCount = (raw.network as { azCount?: unknown } | undefined)?.azCount;
  if (typeof azCount === "number" && Number.isInteger(azCount) && azCount >= 1) {
    for (const problem of azLossProblems({ nodeCount: g.nodeCount, azCount })) {
      const path = problem.includes("Graylog node") ? at("nodeCount") : keyPath(["network", "azCount"]);
      issues.push({ path, message: `${problem}; Graylog must survive the loss of any one AZ` });
    }
    const dataNodes = g.search.instanceCount ?? 3;
    const zones = Math.min(azCount, 3);
    if (dataNodes % zones !== 0) issues.push({ path: at("search", "instanceCount"), message: `${dataNodes} OpenSearch data nodes must be a multiple of the ${zones} AZs the domain spans` });
  }

  if (g.instanceType !== undefined) {
    const problem = instanceTypeIssue(g.instanceType);
    if (problem !== undefined) issues.push({ path: at("instanceType"), message: problem });
  }
  if (g.mongodb.instanceType !== undefined) {
    const problem = engineInstanceTypeIssue(ENGINE_PROFILES.mongodb, g.mongodb.instanceType);
    if (problem !== undefined) issues.push({ path: at("mongodb", "instanceType"), message: problem });
  }
  if (g.search.instanceType !== undefined && (!/^[a-z][a-z0-9]*\.[a-z0-9]+\.search$/.test(g.search.instanceType) || g.search.instanceType.startsWith("t2."))) {
    issues.push({ path: at("search", "instanceType"), message: `"${g.search.instanceType}" is not an OpenSearch Service instance type with encryption at rest (e.g. r6g.large.search; not t2)` });
  }

  const domain = domainOf(raw);
  if (domain !== undefined) {
    for (const env of ENVIRONMENTS) {
      const envDomain = domainOf(all[env]);
      if (envDomain !== undefined && envDomain !== domain && !envDomain.endsWith(`.${domain}`)) {
        issues.push({ path: at("enabled"), message: `Pulumi.${env}.yaml dns.domain ${envDomain} is not under ${domain}: the certificate for graylog.${env}.internal.${envDomain} cannot be validated in management's zone` });
      }
    }
  }
  return issues;
}
