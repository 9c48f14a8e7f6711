/**
 * FireLens for a MicroserviceService (docs/observability-logging.md#services-firelens): the log
 * router container (AWS for Fluent Bit, init variant), the GELF output over TLS to management's
 * Graylog that the application container's `awsfirelens` options become, and the Fluent Bit file the
 * router fetches from S3 at start: the message fields every service log carries and the short-lived
 * CloudWatch copy. Pure; the component resolves ARNs first.
 *
 * Facts this relies on (sources in the docs page):
 * - On Fargate the `awsfirelens` options of a container become one Fluent Bit [OUTPUT]; a second
 *   output needs a config file, and Fargate reads `config-file-type` `file` only (ECS API,
 *   FirelensConfiguration). The `init-` images fetch extra files named by `aws_fluent_bit_init_s3_<n>`
 *   (an S3 object ARN) with the task role (s3:GetObject, s3:GetBucketLocation) and export
 *   AWS_REGION, ECS_TASK_ID and the other task metadata for `${...}` in those files
 *   (aws/aws-for-fluent-bit use_cases/init-process-for-fluent-bit, init/fluent_bit_init_process.go).
 * - FireLens needs the router to run as root (aws/containers-roadmap#2122) and the init process
 *   writes under /init, so its root filesystem cannot be read-only (aws/aws-for-fluent-bit#824, #928).
 * - Fluent Bit's `tls.verify` checks the chain only; `tls.verify_hostname` (default Off) checks the
 *   name (Fluent Bit manual, Transport Security).
 * - Every record gets a numeric syslog `level` (docs/observability-logging.md, "The level") from a
 *   `lua` filter: the `modify` filter's conditions test strings only (numbers cannot be mapped), and
 *   the `parser` filter's only JSON parser in the image (the stock `json`, Time_Key `time`) warns on
 *   every line whose `time` is not in its format, as Go's slog, zerolog and logrus write it; a parser
 *   of our own would be a second fetched file, which the init process passes with `-R`.
 */
import { GELF_TCP_PORT, LOG_FIELDS } from "../observability/logging/graylogPlan";
import type { FloorsByEnvironment } from "../retentionFloors";

/**
 * AWS for Fluent Bit 3.x (Fluent Bit 4, Amazon Linux 2023; the 2.x line reached end of life on
 * 2026-06-30), init variant, from the public ECR gallery: pulled over NAT with no registry
 * credentials, so the execution role needs nothing for it. A version tag, never `init-latest`.
 */
export const FIRELENS_ROUTER_IMAGE = "public.ecr.aws/aws-observability/aws-for-fluent-bit:init-3.4.14";
/** The repository every router image must come from (the policy pack holds routers to it). */
export const FIRELENS_ROUTER_REPOSITORY = "public.ecr.aws/aws-observability/aws-for-fluent-bit";
export const LOG_ROUTER_CONTAINER = "log_router";
/** MiB reserved for the router inside the task's memory (AWS's FireLens examples reserve 50). */
export const LOG_ROUTER_MEMORY_RESERVATION = 50;
/** Stream prefix of the router's own logs in the service's log group. */
export const LOG_ROUTER_STREAM_PREFIX = "firelens";
/** Key of the fallback file in the environment's FireLens bucket. */
export const FALLBACK_CONFIG_KEY = "firelens/service-logs.conf";

/** Tag of a service's log group that holds only the short-lived copy of logs shipped to Graylog (the policy pack checks the claim). */
export const FALLBACK_LOG_GROUP_TAG = Object.freeze({ key: "LogRole", value: "firelens-fallback" });
/** Tag of the FireLens file listing the services of the environment that keep CloudWatch only (space-separated). */
export const EXCLUDED_SERVICES_TAG = "ExcludedServices";

/** The router's environment variables the fallback file reads. */
export const ROUTER_ENV = Object.freeze({
  configObject: "aws_fluent_bit_init_s3_1",
  environment: "TILA_ENVIRONMENT",
  service: "TILA_SERVICE",
  fallbackLogGroup: "TILA_FALLBACK_LOG_GROUP",
});

/**
 * Days the services' CloudWatch copy must be kept in an environment that ships: a week in prod, so
 * a Graylog outage over a long weekend is still readable in CloudWatch when someone looks on Monday.
 * The record of prod's service logs is Graylog's prod index set (90 days hot, SERVICE_LOG_MIN_DAYS).
 */
export const FALLBACK_LOG_MIN_DAYS: FloorsByEnvironment = Object.freeze({ prod: 7 });

