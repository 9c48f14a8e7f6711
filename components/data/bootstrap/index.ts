/**
 * EC2 user data for Tila's self-managed data clusters (docs/data-tier.md): one complete bash
 * script per node that installs the engine from its vendor's official packages, prepares the data
 * volume, writes the engine's cluster configuration from the peers' DNS names and joins or
 * initialises the cluster.
 */
import { aerospikeSection } from "./aerospike";
import { arangodbSection } from "./arangodb";
import { cassandraSection } from "./cassandra";
import { commonFunctions, commonSteps, renderHeader } from "./common";
import { couchbaseSection } from "./couchbase";
import { fluentBitSection } from "./fluentbit";
import { kafkaSection } from "./kafka";
import { mongodbSection } from "./mongodb";
import { monitoringSection } from "./monitoring";
import { solrSection } from "./solr";
import { BootstrapContext } from "./types";
import { assertValidBootstrapContext } from "./validate";
import { zookeeperSection } from "./zookeeper";

export { BootstrapContext } from "./types";
export { BootstrapValidationError, validateBootstrapContext, assertValidBootstrapContext, isValidDnsName, isValidClusterName } from "./validate";
export { shellQuote } from "./shell";
export { VERSIONS } from "./versions";
export { CLOUDWATCH_AGENT_CONFIG, cloudwatchAgentConfig } from "./monitoring";
export { ENGINE_LOGS, FLUENT_BIT_PATHS, fluentBitConfig, fluentBitSection } from "./fluentbit";

const SECTIONS: Record<BootstrapContext["engine"], (ctx: BootstrapContext) => string> = {
  arangodb: arangodbSection,
  mongodb: mongodbSection,
  aerospike: aerospikeSection,
  couchbase: couchbaseSection,
  solr: solrSection,
  kafka: kafkaSection,
  zookeeper: zookeeperSection,
  cassandra: cassandraSection,
};

/**
 * The complete user-data script for one node. Throws BootstrapValidationError, listing every
 * problem, when any value in `ctx` is not acceptable. Its size is NoSqlCluster's to fit (userData.ts).
 * With `logShipping`, the Fluent Bit step comes between the monitoring and the engine; without it
 * the script has no trace of shipping.
 */
export function renderBootstrap(ctx: BootstrapContext): string {
  assertValidBootstrapContext(ctx);
  const shipping = ctx.logShipping ? [fluentBitSection(ctx), ""] : [];
  return [
    renderHeader(ctx),
    "",
    commonFunctions(ctx),
    "",
    commonSteps(ctx),
    "",
    monitoringSection(ctx),
    "",
    ...shipping,
    SECTIONS[ctx.engine](ctx),
    "",
    'log "bootstrap finished"',
    "",
  ].join("\n");
}
