/**
 * The contract of the offline cost estimate (docs/cost.md): a dated price snapshot per region, the
 * usage assumptions, one pricer per resource type, and the line items and totals they produce.
 * Pure types and constants; the estimate (estimate.ts), the pricers (pricers/) and the snapshots
 * (prices/) build on them.
 */
import type { CapturedResource } from "../types";
import type { assumptionShape } from "../../config/costSchema";

/** AWS prices a month as 730 hours (365 × 24 / 12); every hourly price is multiplied by this. */
export const HOURS_PER_MONTH = 730;

/** Where a cost belongs in the totals. */
export type Tier = "network" | "data" | "services" | "edge" | "observability" | "security" | "analytics" | "other";
export const TIERS: readonly Tier[] = Object.freeze(["network", "data", "services", "edge", "observability", "security", "analytics", "other"]);

/** One price of a snapshot. */
export interface Price {
  /** Price in the snapshot's currency per `unit`. */
  readonly usd: number;
  /** `hour`, `GB-month`, `GB`, `1M requests`, `LCU-hour`, `vCPU-hour`, ... */
  readonly unit: string;
  /** Where the figure comes from: an offer file's usage type, a pricing page's URL, or `assumption: ...`. */
  readonly source: string;
  /** True when read from AWS (offer file or pricing page); false for a derived or assumed figure. */
  readonly verified: boolean;
}

/** Every price of one region, dated. Price keys are dotted: `<service>.<dimension>[.<variant>]`, e.g. `ec2.instance.m6i.large`, `vpc.nat.hour`. */
export interface PriceSnapshot {
  readonly region: string;
  readonly currency: "USD";
  /** ISO date the prices were read. */
  readonly date: string;
  /** What the snapshot was built from (the Price List API's offer files, pages, ...). */
  readonly source: string;
  readonly prices: Readonly<Record<string, Price>>;
}

/**
 * Usage a graph cannot show, with defaults a stack's config may override (`tila-platform:cost.assumptions`).
 * Every figure is per month.
 */
export interface UsageAssumptions {
  /** GB processed by each NAT gateway. */
  readonly natGatewayDataGb: number;
  /** GB sent through the Transit Gateway by each attachment. */
  readonly transitDataGbPerAttachment: number;
  /** GB through each VPN connection. */
  readonly vpnDataGb: number;
  /** GB processed by each interface endpoint (per endpoint, all AZs). */
  readonly endpointDataGb: number;
  /** Average LCUs each load balancer consumes, every hour. */
  readonly loadBalancerLcu: number;
  /** Millions of requests each web ACL inspects. */
  readonly wafRequestsMillions: number;
  /** GB ingested by each CloudWatch log group. */
  readonly logIngestionGbPerGroup: number;
  /** GB stored in each S3 bucket. */
  readonly s3StorageGbPerBucket: number;
  /** GB of EBS snapshots kept per GB of volume (incremental daily snapshots over the retention). */
  readonly snapshotGbPerVolumeGb: number;
  /** Millions of DNS queries each hosted zone answers. */
  readonly route53QueriesMillionsPerZone: number;
  /** Invocations of each Lambda function, millions. */
  readonly lambdaInvocationsMillions: number;
  /** GB stored in each bucket of the analytics lake (raw, curated: the buckets its Glue catalogue points at). */
  readonly lakeStorageGbPerBucket: number;
  /** TB each Athena workgroup's queries scan. */
  readonly athenaScannedTbPerWorkgroup: number;
}

// Every assumption of the contract has a config key (config/costSchema.ts), and no key is not an assumption.
type Exact<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const exhaustive: Exact<typeof assumptionShape, UsageAssumptions> = true;
void exhaustive;

/** One priced dimension of one resource. */
export interface LineItem {
  readonly urn: string;
  readonly type: string;
  /** The resource's logical name. */
  readonly name: string;
  /** The top-level component it belongs to (`prod-orders` of MicroserviceService, ...), or the resource itself. */
  readonly component: string;
  readonly tier: Tier;
  /** What is priced, for a person: `instance hours (m6i.large)`, `data processed`. */
  readonly dimension: string;
  readonly quantity: number;
  /** Unit of `quantity` (the price's unit). */
  readonly unit: string;
  readonly unitPrice: number;
  /** quantity × unitPrice, rounded to cents only when displayed. */
  readonly monthly: number;
  /** The snapshot key priced. */
  readonly priceKey: string;
  /** Set when the quantity comes from a usage assumption: its name (`natGatewayDataGb`). */
  readonly assumption?: keyof UsageAssumptions;
}

/** What a pricer sees besides the resource. */
export interface PricingContext {
  readonly stack: string;
  readonly region: string;
  readonly assumptions: UsageAssumptions;
  /** Every resource of the stack: a pricer may look up what its resource references (a volume's instance, an ALB's listeners). */
  readonly resources: readonly CapturedResource[];
  /** The resource by URN and by provider id. */
  readonly byUrn: ReadonlyMap<string, CapturedResource>;
  readonly byId: ReadonlyMap<string, CapturedResource>;
}

/** A priced dimension before the estimate resolves its price and its component: `quantity` of `priceKey`. */
export interface Charge {
  readonly priceKey: string;
  readonly dimension: string;
  readonly quantity: number;
  readonly assumption?: keyof UsageAssumptions;
}

/** Prices one resource type: the charges of one resource (empty: free). */
export type Pricer = (resource: CapturedResource, ctx: PricingContext) => readonly Charge[];

/** One stack's estimate. */
export interface StackCost {
  readonly stack: string;
  readonly region: string;
  readonly currency: "USD";
  /** The snapshot's date. */
  readonly priceDate: string;
  readonly items: readonly LineItem[];
  readonly total: number;
  readonly byTier: Readonly<Record<Tier, number>>;
  readonly byComponent: Readonly<Record<string, number>>;
  /** The assumptions used (defaults merged with config). */
  readonly assumptions: UsageAssumptions;
  /** Price keys a pricer asked for that the snapshot lacks (the item is left out and listed here). */
  readonly missingPrices: readonly string[];
  /** Price keys used whose price is not verified (derived or assumed). */
  readonly unverifiedPrices: readonly string[];
  /** Resource types with no pricer, with their counts: free or not covered (the estimate says which it knows to be free). */
  readonly unpricedTypes: Readonly<Record<string, number>>;
}
