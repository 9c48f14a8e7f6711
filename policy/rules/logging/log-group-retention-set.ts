import type { ResourceRule } from "../types";
import { environmentOf, forType } from "../network/lib/values";
import { FALLBACK_LOG_GROUP_TAG as FALLBACK_TAG } from "../../../components/compute/firelens";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The periods PutRetentionPolicy accepts; 0 or unset means "never expire". */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

interface Config {
  /** Minimum retention in days by `Environment` tag. */
  minimumDaysByEnvironment: Record<string, number>;
}

/**
 * Never-expiring groups grow cost without bound and keep personal data past any purpose, so
 * every group states its retention. The per-environment floors follow the real config
 * (`npm run plan`): prod keeps service, data-tier and WAF logs 90 days or more and management
 * keeps the office VPN tunnel logs 90 days, which covers a quarter of incident look-back.
 * FSBP has no control for this (CloudWatch.16, 365 days, is only in NIST 800-53).
 */
export const logGroupRetentionSet: ResourceRule = {
  name: "log-group-retention-set",
  description:
    "CloudWatch log groups must set a retention period (never infinite) that CloudWatch accepts and that meets the minimum for their Environment tag (prod and management: 90 days); the CloudWatch copy of a service that ships to Graylog (tag LogRole=firelens-fallback, proved by ecs-service-logs-shipped) keeps its own shorter retention.",
  meta: { category: "security", domain: "logging", appliesTo: [LOG_GROUP] },
  configSchema: {
    properties: {
      minimumDaysByEnvironment: {
        type: "object",
        additionalProperties: { type: "integer", minimum: 1 },
        default: { prod: 90, management: 90 },
      },
    },
  },
  validateResource: forType(LOG_GROUP, (args, report) => {
    const days: unknown = args.props.retentionInDays;
    if (days === undefined || days === 0) {
      report(`log group ${args.name} never expires its events; set retentionInDays`);
      return;
    }
    if (typeof days !== "number" || !RETENTION_DAYS.includes(days)) {
      report(`log group ${args.name} has retentionInDays ${String(days)}, which CloudWatch does not accept; use one of ${RETENTION_DAYS.join(", ")}`);
      return;
    }
    // The short-lived CloudWatch copy of a service whose logs are kept in Graylog: the floor applies to
    // Graylog's index set. ecs-service-logs-shipped checks the claim (a FireLens router of a task that
    // ships names this group), so a tag alone exempts nothing.
    if ((args.props.tags as Record<string, unknown> | undefined)?.[FALLBACK_TAG.key] === FALLBACK_TAG.value) return;
    const env = environmentOf(args.props);
    const minimum = env === undefined ? undefined : args.getConfig<Config>().minimumDaysByEnvironment[env];
    if (minimum !== undefined && days < minimum) report(`log group ${args.name} keeps ${env} logs ${days} days; ${env} requires at least ${minimum}`);
  }),
};
