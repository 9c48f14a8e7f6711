/**
 * `observability.apm` of a stack: New Relic and Glowroot application performance monitoring
 * (docs/observability-apm.md). Cross-key rules (Java services that must exist in the catalogue,
 * agents that need management's collector) are in config/apmIssues.ts.
 */
import { z } from "zod";

/** New Relic's data centres: where the agents report and the metric stream delivers. */
export const NEW_RELIC_REGIONS = ["US", "EU"] as const;

/** Placeholders an app name pattern may use; `{service}` is required so services never share a name. */
export const APP_NAME_PLACEHOLDERS = ["{service}", "{environment}"] as const;

/** Agent log levels the New Relic agents share (NEW_RELIC_LOG_LEVEL). */
export const NEW_RELIC_LOG_LEVELS = ["off", "severe", "warning", "info", "fine", "finer", "finest"] as const;

export const newRelicSchema = z
  .strictObject({
    /** The license key secret, the agent settings on every service and the AWS integration (metric stream). */
    enabled: z.boolean().default(false),
    /** The New Relic account id (digits): the integration role's sts:ExternalId. Required when enabled. */
    accountId: z.string().regex(/^[0-9]{1,12}$/, "must be the New Relic account id (digits only)").optional(),
    /** The account's data centre: the metric stream endpoint depends on it. */
    region: z.enum(NEW_RELIC_REGIONS).default("US"),
    /** Application name of each service, from `{service}` and `{environment}`. */
    appName: z
      .string()
      .regex(/^[A-Za-z0-9 ._:{}-]{1,200}$/, "must be letters, digits, spaces, . _ : - and the placeholders {service} and {environment}")
      .refine((p) => p.includes("{service}"), "must contain {service}, or every service reports as one application")
      .refine((p) => (p.match(/\{[^}]*\}/g) ?? []).every((x) => (APP_NAME_PLACEHOLDERS as readonly string[]).includes(x)), `may only use the placeholders ${APP_NAME_PLACEHOLDERS.join(" and ")}`)
      .default("{service}-{environment}"),
    /** The agents' own log level (their log goes to stdout, and so to the service's log group). */
    logLevel: z.enum(NEW_RELIC_LOG_LEVELS).default("info"),
    /** Stream this account's CloudWatch metrics to New Relic through Kinesis Data Firehose. */
    metricStream: z.boolean().default(true),
    /**
     * Environments: inject the agent settings and the license key into every service. The first up
     * that enables New Relic sets this (and metricStream) false: the secret has no value until an
     * operator puts the key, and tasks that cannot read it do not start.
     */
    agents: z.boolean().default(true),
  })
  .superRefine((v, ctx) => {
    if (v.enabled && v.accountId === undefined) ctx.addIssue({ code: "custom", path: ["accountId"], message: "is required when newRelic.enabled is true (the integration role's external id)" });
  })
  .prefault({});

export const glowrootSchema = z
  .strictObject({
    /**
     * Environments: the Java services get the Glowroot agent settings pointing at management's central
     * collector. Management: the central collector's network contract (NLB, security group, name).
     */
    enabled: z.boolean().default(false),
    /** Environments: the catalogue's Java services (their images carry /opt/glowroot/glowroot.jar). */
    javaServices: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a service name of the catalogue")).default([]),
    /** Where the agent jar lives in the Java services' images. */
    agentPath: z.string().regex(/^\/[A-Za-z0-9._/-]+\.jar$/, "must be an absolute path to a .jar").default("/opt/glowroot/glowroot.jar"),
    /** Management: sizing of the central collector node and its Cassandra (docs/observability-apm.md#glowroot). */
    collector: z
      .strictObject({
        /** The central node. @default "m6i.large" */
        instanceType: z.string().optional(),
        cassandra: z
          .strictObject({
            /** Each of the 3 Cassandra nodes. @default "r7g.large" (the engine profile's) */
            instanceType: z.string().optional(),
            /** gp3 data volume per node. @default 200 */
            dataVolumeSizeGiB: z.number().int().min(50).max(16384).optional(),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

export const apmSchema = z
  .strictObject({
    newRelic: newRelicSchema,
    glowroot: glowrootSchema,
  })
  .prefault({});

export type ApmSettings = z.output<typeof apmSchema>;
export type NewRelicSettings = z.output<typeof newRelicSchema>;
export type GlowrootSettings = z.output<typeof glowrootSchema>;
