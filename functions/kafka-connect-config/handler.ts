/**
 * Applies Kafka Connect connector configurations at deploy time (docs/analytics.md, "Ingestion:
 * Kafka Connect"): the deployment invokes it (aws.lambda.Invocation) with every connector's wanted
 * configuration; it finds a running worker of the workers' ECS service (ListTasks, DescribeTasks),
 * and for each connector reads `GET /connectors/<name>/config` and, only when it differs, sends
 * `PUT /connectors/<name>/config` to the worker's REST port (the worker forwards to the leader).
 * Idempotent: an unchanged configuration is not sent again. It answers `{ok: true, worker, changes}`
 * naming what it created, updated or left alone, or `{ok: false, error}` with the REST API's own
 * error, which fails the deployment. The cluster, service and port come from its environment; the
 * event carries only connector configurations, each checked to be a map of strings.
 */
import * as http from "http";
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}
export type HttpCall = (method: "GET" | "PUT", url: string, body?: string) => Promise<HttpResponse>;

export interface Dependencies {
  readonly ecs: ECSClient;
  readonly http: HttpCall;
  /** CLUSTER (ARN or name), SERVICE (the workers' service name), REST_PORT. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** A freshly deployed service needs minutes before a worker answers: poll every 10 s, at most 5 minutes. */
export const POLL_INTERVAL_MS = 10_000;
export const MAX_ATTEMPTS = 30;

export type Change = "created" | "updated" | "unchanged";
export type Result = { ok: true; worker: string; changes: Record<string, Change> } | { ok: false; error: string };

const CONNECTOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

/** The event's connectors, refused whole when one is not a name and a map of strings. */
export function parseConnectors(event: unknown): Record<string, Record<string, string>> {
  const connectors = (event as { connectors?: unknown } | null)?.connectors;
  if (typeof connectors !== "object" || connectors === null || Array.isArray(connectors)) throw new Error("event.connectors must be an object of connector configurations");
  const out: Record<string, Record<string, string>> = {};
  const problems: string[] = [];
  for (const [name, config] of Object.entries(connectors as Record<string, unknown>)) {
    if (!CONNECTOR_NAME.test(name)) { problems.push(`connectors.${name}: not a connector name`); continue; }
    if (typeof config !== "object" || config === null || Array.isArray(config)) { problems.push(`connectors.${name}: must be an object`); continue; }
    const bad = Object.entries(config as Record<string, unknown>).filter(([, v]) => typeof v !== "string").map(([k]) => k);
    if (bad.length > 0) { problems.push(`connectors.${name}: values must be strings (${bad.join(", ")})`); continue; }
    if (typeof (config as Record<string, string>)["connector.class"] !== "string") { problems.push(`connectors.${name}: connector.class is required`); continue; }
    out[name] = config as Record<string, string>;
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
  if (Object.keys(out).length === 0) throw new Error("event.connectors is empty");
  return out;
}

/** Same configuration, as Kafka Connect reports it back (it adds `name`). */
export function sameConfig(current: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, string>>, name: string): boolean {
  const a = { ...current };
  delete a.name;
  const b: Record<string, string> = { ...wanted };
  delete b.name;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]) && (current.name === undefined || current.name === name);
}

function required(env: Dependencies["env"], key: string): string {
  const v = env[key];
  if (v === undefined || v === "") throw new Error(`${key} is not set`);
  return v;
}

/** The private IPs of the service's RUNNING tasks (awsvpc: the ENI attachment's privateIPv4Address). */
export async function runningWorkers(ecs: ECSClient, cluster: string, service: string): Promise<string[]> {
  const listed = await ecs.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: "RUNNING" }));
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return [];
  const described = await ecs.send(new DescribeTasksCommand({ cluster, tasks: arns }));
  const ips: string[] = [];
  for (const task of described.tasks ?? []) {
    if (task.lastStatus !== "RUNNING") continue;
    for (const a of task.attachments ?? []) {
      const ip = (a.details ?? []).find((d) => d.name === "privateIPv4Address")?.value;
      if (a.type === "ElasticNetworkInterface" && ip) ips.push(ip);
    }
  }
  return ips;
}

