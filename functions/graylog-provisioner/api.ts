/**
 * A small client of Graylog's REST API (under `/api/` of GraylogEndpoints.url), shared by the
 * provisioner and the alert relay: HTTP basic authentication as the admin user, the
 * `X-Requested-By` header Graylog requires on every request that changes something (its CSRF
 * guard), JSON in and out, and a bounded wait for Graylog to answer `ALIVE` on
 * /api/system/lbstatus. The password is never logged or put in an error.
 */

export interface ApiResponse {
  readonly status: number;
  readonly text: string;
}

export interface GraylogApi {
  /** One request; resolves with any status, rejects only when no answer came. */
  readonly request: (method: string, path: string, body?: unknown) => Promise<ApiResponse>;
}

export interface ApiOptions {
  /** `https://graylog.management.internal.<domain>` (plain http only to 127.0.0.1, where tests run a fake Graylog). */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly fetchImpl?: typeof fetch;
  /** @default 20000 */
  readonly timeoutMs?: number;
}

/** What the provisioner sends as X-Requested-By (any non-empty value passes Graylog's check). */
export const REQUESTED_BY = "tila-platform";

/** The base URL, checked: https, or http to the loopback address only. */
export function graylogBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`GRAYLOG_URL "${value}" is not a URL`);
  }
  const loopback = url.protocol === "http:" && url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !loopback) throw new Error(`GRAYLOG_URL must be https (got ${url.protocol})`);
  return value.replace(/\/+$/, "");
}

export function graylogApi(o: ApiOptions): GraylogApi {
  const base = graylogBaseUrl(o.baseUrl);
  const doFetch = o.fetchImpl ?? fetch;
  const auth = `Basic ${Buffer.from(`${o.username}:${o.password}`).toString("base64")}`;
  return {
    request: async (method, path, body) => {
      const headers: Record<string, string> = { authorization: auth, accept: "application/json", "x-requested-by": REQUESTED_BY };
      if (body !== undefined) headers["content-type"] = "application/json";
      let res: Response;
      try {
        res = await doFetch(`${base}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(o.timeoutMs ?? 20_000) });
      } catch (e) {
        const cause = e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ""}` : String(e);
        throw new Error(`${method} /api${path}: no answer from Graylog: ${cause.split(o.password).join("<password>")}`);
      }
      return { status: res.status, text: await res.text().catch(() => "") };
    },
  };
}

/** The JSON of a 2xx answer; anything else is thrown naming the request and what it was for. */
export async function json<T>(api: GraylogApi, method: string, path: string, what: string, body?: unknown): Promise<T> {
  const r = await api.request(method, path, body);
  if (r.status < 200 || r.status >= 300) throw new Error(`${what}: ${method} /api${path} answered ${r.status}: ${r.text.slice(0, 300).replace(/\s+/g, " ")}`);
  if (r.text.trim() === "") return undefined as T;
  try {
    return JSON.parse(r.text) as T;
  } catch {
    throw new Error(`${what}: ${method} /api${path} answered ${r.status} with something other than JSON`);
  }
}

export interface WaitOptions {
  /** Give up after this long. */
  readonly maxWaitMs: number;
  readonly intervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly log: (line: string) => void;
}

/**
 * Waits until a Graylog node behind the load balancer answers ALIVE (a first deploy starts the
 * nodes while this runs); throws with the last answer once maxWaitMs has passed.
 */
export async function waitForGraylog(api: GraylogApi, o: WaitOptions): Promise<void> {
  const start = o.now();
  let last = "";
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await api.request("GET", "/system/lbstatus");
      if (r.status === 200 && r.text.trim() === "ALIVE") return;
      last = `HTTP ${r.status} ${r.text.trim().slice(0, 80)}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (o.now() - start + o.intervalMs > o.maxWaitMs) throw new Error(`Graylog did not answer ALIVE within ${Math.round(o.maxWaitMs / 1000)} s (${attempt} attempts; last: ${last})`);
    o.log(JSON.stringify({ level: "info", waiting: "graylog", attempt, last }));
    await o.sleep(o.intervalMs);
  }
}
