/**
 * Management's Graylog provisioning (docs/observability-logging.md#streams-index-sets-and-alerts):
 * what Graylog must hold, read from config and the address plan (graylogSpecOf), and the
 * GraylogProvisioning component that applies it and relays Graylog's alerts to the alert topics.
 */
import { ValidatedConfig } from "../config/validate";
import { DEFAULT_INDEX_SETS } from "../config/loggingSchema";
import { STACKS } from "../config/schema";
import { IndexSetSpec, indexPrefix } from "../components/observability/logging/graylogPlan";
import { GraylogSpec, graylogSpec } from "../components/observability/logging/graylogProvisioningSpec";

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
