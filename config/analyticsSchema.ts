/**
 * `tila-platform:analytics` of an environment stack: the data lake fed from Kafka (docs/analytics.md).
 * On by default in prod and preprod, off in dev and stage; every key is optional. Cross-key rules
 * (a topic no service produces, retention below the floors, a name the services already use) are in
 * config/analyticsIssues.ts; the effective settings, defaults applied, come from effectiveAnalytics.
 */
import { z } from "zod";
import { AnalyticsTopic, DEFAULT_TOPICS } from "../components/analytics/analyticsPlan";
import { DEFAULT_ANALYST_PRINCIPALS } from "../components/analytics/analystPolicy";
import { isHaEnvironment } from "../components/environments";

const columnSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,127}$/, "must be a lower-case column name (letters, digits, _)"),
  type: z.string().regex(/^(string|bigint|int|smallint|double|float|boolean|timestamp|date|decimal\(\d{1,2},\d{1,2}\))$/, "must be an Athena type: string, bigint, int, smallint, double, float, boolean, timestamp, date or decimal(p,s)"),
  personal: z.boolean().optional(),
});

export const topicSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be a Kafka topic name: lower-case letters, digits and dashes"),
  columns: z.array(columnSchema).min(1),
});

export const analyticsSchema = z.strictObject({
  /** @default true in prod and preprod, false in dev and stage */
  enabled: z.boolean().optional(),
  /** The topics ingested. @default orders, cart-events, search-queries, users (components/analytics/analyticsPlan.ts) */
  topics: z.array(topicSchema).min(1).optional(),
  /** Lifecycle of both buckets: days in S3 Standard, then Standard-IA, then Glacier; raw and curated expiry. */
  lake: z
    .strictObject({
      infrequentAccessDays: z.number().int().default(30),
      glacierDays: z.number().int().default(180),
      rawRetentionDays: z.number().int().default(730),
      curatedRetentionDays: z.number().int().default(1825),
    })
    .default({ infrequentAccessDays: 30, glacierDays: 180, rawRetentionDays: 730, curatedRetentionDays: 1825 }),
  /** Athena: the most one analyst query may scan before Athena cancels it. */
  athena: z.strictObject({ bytesScannedCutoffGb: z.number().positive().default(100) }).default({ bytesScannedCutoffGb: 100 }),
  /** Search analytics: how long the OpenSearch indices of search queries are kept. */
  searchAnalytics: z.strictObject({ indexRetentionDays: z.number().int().default(90) }).default({ indexRetentionDays: 90 }),
  /**
   * The analyst role `tila-<env>-analyst` (docs/analytics.md#who-may-read-what): who may assume it
   * (IAM name patterns in the stack's account; IAM users need MFA) and extra managed policies, which
   * must be read-only (config/analystIssues.ts). @default the Identity Center DataAnalyst permission set, no extra policy
   */
  analysts: z
    .strictObject({
      principals: z.array(z.string().regex(/^(role|user)\/[\w+=,.@/*?-]+$/, "must be an IAM name pattern in the stack's account, role/<path/name> or user/<path/name>")).min(1).default([...DEFAULT_ANALYST_PRINCIPALS]),
      managedPolicyArns: z.array(z.string().regex(/^arn:aws:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/, "must be an IAM managed policy ARN")).default([]),
    })
    .default({ principals: [...DEFAULT_ANALYST_PRINCIPALS], managedPolicyArns: [] }),
});

export type AnalyticsSettings = z.output<typeof analyticsSchema>;

/** What the stack builds from: defaults applied. */
export interface EffectiveAnalytics {
  readonly enabled: boolean;
  readonly topics: readonly AnalyticsTopic[];
  readonly lake: AnalyticsSettings["lake"];
  readonly athena: AnalyticsSettings["athena"];
  readonly searchAnalytics: AnalyticsSettings["searchAnalytics"];
  readonly analysts: AnalyticsSettings["analysts"];
}

export function effectiveAnalytics(environment: string, settings: AnalyticsSettings | undefined): EffectiveAnalytics {
  const s = settings ?? analyticsSchema.parse({});
  return {
    enabled: s.enabled ?? isHaEnvironment(environment),
    topics: s.topics ?? DEFAULT_TOPICS,
    lake: s.lake,
    athena: s.athena,
    searchAnalytics: s.searchAnalytics,
    analysts: s.analysts,
  };
}
