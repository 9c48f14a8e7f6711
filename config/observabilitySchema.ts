/**
 * `observability` of a stack: alarms, dashboards and notifications, Prometheus, APM and central logging
 * (docs/observability.md). Each part's keys are defined beside it.
 */
import { z } from "zod";
import { alertsSchema } from "./alertsSchema";
import { apmSchema } from "./apmSchema";
import { loggingSchema } from "./loggingSchema";
import { prometheusSchema } from "./prometheusSchema";

export const observabilitySchema = z
  .strictObject({
    alerts: alertsSchema,
    prometheus: prometheusSchema,
    apm: apmSchema,
    logging: loggingSchema,
  })
  .prefault({});
