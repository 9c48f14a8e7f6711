/**
 * `observability.alerts` of a stack: who is told (e-mail per severity, Microsoft Teams per topic) and
 * the alarm thresholds (stack-wide values and per-resource overrides) on top of the per-environment
 * defaults in components/observability/thresholds.ts (docs/observability.md#thresholds). Which
 * threshold keys exist, what kind of number each takes and which resources they may name is checked
 * in config/observability.ts, with the key path of each problem.
 */
import { z } from "zod";

const email = z.string().regex(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "must be an e-mail address");
const values = z.record(z.string(), z.number());

export const alertsSchema = z
  .strictObject({
    /** E-mail subscriptions of each alert topic (each address confirms once). */
    emails: z
      .strictObject({
        critical: z.array(email).default([]),
        warning: z.array(email).default([]),
      })
      .prefault({}),
    /**
     * Which topics the Teams notifier forwards. @default prod, preprod and management: critical and
     * security (warning by e-mail only); dev and stage: all three.
     */
    teams: z
      .strictObject({
        critical: z.boolean().optional(),
        warning: z.boolean().optional(),
        security: z.boolean().optional(),
      })
      .prefault({}),
    /** Stack-wide threshold values by key (lb5xxPercent, serviceCpuPercent, ...), replacing the environment's defaults. */
    thresholds: values.default({}),
    /** Per resource (service, cluster, `mysql`, `redis`, `opensearch`, `public`/`internal` ALB): threshold values for it alone. */
    overrides: z.record(z.string(), values).default({}),
  })
  .prefault({});

export type AlertsSettings = z.output<typeof alertsSchema>;