/** Where a service ships and what the router needs to set it up. */
export interface FirelensShipping {
  /** Graylog's name in the environment's private zone (the load balancer's certificate covers it). */
  readonly host: string;
  /** GELF over TLS: GELF_TCP_PORT. */
  readonly port: number;
  /** ARN of the fallback file in S3 (`arn:<partition>:s3:::<bucket>/<key>`). */
  readonly configObjectArn: string;
}

/**
 * The application container's `awsfirelens` options: one GELF output over TLS that checks both the
 * certificate chain and that it names `host`. `log` (the line FireLens captured) is the short
 * message; `host` (the task id) and `level` (a syslog number, LEVEL_FUNCTION) come from the FireLens
 * file's filters.
 */
export function gelfOutputOptions(target: { readonly host: string; readonly port: number }): Record<string, string> {
  return {
    Name: "gelf",
    Host: target.host,
    Port: String(target.port),
    Mode: "tls",
    tls: "On",
    "tls.verify": "On",
    "tls.verify_hostname": "On",
    "tls.vhost": target.host,
    Gelf_Short_Message_Key: "log",
    Gelf_Host_Key: "host",
    Gelf_Level_Key: "level",
    Retry_Limit: "5",
  };
}

/**
 * Log lines Docker buffers between the application and the router (`log-driver-buffer-limit`, Fargate
 * 1.4.0+): the default, 1,048,576 lines, is gigabytes at 2 KiB a line, more than a task's memory.
 * 8,192 lines is at most 16 MiB at 2 KiB; when the router falls that far behind Docker drops the
 * oldest lines rather than block the application's stdout, as `non-blocking` did with awslogs.
 */
export const FIRELENS_BUFFER_LIMIT_LINES = 8192;

/** The application container's log configuration: the GELF output and Docker's buffer towards the router. */
export function firelensLogConfiguration(target: { readonly host: string; readonly port: number }): { logDriver: "awsfirelens"; options: Record<string, string> } {
  return { logDriver: "awsfirelens", options: { ...gelfOutputOptions(target), "log-driver-buffer-limit": String(FIRELENS_BUFFER_LIMIT_LINES) } };
}

/** Does `arn` name one object (`arn:<partition>:s3:::<bucket>/<key>`)? */
export function isS3ObjectArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/.+$/.test(arn);
}

/** The bucket ARN of an object ARN. */
export function bucketArnOf(objectArn: string): string {
  return objectArn.slice(0, objectArn.indexOf("/"));
}

export interface RouterInputs {
  readonly environment: string;
  readonly service: string;
  readonly logGroupName: string;
  readonly region: string;
  readonly configObjectArn: string;
}

/**
 * The log router. Essential: a router that cannot start (a bad file, S3 unreachable) stops its task,
 * so this service's deployment fails its health checks and the circuit breaker rolls it back, while
 * no other service's task holds a reference to it. Its own output goes to the service's log group
 * through awslogs, so a broken router is readable without Graylog.
 */
export function routerContainer(r: RouterInputs): Record<string, unknown> {
  const env: Record<string, string> = {
    [ROUTER_ENV.configObject]: r.configObjectArn,
    [ROUTER_ENV.environment]: r.environment,
    [ROUTER_ENV.service]: r.service,
    [ROUTER_ENV.fallbackLogGroup]: r.logGroupName,
  };
  return {
    name: LOG_ROUTER_CONTAINER,
    image: FIRELENS_ROUTER_IMAGE,
    essential: true,
    // FireLens creates its socket as root (containers-roadmap#2122); the init process writes /init.
    user: "0",
    readonlyRootFilesystem: false,
    memoryReservation: LOG_ROUTER_MEMORY_RESERVATION,
    environment: Object.keys(env).sort().map((name) => ({ name, value: env[name] })),
    firelensConfiguration: { type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } },
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": r.logGroupName,
        "awslogs-region": r.region,
        "awslogs-stream-prefix": LOG_ROUTER_STREAM_PREFIX,
      },
    },
  };
}

/** Keys of a JSON line that may name its level, in the order they are tried (`log.level` is ECS logging's flat key). */
export const LEVEL_KEYS: readonly string[] = Object.freeze(["level", "severity", "log.level"]);

/** Level names, compared in lower case, and their syslog severities (GELF's `level`: 0 emergency ... 7 debug). */
export const LEVEL_NAMES: Readonly<Record<string, number>> = Object.freeze({
  emerg: 0, emergency: 0,
  alert: 1,
  fatal: 2, crit: 2, critical: 2,
  err: 3, error: 3,
  warn: 4, warning: 4,
  notice: 5,
  info: 6, information: 6,
  debug: 7, trace: 7, verbose: 7,
});

