/**
 * The GELF level of service logs (docs/observability-logging.md#services-firelens, "The level"): the
 * FireLens file's filters in order with their exact keys, the level filter's Lua run under LuaJIT
 * (the interpreter Fluent Bit embeds) on records shaped as the parser filter leaves them, the GELF
 * output reading `level`, and the whole prod stack carrying the file and passing the pack.
 */
import { spawnSync } from "child_process";
import { expect } from "chai";
import {
  DEFAULT_LEVEL, LEVEL_FUNCTION, LEVEL_KEYS, LEVEL_NAMES, NUMERIC_LEVELS, STASH_FUNCTION, STASH_KEY, STOCK_PARSERS_FILE, STREAM_LEVELS,
  fallbackConfig, gelfOutputOptions, levelLua, stashLua,
} from "../../components/compute/firelens";
import { LOG_FIELDS } from "../../components/observability/logging/graylogPlan";
import type { StackRun } from "../../offline/engine";
import { ensureTestTools, systemHost } from "../../scripts/ensureTestTools";
import { mandatoryFindings } from "../support/realPolicy";
import { realStack } from "../support/realStacks";

type Section = { header: string; entries: [string, string][] };

/** The classic-format file as Fluent Bit reads it: a section per `[HEADER]`, each line `key value` (value trimmed). */
function sections(text: string): Section[] {
  const out: Section[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const header = /^\[([A-Z_]+)\]$/.exec(line);
    if (header) {
      out.push({ header: header[1]!, entries: [] });
      continue;
    }
    const kv = /^ {4}(\S+) +(.+)$/.exec(line);
    if (!kv || out.length === 0) throw new Error(`not a classic-format line: ${JSON.stringify(line)}`);
    out[out.length - 1]!.entries.push([kv[1]!, kv[2]!]);
  }
  return out;
}

/** A JS value as a Lua literal (ASCII strings: LuaJIT reads JSON's escapes \" \\ \n alike). */
function lua(v: unknown): string {
  if (typeof v === "string") {
    if (!/^[\x20-\x7e]*$/.test(v)) throw new Error(`lua: non-ASCII test string ${JSON.stringify(v)}`);
    return JSON.stringify(v);
  }
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `{${v.map(lua).join(",")}}`;
  if (typeof v === "object" && v !== null) return `{${Object.entries(v).map(([k, x]) => `[${lua(k)}]=${lua(x)}`).join(",")}}`;
  throw new Error(`lua: cannot write ${String(v)}`);
}

/** A record as FireLens hands it to the router for a line `log` read from `source`. */
function firelensRecord(log: string, source?: "stdout" | "stderr"): Record<string, unknown> {
  return { log, ...(source ? { source } : {}), container_id: "c0ffee", container_name: "checkout", ecs_cluster: "prod", ecs_task_definition: "prod-checkout:7" };
}

/**
 * `record` as the parser filter leaves the stash filter's output: the line's JSON keys when it is a
 * JSON object, then the kept keys (the stash and `log`), which win where both have one: the parser
 * appends the kept keys after the parsed ones, and a Lua table keeps the last of two equal keys.
 */
function afterParser(record: Record<string, unknown>): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(record.log as string);
  } catch {
    parsed = undefined;
  }
  const json = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { ...json, [STASH_KEY]: record, log: record.log };
}

/** What FireLens's record for `log` is when it reaches the level filter. */
const parsed = (log: string, source?: "stdout" | "stderr"): Record<string, unknown> => afterParser(firelensRecord(log, source));

interface Out {
  code: number;
  timestamp: number;
  record: Record<string, unknown>;
  /** `level` is a whole number (Fluent Bit packs it as an integer). */
  integral: boolean;
}

