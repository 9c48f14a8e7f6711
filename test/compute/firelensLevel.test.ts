/**
 * The GELF level of service logs (docs/observability-logging.md#services-firelens, "The level"): the
 * FireLens file's filters in order with their exact keys, the level filter's Lua run under LuaJIT
 * (the interpreter Fluent Bit embeds) on records as FireLens makes them, checked against JSON.parse
 * on generated lines, the GELF output reading `level`, and the whole prod stack carrying the file
 * and passing the pack.
 */
import { spawnSync } from "child_process";
import { expect } from "chai";
import {
  DEFAULT_LEVEL, LEVEL_FUNCTION, LEVEL_KEYS, LEVEL_NAMES, NUMERIC_LEVELS, STREAM_LEVELS,
  fallbackConfig, gelfOutputOptions, levelLua,
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

/** A JS value as a Lua literal (ASCII strings: LuaJIT reads JSON's escapes \" \\ \n \r \t alike). */
function lua(v: unknown): string {
  if (typeof v === "string") {
    if (!/^[\x20-\x7e\n\r\t]*$/.test(v)) throw new Error(`lua: non-ASCII test string ${JSON.stringify(v)}`);
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

/** The level the filter should give a line, computed from JSON.parse: the reference the Lua is held to. */
function expectedLevel(log: string, source?: "stdout" | "stderr"): number {
  const severity = (v: unknown): number | undefined => {
    if (typeof v === "number") return Number.isInteger(v) && v >= 0 && v <= 7 ? v : NUMERIC_LEVELS[v];
    if (typeof v === "string") return /^[0-7]$/.test(v) ? Number(v) : LEVEL_NAMES[v.toLowerCase()];
    return undefined;
  };
  let json: unknown;
  try {
    json = JSON.parse(log);
  } catch {
    json = undefined;
  }
  if (typeof json === "object" && json !== null && !Array.isArray(json)) {
    for (const k of LEVEL_KEYS) {
      const n = severity((json as Record<string, unknown>)[k]);
      if (n !== undefined) return n;
    }
  }
  return source ? STREAM_LEVELS[source] : DEFAULT_LEVEL;
}

/** A small deterministic generator (a linear congruential one), so a failure names a reproducible line. */
function generator(seed: number): (n: number) => number {
  let x = seed >>> 0;
  return (n) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % n;
  };
}

/** A JSON value of the kinds services log, strings with the characters a scanner trips on. */
function jsonValue(pick: (n: number) => number, depth: number): unknown {
  const strings = ["plain", 'say "level":"error"', "C:\\dir\\", "{not} [an] object", "tab\there", "level", "ERROR", "warn", "Info", "debug", "FATAL", "7", "", '\\"', "}", "]"];
  switch (pick(depth > 2 ? 4 : 7)) {
    case 0: return strings[pick(strings.length)];
    case 1: return [pick(10) - 1, 30, 50, pick(100) - 20][pick(4)];
    case 2: return pick(1000) / 8;
    case 3: return [true, false, null][pick(3)];
    case 4: return Array.from({ length: pick(3) }, () => jsonValue(pick, depth + 1));
    default: return Object.fromEntries(Array.from({ length: pick(4) }, () => [["level", "severity", "log.level", "msg", "x"][pick(5)]!, jsonValue(pick, depth + 1)]));
  }
}

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
    String.raw`  if type(v) == "string" then return "\"" .. string.gsub(v, "[%c\"\\]", function(c) return string.format("\\u%04x", string.byte(c)) end) .. "\"" end`,
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

/** FireLens's record for `log`, as the level filter gets it. */
const rec = firelensRecord;

describe("FireLens: the level of service records", () => {
  before(function () {
    this.timeout(300000);
    // Like npm's pretest for shellcheck and jq: installed with apt-get as root, else a clear stop.
    if (ensureTestTools(systemHost(), [{ command: "luajit", aptPackage: "luajit" }]) !== 0) throw new Error("these tests need luajit on PATH");
  });

  describe("the FireLens file", () => {
    const file = sections(fallbackConfig());

    it("levels, then marks, then copies, in that order, and parses nothing else", () => {
      expect(file.map((s) => [s.header, s.entries.find(([k]) => k === "Name")?.[1] ?? null])).to.deep.equal([
        ["FILTER", "lua"], ["FILTER", "record_modifier"], ["OUTPUT", "cloudwatch_logs"],
      ]);
    });

    it("runs the level function, its code on one line, before the fields Graylog routes on are set", () => {
      expect(file[0]!.entries).to.deep.equal([["Name", "lua"], ["Match", "*-firelens-*"], ["call", LEVEL_FUNCTION], ["code", levelLua()]]);
      const code = levelLua();
      expect(code).not.to.include("\n");
      expect(code).not.to.include("--");
      expect(code).not.to.include("${");
      expect(code).to.include(`function ${LEVEL_FUNCTION}(tag, timestamp, record)`);
      expect(file[1]!.entries.filter(([k]) => k === "Record").map(([, v]) => v.split(" ")[0])).to.deep.equal([LOG_FIELDS.environment, LOG_FIELDS.kind, LOG_FIELDS.service, "host"]);
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
      expect(levelOf(spellings.map((s) => rec(JSON.stringify({ msg: "x", level: s }), "stdout")))).to.deep.equal(names.flatMap(([, n]) => [n, n, n]));
    });

    it("maps every name of its table, and nothing else by name", () => {
      const entries = Object.entries(LEVEL_NAMES);
      expect(levelOf(entries.map(([name]) => rec(JSON.stringify({ level: name }), "stderr")))).to.deep.equal(entries.map(([, n]) => n));
      // Unknown names fall back to the stream: stderr 3, stdout 6.
      expect(levelOf(["panic", "warnings", "", "in fo", "e", "err\\u006fr"].map((s) => rec(`{"level":"${s}"}`, "stdout")))).to.deep.equal([6, 6, 6, 6, 6, 6]);
      expect(levelOf(["informational", "ok"].map((s) => rec(JSON.stringify({ level: s }), "stderr")))).to.deep.equal([3, 3]);
    });

    it("keeps a syslog number 0-7, written as a number or one digit, and maps pino's numbers", () => {
      const numbers = [0, 1, 2, 3, 4, 5, 6, 7];
      expect(levelOf(numbers.map((n) => rec(JSON.stringify({ level: n }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf(numbers.map((n) => rec(JSON.stringify({ level: String(n) }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf([rec('{"level":3.0}', "stdout"), rec('{"level":3e0}', "stdout"), rec('{ "level" : 4 }', "stdout")])).to.deep.equal([3, 3, 4]);
      const pino = Object.entries(NUMERIC_LEVELS);
      expect(pino.map(([k]) => Number(k))).to.deep.equal([10, 20, 30, 40, 50, 60]);
      expect(levelOf(pino.map(([k]) => rec(`{"level":${k},"time":1733362800123,"msg":"x"}`, "stderr")))).to.deep.equal(pino.map(([, n]) => n));
    });

    it("never passes on a level GELF cannot take: out of range, fractional, negative, boolean, null, nested or a numeric string", () => {
      const odd = ['{"level":8}', '{"level":-1}', '{"level":2.5}', '{"level":true}', '{"level":null}', '{"level":{"name":"error"}}', '{"level":["error"]}', '{"level":"30"}', '{"level":"8"}', '{"level":35}'];
      expect(levelOf(odd.map((l) => rec(l, "stderr")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stderr));
      expect(levelOf(odd.map((l) => rec(l, "stdout")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stdout));
    });

    it("tries level, then severity, then log.level, taking the first it can read", () => {
      expect(LEVEL_KEYS).to.deep.equal(["level", "severity", "log.level"]);
      expect(levelOf([
        rec('{"severity":"ERROR"}', "stdout"),
        rec('{"log.level":"warn"}', "stdout"),
        rec('{"level":"debug","severity":"ERROR"}', "stdout"),
        rec('{"severity":"ERROR","level":"debug"}', "stdout"),
        rec('{"level":"chatty","severity":"critical"}', "stdout"),
        rec('{"severity":"chatty","log.level":"fatal"}', "stdout"),
        rec('{"lvl":"error"}', "stdout"),
      ])).to.deep.equal([3, 4, 7, 7, 2, 2, 6]);
    });

    it("reads only the line's top level: nested keys, keys inside strings and escaped quotes do not count", () => {
      const lines: [string, number][] = [
        ['{"http":{"level":"error","status":500},"msg":"x"}', 6],
        ['{"msg":"\\"level\\":\\"error\\"","ok":true}', 6],
        ['{"msg":"a \\"quoted\\" {brace} [x]","level":"warn"}', 4],
        ['{"path":"C:\\\\dir\\\\","level":"error"}', 3],
        ['{"tags":[1,[2,{"level":"x"}],"]"],"level":"debug"}', 7],
        ['\n  {\n  "level" :\t"error"\n}\n', 3],
        ['{"lev\\u0065l":"error"}', 6],
        ['{"level":"error","msg":"x","level":"info"}', 6],
        ['{"level":{"a":1},"level":"crit"}', 2],
        ['{"level":"crit","level":{"a":1}}', 6],
        ['{"level":"crit","level":null}', 6],
        ['{"msg":"unterminated', 6],
        ['{level: error}', 6],
        ['{"a":1 "level":"error"}', 6],
        ['prefix {"level":"error"}', 6],
        ['[{"level":"error"}]', 6],
        ['{}', 6],
        ["", 6],
      ];
      expect(levelOf(lines.map(([l]) => rec(l, "stdout")))).to.deep.equal(lines.map(([, n]) => n));
    });

    it("agrees with JSON.parse on 400 generated lines", () => {
      const pick = generator(13);
      const lines = Array.from({ length: 400 }, () => {
        const obj = jsonValue(pick, 0);
        return pick(5) === 0 ? JSON.stringify(obj, null, 2) : JSON.stringify(obj);
      });
      const records = lines.map((l, i) => rec(l, i % 2 === 0 ? "stderr" : "stdout"));
      const got = levelOf(records);
      const want = lines.map((l, i) => expectedLevel(l, i % 2 === 0 ? "stderr" : "stdout"));
      lines.forEach((l, i) => expect(got[i], l).to.equal(want[i]));
      // The generator reaches every kind of answer: names, numbers, and both stream defaults.
      expect(new Set(want).size).to.be.at.least(6);
    });

    it("gives a line with no level of its own stderr 3, stdout 6, and 6 without a stream", () => {
      expect(STREAM_LEVELS).to.deep.equal({ stderr: 3, stdout: 6 });
      expect(levelOf([
        rec("panic: runtime error: index out of range", "stderr"),
        rec("GET /health 200 1ms", "stdout"),
        rec('{"msg":"started"}', "stderr"),
        rec("started"),
      ])).to.deep.equal([3, 6, 3, DEFAULT_LEVEL]);
      expect(DEFAULT_LEVEL).to.equal(6);
    });

    it("changes nothing of the record but level, and keeps the timestamp", () => {
      const text = '{"level":"error","msg":"payment declined","host":"pod-1","timestamp":"2026-12-05T01:00:00Z","service":"payments","http":{"status":402}}';
      const [out] = runLevel([rec(text, "stderr")]);
      expect(out!.code).to.equal(2);
      expect(out!.timestamp).to.equal(1733362800.25);
      expect(out!.record).to.deep.equal({ ...rec(text, "stderr"), level: 3 });
    });

    it("reads a level the record itself carries when the line has none, and replaces it with the number", () => {
      const record = { ...rec("plain", "stdout"), level: "error" };
      const [out] = runLevel([record]);
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
