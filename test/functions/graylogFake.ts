/**
 * A fake Graylog for the provisioner's and the alert relay's tests: a real HTTP server on
 * 127.0.0.1 holding inputs, index sets, streams (with rules), event definitions and events in
 * memory, answering the Graylog 6.x REST paths those functions use with the shapes Graylog
 * answers, refusing a request without the admin's basic credential or (when it changes something)
 * without X-Requested-By, and recording every request.
 */
import * as http from "http";
import type { AddressInfo } from "net";

export const ADMIN = { username: "admin", password: "s3cret-Admin-pw" };

type Obj = Record<string, unknown> & { id: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

export class FakeGraylog {
  private server?: http.Server;
  url = "";
  requests: RecordedRequest[] = [];
  inputs: Obj[] = [];
  indexSets: Obj[] = [];
  streams: Obj[] = [];
  definitions: Obj[] = [];
  /** Events the search answers (each `{event: {...}}`), filtered by the request's time range. */
  events: { event: Record<string, unknown> }[] = [];
  /** lbstatus answers DEAD this many times first. */
  deadAnswers = 0;
  /** Requests matching this answer `status` instead. */
  failure?: { method: string; path: RegExp; status: number };
  private next = 1;

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const body = text ? (JSON.parse(text) as unknown) : undefined;
        const answer = this.handle(req, body);
        res.writeHead(answer.status, { "content-type": typeof answer.body === "string" ? "text/plain" : "application/json" });
        res.end(answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  reset(): void {
    this.requests = [];
    this.inputs = [];
    this.indexSets = [{ id: "default-set", title: "Default index set", description: "The Graylog default index set", index_prefix: "graylog", default: true }];
    this.streams = [{ id: "000000000000000000000001", title: "Default Stream", description: "Contains messages that are not explicitly routed to other streams", is_default: true, disabled: false, rules: [], index_set_id: "default-set" }];
    this.definitions = [];
    this.events = [];
    this.deadAnswers = 0;
    this.failure = undefined;
    this.next = 1;
  }

  /** Requests that change something. */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && !(r.method === "POST" && r.path === "/api/events/search"));
  }

  private id(): string {
    return `6750${String(this.next++).padStart(20, "0")}`;
  }

  private handle(req: http.IncomingMessage, body: unknown): { status: number; body?: unknown } {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://x");
    const path = url.pathname;
    this.requests.push({ method, path: path + url.search, body });
    if (path === "/api/system/lbstatus") {
      if (this.deadAnswers > 0) {
        this.deadAnswers--;
        return { status: 503, body: "DEAD" };
      }
      return { status: 200, body: "ALIVE" };
    }
    const expected = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}`;
    if (req.headers.authorization !== expected) return { status: 401, body: { message: "unauthorized" } };
    if (method !== "GET" && !req.headers["x-requested-by"]) return { status: 400, body: { message: "CSRF protection: X-Requested-By missing" } };
    if (this.failure && this.failure.method === method && this.failure.path.test(path)) return { status: this.failure.status, body: { type: "ApiError", message: "refused by the test" } };
    const b = (body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;

    if (path === "/api/system/inputs" && method === "GET") return { status: 200, body: { inputs: this.inputs, total: this.inputs.length } };
    if (path === "/api/system/inputs" && method === "POST") {
      const id = this.id();
      this.inputs.push({ id, title: b.title, type: b.type, global: b.global, attributes: b.configuration, name: "GELF TCP", node: null });
      return { status: 201, body: { id } };
    }
    if ((m = /^\/api\/system\/inputs\/([^/]+)$/.exec(path)) && method === "PUT") {
      const i = this.inputs.find((x) => x.id === m![1]);
      if (!i) return { status: 404 };
      Object.assign(i, { title: b.title, type: b.type, global: b.global, attributes: b.configuration });
      return { status: 201, body: { id: i.id } };
    }

    if (path === "/api/system/indices/index_sets" && method === "GET") return { status: 200, body: { total: this.indexSets.length, index_sets: this.indexSets, stats: {} } };
    if (path === "/api/system/indices/index_sets" && method === "POST") {
      if (this.indexSets.some((s) => s.index_prefix === b.index_prefix)) return { status: 400, body: { message: "prefix in use" } };
      const saved = { ...b, id: this.id() } as Obj;
      this.indexSets.push(saved);
      return { status: 200, body: saved };
    }
    if ((m = /^\/api\/system\/indices\/index_sets\/([^/]+)$/.exec(path)) && method === "PUT") {
      const s = this.indexSets.find((x) => x.id === m![1]);
      if (!s) return { status: 404 };
      Object.assign(s, b);
      return { status: 200, body: s };
    }

    if (path === "/api/streams" && method === "GET") return { status: 200, body: { total: this.streams.length, streams: this.streams } };
    if (path === "/api/streams" && method === "POST") {
      const id = this.id();
      const rules = ((b.rules as Record<string, unknown>[] | undefined) ?? []).map((r) => ({ ...r, id: this.id(), stream_id: id }));
      this.streams.push({ ...b, id, rules, disabled: true, is_default: false });
      return { status: 201, body: { stream_id: id } };
    }
    if ((m = /^\/api\/streams\/([^/]+)$/.exec(path))) {
      const i = this.streams.findIndex((x) => x.id === m![1]);
      if (i < 0) return { status: 404 };
      if (method === "PUT") {
        const { rules: _ignored, ...rest } = b;
        void _ignored;
        Object.assign(this.streams[i]!, rest);
        return { status: 200, body: this.streams[i] };
      }
      if (method === "DELETE") {
        this.streams.splice(i, 1);
        return { status: 204 };
      }
    }
    if ((m = /^\/api\/streams\/([^/]+)\/resume$/.exec(path)) && method === "POST") {
      const s = this.streams.find((x) => x.id === m![1]);
      if (!s) return { status: 404 };
      s.disabled = false;
      return { status: 204 };
    }
    if ((m = /^\/api\/streams\/([^/]+)\/rules$/.exec(path)) && method === "POST") {
      const s = this.streams.find((x) => x.id === m![1]);
      if (!s) return { status: 404 };
      const id = this.id();
      (s.rules as unknown[]).push({ ...b, id, stream_id: s.id });
      return { status: 201, body: { streamrule_id: id } };
    }
    if ((m = /^\/api\/streams\/([^/]+)\/rules\/([^/]+)$/.exec(path)) && method === "DELETE") {
      const s = this.streams.find((x) => x.id === m![1]);
      if (!s) return { status: 404 };
      s.rules = (s.rules as Obj[]).filter((r) => r.id !== m![2]);
      return { status: 204 };
    }

    if (path === "/api/events/definitions" && method === "GET") {
      const page = Number(url.searchParams.get("page") ?? "1");
      const perPage = Number(url.searchParams.get("per_page") ?? "50");
      const slice = this.definitions.slice((page - 1) * perPage, page * perPage);
      return { status: 200, body: { event_definitions: slice, total: this.definitions.length, count: slice.length, page, per_page: perPage, query: "" } };
    }
    if (path === "/api/events/definitions" && method === "POST") {
      const saved = { ...b, id: this.id(), state: url.searchParams.get("schedule") === "false" ? "DISABLED" : "ENABLED" } as Obj;
      this.definitions.push(saved);
      return { status: 200, body: saved };
    }
    if ((m = /^\/api\/events\/definitions\/([^/]+)$/.exec(path))) {
      const i = this.definitions.findIndex((x) => x.id === m![1]);
      if (i < 0) return { status: 404 };
      if (method === "PUT") {
        if (b.id !== m[1]) return { status: 400, body: { errors: { id: ["Event definition IDs don't match"] } } };
        this.definitions[i] = { ...b, id: m[1], state: url.searchParams.get("schedule") === "false" ? "DISABLED" : "ENABLED" } as Obj;
        return { status: 200, body: this.definitions[i] };
      }
      if (method === "DELETE") {
        const [gone] = this.definitions.splice(i, 1);
        return { status: 200, body: gone };
      }
    }

    if (path === "/api/events/search" && method === "POST") {
      const range = (b.timerange ?? {}) as { type?: string; from?: string; to?: string };
      const filter = (b.filter ?? {}) as { alerts?: string };
      if (range.type !== "absolute" || !range.from || !range.to) return { status: 400, body: { message: "absolute range expected by the fake" } };
      const from = Date.parse(range.from);
      const to = Date.parse(range.to);
      const page = Number(b.page ?? 1);
      const perPage = Number(b.per_page ?? 10);
      const matching = this.events
        .filter((e) => {
          const t = Date.parse(String(e.event.timestamp));
          return t >= from && t <= to && (filter.alerts !== "only" || e.event.alert === true);
        })
        .sort((x, y) => (Date.parse(String(x.event.timestamp)) - Date.parse(String(y.event.timestamp))) * (b.sort_direction === "desc" ? -1 : 1));
      const slice = matching.slice((page - 1) * perPage, page * perPage);
      const definitions = Object.fromEntries(this.definitions.map((d) => [d.id, { id: d.id, title: d.title, description: d.description }]));
      return { status: 200, body: { events: slice.map((e) => ({ ...e, index_name: "gl-events_0", index_type: "message" })), used_indices: ["gl-events_0"], parameters: b, total_events: matching.length, duration: 3, context: { event_definitions: definitions, streams: {} } } };
    }
    return { status: 404, body: { message: `the fake does not know ${method} ${path}` } };
  }
}
