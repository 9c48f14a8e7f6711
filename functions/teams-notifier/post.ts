/**
 * Delivers one Teams message to the webhook: POST with retries. 429 (Teams' rate limit: 4 requests
 * a second per webhook) and 5xx answers and network failures are retried with exponential backoff
 * and jitter, honouring Retry-After, up to `maxAttempts` in all; then the last failure is thrown so
 * Lambda's own retries and then the dead-letter queue take the event. Any other 4xx (a bad card, a
 * deleted or expired webhook) is thrown at once with its status: sending it again cannot succeed.
 *
 * The URL carries its own credential (an O365 webhook's path, a Workflows URL's `sig=`), so it is
 * never logged and never put in an error message: `redact` removes it from anything that echoes it.
 */

export interface PostOptions {
  /** Attempts in all, the first included (>= 1). */
  readonly maxAttempts: number;
  /** The first backoff; each next one doubles. */
  readonly baseDelayMs: number;
  /** No single wait is longer, whatever Retry-After asks. */
  readonly maxDelayMs: number;
  /** Each request's own timeout. */
  readonly requestTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** What is left of the invocation: no wait is started that would outlast it. */
  readonly remainingMs?: () => number;
  readonly log: (line: string) => void;
  readonly random?: () => number;
  readonly fetchImpl?: typeof fetch;
}

/** A delivery that failed; `retryable` says whether Lambda's retry could still succeed. */
export class WebhookError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "WebhookError";
  }
}

/** Office 365 connectors answer 200 with this text when they throttle (Teams' connector docs). */
const CONNECTOR_THROTTLED = /returned HTTP error 429/;

/** `text` without the webhook URL, its path or its query (where the credential is). */
export function redact(text: string, url: string): string {
  let out = text;
  const parts = [url];
  try {
    const u = new URL(url);
    parts.push(u.pathname + u.search, u.search.slice(1), u.pathname);
    // The signature as written in the URL, as decoded by a form parser ("+" a space), and re-encoded.
    const raw = /[?&]sig=([^&#]*)/.exec(url)?.[1];
    const parsed = u.searchParams.get("sig");
    for (const sig of [raw, parsed]) if (sig) parts.push(sig, encodeURIComponent(sig));
    if (raw) {
      try {
        parts.push(decodeURIComponent(raw));
      } catch {
        // A malformed escape: the raw form is already listed.
      }
    }
  } catch {
    // Not a URL: only the whole string can be removed.
  }
  for (const p of parts.filter((s) => s.length > 1).sort((a, b) => b.length - a.length)) out = out.split(p).join("<webhook>");
  return out;
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

interface Attempt {
  readonly ok: boolean;
  readonly status?: number;
  readonly retryable: boolean;
  readonly waitMs?: number;
  readonly detail: string;
}

async function attempt(url: string, body: string, o: PostOptions): Promise<Attempt> {
  const doFetch = o.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, { method: "POST", headers: { "content-type": "application/json" }, body, signal: AbortSignal.timeout(o.requestTimeoutMs) });
  } catch (e) {
    const cause = e instanceof Error ? `${e.name}: ${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ""}` : String(e);
    return { ok: false, retryable: true, detail: `request failed: ${redact(cause, url)}` };
  }
  const text = await res.text().catch(() => "");
  const snippet = redact(text.slice(0, 300), url).replace(/\s+/g, " ").trim();
  if (res.status >= 200 && res.status < 300 && !CONNECTOR_THROTTLED.test(text)) return { ok: true, status: res.status, retryable: false, detail: "" };
  const throttled = res.status === 429 || CONNECTOR_THROTTLED.test(text);
  const retryable = throttled || res.status >= 500;
  return { ok: false, status: throttled ? 429 : res.status, retryable, waitMs: retryAfterMs(res.headers.get("retry-after")), detail: `HTTP ${res.status}${snippet ? `: ${snippet}` : ""}` };
}

/** POSTs `payload` to `url`; resolves with the number of attempts it took, or throws a WebhookError. */
export async function postWithRetry(url: string, payload: unknown, o: PostOptions): Promise<number> {
  const body = JSON.stringify(payload);
  const random = o.random ?? Math.random;
  const attempts = Math.max(1, Math.floor(o.maxAttempts));
  for (let n = 1; ; n++) {
    const r = await attempt(url, body, o);
    if (r.ok) return n;
    if (!r.retryable) throw new WebhookError(`Teams webhook refused the card (not retried): ${r.detail}`, r.status, n, false);
    if (n >= attempts) throw new WebhookError(`Teams webhook failed ${n} times, giving up for this invocation: ${r.detail}`, r.status, n, true);
    const backoff = o.baseDelayMs * 2 ** (n - 1) * (0.5 + random() / 2);
    const wait = Math.min(o.maxDelayMs, r.waitMs ?? backoff);
    // The next attempt needs its wait and its own timeout inside the invocation.
    if (o.remainingMs && o.remainingMs() < wait + o.requestTimeoutMs) {
      throw new WebhookError(`Teams webhook failed ${n} times and the invocation has no time left to wait ${wait} ms: ${r.detail}`, r.status, n, true);
    }
    o.log(JSON.stringify({ level: "warn", retry: n, of: attempts, waitMs: Math.round(wait), status: r.status ?? null, detail: r.detail }));
    await o.sleep(wait);
  }
}
