import type { ResourceRule } from "../types";
import { WEB_ACL_TYPE } from "./loadBalancers";
import { FIVE_MINUTES, MAX_RATE_LIMIT_PER_FIVE_MINUTES, perFiveMinutes } from "../../../components/retentionFloors";

/** WAF's default evaluation window when `evaluationWindowSec` is unset. */
const DEFAULT_WINDOW_SECONDS = FIVE_MINUTES;

interface Config {
  /** The highest per-IP limit, normalised to requests per five minutes, that still counts as a limit. */
  maxRequestsPerFiveMinutes: number;
}

interface RateRule {
  name?: unknown;
  statement?: { rateBasedStatement?: { limit?: unknown; evaluationWindowSec?: unknown } };
}

/**
 * A rate-based rule exists to stop one source from flooding, scraping or credential-stuffing; WAF
 * accepts limits up to two billion, so a rule can be present, enforcing and still stop nothing.
 * The ceiling (components/retentionFloors.ts, 10,000 per five minutes = 33 requests a second from
 * one address) is the one config validation applies; windows of 60 to 600 seconds are compared per
 * five minutes.
 */
export const wafRateLimitBounded: ResourceRule = {
  name: "waf-rate-limit-bounded",
  description: `Every rate-based rule of a WAFv2 web ACL limits one source to at most ${MAX_RATE_LIMIT_PER_FIVE_MINUTES} requests per five minutes (normalised from its evaluation window), so the per-IP rate limit is low enough to stop a single host rather than merely exist.`,
  meta: { category: "security", domain: "edge", appliesTo: [WEB_ACL_TYPE] },
  configSchema: {
    properties: {
      maxRequestsPerFiveMinutes: { type: "integer", minimum: 10, default: MAX_RATE_LIMIT_PER_FIVE_MINUTES },
    },
  },
  validateResource: (args, report) => {
    if (args.type !== WEB_ACL_TYPE) return;
    const { maxRequestsPerFiveMinutes } = args.getConfig<Config>();
    const rules: unknown = args.props.rules;
    for (const rule of (Array.isArray(rules) ? rules : []) as RateRule[]) {
      const rate = rule.statement?.rateBasedStatement;
      if (rate === undefined || typeof rate.limit !== "number") continue;
      const window = typeof rate.evaluationWindowSec === "number" ? rate.evaluationWindowSec : DEFAULT_WINDOW_SECONDS;
      const normalised = perFiveMinutes(rate.limit, window);
      if (normalised > maxRequestsPerFiveMinutes) {
        report(`rate-based rule "${String(rule.name)}" lets one IP send ${rate.limit} requests per ${window} s (${Math.round(normalised)} per five minutes), above the ${maxRequestsPerFiveMinutes} that still stops a single source`);
      }
    }
  },
};