/** pino's and bunyan's numeric levels (trace 10 ... fatal 60); a number 0-7 is already a syslog severity and is kept. */
export const NUMERIC_LEVELS: Readonly<Record<number, number>> = Object.freeze({ 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 });

/** A line that names no level it can be read from: by the stream Docker read it from (FireLens's `source`). */
export const STREAM_LEVELS: Readonly<Record<"stderr" | "stdout", number>> = Object.freeze({ stderr: 3, stdout: 6 });
/** A record with neither (sent to the router's forward input by a Fluent logger, say). */
export const DEFAULT_LEVEL = 6;

/** The Lua function of the level filter. */
export const LEVEL_FUNCTION = "tila_level";

function luaString(s: string): string {
  if (!/^[A-Za-z0-9_.]+$/.test(s)) throw new Error(`levelLua: "${s}" is not a plain key`);
  return `"${s}"`;
}

/**
 * The level filter's code, on one line (the classic config format reads a value to the end of its
 * line). LEVEL_FUNCTION(tag, timestamp, record) reads the top level of `log` when the line is a
 * JSON object (`top`: strings and numbers of LEVEL_KEYS, the last of a repeated key as JSON.parse
 * takes it; nested objects, arrays and strings are stepped over whole, escapes included; a line that
 * stops being JSON ends the reading), takes the first of LEVEL_KEYS whose value it can read (a name
 * of LEVEL_NAMES in any case, a number or one digit 0-7, a number of NUMERIC_LEVELS), then the
 * record's own LEVEL_KEYS, else STREAM_LEVELS by FireLens's `source`, else DEFAULT_LEVEL, sets
 * `level` and returns code 2 (record changed, timestamp kept). Nothing else of the record changes.
 * No `--` comment (it would end the line's code), no `${` (Fluent Bit would read it as a variable).
 */
