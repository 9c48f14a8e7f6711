/**
 * The engine of scripts/refresh-prices.ts, pure: finds each price key's row in an AWS Price List offer
 * file (products -> attributes.usagetype and filters; terms.OnDemand -> priceDimensions -> pricePerUnit.USD)
 * and rewrites a domain's snapshot file from what it found. A key it cannot refresh is kept as it was
 * and reported, never deleted.
 */
import type { Price } from "./types";
import type { SnapshotFile } from "./snapshot";

/** Where the Price List API's public bulk files live (docs/cost.md). */
export const PRICING_HOST = "https://pricing.us-east-1.amazonaws.com";
export const OFFER_INDEX_URL = `${PRICING_HOST}/offers/v1.0/aws/index.json`;

/**
 * The usage-type prefix of each region whose prices we keep: usage types read `MES1-NatGateway-Hours` in
 * me-south-1 and `MEC1-...` in me-central-1. A region missing here cannot be refreshed (the script says so).
 */
export const REGION_USAGE_PREFIX: Readonly<Record<string, string>> = Object.freeze({ "me-south-1": "MES1-", "me-central-1": "MEC1-" });

/** One price's place in an offer file (declared per domain beside its pricers: pricers/<domain>Offers.ts). */
export interface OfferRowSpec {
  readonly offer: string;
  readonly usagetypeSuffix: string;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly fallbackOffer?: string;
}

/** A key computed from another after the refresh (Fargate Spot from on-demand). */
export interface DerivedSpec {
  readonly from: string;
  readonly factor: number;
}

/** The parts of a regional offer file the refresh reads. */
export interface OfferFile {
  readonly products?: Readonly<Record<string, { sku?: string; productFamily?: string; attributes?: Readonly<Record<string, string>> }>>;
  readonly terms?: { readonly OnDemand?: Readonly<Record<string, Readonly<Record<string, { priceDimensions?: Readonly<Record<string, { unit?: string; pricePerUnit?: { USD?: string }; beginRange?: string; startingRange?: string }>> }>>>> };
  readonly publicationDate?: string;
}

export type Found = { ok: true; usd: number; unit: string; usagetype: string; sku: string } | { ok: false; reason: string };

/** Our unit's multiplier over the offer's per-unit price: `1M requests` is a million of the offer's requests. */
export function unitMultiplier(ourUnit: string): number {
  const m = /^(\d+)([KM])\b/.exec(ourUnit);
  if (!m) return 1;
  return Number(m[1]) * (m[2] === "K" ? 1_000 : 1_000_000);
}

/**
 * The on-demand price of the row `spec` names in `file`: every product whose usagetype is `<prefix><suffix>`
 * (or the bare suffix, as global services write it) and whose attributes match; its first paid tier. Several
 * different prices are ambiguous and refused.
 */
export function findOfferPrice(file: OfferFile, spec: OfferRowSpec, prefix: string): Found {
  const wanted = [`${prefix}${spec.usagetypeSuffix}`, spec.usagetypeSuffix];
  const matches: { sku: string; usagetype: string }[] = [];
  for (const [sku, p] of Object.entries(file.products ?? {})) {
    const attrs = p.attributes ?? {};
    const usagetype = attrs.usagetype ?? "";
    if (!wanted.includes(usagetype)) continue;
    const fits = Object.entries(spec.attributes ?? {}).every(([k, v]) => (k === "productFamily" ? (p.productFamily ?? attrs.productFamily) === v : attrs[k] === v));
    if (fits) matches.push({ sku, usagetype });
  }
  if (matches.length === 0) return { ok: false, reason: `no ${spec.offer} product with usagetype ${wanted[0]}${spec.attributes ? ` and ${JSON.stringify(spec.attributes)}` : ""}` };
  const prices = new Map<number, { sku: string; usagetype: string; unit: string }>();
  for (const m of matches) {
    for (const term of Object.values(file.terms?.OnDemand?.[m.sku] ?? {})) {
      const dims = Object.values(term.priceDimensions ?? {})
        .map((d) => ({ usd: Number(d.pricePerUnit?.USD), unit: d.unit ?? "", from: Number(d.beginRange ?? d.startingRange ?? 0) }))
        .filter((d) => Number.isFinite(d.usd) && d.usd > 0)
        .sort((a, b) => a.from - b.from);
      if (dims.length > 0) prices.set(dims[0].usd, { sku: m.sku, usagetype: m.usagetype, unit: dims[0].unit });
    }
  }
  if (prices.size === 0) return { ok: false, reason: `${matches.length} product(s) with usagetype ${matches[0].usagetype} but no paid on-demand price` };
  if (prices.size > 1) return { ok: false, reason: `ambiguous: ${prices.size} different on-demand prices (${[...prices.keys()].join(", ")}) for usagetype ${matches[0].usagetype}; add an attribute filter` };
  const [[usd, at]] = [...prices];
  return { ok: true, usd, unit: at.unit, usagetype: at.usagetype, sku: at.sku };
}

