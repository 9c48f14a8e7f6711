/**
 * `observability.logging` of a stack: the central Graylog in management and how each environment
 * ships its logs to it (docs/observability-logging.md). Cross-key rules (node count against AZ loss,
 * retention floors, a shipping target management does not run) are in config/loggingIssues.ts.
 */
import { z } from "zod";
import { LOG_RETENTION_VALUES } from "../components/compute/servicePlan";
import { STACKS } from "../components/environments";

/** Days an index set keeps its indices searchable, and how long their S3 archive is kept after. */
export const indexSetSchema = z.strictObject({
  /** Days of hot (searchable) indices: one index per day, the oldest deleted past this. */
  hotDays: z.number().int().min(1, "must be at least 1 day").max(3650),
  /** Days the daily snapshots in the archive bucket are kept (0: no archive). */
  archiveDays: z.number().int().min(0).max(3650),
});

export type IndexSetSettings = z.output<typeof indexSetSchema>;

/** Each stack's index set when config names none: prod and management keep 90 days hot and a year of archive. */
export const DEFAULT_INDEX_SETS: Readonly<Record<(typeof STACKS)[number], IndexSetSettings>> = Object.freeze({
  management: { hotDays: 90, archiveDays: 365 },
  dev: { hotDays: 7, archiveDays: 0 },
  stage: { hotDays: 14, archiveDays: 0 },
  preprod: { hotDays: 30, archiveDays: 90 },
  prod: { hotDays: 90, archiveDays: 365 },
});

export const graylogSchema = z
  .strictObject({
    /** Management only: the Graylog cluster, its MongoDB and OpenSearch, and the provisioning of its streams and alerts. */
    enabled: z.boolean().default(false),
    /** Graylog server nodes, spread over the AZs (an odd number of at least 3 in management: docs/observability-logging.md#availability). */
    nodeCount: z.number().int().min(1).max(9).default(3),
    /** Each Graylog server node. @default "m6i.large" */
    instanceType: z.string().optional(),
    /** Graylog's MongoDB replica set (3 nodes, one per AZ, on the data tier's pattern). */
    mongodb: z
      .strictObject({
        /** @default the engine profile's */
        instanceType: z.string().optional(),
        /** gp3 data volume per node. @default 50 */
        dataVolumeSizeGiB: z.number().int().min(20).max(16384).optional(),
      })
      .prefault({}),
    /** The search back end: an OpenSearch Service domain on the data tier's pattern. */
    search: z
      .strictObject({
        /** Data nodes, a multiple of the AZ count. @default 3 */
        instanceCount: z.number().int().min(1).max(30).optional(),
        /** @default "r6g.large.search" */
        instanceType: z.string().optional(),
        /** gp3 volume per data node. @default 200 */
        volumeSizeGiB: z.number().int().min(10).max(16384).optional(),
      })
      .prefault({}),
    /** Index set per stack (its logs' own indices): DEFAULT_INDEX_SETS for a stack not named. */
    indexSets: z.partialRecord(z.enum(STACKS), indexSetSchema).default({}),
    /** Alert definitions per service: error-level messages in 5 minutes that raise a warning. */
    alerts: z
      .strictObject({
        errorsPerFiveMinutes: z.number().int().min(1).default(50),
      })
      .prefault({}),
  })
  .prefault({});

export const shippingSchema = z
  .strictObject({
    /**
     * Environments: every service's stdout and stderr through FireLens, every data node's logs through
     * Fluent Bit, and the flow and ALB access logs through the log shipper, all to management's Graylog.
     */
    enabled: z.boolean().default(false),
    /** Days the CloudWatch copy of the services' logs is kept when they also go to Graylog (a CloudWatch Logs retention value). */
    fallbackRetentionDays: z
      .number()
      .int()
      .refine((d) => LOG_RETENTION_VALUES.includes(d), `must be a CloudWatch Logs retention (${LOG_RETENTION_VALUES.join(", ")})`)
      .default(7),
    /** Services of the catalogue that keep CloudWatch only (their FireLens is off). */
    excludeServices: z.array(z.string().regex(/^[a-z][a-z0-9-]*$/, "must be a service name of the catalogue")).default([]),
  })
  .prefault({});

export const loggingSchema = z
  .strictObject({
    graylog: graylogSchema,
    shipping: shippingSchema,
  })
  .prefault({});

export type LoggingSettings = z.output<typeof loggingSchema>;
export type GraylogSettings = z.output<typeof graylogSchema>;
export type ShippingSettings = z.output<typeof shippingSchema>;
