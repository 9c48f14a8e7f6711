/**
 * YAML parsing memoised by text. A plan parses the same few stack files many times (each stack's
 * config, config validation's view of every other stack, the plan cache's keys): 118 parses of 6
 * distinct texts in a five-stack plan, about 0.3 s of it in the `yaml` parser. Each caller gets its
 * own copy, so a caller that changes the document cannot change what the next one reads; a text
 * that does not parse throws the parser's error again.
 *
 * The offline plan also keeps parsed documents on disk (`persistParsedYaml`), keyed by a hash of
 * the text and the parser's version: a cold parser costs about 80 ms of a hot-fix re-plan, reading
 * JSON back almost nothing. A program run by the Pulumi CLI never turns that on.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Enough for every stack file of a run and a test's variants; the oldest entry goes first. */
const MAX_ENTRIES = 64;

type Parsed = { doc: unknown } | { error: unknown };

const parsed = new Map<string, Parsed>();
let diskDir: string | undefined;
let parserVersion: string | undefined;

/** Keeps parsed documents as JSON files in `dir` from now on (undefined: stop). */
export function persistParsedYaml(dir: string | undefined): void {
  diskDir = dir;
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parserVersion ??= (require("yaml/package.json") as { version: string }).version;
  return parserVersion;
}

/** True when JSON holds `value` exactly (no undefined, no non-finite number, only plain data). */
function jsonExact(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(jsonExact);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value as object).every(jsonExact);
  return false;
}

function parseOnDisk(text: string): Parsed {
  const dir = diskDir;
  if (dir === undefined) return parseNow(text);
  const file = path.join(dir, `${createHash("sha256").update(version()).update("\0").update(text).digest("hex")}.json`);
  try {
    return { doc: JSON.parse(fs.readFileSync(file, "utf8")) as unknown };
  } catch {
    const entry = parseNow(text);
    if ("doc" in entry && entry.doc !== undefined && jsonExact(entry.doc)) {
      try {
        fs.mkdirSync(dir, { recursive: true });
        // Write then rename, so a reader never sees half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(entry.doc));
        fs.renameSync(tmp, file);
      } catch {
        // A cache that cannot be written only costs a parse next time.
      }
    }
    return entry;
  }
}

function parseNow(text: string): Parsed {
  try {
    return { doc: parse(text) };
  } catch (e) {
    return { error: e };
  }
}

/** `yaml.parse(text)`, computed once per distinct text. */
export function parseYamlCached(text: string): unknown {
  let entry = parsed.get(text);
  if (entry === undefined) {
    entry = parseOnDisk(text);
    if (parsed.size >= MAX_ENTRIES) parsed.delete(parsed.keys().next().value as string);
    parsed.set(text, entry);
  }
  if ("error" in entry) throw entry.error;
  return entry.doc === null || typeof entry.doc !== "object" ? entry.doc : structuredClone(entry.doc);
}
