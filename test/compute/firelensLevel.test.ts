/**
 * The GELF level of service logs (docs/observability-logging.md#services-firelens, "The level"): the
 * FireLens file's filters in order with their exact keys, the level filter's Lua run under LuaJIT
 * (the interpreter Fluent Bit embeds) on records shaped as the parser filter leaves them, the GELF
 * output reading `level`, and the whole prod stack carrying the file and passing the pack.
 */
import { spawnSync } from "child_process";
import { expect } from "chai";
import {
  DEFAULT_LEVEL, LEVEL_FUNCTION, LEVEL_KEYS, LEVEL_NAMES, NUMERIC_LEVELS, SHIPPER_KEYS, STOCK_PARSERS_FILE, STREAM_LEVELS,
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

/**
 * A record as the parser filter leaves it for a line `log` read from `source`: the JSON's keys (when
 * the line is a JSON object), then FireLens's own keys, which win where both have one (a Lua table
 * keeps the last of two equal keys, and the parser appends the original keys after the parsed ones).
 */
function afterParser(log: string, source?: "stdout" | "stderr"): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(log);
  } catch {
    parsed = undefined;
  }
  const json = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  return { ...json, log, ...(source ? { source } : {}), container_id: "c0ffee", container_name: "checkout", ecs_cluster: "prod", ecs_task_definition: "prod-checkout:7" };
}

interface Out {
  code: number;
  timestamp: number;
  level: number;
  /** Every key left, with `type:tostring` of its value. */
  record: Record<string, string>;
}