export function levelLua(): string {
  const table = (entries: [string, number][]): string => `{${entries.map(([k, n]) => `[${k}]=${n}`).join(",")}}`;
  const names = table(Object.entries(LEVEL_NAMES).map(([k, n]) => [luaString(k), n]));
  const numbers = table(Object.entries(NUMERIC_LEVELS).map(([k, n]) => [String(Number(k)), n]));
  const streams = table(Object.entries(STREAM_LEVELS).map(([k, n]) => [luaString(k), n]));
  const wanted = table(LEVEL_KEYS.map((k) => [luaString(k), 1]));
  const code = [
    `local names = ${names}`,
    `local numbers = ${numbers}`,
    `local streams = ${streams}`,
    `local keys = {${LEVEL_KEYS.map(luaString).join(",")}}`,
    `local wanted = ${wanted}`,
    String.raw`local function ws(s, i) return string.find(s, "[^ \t\r\n]", i) end`,
    String.raw`local function str(s, i)`,
    String.raw`  local j = i + 1`,
    String.raw`  while true do`,
    String.raw`    local q = string.find(s, '["\\]', j)`,
    String.raw`    if q == nil then return nil, nil end`,
    String.raw`    if string.sub(s, q, q) == '"' then return string.sub(s, i + 1, q - 1), q + 1 end`,
    String.raw`    j = q + 2`,
    String.raw`  end`,
    String.raw`end`,
    String.raw`local function skip(s, i)`,
    String.raw`  local c = string.sub(s, i, i)`,
    String.raw`  if c == '"' then local _, n = str(s, i) return n end`,
    String.raw`  if c == "{" or c == "[" then`,
    String.raw`    local depth = 0`,
    String.raw`    local j = i`,
    String.raw`    while true do`,
    String.raw`      local p = string.find(s, '["{}%[%]]', j)`,
    String.raw`      if p == nil then return nil end`,
    String.raw`      local d = string.sub(s, p, p)`,
    String.raw`      if d == '"' then`,
    String.raw`        local _, n = str(s, p)`,
    String.raw`        if n == nil then return nil end`,
    String.raw`        j = n`,
    String.raw`      else`,
    String.raw`        if d == "{" or d == "[" then depth = depth + 1 else depth = depth - 1 end`,
    String.raw`        j = p + 1`,
    String.raw`        if depth == 0 then return j end`,
    String.raw`      end`,
    String.raw`    end`,
    String.raw`  end`,
    String.raw`  return string.find(s, "[,}%] \t\r\n]", i) or (string.len(s) + 1)`,
    String.raw`end`,
    String.raw`local function top(s)`,
    String.raw`  local found = {}`,
    String.raw`  local i = ws(s, 1)`,
    String.raw`  if i == nil or string.sub(s, i, i) ~= "{" then return found end`,
    String.raw`  i = i + 1`,
    String.raw`  while true do`,
    String.raw`    i = ws(s, i)`,
    String.raw`    if i == nil or string.sub(s, i, i) ~= '"' then return found end`,
    String.raw`    local key, n = str(s, i)`,
    String.raw`    if key == nil then return found end`,
    String.raw`    i = ws(s, n)`,
    String.raw`    if i == nil or string.sub(s, i, i) ~= ":" then return found end`,
    String.raw`    i = ws(s, i + 1)`,
    String.raw`    if i == nil then return found end`,
    String.raw`    local e = skip(s, i)`,
    String.raw`    if e == nil then return found end`,
    String.raw`    local c = string.sub(s, i, i)`,
    String.raw`    if wanted[key] ~= nil then`,
    String.raw`      if c == '"' then found[key] = string.sub(s, i + 1, e - 2)`,
    String.raw`      elseif c == "{" or c == "[" then found[key] = false`,
    String.raw`      else found[key] = tonumber(string.sub(s, i, e - 1)) end`,
    String.raw`    end`,
    String.raw`    i = ws(s, e)`,
    String.raw`    if i == nil or string.sub(s, i, i) ~= "," then return found end`,
    String.raw`    i = i + 1`,
    String.raw`  end`,
    String.raw`end`,
    String.raw`local function severity(v)`,
    String.raw`  if type(v) == "number" then`,
    String.raw`    if v >= 0 and v <= 7 and v == math.floor(v) then return math.floor(v) end`,
    String.raw`    return numbers[v]`,
    String.raw`  end`,
    String.raw`  if type(v) == "string" then`,
    String.raw`    local s = string.lower(v)`,
    String.raw`    local d = tonumber(s)`,
    String.raw`    if string.len(s) == 1 and d ~= nil and d >= 0 and d <= 7 then return d end`,
    String.raw`    return names[s]`,
    String.raw`  end`,
    String.raw`  return nil`,
    String.raw`end`,
    `function ${LEVEL_FUNCTION}(tag, timestamp, record)`,
    String.raw`  local level = nil`,
    String.raw`  local line = record["log"]`,
    String.raw`  if type(line) == "string" then`,
    String.raw`    local found = top(line)`,
    String.raw`    for _, k in ipairs(keys) do`,
    String.raw`      if level == nil then level = severity(found[k]) end`,
    String.raw`    end`,
    String.raw`  end`,
    String.raw`  for _, k in ipairs(keys) do`,
    String.raw`    if level == nil then level = severity(record[k]) end`,
    String.raw`  end`,
    String.raw`  if level == nil then level = streams[record["source"]] end`,
    `  if level == nil then level = ${DEFAULT_LEVEL} end`,
    String.raw`  record["level"] = level`,
    String.raw`  return 2, timestamp, record`,
    String.raw`end`,
  ];
  return code.map((l) => l.trim()).join(" ");
}

/**
 * The file every router of an environment fetches (one object per environment: the values differ
 * only by the router's environment variables). Records FireLens tags `<container>-firelens-<task>`
 * get a `level` (LEVEL_FUNCTION), then the LOG_FIELDS Graylog's streams route on and a `host` (the
 * task id); then a copy goes to the service's own log group, which holds it for
 * `fallbackRetentionDays`. Filters run in this order, before either output.
 */
export function fallbackConfig(): string {
  const v = (name: string): string => `\${${name}}`;
  return [
    "[FILTER]",
    "    Name          lua",
    "    Match         *-firelens-*",
    `    call          ${LEVEL_FUNCTION}`,
    `    code          ${levelLua()}`,
    "",
    "[FILTER]",
    "    Name          record_modifier",
    "    Match         *-firelens-*",
    `    Record        ${LOG_FIELDS.environment} ${v(ROUTER_ENV.environment)}`,
    `    Record        ${LOG_FIELDS.kind} service`,
    `    Record        ${LOG_FIELDS.service} ${v(ROUTER_ENV.service)}`,
    `    Record        host ${v("ECS_TASK_ID")}`,
    "",
    "[OUTPUT]",
    "    Name              cloudwatch_logs",
    "    Match             *-firelens-*",
    `    region            ${v("AWS_REGION")}`,
    `    log_group_name    ${v(ROUTER_ENV.fallbackLogGroup)}`,
    `    log_stream_prefix ${v(ROUTER_ENV.service)}/`,
    "    auto_create_group false",
    "",
  ].join("\n");
}

/** The port shippers open towards management: GELF over TLS. */
export const FIRELENS_EGRESS_PORT = GELF_TCP_PORT;
