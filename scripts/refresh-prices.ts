/**
 * Refreshes the committed price snapshots (offline/cost/prices/<region>/<domain>.json) from the AWS Price
 * List API's public bulk offer files, when online. Every domain declares where its keys are
 * (offline/cost/pricers/<domain>Offers.ts); a key the offers do not give is kept and reported. See docs/cost.md.
 *
 *   npm run prices:refresh [-- --region me-south-1 ...] [--dry-run]
 *
 * Exit 0 done, 1 a download or write failed, 2 usage error (found before anything is downloaded).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { DATA_OFFERS } from "../offline/cost/pricers/dataOffers";
import { NETWORK_DERIVED, NETWORK_OFFERS } from "../offline/cost/pricers/networkOffers";
import { type DerivedSpec, OFFER_INDEX_URL, type OfferFile, type OfferRowSpec, PRICING_HOST, REGION_USAGE_PREFIX, type RefreshReport, refreshFile } from "../offline/cost/refresh";
import { PRICES_DIR, type SnapshotFile, parseSnapshotFile, snapshotRegions } from "../offline/cost/snapshot";

export const USAGE = "usage: npm run prices:refresh [-- [--region <name>]... [--dry-run] [--prices <dir>]]";

/** The domains whose files the refresh rewrites: file name, where each key is, what is derived. */
export const DOMAINS: readonly { file: string; offers: Readonly<Record<string, OfferRowSpec>>; derived: Readonly<Record<string, DerivedSpec>> }[] = [
  { file: "network.json", offers: NETWORK_OFFERS, derived: NETWORK_DERIVED },
  { file: "data.json", offers: DATA_OFFERS, derived: {} },
];

export interface RefreshOptions {
  regions: string[];
  dryRun: boolean;
  pricesDir: string;
}

/** The options, or a usage error: checked before any download. */
export function parseOptions(argv: readonly string[], pricesDir: string = PRICES_DIR): RefreshOptions | string {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: { region: { type: "string", multiple: true }, "dry-run": { type: "boolean", default: false }, prices: { type: "string" } } }));
  } catch (e) {
    return (e as Error).message.split("\n")[0];
  }
  const dir = values.prices !== undefined ? path.resolve(values.prices) : pricesDir;
  const known = snapshotRegions(dir);
  const regions = values.region ?? known;
  if (regions.length === 0) return `no region folders in ${dir}`;
  for (const r of regions) {
    if (!known.includes(r)) return `--region ${r}: no snapshot folder ${path.join(dir, r)}; regions: ${known.join(", ") || "none"}`;
    if (REGION_USAGE_PREFIX[r] === undefined) return `--region ${r}: its usage-type prefix is not known (offline/cost/refresh.ts REGION_USAGE_PREFIX)`;
  }
  return { regions: [...new Set(regions)], dryRun: values["dry-run"] ?? false, pricesDir: dir };
}

export type FetchJson = (url: string) => Promise<unknown>;

const fetchJson: FetchJson = async (url) => {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
};

function absolute(url: string): string {
  return url.startsWith("http") ? url : `${PRICING_HOST}${url}`;
}

/** Each offer's file for `region` through the index and the offer's region index, or why it could not be read. */
export async function downloadOffers(region: string, codes: readonly string[], get: FetchJson): Promise<Map<string, OfferFile | string>> {
  const index = (await get(OFFER_INDEX_URL)) as { offers?: Record<string, { currentRegionIndexUrl?: string }> };
  const out = new Map<string, OfferFile | string>();
  for (const code of codes) {
    try {
      const regionIndexUrl = index.offers?.[code]?.currentRegionIndexUrl;
      if (!regionIndexUrl) throw new Error(`not in ${OFFER_INDEX_URL}`);
      const regions = (await get(absolute(regionIndexUrl))) as { regions?: Record<string, { currentVersionUrl?: string }> };
      const url = regions.regions?.[region]?.currentVersionUrl;
      if (!url) throw new Error(`no ${region} file in its region index`);
      out.set(code, (await get(absolute(url))) as OfferFile);
    } catch (e) {
      out.set(code, e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}

function readFile(file: string, region: string): SnapshotFile {
  const parsed = parseSnapshotFile(file, region, JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.snapshot) throw new Error(parsed.issues.join("; "));
  return parsed.snapshot;
}

/** The file as committed: `{ region, currency, date, source, prices }`, keys sorted, two-space JSON. */
export function renderSnapshotFile(f: SnapshotFile): string {
  return JSON.stringify({ region: f.region, currency: f.currency, date: f.date, source: f.source, prices: f.prices }, null, 2) + "\n";
}

function describe(r: RefreshReport): string[] {
  const lines = [`${r.file.file}: ${r.refreshed.length} refreshed, ${r.changed.length} changed, ${r.kept.length} kept`];
  for (const c of r.changed) lines.push(`  changed ${c.key}: ${c.from} -> ${c.to}`);
  for (const k of r.kept) lines.push(`  kept ${k.key}: ${k.reason}`);
  return lines;
}

/** Runs the refresh; resolves to the exit code. */
export async function main(argv: readonly string[], io: { out: (s: string) => void; err: (s: string) => void; get?: FetchJson; today?: string; pricesDir?: string } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  const opts = parseOptions(argv, io.pricesDir);
  if (typeof opts === "string") {
    io.err(`prices:refresh: ${opts}\n${USAGE}\n`);
    return 2;
  }
  const get = io.get ?? fetchJson;
  const today = io.today ?? new Date().toISOString().slice(0, 10);
  let failed = false;
  for (const region of opts.regions) {
    const domains = DOMAINS.map((d) => ({ ...d, path: path.join(opts.pricesDir, region, d.file) })).filter((d) => fs.existsSync(d.path));
    const codes = [...new Set(domains.flatMap((d) => Object.values(d.offers).flatMap((o) => [o.offer, ...(o.fallbackOffer ? [o.fallbackOffer] : [])])))].sort();
    let offers: Map<string, OfferFile | string>;
    try {
      offers = await downloadOffers(region, codes, get);
    } catch (e) {
      io.err(`prices:refresh: ${region}: the offer index could not be read: ${e instanceof Error ? e.message : String(e)}\n`);
      failed = true;
      continue;
    }
    for (const [code, f] of offers) if (typeof f === "string") io.err(`prices:refresh: ${region}: offer ${code}: ${f}\n`);
    for (const d of domains) {
      try {
        const report = refreshFile(readFile(d.path, region), d.offers, d.derived, offers, today);
        io.out(describe(report).join("\n") + "\n");
        const check = parseSnapshotFile(d.path, region, JSON.parse(renderSnapshotFile(report.file)));
        if (!check.snapshot) throw new Error(`the refreshed file would be invalid: ${check.issues.join("; ")}`);
        if (!opts.dryRun && report.refreshed.length > 0) fs.writeFileSync(d.path, renderSnapshotFile(report.file));
      } catch (e) {
        io.err(`prices:refresh: ${d.path}: ${e instanceof Error ? e.message : String(e)}\n`);
        failed = true;
      }
    }
  }
  if (opts.dryRun) io.out("dry run: nothing written\n");
  return failed ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`prices:refresh: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
