/**
 * `observability.prometheus` of a stack: the managed Prometheus workspace, its collector and alert
 * rules (docs/observability-prometheus.md). Cross-field checks are in prometheusIssues.ts.
 */
import { z } from "zod";
import { LOG_RETENTION_VALUES } from "../components/compute/servicePlan";

export const prometheusSchema = z
  .strictObject({
    /**
     * A managed Prometheus workspace in this environment's own account, the collector that scrapes
     * its services and data nodes, and the alert rules. Environments only: management has nothing
     * to scrape (docs/observability-prometheus.md#management).
     */
    enabled: z.boolean().default(true),
    /** How often the collector scrapes every target. Cost: AMP bills per sample ingested. */
    scrapeIntervalSeconds: z.number().int().min(15, "must be at least 15 seconds").max(300, "must be at most 300 seconds").default(60),
    /** Retention of the collector's and the workspace's log groups (a CloudWatch Logs retention value). */
    logRetentionDays: z
      .number()
      .int()
      .refine((d) => LOG_RETENTION_VALUES.includes(d), `must be a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`)
      .default(90),
    /** The path every service serves its Prometheus metrics on, on its container port. */
    servicesMetricsPath: z.string().regex(/^\/[A-Za-z0-9_\-./]*$/, "must be an absolute URL path such as /metrics").default("/metrics"),
  })
  .prefault({});

export type PrometheusSettings = z.output<typeof prometheusSchema>;