/** Runs LEVEL_FUNCTION on each record under LuaJIT. */
function runLevel(records: readonly Record<string, unknown>[]): Out[] {
  const script = [
    levelLua(),
    `local cases = {${records.map(lua).join(",")}}`,
    "for _, r in ipairs(cases) do",
    `  local code, ts, out = ${LEVEL_FUNCTION}("checkout-firelens-0a1b", 1733362800.25, r)`,
    "  local ks = {}",
    "  for k, _ in pairs(out) do table.insert(ks, k) end",
    "  table.sort(ks)",
    "  local parts = {}",
    "  for _, k in ipairs(ks) do table.insert(parts, k .. \"=\" .. type(out[k]) .. \":\" .. tostring(out[k])) end",
    "  io.write(code, \"\\t\", string.format(\"%.2f\", ts), \"\\t\", table.concat(parts, \"\\31\"), \"\\n\")",
    "end",
  ].join("\n");
  const r = spawnSync("luajit", ["-"], { input: script, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`luajit failed (${r.status}): ${r.stderr}${r.error ? r.error.message : ""}`);
  const lines = r.stdout.trimEnd().split("\n");
  expect(lines).to.have.length(records.length);
  return lines.map((line) => {
    const [code, ts, rest] = line.split("\t");
    const record = Object.fromEntries((rest ?? "").split("\x1f").filter((p) => p !== "").map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
    const level = record.level ?? "";
    expect(level, line).to.match(/^number:\d+$/);
    return { code: Number(code), timestamp: Number(ts), level: Number(level.slice("number:".length)), record };
  });
}

const levelOf = (records: readonly Record<string, unknown>[]): number[] => runLevel(records).map((o) => o.level);

describe("FireLens: the level of service records", () => {
  before(function () {
    this.timeout(300000);
    // Like npm's pretest for shellcheck and jq: installed with apt-get as root, else a clear stop.
    if (ensureTestTools(systemHost(), [{ command: "luajit", aptPackage: "luajit" }]) !== 0) throw new Error("these tests need luajit on PATH");
  });

  describe("the FireLens file", () => {
    const file = sections(fallbackConfig());

    it("loads the image's stock parsers, then parses, levels, marks and copies, in that order", () => {
      expect(file.map((s) => [s.header, s.entries.find(([k]) => k === "Name")?.[1] ?? null])).to.deep.equal([
        ["SERVICE", null], ["FILTER", "parser"], ["FILTER", "lua"], ["FILTER", "record_modifier"], ["OUTPUT", "cloudwatch_logs"],
      ]);
      expect(file[0]!.entries).to.deep.equal([["Parsers_File", STOCK_PARSERS_FILE]]);
      expect(STOCK_PARSERS_FILE).to.equal("/fluent-bit/parsers/parsers.conf");
    });

    it("reads a JSON line into fields, keeping the line itself as `log` and FireLens's own keys", () => {
      expect(file[1]!.entries).to.deep.equal([
        ["Name", "parser"], ["Match", "*-firelens-*"], ["Key_Name", "log"], ["Parser", "json"], ["Reserve_Data", "On"], ["Preserve_Key", "On"],
      ]);
    });

    it("runs the level function, written on one line, before the fields Graylog routes on are set", () => {
      expect(file[2]!.entries).to.deep.equal([["Name", "lua"], ["Match", "*-firelens-*"], ["call", LEVEL_FUNCTION], ["code", levelLua()]]);
      const code = levelLua();
      expect(code).not.to.include("\n");
      expect(code).not.to.include("--");
      expect(code).not.to.include("${");
      expect(code).to.include(`function ${LEVEL_FUNCTION}(tag, timestamp, record)`);
      expect(file[3]!.entries.filter(([k]) => k === "Record").map(([, v]) => v.split(" ")[0])).to.deep.equal([LOG_FIELDS.environment, LOG_FIELDS.kind, LOG_FIELDS.service, "host"]);
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
      expect(levelOf(spellings.map((s) => afterParser(JSON.stringify({ msg: "x", level: s }), "stdout")))).to.deep.equal(names.flatMap(([, n]) => [n, n, n]));
    });

    it("maps every name of its table, and nothing else by name", () => {
      const entries = Object.entries(LEVEL_NAMES);
      expect(levelOf(entries.map(([name]) => afterParser(JSON.stringify({ level: name }), "stderr")))).to.deep.equal(entries.map(([, n]) => n));
      // Unknown names fall back to the stream: stderr 3, stdout 6.
      expect(levelOf(["panic", "warnings", "", "in fo", "e"].map((s) => afterParser(JSON.stringify({ level: s }), "stdout")))).to.deep.equal([6, 6, 6, 6, 6]);
      expect(levelOf(["informational", "ok"].map((s) => afterParser(JSON.stringify({ level: s }), "stderr")))).to.deep.equal([3, 3]);
    });

    it("keeps a syslog number 0-7, written as a number or one digit, and maps pino's numbers", () => {
      const numbers = [0, 1, 2, 3, 4, 5, 6, 7];
      expect(levelOf(numbers.map((n) => afterParser(JSON.stringify({ level: n }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf(numbers.map((n) => afterParser(JSON.stringify({ level: String(n) }), "stderr")))).to.deep.equal(numbers);
      expect(levelOf([afterParser('{"level":3.0}', "stdout")])).to.deep.equal([3]);
      const pino = Object.entries(NUMERIC_LEVELS);
      expect(pino.map(([k]) => Number(k))).to.deep.equal([10, 20, 30, 40, 50, 60]);
      expect(levelOf(pino.map(([k]) => afterParser(`{"level":${k},"msg":"x"}`, "stderr")))).to.deep.equal(pino.map(([, n]) => n));
    });

    it("never passes on a level GELF cannot take: out of range, fractional, negative, boolean, nested or a numeric string", () => {
      const odd = ['{"level":8}', '{"level":-1}', '{"level":2.5}', '{"level":true}', '{"level":{"name":"error"}}', '{"level":["error"]}', '{"level":"30"}', '{"level":"8"}', '{"level":35}'];
      expect(levelOf(odd.map((l) => afterParser(l, "stderr")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stderr));
      expect(levelOf(odd.map((l) => afterParser(l, "stdout")))).to.deep.equal(odd.map(() => STREAM_LEVELS.stdout));
    });

    it("tries level, then severity, then log.level, taking the first it can read", () => {
      expect(LEVEL_KEYS).to.deep.equal(["level", "severity", "log.level"]);
      expect(levelOf([
        afterParser('{"severity":"ERROR"}', "stdout"),
        afterParser('{"log.level":"warn"}', "stdout"),
        afterParser('{"level":"debug","severity":"ERROR"}', "stdout"),
        afterParser('{"level":"chatty","severity":"critical"}', "stdout"),
        afterParser('{"severity":"chatty","log.level":"fatal"}', "stdout"),
        afterParser('{"lvl":"error"}', "stdout"),
      ])).to.deep.equal([3, 4, 7, 2, 2, 6]);
    });

    it("gives a line with no level of its own stderr 3, stdout 6, and 6 without a stream", () => {
      expect(STREAM_LEVELS).to.deep.equal({ stderr: 3, stdout: 6 });
      expect(levelOf([
        afterParser("panic: runtime error: index out of range", "stderr"),
        afterParser("GET /health 200 1ms", "stdout"),
        afterParser('["level","error"]', "stdout"),
        afterParser('{"msg":"started"}', "stderr"),
        afterParser("started"),
      ])).to.deep.equal([3, 6, 6, 3, DEFAULT_LEVEL]);
      expect(DEFAULT_LEVEL).to.equal(6);
    });

    it("leaves the line, FireLens's keys and the service's own fields as they were, and the timestamp", () => {
      const line = '{"level":"error","msg":"payment declined","order_id":"o-17","attempt":2,"elapsed":0.25,"http":{"status":402}}';
      const [out] = runLevel([afterParser(line, "stderr")]);
      expect(out!.code).to.equal(2);
      expect(out!.timestamp).to.equal(1733362800.25);
      expect(out!.record).to.deep.equal({
        attempt: "number:2", container_id: "string:c0ffee", container_name: "string:checkout", ecs_cluster: "string:prod", ecs_task_definition: "string:prod-checkout:7",
        elapsed: "number:0.25", http: out!.record.http, level: "number:3", log: `string:${line}`, msg: "string:payment declined", order_id: "string:o-17", source: "string:stderr",
      });
      expect(out!.record.http).to.match(/^table:/);
    });

    it("drops the keys the router sets after it, or GELF reads as its own, when a service's JSON carries them", () => {
      expect(SHIPPER_KEYS).to.deep.equal(["environment", "log_kind", "service", "cluster", "node", "host", "timestamp"]);
      const line = JSON.stringify({ level: "info", environment: "dev", log_kind: "audit", service: "payments", cluster: "c", node: "n", host: "pod-1", timestamp: "2026-12-05T01:00:00Z", user: "u-1" });
      const [out] = runLevel([afterParser(line, "stdout")]);
      for (const k of SHIPPER_KEYS) expect(out!.record, k).not.to.have.property(k);
      expect(out!.record).to.deep.include({ user: "string:u-1", level: "number:6", log: `string:${line}` });
    });

    it("a JSON `log` or `source` key does not replace FireLens's: the line stays the short message, the stream the fallback", () => {
      const line = '{"log":{"level":"error"},"source":"stdout","message":"m"}';
      const [out] = runLevel([afterParser(line, "stderr")]);
      expect(out!.record).to.deep.include({ log: `string:${line}`, source: "string:stderr", level: "number:3" });
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
