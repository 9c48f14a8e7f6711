/**
 * Loads a region's price snapshot: every offline/cost/prices/<region>/<domain>.json file, each validated,
 * merged into one PriceSnapshot. Bad files are refused whole, every problem named with its file and key.
 */
import * as fs from "fs";
import * as path from "path";
import type { Price, PriceSnapshot } from "./types";

/** Where the committed snapshots live: one folder per region, one file per pricing domain. */
export const PRICES_DIR = path.join(__dirname, "prices");

/** One domain's file as committed. */
export interface SnapshotFile extends PriceSnapshot {
  /** The file's path (for messages). */
  readonly file: string;
}

/** A snapshot that cannot be used, with every problem found. */
export class PriceSnapshotError extends Error {
  constructor(
    readonly region: string,
    readonly issues: readonly string[],
  ) {
    super(`price snapshot ${region}: ${issues.length === 1 ? issues[0] : `${issues.length} problems:\n  ${issues.join("\n  ")}`}`);
    this.name = "PriceSnapshotError";
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === "string" && v.trim().length > 0;
}

/** The price at `key`, or the problems with it (each naming the key). */
function parsePrice(key: string, raw: unknown): { price?: Price; issues: string[] } {
  if (!isRecord(raw)) return { issues: [`prices.${key}: must be an object { usd, unit, source, verified }`] };
  const issues: string[] = [];
  if (typeof raw.usd !== "number" || !Number.isFinite(raw.usd) || raw.usd <= 0) issues.push(`prices.${key}.usd: must be a positive number (found ${JSON.stringify(raw.usd)})`);
  if (!nonEmpty(raw.unit)) issues.push(`prices.${key}.unit: must be a non-empty string`);
  if (!nonEmpty(raw.source)) issues.push(`prices.${key}.source: is required: say where the figure comes from`);
  if (typeof raw.verified !== "boolean") issues.push(`prices.${key}.verified: must be true or false`);
  const unknown = Object.keys(raw).filter((k) => !["usd", "unit", "source", "verified"].includes(k));
  for (const k of unknown) issues.push(`prices.${key}.${k}: unknown field`);
  if (issues.length > 0) return { issues };
  return { price: { usd: raw.usd as number, unit: raw.unit as string, source: raw.source as string, verified: raw.verified as boolean }, issues };
}

/** One file's content validated against the region it is filed under; problems are prefixed with the file. */
export function parseSnapshotFile(file: string, region: string, raw: unknown): { snapshot?: SnapshotFile; issues: string[] } {
  const at = (m: string): string => `${file}: ${m}`;
  if (!isRecord(raw)) return { issues: [at("must be an object { region, currency, date, source, prices }")] };
  const issues: string[] = [];
  if (raw.region !== region) issues.push(at(`region: is ${JSON.stringify(raw.region)} but the file is filed under ${region}`));
  if (raw.currency !== "USD") issues.push(at(`currency: must be "USD" (found ${JSON.stringify(raw.currency)})`));
  if (typeof raw.date !== "string" || !ISO_DATE.test(raw.date) || Number.isNaN(Date.parse(raw.date))) issues.push(at(`date: must be an ISO date such as 2026-12-01 (found ${JSON.stringify(raw.date)})`));
  if (!nonEmpty(raw.source)) issues.push(at("source: is required: say what the prices were read from"));
  const prices: Record<string, Price> = {};
  if (!isRecord(raw.prices)) issues.push(at("prices: must be an object of price keys"));
  else {
    for (const [key, value] of Object.entries(raw.prices)) {
      if (!/^[a-z0-9-]+(\.[^.\s]+)+$/.test(key)) issues.push(at(`prices.${key}: a price key is dotted lower-case <service>.<dimension>[.<variant>]`));
      const { price, issues: own } = parsePrice(key, value);
      issues.push(...own.map(at));
      if (price) prices[key] = price;
    }
  }
  const unknown = Object.keys(raw).filter((k) => !["region", "currency", "date", "source", "prices"].includes(k));
  for (const k of unknown) issues.push(at(`${k}: unknown field`));
  if (issues.length > 0) return { issues };
  return { snapshot: { file, region, currency: "USD", date: raw.date as string, source: raw.source as string, prices }, issues };
}

/**
 * Merges a region's files: a key in two files is refused naming both; the date is the oldest file's (a
 * merged snapshot is only as fresh as its stalest part); the sources are listed per file.
 */
export function mergeSnapshotFiles(region: string, files: readonly SnapshotFile[]): PriceSnapshot {
  if (files.length === 0) throw new PriceSnapshotError(region, ["no price files"]);
  const issues: string[] = [];
  const prices: Record<string, Price> = {};
  const owner = new Map<string, string>();
  for (const f of [...files].sort((a, b) => a.file.localeCompare(b.file))) {
    for (const [key, price] of Object.entries(f.prices)) {
      const first = owner.get(key);
      if (first !== undefined) {
        issues.push(`prices.${key}: is in both ${first} and ${f.file}; a key belongs to one domain's file`);
        continue;
      }
      owner.set(key, f.file);
      prices[key] = price;
    }
  }
  if (issues.length > 0) throw new PriceSnapshotError(region, issues);
  const sorted = [...files].sort((a, b) => a.file.localeCompare(b.file));
  const date = sorted.map((f) => f.date).sort()[0];
  const source = sorted.map((f) => `${path.basename(f.file)}: ${f.source}`).join("; ");
  const keys = Object.keys(prices).sort();
  return { region, currency: "USD", date, source, prices: Object.fromEntries(keys.map((k) => [k, prices[k]])) };
}

/** Regions with a snapshot folder under `dir`. */
export function snapshotRegions(dir: string = PRICES_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

const loaded = new Map<string, PriceSnapshot>();

/**
 * The region's snapshot from `<dir>/<region>/*.json`, validated and merged (memoised per folder for the
 * process: the files are committed data, not edited while a plan runs). Throws PriceSnapshotError
 * listing every problem of every file.
 */
export function loadSnapshot(region: string, dir: string = PRICES_DIR): PriceSnapshot {
  const folder = path.join(dir, region);
  const memo = loaded.get(folder);
  if (memo) return memo;
  const names = fs.existsSync(folder) ? fs.readdirSync(folder).filter((n) => n.endsWith(".json")).sort() : [];
  if (names.length === 0) {
    const regions = snapshotRegions(dir);
    throw new PriceSnapshotError(region, [`no price files in ${folder}; regions with prices: ${regions.length > 0 ? regions.join(", ") : "none"}`]);
  }
  const issues: string[] = [];
  const files: SnapshotFile[] = [];
  for (const name of names) {
    const file = path.join(folder, name);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      issues.push(`${file}: is not valid JSON: ${(e as Error).message}`);
      continue;
    }
    const parsed = parseSnapshotFile(file, region, raw);
    issues.push(...parsed.issues);
    if (parsed.snapshot) files.push(parsed.snapshot);
  }
  if (issues.length > 0) throw new PriceSnapshotError(region, issues);
  const snapshot = mergeSnapshotFiles(region, files);
  loaded.set(folder, snapshot);
  return snapshot;
}

/** Forgets memoised snapshots (tests that rewrite a folder; the refresh script after writing). */
export function clearSnapshotCache(): void {
  loaded.clear();
}
