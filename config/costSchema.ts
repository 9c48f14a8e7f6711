/**
 * `tila-platform:cost` of a stack: its monthly budget and the usage assumptions of its cost estimate
 * (docs/cost.md). Every stack may carry it; the budget policy rule reads `budgetMonthlyUsd`.
 */
import { z } from "zod";

const usage = (what: string) => z.number({ error: `must be a number (${what})` }).min(0, `must be zero or more (${what})`).optional();

/**
 * One optional figure per usage assumption; a misspelt name is refused naming the key. The cost
 * contract (offline/cost/types.ts UsageAssumptions) is checked against these keys at compile time,
 * there, since config never imports the tooling.
 */
export const assumptionShape = {
  natGatewayDataGb: usage("GB processed by each NAT gateway a month"),
  transitDataGbPerAttachment: usage("GB each Transit Gateway attachment sends a month"),
  vpnDataGb: usage("GB through each VPN connection a month"),
  endpointDataGb: usage("GB through each interface endpoint a month"),
  loadBalancerLcu: usage("average LCUs each load balancer uses, every hour of the month"),
  wafRequestsMillions: usage("millions of requests each web ACL inspects a month"),
  logIngestionGbPerGroup: usage("GB ingested by each log group a month"),
  s3StorageGbPerBucket: usage("GB stored in each bucket"),
  snapshotGbPerVolumeGb: usage("snapshot GB kept per GB of volume"),
  route53QueriesMillionsPerZone: usage("millions of DNS queries per hosted zone a month"),
  lambdaInvocationsMillions: usage("millions of invocations per function a month"),
  lakeStorageGbPerBucket: usage("GB stored in each raw or curated bucket of the analytics lake"),
  athenaScannedTbPerWorkgroup: usage("TB scanned by each Athena workgroup's queries a month"),
};

/** The names of the usage assumptions, as config spells them. */
export type AssumptionKey = keyof typeof assumptionShape;

export const ASSUMPTION_KEYS = Object.freeze(Object.keys(assumptionShape)) as readonly AssumptionKey[];

export const costSchema = z
  .strictObject({
    /** The stack's monthly budget in USD: the cost-within-budget rule fails when the estimate exceeds it. */
    budgetMonthlyUsd: z.number({ error: "must be a number of US dollars per month" }).positive("must be a positive number of US dollars per month").optional(),
    /** Overrides of the default usage assumptions (offline/cost/estimate.ts DEFAULT_ASSUMPTIONS). */
    assumptions: z
      .strictObject(assumptionShape, {
        error: (issue) =>
          issue.code === "unrecognized_keys" ? `unknown assumption ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}; assumptions: ${ASSUMPTION_KEYS.join(", ")}` : undefined,
      })
      .optional(),
  })
  .prefault({});

export type CostSettings = z.output<typeof costSchema>;

/** The cost settings in a flattened stack config (`tila-platform:cost` as JSON), or none; throws when invalid. */
export function costSettingsOf(flat: Readonly<Record<string, string>>): CostSettings {
  const raw = flat["tila-platform:cost"];
  return costSchema.parse(raw === undefined || raw === "" ? undefined : JSON.parse(raw));
}