/** Runs `fn` of the filter code `code` on each record under LuaJIT, each code loaded as its own chunk as Fluent Bit loads it. */
function runLua(code: string, fn: string, records: readonly Record<string, unknown>[]): Out[] {
  const script = [
    `assert(loadstring([==[${code}]==]))()`,
    // A small JSON writer for the results (ASCII test strings; a table with keys 1..n is an array).
    "local function enc(v)",
    "  if type(v) == \"string\" then return \"\\\"\" .. string.gsub(string.gsub(v, \"\\\\\", \"\\\\\\\\\"), \"\\\"\", \"\\\\\\\"\") .. \"\\\"\" end",
    "  if type(v) == \"number\" or type(v) == \"boolean\" then return tostring(v) end",
    "  if type(v) == \"table\" then",
    "    local n = 0 for _ in pairs(v) do n = n + 1 end",
    "    local parts = {}",
    "    if n > 0 and n == table.getn(v) then for i = 1, n do table.insert(parts, enc(v[i])) end return \"[\" .. table.concat(parts, \",\") .. \"]\" end",
    "    local ks = {} for k in pairs(v) do table.insert(ks, k) end table.sort(ks)",
    "    for _, k in ipairs(ks) do table.insert(parts, enc(k) .. \":\" .. enc(v[k])) end",
    "    return \"{\" .. table.concat(parts, \",\") .. \"}\"",
    "  end",
    "  return \"null\"",
    "end",
    `local cases = {${records.map(lua).join(",")}}`,
    "for _, r in ipairs(cases) do",
    `  local code, ts, out = ${fn}("checkout-firelens-0a1b", 1733362800.25, r)`,
    "  local integral = type(out[\"level\"]) == \"number\" and out[\"level\"] == math.floor(out[\"level\"])",
    "  io.write(\"{\\\"code\\\":\", code, \",\\\"timestamp\\\":\", string.format(\"%.2f\", ts), \",\\\"integral\\\":\", tostring(integral), \",\\\"record\\\":\", enc(out), \"}\\n\")",
    "end",
  ].join("\n");
  const r = spawnSync("luajit", ["-"], { input: script, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`luajit failed (${r.status}): ${r.stderr}${r.error ? r.error.message : ""}`);
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines).to.have.length(records.length);
  return lines.map((l) => JSON.parse(l) as Out);
}

/** The level filter's result for each record; its level must be a whole number. */
function runLevel(records: readonly Record<string, unknown>[]): Out[] {
  const out = runLua(levelLua(), LEVEL_FUNCTION, records);
  for (const o of out) {
    expect(o.record.level, JSON.stringify(o.record)).to.be.a("number");
    expect(o.integral, JSON.stringify(o.record)).to.equal(true);
  }
  return out;
}

const levelOf = (records: readonly Record<string, unknown>[]): number[] => runLevel(records).map((o) => o.record.level as number);

