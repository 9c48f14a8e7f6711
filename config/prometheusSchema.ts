/**
 * `observability.prometheus` of a stack: the managed Prometheus workspace, its collector and alert
 * rules (docs/observability.md#prometheus).
 */
import { z } from "zod";

export const prometheusSchema = z
  .strictObject({
    /** A managed Prometheus workspace, its collector and alert rules in this stack. */
    enabled: z.boolean().default(true),
  })
  .prefault({});
