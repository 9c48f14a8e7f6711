/**
 * Search analytics of an environment (docs/analytics.md, "Search analytics"): the search-queries topic
 * indexed into OpenSearch, one index per day, kept `searchAnalytics.indexRetentionDays`, with the
 * search dashboards. The OpenSearch side (template, ISM policy, Dashboards objects) is applied by the
 * search domain's provisioning function; the workers' OpenSearch user writes `search-queries-*` only
 * (analyticsSearchWriters, passed to the data tier); the sink connector's configuration is handed to
 * the Kafka Connect part with the one secret the workers must inject for it.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONNECT_WORKERS, SEARCH_QUERIES_TOPIC } from "../components/analytics/analyticsPlan";
import {
  ENV_CONFIG_PROVIDER, SEARCH_CONNECTOR_NAME, SEARCH_INDEX_PATTERN, SEARCH_ISM_POLICY_ID, SEARCH_SINK_PASSWORD_ENV, SEARCH_TEMPLATE_NAME,
  searchIndexSetup, searchSinkConfigIssues, searchSinkConnectorConfig,
} from "../components/analytics/searchAnalytics";
import { effectiveAnalytics } from "../config/analyticsSchema";
import { ValidatedConfig } from "../config/validate";
import type { DataTier } from "./data";

type EnvironmentConfig = Extract<ValidatedConfig, { kind: "environment" }>;

/** The OpenSearch clients that are write-only sinks: the workers on `search-queries-*`, when the lake ingests that topic. */
export function analyticsSearchWriters(cfg: EnvironmentConfig): Record<string, string> {
  const a = effectiveAnalytics(cfg.stack, cfg.settings.analytics);
  return a.enabled && a.topics.some((t) => t.name === SEARCH_QUERIES_TOPIC) ? { [CONNECT_WORKERS]: SEARCH_INDEX_PATTERN } : {};
}

export interface SearchAnalytics {
  /** Connector name -> configuration, for the Kafka Connect part to apply (no secret in it). */
  readonly connectors: Readonly<Record<string, pulumi.Output<Record<string, string>>>>;
  /** Worker-level settings the connector needs (the env config provider). */
  readonly workerConfig: Readonly<Record<string, string>>;
  /** Secrets the workers' task must inject as environment variables, in MicroserviceService's `secrets` shape. */
  readonly workerSecrets: Readonly<Record<string, { readonly secretArn: pulumi.Output<string>; readonly jsonKey: string }>>;
  /** The provisioner's invocation that applied the template, ISM policy and Dashboards objects. */
  readonly indexSetup: pulumi.Resource;
  /** For the stack outputs: names only. */
  readonly outputs: Record<string, pulumi.Input<unknown>>;
}

/** Builds search analytics when the lake is on and ingests search-queries; undefined otherwise. */
export function buildSearchAnalytics(cfg: EnvironmentConfig, inputs: { readonly data: DataTier }): SearchAnalytics | undefined {
  const settings = effectiveAnalytics(cfg.stack, cfg.settings.analytics);
  const topic = settings.topics.find((t) => t.name === SEARCH_QUERIES_TOPIC);
  if (!settings.enabled || topic === undefined) return undefined;
  const search = inputs.data.search;
  const secretArn = search.serviceSecretArns[CONNECT_WORKERS];
  if (secretArn === undefined) throw new Error(`${cfg.stack}: search analytics needs the ${CONNECT_WORKERS} OpenSearch user (the workers must be an OpenSearch client)`);

  // Checked now, with the endpoint's shape, so a bad option fails the preview and not the connector at runtime.
  const issues = searchSinkConfigIssues(searchSinkConnectorConfig({ endpoint: "vpc-domain.region.es.amazonaws.com", username: CONNECT_WORKERS, topic }));
  if (issues.length > 0) throw new Error(`${cfg.stack}: ${SEARCH_CONNECTOR_NAME} connector: ${issues.join("; ")}`);
  const connector = search.endpoint.apply((endpoint) => searchSinkConnectorConfig({ endpoint, username: CONNECT_WORKERS, topic }));

  const replicas = cfg.stack === "dev" ? 0 : 1;
  const indexSetup = search.setUpIndices("search-analytics", searchIndexSetup(topic, settings.searchAnalytics.indexRetentionDays, replicas));
  return {
    connectors: { [SEARCH_CONNECTOR_NAME]: connector },
    workerConfig: ENV_CONFIG_PROVIDER,
    workerSecrets: { [SEARCH_SINK_PASSWORD_ENV]: { secretArn, jsonKey: "password" } },
    indexSetup,
    outputs: {
      connector: SEARCH_CONNECTOR_NAME,
      indexPattern: SEARCH_INDEX_PATTERN,
      indexTemplate: SEARCH_TEMPLATE_NAME,
      ismPolicy: SEARCH_ISM_POLICY_ID,
      indexRetentionDays: settings.searchAnalytics.indexRetentionDays,
    },
  };
}
