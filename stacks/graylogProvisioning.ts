/**
 * Management's Graylog provisioning (docs/observability-logging.md#streams-index-sets-and-alerts):
 * what Graylog must hold, read from config and the address plan (graylogSpecOf), and the
 * GraylogProvisioning component that applies it and relays Graylog's alerts to the alert topics.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { DEFAULT_INDEX_SETS } from "../config/loggingSchema";
import { STACKS } from "../config/schema";
import { partitionOf } from "../components/compute/imageNames";
import { GraylogProvisioning } from "../components/observability/logging/GraylogProvisioning";
import { GraylogEndpoints, IndexSetSpec, indexPrefix } from "../components/observability/logging/graylogPlan";
import { GraylogSpec, graylogSpec } from "../components/observability/logging/graylogProvisioningSpec";
import { AlertTopics } from "../components/observability/types";
import { ObservabilityParts } from "./observability";
import { commonTags } from "./shared";

/** Logical name of the provisioning's pieces. */
export const GRAYLOG_PROVISIONING = "management-graylog-provisioning";

/** Each stack of the address plan's index set: config's `observability.logging.graylog.indexSets`, else DEFAULT_INDEX_SETS. */
export function indexSetSpecsOf(cfg: ValidatedConfig): IndexSetSpec[] {
  if (cfg.kind !== "management") return [];
  const configured = cfg.settings.observability.logging.graylog.indexSets;
  return STACKS.filter((s) => cfg.plan.stacks[s] !== undefined).map((stack) => {
    const set = configured[stack] ?? DEFAULT_INDEX_SETS[stack];
    return { stack, prefix: indexPrefix(stack), hotDays: set.hotDays, archiveDays: set.archiveDays };
  });
}

/** What management's Graylog must hold: every stack's index set and stream, every environment's services' streams and alerts. */
export function graylogSpecOf(cfg: ValidatedConfig): GraylogSpec {
  if (cfg.kind !== "management") throw new Error(`${cfg.stack}: only management provisions Graylog`);
  const indexSets = indexSetSpecsOf(cfg);
  const stacks = new Set(indexSets.map((s) => s.stack));
  const services = cfg.plan.images
    .filter((i) => stacks.has(i.environment))
    .map((i) => ({ environment: i.environment, service: i.service }));
  return graylogSpec({ indexSets, services, errorsPerFiveMinutes: cfg.settings.observability.logging.graylog.alerts.errorsPerFiveMinutes });
}

/**
 * Management with Graylog: the provisioning Lambda invoked with the spec and the alert relay, after
 * the cluster (buildGraylog's endpoints). Returns the stack outputs it adds.
 */
export function provisionGraylog(cfg: ValidatedConfig, parts: ObservabilityParts, endpoints: GraylogEndpoints<pulumi.Input<string>>, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  void parts;
  if (cfg.kind !== "management") return {};
  if (!topics) throw new Error(`${cfg.stack}: Graylog's alerts need the stack's alert topics`);
  const spec = graylogSpecOf(cfg);
  const provisioning = new GraylogProvisioning(GRAYLOG_PROVISIONING, {
    environment: cfg.stack,
    region: cfg.region,
    partition: partitionOf(cfg.region),
    accountId: cfg.settings.accountId,
    endpoints,
    spec,
    topics,
    logRetentionDays: cfg.settings.incidentResponse.logRetentionDays,
    tags: commonTags(cfg.stack, cfg.settings.tags),
  });
  return {
    graylogProvisioning: {
      provisioner: provisioning.provisionerFunctionName,
      alertRelay: provisioning.relayFunctionName,
      streams: spec.streams.length,
      alerts: spec.alerts.length,
      indexSets: spec.indexSets.map((s) => s.stack),
    },
  };
}
