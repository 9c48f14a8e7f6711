import type { ResourceRule } from "../types";
import { environmentOf, forType } from "../network/lib/values";

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
    "CloudWatch log groups must set a retention period (never infinite) that CloudWatch accepts and that meets the minimum for their Environment tag (prod and management: 90 days).",
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
    const env = environmentOf(args.props);
    const minimum = env === undefined ? undefined : args.getConfig<Config>().minimumDaysByEnvironment[env];
    if (minimum !== undefined && days < minimum) report(`log group ${args.name} keeps ${env} logs ${days} days; ${env} requires at least ${minimum}`);
  }),
};