/** What the refresh did to one file. */
export interface RefreshReport {
  readonly file: SnapshotFile;
  /** Keys whose price changed: old and new. */
  readonly changed: readonly { key: string; from: number; to: number }[];
  /** Keys read again from AWS (changed or not). */
  readonly refreshed: readonly string[];
  /** Keys kept as they were, with why. */
  readonly kept: readonly { key: string; reason: string }[];
}

/** A price more than this factor away from the committed one is held back: a unit the multiplier does not know, most likely. */
export const SUSPICIOUS_FACTOR = 10;

/**
 * The domain file rewritten from the offer files (`offers`: offer code -> that region's offer file, or why it
 * could not be read). Keys with a spec are refreshed, derived keys recomputed from their refreshed base; every
 * other key, and every key whose row is missing, ambiguous or implausible, is kept and reported.
 */
export function refreshFile(
  current: SnapshotFile,
  specs: Readonly<Record<string, OfferRowSpec>>,
  derived: Readonly<Record<string, DerivedSpec>>,
  offers: ReadonlyMap<string, OfferFile | string>,
  date: string,
): RefreshReport {
  const prefix = REGION_USAGE_PREFIX[current.region];
  const prices: Record<string, Price> = { ...current.prices };
  const changed: { key: string; from: number; to: number }[] = [];
  const refreshed: string[] = [];
  const kept: { key: string; reason: string }[] = [];
  const apply = (key: string, price: Price): void => {
    const old = current.prices[key];
    if (old !== undefined && old.usd !== price.usd) changed.push({ key, from: old.usd, to: price.usd });
    prices[key] = price;
    refreshed.push(key);
  };
  for (const key of Object.keys(current.prices).sort()) {
    const spec = specs[key];
    if (spec === undefined || derived[key] !== undefined) continue;
    if (prefix === undefined) {
      kept.push({ key, reason: `no usage-type prefix known for ${current.region}` });
      continue;
    }
    let found: Found = { ok: false, reason: "not read" };
    for (const code of [spec.offer, ...(spec.fallbackOffer ? [spec.fallbackOffer] : [])]) {
      const file = offers.get(code);
      found = file === undefined ? { ok: false, reason: `offer ${code} was not downloaded` } : typeof file === "string" ? { ok: false, reason: `offer ${code}: ${file}` } : findOfferPrice(file, spec, prefix);
      if (found.ok) break;
    }
    if (!found.ok) {
      kept.push({ key, reason: found.reason });
      continue;
    }
    const old = current.prices[key];
    const usd = Number((found.usd * unitMultiplier(old.unit)).toPrecision(10));
    if (usd > old.usd * SUSPICIOUS_FACTOR || usd < old.usd / SUSPICIOUS_FACTOR) {
      kept.push({ key, reason: `the offer gives ${found.usd} per ${found.unit || "unit"} (${usd} per ${old.unit}), over ${SUSPICIOUS_FACTOR}x away from ${old.usd}: check the unit` });
      continue;
    }
    apply(key, { usd, unit: old.unit, source: `${spec.offer} offer file, usagetype ${found.usagetype}, sku ${found.sku}, read ${date}`, verified: true });
  }
  for (const [key, d] of Object.entries(derived).sort(([a], [b]) => a.localeCompare(b))) {
    if (current.prices[key] === undefined) continue;
    if (!refreshed.includes(d.from)) {
      kept.push({ key, reason: `derived from ${d.from}, which was not refreshed` });
      continue;
    }
    const base = prices[d.from];
    apply(key, { usd: Number((base.usd * d.factor).toPrecision(10)), unit: current.prices[key].unit, source: `derived: ${d.from} x ${d.factor} (${base.source})`, verified: false });
  }
  for (const key of Object.keys(current.prices)) {
    if (specs[key] === undefined && derived[key] === undefined) kept.push({ key, reason: "no offer row declared for it" });
  }
  const source = `AWS Price List API bulk offer files (${PRICING_HOST}/offers/v1.0/aws/<offer>/.../${current.region}/index.json), read ${date}: ${refreshed.length} of ${Object.keys(current.prices).length} prices; the others kept from ${current.date} (their sources say where from)`;
  const file: SnapshotFile = { ...current, date: refreshed.length > 0 ? date : current.date, source: refreshed.length > 0 ? source : current.source, prices: Object.fromEntries(Object.keys(prices).sort().map((k) => [k, prices[k]])) };
  return { file, changed, refreshed, kept: kept.sort((a, b) => a.key.localeCompare(b.key)) };
}