describe("FireLens: the level of service records", () => {
  before(function () {
    this.timeout(300000);
    // Like npm's pretest for shellcheck and jq: installed with apt-get as root, else a clear stop.
    if (ensureTestTools(systemHost(), [{ command: "luajit", aptPackage: "luajit" }]) !== 0) throw new Error("these tests need luajit on PATH");
  });

  describe("the FireLens file", () => {
    const file = sections(fallbackConfig());

    it("loads the image's stock parsers, then stashes, parses, levels, marks and copies, in that order", () => {
      expect(file.map((s) => [s.header, s.entries.find(([k]) => k === "Name")?.[1] ?? null])).to.deep.equal([
        ["SERVICE", null], ["FILTER", "lua"], ["FILTER", "parser"], ["FILTER", "lua"], ["FILTER", "record_modifier"], ["OUTPUT", "cloudwatch_logs"],
      ]);
      expect(file[0]!.entries).to.deep.equal([["Parsers_File", STOCK_PARSERS_FILE]]);
      expect(STOCK_PARSERS_FILE).to.equal("/fluent-bit/parsers/parsers.conf");
    });

    it("stashes FireLens's record, then reads the line as JSON beside it, keeping the stash and the line", () => {
      expect(file[1]!.entries).to.deep.equal([["Name", "lua"], ["Match", "*-firelens-*"], ["call", STASH_FUNCTION], ["code", stashLua()]]);
      expect(file[2]!.entries).to.deep.equal([
        ["Name", "parser"], ["Match", "*-firelens-*"], ["Key_Name", "log"], ["Parser", "json"], ["Reserve_Data", "On"], ["Preserve_Key", "On"],
      ]);
    });

    it("runs the level function, each code on one line, before the fields Graylog routes on are set", () => {
      expect(file[3]!.entries).to.deep.equal([["Name", "lua"], ["Match", "*-firelens-*"], ["call", LEVEL_FUNCTION], ["code", levelLua()]]);
      for (const code of [stashLua(), levelLua()]) {
        expect(code).not.to.include("\n");
        expect(code).not.to.include("--");
        expect(code).not.to.include("${");
      }
      expect(levelLua()).to.include(`function ${LEVEL_FUNCTION}(tag, timestamp, record)`);
      expect(stashLua()).to.include(`function ${STASH_FUNCTION}(tag, timestamp, record)`);
      expect(file[4]!.entries.filter(([k]) => k === "Record").map(([, v]) => v.split(" ")[0])).to.deep.equal([LOG_FIELDS.environment, LOG_FIELDS.kind, LOG_FIELDS.service, "host"]);
    });

    it("is included by the init process, not taken for a parsers file (which it passes with -R)", () => {
      expect(fallbackConfig()).not.to.include("[PARSER]");
      expect(fallbackConfig()).not.to.include("[MULTILINE_PARSER]");
    });

    it("has the GELF output read `level` as the level and `log` as the short message", () => {
      expect(gelfOutputOptions({ host: "graylog.prod.internal.tila.sa", port: 12201 })).to.deep.include({ Gelf_Level_Key: "level", Gelf_Short_Message_Key: "log", Gelf_Host_Key: "host" });
    });
  });

  describe("the level function (LuaJIT)", () => {
    it("maps the brief's names in any case to syslog numbers", () => {
      const names: [string, number][] = [["error", 3], ["err", 3], ["fatal", 2], ["crit", 2], ["warn", 4], ["warning", 4], ["info", 6], ["debug", 7], ["trace", 7]];
      for (const [name, n] of names) expect(LEVEL_NAMES[name], name).to.equal(n);
      const spellings = names.flatMap(([name]) => [name, name.toUpperCase(), name[0]!.toUpperCase() + name.slice(1)]);
      expect(levelOf(spellings.map((s) => parsed(JSON.stringify({ msg: "x", level: s }), "stdout")))).to.deep.equal(names.flatMap(([, n]) => [n, n, n]));
    });

    it("maps every name of its table, and nothing else by name", () => {
      const entries = Object.entries(LEVEL_NAMES);
      expect(levelOf(entries.map(([name]) => parsed(JSON.stringify({ level: name }), "stderr")))).to.deep.equal(entries.map(([, n]) => n));
      // Unknown names fall back to the stream: stderr 3, stdout 6.
      expect(levelOf(["panic", "warnings", "", "in fo", "e"].map((s) => parsed(JSON.stringify({ level: s }), "stdout")))).to.deep.equal([6, 6, 6, 6, 6]);
      expect(levelOf(["informational", "ok"].map((s) => parsed(JSON.stringify({ level: s }), "stderr")))).to.deep.equal([3, 3]);
    });

    it("keeps a syslog number 0-7, written as a number or one digit, and maps pino's numbers", () => {
      const numbers = [0, 1, 2, 3, 4, 5, 6, 7];
      expect(levelOf(numbers.map((n) => parsed(JSON.stringify({ level: n }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf(numbers.map((n) => parsed(JSON.stringify({ level: String(n) }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf([parsed('{"level":3.0}', "stdout")])).to.deep.equal([3]);
      const pino = Object.entries(NUMERIC_LEVELS);
      expect(pino.map(([k]) => Number(k))).to.deep.equal([10, 20, 30, 40, 50, 60]);
      expect(levelOf(pino.map(([k]) => parsed(`{"level":${k},"msg":"x"}`, "stderr")))).to.deep.equal(pino.map(([, n]) => n));
    });

    it("never passes on a level GELF cannot take: out of range, fractional, negative, boolean, nested or a numeric string", () => {
      const odd = ['{"level":8}', '{"level":-1}', '{"level":2.5}', '{"level":true}', '{"level":{"name":"error"}}', '{"level":["error"]}', '{"level":"30"}', '{"level":"8"}', '{"level":35}'];
      expect(levelOf(odd.map((l) => parsed(l, "stderr")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stderr));
      expect(levelOf(odd.map((l) => parsed(l, "stdout")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stdout));
    });

    it("tries level, then severity, then log.level, taking the first it can read", () => {
      expect(LEVEL_KEYS).to.deep.equal(["level", "severity", "log.level"]);
      expect(levelOf([
        parsed('{"severity":"ERROR"}', "stdout"),
        parsed('{"log.level":"warn"}', "stdout"),
        parsed('{"level":"debug","severity":"ERROR"}', "stdout"),
        parsed('{"level":"chatty","severity":"critical"}', "stdout"),
        parsed('{"severity":"chatty","log.level":"fatal"}', "stdout"),
        parsed('{"lvl":"error"}', "stdout"),
      ])).to.deep.equal([3, 4, 7, 2, 2, 6]);
    });

    it("gives a line with no level of its own stderr 3, stdout 6, and 6 without a stream", () => {
      expect(STREAM_LEVELS).to.deep.equal({ stderr: 3, stdout: 6 });
      expect(levelOf([
        parsed("panic: runtime error: index out of range", "stderr"),
        parsed("GET /health 200 1ms", "stdout"),
        parsed('["level","error"]', "stdout"),
        parsed('{"msg":"started"}', "stderr"),
        parsed("started"),
      ])).to.deep.equal([3, 6, 6, 3, DEFAULT_LEVEL]);
      expect(DEFAULT_LEVEL).to.equal(6);
    });

    it("puts FireLens's record under the stash, with its line beside it for the parser, and keeps the timestamp", () => {
      const record = firelensRecord('{"level":"error"}', "stderr");
      const [out] = runLua(stashLua(), STASH_FUNCTION, [record]);
      expect(out!.code).to.equal(2);
      expect(out!.timestamp).to.equal(1733362800.25);
      expect(out!.record).to.deep.equal({ [STASH_KEY]: record, log: record.log });
    });

    it("gives back FireLens's record exactly, plus level: the line's own fields stay in the line", () => {
      const text = '{"level":"error","msg":"payment declined","order_id":"o-17","attempt":2,"elapsed":0.25,"http":{"status":402},"tags":["a"]}';
      const [out] = runLevel([parsed(text, "stderr")]);
      expect(out!.code).to.equal(2);
      expect(out!.timestamp).to.equal(1733362800.25);
      expect(out!.record).to.deep.equal({ ...firelensRecord(text, "stderr"), level: 3 });
    });

    it("lets no key of the line reach Graylog in place of the router's: host, timestamp, the routing fields, log, source, the stash", () => {
      const text = JSON.stringify({
        level: "info", environment: "dev", log_kind: "audit", service: "payments", cluster: "c", node: "n", host: "pod-1", timestamp: "2026-12-05T01:00:00Z",
        log: { level: "error" }, source: "stdout", [STASH_KEY]: "x", message: "m",
      });
      const [out] = runLevel([parsed(text, "stderr")]);
      expect(out!.record).to.deep.equal({ ...firelensRecord(text, "stderr"), level: 6 });
    });

    it("without a stash (the stash filter failed on that chunk) levels the record as it is", () => {
      const record = { ...firelensRecord('{"severity":"warning"}', "stdout"), severity: "warning" };
      const [out] = runLevel([record]);
      expect(out!.record).to.deep.equal({ ...record, level: 4 });
    });

    it("reads a level the record itself carries when the line has none", () => {
      const record = { ...firelensRecord("plain", "stdout"), level: "error" };
      const [out] = runLevel([afterParser(record)]);
      expect(out!.record).to.deep.equal({ ...record, level: 3 });
    });
  });

  describe("the prod stack", () => {
    let prod: StackRun;
    before(async function () {
      this.timeout(300000);
      prod = await realStack("prod");
    });

    it("uploads exactly this file, and every shipping service's GELF output reads `level`", () => {
      const objects = prod.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2" && r.inputs.key === "firelens/service-logs.conf");
      expect(objects).to.have.length(1);
      expect(objects[0]!.inputs.content).to.equal(fallbackConfig());
      const tasks = prod.resources.filter((r) => r.type === "aws:ecs/taskDefinition:TaskDefinition");
      const apps = tasks.flatMap((t) => (JSON.parse(t.inputs.containerDefinitions as string) as { name: string; logConfiguration?: { logDriver: string; options?: Record<string, string> } }[]))
        .filter((c) => c.logConfiguration?.logDriver === "awsfirelens");
      expect(apps.length).to.be.at.least(8);
      for (const c of apps) expect(c.logConfiguration!.options, c.name).to.deep.include({ Gelf_Level_Key: "level", Gelf_Short_Message_Key: "log" });
    });

    it("passes the whole pack", () => {
      expect(mandatoryFindings(prod.resources, "prod")).to.deep.equal([]);
    });
  });
});