function restError(r: HttpResponse): string {
  try {
    const parsed = JSON.parse(r.body) as { message?: unknown };
    if (typeof parsed.message === "string") return `${r.status} ${parsed.message}`;
  } catch { /* not JSON: report the body */ }
  return `${r.status} ${r.body.slice(0, 300)}`;
}

/** Applies one connector through `base` (http://ip:port); throws with the REST API's error. */
export async function applyConnector(call: HttpCall, base: string, name: string, wanted: Record<string, string>): Promise<Change> {
  const path = `${base}/connectors/${encodeURIComponent(name)}/config`;
  const current = await call("GET", path);
  let existed = false;
  if (current.status === 200) {
    existed = true;
    if (sameConfig(JSON.parse(current.body) as Record<string, unknown>, wanted, name)) return "unchanged";
  } else if (current.status !== 404) {
    throw new Error(`GET ${name}: ${restError(current)}`);
  }
  const put = await call("PUT", path, JSON.stringify(wanted));
  if (put.status !== 200 && put.status !== 201) throw new Error(`PUT ${name}: ${restError(put)}`);
  return existed ? "updated" : "created";
}

/** Waits for a worker that answers on the REST port; returns its base URL. */
async function findWorker(deps: Required<Pick<Dependencies, "ecs" | "http" | "sleep" | "log">>, cluster: string, service: string, port: string): Promise<string> {
  let last = "no RUNNING task";
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) await deps.sleep(POLL_INTERVAL_MS);
    for (const ip of await runningWorkers(deps.ecs, cluster, service)) {
      const base = `http://${ip}:${port}`;
      try {
        const r = await deps.http("GET", `${base}/`);
        if (r.status === 200) return base;
        last = `${ip} answered ${r.status}`;
      } catch (e) {
        last = `${ip}: ${(e as Error).message}`;
      }
    }
    deps.log(JSON.stringify({ waiting: service, attempt: attempt + 1, last }));
  }
  throw new Error(`no worker of ${service} answered on ${port} after ${MAX_ATTEMPTS} attempts (${last})`);
}

export async function apply(event: unknown, deps: Dependencies): Promise<Result> {
  const log = deps.log ?? ((line: string) => console.log(line));
  try {
    const connectors = parseConnectors(event);
    const cluster = required(deps.env, "CLUSTER");
    const service = required(deps.env, "SERVICE");
    const port = required(deps.env, "REST_PORT");
    const d = { ecs: deps.ecs, http: deps.http, log, sleep: deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))) };
    const base = await findWorker(d, cluster, service, port);
    const changes: Record<string, Change> = {};
    for (const [name, config] of Object.entries(connectors).sort(([a], [b]) => a.localeCompare(b))) {
      changes[name] = await applyConnector(deps.http, base, name, config);
    }
    log(JSON.stringify({ worker: base, changes }));
    return { ok: true, worker: base, changes };
  } catch (e) {
    const error = (e as Error).message;
    log(JSON.stringify({ error }));
    return { ok: false, error };
  }
}

/** Plain HTTP to a worker inside the VPC (Kafka Connect's REST API has no TLS here; the group admits only this function and the workers). */
export const nodeHttp: HttpCall = (method, url, body) => new Promise((resolve, reject) => {
  const req = http.request(url, { method, timeout: 10_000, headers: { Accept: "application/json", ...(body !== undefined ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) } : {}) } }, (res) => {
    const chunks: Buffer[] = [];
    res.on("data", (c: Buffer) => chunks.push(c));
    res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
  });
  req.on("timeout", () => req.destroy(new Error(`timeout after 10 s: ${method} ${url}`)));
  req.on("error", reject);
  if (body !== undefined) req.write(body);
  req.end();
});

export function makeHandler(deps: Omit<Dependencies, "env"> & { env?: Dependencies["env"] }): (event: unknown) => Promise<Result> {
  return (event) => apply(event, { ...deps, env: deps.env ?? process.env });
}

export const handler = makeHandler({ ecs: new ECSClient({}), http: nodeHttp });
