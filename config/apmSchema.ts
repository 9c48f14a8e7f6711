/**
 * `observability.apm` of a stack: New Relic and Glowroot application performance monitoring
 * (docs/observability.md#apm).
 */
import { z } from "zod";

export const apmSchema = z
  .strictObject({
    newRelic: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
    glowroot: z.strictObject({ enabled: z.boolean().default(false) }).prefault({}),
  })
  .prefault({});
