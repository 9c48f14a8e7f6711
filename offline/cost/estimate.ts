/**
 * The monthly estimate of one stack, pure: each priced resource's charges (from the pricer registry)
 * resolved against a price snapshot into line items, attributed to the top-level component the
 * resource sits under and to that component's tier, and totalled (docs/cost.md).
 */
import type { CapturedResource } from "../types";
import { type PricerRegistry, pricerRegistry } from "./pricers";
import { type LineItem, type PriceSnapshot, type PricingContext, type StackCost, type Tier, TIERS, type UsageAssumptions } from "./types";

/**
 * Default monthly usage: modest figures for an e-commerce environment early in its life, chosen so an
 * estimate is not dominated by guesses. A stack overrides any of them with `tila-platform:cost.assumptions`;
 * docs/cost.md explains each.
 */
export const DEFAULT_ASSUMPTIONS: UsageAssumptions = Object.freeze({
  natGatewayDataGb: 100,
  transitDataGbPerAttachment: 50,
  vpnDataGb: 20,
  endpointDataGb: 10,
  loadBalancerLcu: 1,
  wafRequestsMillions: 5,
  logIngestionGbPerGroup: 1,
  s3StorageGbPerBucket: 20,
  snapshotGbPerVolumeGb: 0.5,
  route53QueriesMillionsPerZone: 1,
  lambdaInvocationsMillions: 0.1,
  lakeStorageGbPerBucket: 200,
  athenaScannedTbPerWorkgroup: 1,
});

/** The assumption names, for config validation and messages. */
export const ASSUMPTION_NAMES = Object.freeze(Object.keys(DEFAULT_ASSUMPTIONS) as (keyof UsageAssumptions)[]);

/** Defaults with a stack's overrides on top (undefined values keep the default). */
export function resolveAssumptions(overrides: Partial<UsageAssumptions> = {}): UsageAssumptions {
  const out: Record<string, number> = { ...DEFAULT_ASSUMPTIONS };
  for (const name of ASSUMPTION_NAMES) {
    const v = overrides[name];
    if (v !== undefined) out[name] = v;
  }
  return out as unknown as UsageAssumptions;
}

const TIER_BY_DOMAIN: Readonly<Record<string, Tier>> = {
  network: "network",
  data: "data",
  compute: "services",
  edge: "edge",
  observability: "observability",
  security: "security",
  analytics: "analytics",
};

/** The tier of a top-level component's type token (`tila:<domain>:<Name>`); anything else is `other`. */
export function tierOf(type: string): Tier {
  const m = /^tila:([a-z]+):/.exec(type);
  return (m && TIER_BY_DOMAIN[m[1]]) || "other";
}

/** A resource's top-level component: its ancestor whose parent is the root stack (itself when it sits directly under the root). */
export function topComponent(r: CapturedResource, byUrn: ReadonlyMap<string, CapturedResource>): CapturedResource {
  let current = r;
  const seen = new Set<string>();
  for (;;) {
    // A plan folder's resources.json writes the root's missing parent as null.
    const parent = current.parent != null ? byUrn.get(current.parent) : undefined;
    if (parent === undefined || parent.parent == null || seen.has(parent.urn)) return current;
    seen.add(current.urn);
    current = parent;
  }
}

/** Only what a provider creates is priced: not components, reads (`.get()`, StackReferences), remote components or the engine's own types. */
function priceable(r: CapturedResource): boolean {
  return r.custom && r.read !== true && r.remote !== true && !r.type.startsWith("pulumi:");
}

/**
 * One stack's estimate. Resources are taken in URN order, so the items and the floating-point totals
 * do not depend on the order the program registered them in. A charge whose price the snapshot lacks is
 * left out and its key listed in missingPrices; a type with no pricer that is not known to be free is
 * counted in unpricedTypes.
 */
export function estimateStack(
  stack: string,
  region: string,
  resources: readonly CapturedResource[],
  snapshot: PriceSnapshot,
  assumptions: UsageAssumptions,
  registry: PricerRegistry = pricerRegistry(),
): StackCost {
  if (snapshot.region !== region) throw new Error(`cost: stack ${stack} is in ${region} but the price snapshot is for ${snapshot.region}`);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  // Built on first use: reading every id costs the policy pack a copy of every resource's props.
  let byId: Map<string, CapturedResource> | undefined;
  const ctx: PricingContext = {
    stack,
    region,
    assumptions,
    resources,
    byUrn,
    get byId() {
      return (byId ??= new Map(resources.filter((r) => typeof r.id === "string" && r.id !== "").map((r) => [r.id as string, r])));
    },
  };
  const items: LineItem[] = [];
  const missing = new Set<string>();
  const unverified = new Set<string>();
  const unpriced = new Map<string, number>();
  const sorted = [...resources].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  for (const r of sorted) {
    if (!priceable(r)) continue;
    const pricer = registry.pricers.get(r.type);
    if (pricer === undefined) {
      if (!registry.free.has(r.type)) unpriced.set(r.type, (unpriced.get(r.type) ?? 0) + 1);
      continue;
    }
    const component = topComponent(r, byUrn);
    const tier = tierOf(component.type);
    for (const c of pricer(r, ctx)) {
      if (!Number.isFinite(c.quantity) || c.quantity < 0) throw new Error(`cost: the pricer of ${r.type} gave ${r.name} a quantity of ${c.quantity} for ${c.priceKey}`);
      const price = snapshot.prices[c.priceKey];
      if (price === undefined) {
        missing.add(c.priceKey);
        continue;
      }
      if (!price.verified) unverified.add(c.priceKey);
      items.push({
        urn: r.urn,
        type: r.type,
        name: r.name,
        component: component.name,
        tier,
        dimension: c.dimension,
        quantity: c.quantity,
        unit: price.unit,
        unitPrice: price.usd,
        monthly: c.quantity * price.usd,
        priceKey: c.priceKey,
        ...(c.assumption !== undefined ? { assumption: c.assumption } : {}),
      });
    }
  }
  const byTier = Object.fromEntries(TIERS.map((t) => [t, 0])) as Record<Tier, number>;
  const byComponent: Record<string, number> = {};
  let total = 0;
  for (const i of items) {
    total += i.monthly;
    byTier[i.tier] += i.monthly;
    byComponent[i.component] = (byComponent[i.component] ?? 0) + i.monthly;
  }
  return {
    stack,
    region,
    currency: "USD",
    priceDate: snapshot.date,
    items,
    total,
    byTier,
    byComponent: Object.fromEntries(Object.entries(byComponent).sort(([a], [b]) => a.localeCompare(b))),
    assumptions,
    missingPrices: [...missing].sort(),
    unverifiedPrices: [...unverified].sort(),
    unpricedTypes: Object.fromEntries([...unpriced].sort(([a], [b]) => a.localeCompare(b))),
  };
}
