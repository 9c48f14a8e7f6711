/**
 * The analytics lake of an environment (docs/analytics.md): Kafka Connect workers on the ECS cluster
 * write the configured topics to the raw bucket as Parquet, Glue catalogues raw and curated, a daily
 * step copies raw to curated without the personal columns, analysts query curated through one Athena
 * workgroup, and search queries are also indexed into OpenSearch for the search dashboards.
 * The workers are a client of the data tier like any service: their security group exists before
 * the data tier (analyticsGroupNames, created with the services' groups) so that Kafka and OpenSearch
 * admit them by group (withAnalyticsClients).
 */
import * as pulumi from "@pulumi/pulumi";
import { CONNECT_WORKERS } from "../components/analytics/analyticsPlan";
import type { EnvironmentNetwork } from "../components/network/EnvironmentNetwork";
import type { AlertTopics } from "../components/observability/types";
import { EffectiveAnalytics, effectiveAnalytics } from "../config/analyticsSchema";
import { ValidatedConfig } from "../config/validate";
import type { DataTier } from "./data";
import { buildLake } from "./analyticsLake";
import { buildCuration } from "./analyticsCuration";
import { buildSearchAnalytics } from "./analyticsSearch";
import { buildConnect } from "./analyticsConnect";
import type { ServicesTier } from "./services";
import type { Tags } from "../components/tags";

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

/** The stack's analytics settings with defaults applied (on in prod and preprod unless config says otherwise). */
export function analyticsOf(cfg: EnvironmentConfig): EffectiveAnalytics {
  return effectiveAnalytics(cfg.stack, cfg.settings.analytics);
}

/** The extra service security groups the lake needs: the workers', when the lake is on. */
export function analyticsGroupNames(cfg: EnvironmentConfig): string[] {
  return analyticsOf(cfg).enabled ? [CONNECT_WORKERS] : [];
}

/**
 * What the workers declare, like a service's `uses`: every Kafka cluster (the topics they read) and
 * OpenSearch (the search-analytics indices), when the lake is on. The data tier admits exactly
 * these (withAnalyticsClients), and the security-group chain check is given the same declaration.
 */
export function analyticsUses(enabled: boolean, clusters: readonly { readonly engine: string; readonly name?: string }[]): Record<string, string[]> {
  if (!enabled) return {};
  const kafka = clusters.filter((c) => c.engine === "kafka").map((c) => c.name ?? c.engine);
  return { [CONNECT_WORKERS]: [...kafka, "opensearch"] };
}

/** The services' clients of each data resource, with the workers' group added where they declared it. */
export function withAnalyticsClients<T>(cfg: EnvironmentConfig, clients: Record<string, Record<string, T>>, groups: Readonly<Record<string, T>>): Record<string, Record<string, T>> {
  const declared = analyticsUses(analyticsOf(cfg).enabled, cfg.settings.data.clusters)[CONNECT_WORKERS];
  if (declared === undefined) return clients;
  const group = groups[CONNECT_WORKERS];
  if (group === undefined) throw new Error(`no security group for ${CONNECT_WORKERS}`);
  const out: Record<string, Record<string, T>> = { ...clients };
  for (const resource of declared) out[resource] = { ...(out[resource] ?? {}), [CONNECT_WORKERS]: group };
  return out;
}

export interface AnalyticsInputs {
  readonly network: EnvironmentNetwork;
  /** The data tier: the Kafka clusters, the OpenSearch domain and `key`, the data key the lake's buckets use. */
  readonly data: DataTier;
  /** The services tier: the ECS cluster the workers run on, and `groups.ids[CONNECT_WORKERS]`, the workers' security group. */
  readonly services: ServicesTier["parts"];
  readonly privateZone: { zoneId: pulumi.Input<string>; name: string };
  readonly topics?: AlertTopics;
  readonly tags: Tags;
}

/** Builds the lake when it is on; returns the stack outputs it adds. */
export function buildAnalytics(cfg: EnvironmentConfig, inputs: AnalyticsInputs): Record<string, pulumi.Input<unknown>> {
  const settings = analyticsOf(cfg);
  if (!settings.enabled) return {};
  // The lake's buckets, catalogue, workgroup and analyst role; `lake.refs` is what the other parts build on.
  const lake = buildLake(cfg, settings, inputs);
  // Search analytics: the OpenSearch side is applied here; `search.connectors`, `workerConfig` and `workerSecrets` are for the Kafka Connect workers.
  const search = buildSearchAnalytics(cfg, inputs);
  // Kafka Connect: the workers and the S3 sink into raw; the OpenSearch sink's configuration and password ride along.
  const connect = buildConnect(cfg, settings, inputs, lake.refs, search ? { connectors: search.connectors, workerSecrets: search.workerSecrets } : {});
  return {
    lake: lake.outputs,
    connect: connect.outputs,
    ...buildCuration(cfg, { settings, lake: lake.refs, topics: inputs.topics, tags: inputs.tags }),
    ...(search ? { searchAnalytics: search.outputs } : {}),
  };
}
