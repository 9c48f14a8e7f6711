import * as dns from "dns";
import * as tls from "tls";
import { Readable } from "stream";
import { GetObjectCommand, NoSuchKey, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { Dependencies, Result, makeHandler } from "../../functions/log-shipper/handler";
import { EventEmitter } from "events";
import { ConnectionOptions, FrameSocket, GelfConnection, GelfDeliveryError, tlsConnect } from "../../functions/log-shipper/transport";
import { selfSignedCertificate } from "./logShipperCert";
import { ALB_BUCKET, ALB_KEY, ALB_LINES, FLOW_BUCKET, FLOW_FILE, FLOW_KEY, FLOW_LOG_GROUP, cloudWatchEvent, gz, s3Event } from "./logShipperFixtures";
import { failure } from "../support/failure";

const HOST = "graylog.prod.internal.tila.sa";

/** A GELF TCP input behind TLS on 127.0.0.1: the messages it received, split on the null byte. */
class FakeGraylog {
  readonly cert = selfSignedCertificate([HOST]);
  messages: Record<string, unknown>[] = [];
  connections = 0;
  /** Connections to cut as soon as they are made, before the TLS handshake. */
  dropNext = 0;
  private server: tls.Server | undefined;
  port = 0;

  async start(cert = this.cert): Promise<void> {
    this.server = tls.createServer({ cert: cert.cert, key: cert.key }, (socket) => {
      this.connections++;
      let pending = Buffer.alloc(0);
      socket.on("data", (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (let i = pending.indexOf(0); i >= 0; i = pending.indexOf(0)) {
          this.messages.push(JSON.parse(pending.subarray(0, i).toString("utf8")) as Record<string, unknown>);
          pending = pending.subarray(i + 1);
        }
      });
      socket.on("error", () => undefined);
    });
    this.server.on("connection", (raw: import("net").Socket) => {
      if (this.dropNext > 0) {
        this.dropNext--;
        raw.destroy();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server!.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  reset(): void {
    this.messages = [];
    this.connections = 0;
    this.dropNext = 0;
  }

  /** Waits until the server has parsed `n` messages (the client's end() does not wait for the reader). */
  async received(n: number): Promise<Record<string, unknown>[]> {
    for (let i = 0; i < 200 && this.messages.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    return this.messages;
  }
}

/** Resolves Graylog's name to the loopback address, so the certificate is checked against the real name. */
const loopback = ((_host: string, options: dns.LookupOptions, callback: (e: Error | null, address: string | dns.LookupAddress[], family?: number) => void) => {
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
}) as unknown as typeof dns.lookup;

describe("functions/log-shipper: flow logs and ALB access logs to Graylog over GELF TLS", () => {
  const graylog = new FakeGraylog();
  let s3: ReturnType<typeof mockClient>;
  let logs: string[];
  let sleeps: number[];

  const env = (over: Record<string, string | undefined> = {}) => ({
    ENVIRONMENT: "prod",
    GELF_HOST: HOST,
    GELF_PORT: String(graylog.port),
    S3_SOURCES: JSON.stringify({ [FLOW_BUCKET]: "flow-log", [ALB_BUCKET]: "alb-access" }),
    FLOW_LOG_GROUP,
    MAX_ATTEMPTS: "3",
    ...over,
  });
  const deps = (over: Partial<Dependencies> = {}): Dependencies => ({
    env: env(),
    connect: tlsConnect({ ca: [graylog.cert.cert], lookup: loopback }),
    log: (l) => logs.push(l),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...over,
  });
  const body = (text: string) => ({ Body: Readable.from([gz(text)]) as never });

  before(async () => {
    s3 = mockClient(S3Client);
    await graylog.start();
  });
  after(async () => {
    s3.restore();
    await graylog.stop();
  });
  beforeEach(() => {
    graylog.reset();
    s3.reset();
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).callsFake(() => body(FLOW_FILE));
    s3.on(GetObjectCommand, { Bucket: ALB_BUCKET, Key: ALB_KEY }).callsFake(() => body(`${ALB_LINES.join("\n")}\n`));
    logs = [];
    sleeps = [];
  });

  it("bundles for Lambda", () => {
    expect(bundleFunction("log-shipper")).to.match(/index\.js$/);
  });

  it("ships every record of a flow-log file and an ALB log file, read through the S3 SDK, over one verified connection", async () => {
    const result = await makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }, { bucket: ALB_BUCKET, key: ALB_KEY }]));
    expect(result).to.deep.equal({ status: "shipped", sources: 2, messages: 6, malformed: 0, skipped: 0, connections: 1 });
    const got = await graylog.received(6);
    expect(graylog.connections).to.equal(1);
    expect(got.map((m) => m._log_kind)).to.deep.equal(["flow-log", "flow-log", "flow-log", "alb-access", "alb-access", "alb-access"]);
    for (const m of got) {
      expect(m).to.include({ version: "1.1", _environment: "prod" });
      expect(m.host).to.be.a("string").and.not.equal("");
      expect(m.short_message).to.be.a("string").and.not.equal("");
    }
    expect(got[0]).to.deep.include({ _srcaddr: "10.40.1.23", _dstport: 443, _log_source: `s3://${FLOW_BUCKET}/${FLOW_KEY}` });
    expect(got[4]).to.deep.include({ _elb_status_code: 502, level: 4 });
    const gets = s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input);
    expect(gets).to.deep.equal([{ Bucket: FLOW_BUCKET, Key: FLOW_KEY }, { Bucket: ALB_BUCKET, Key: ALB_KEY }]);
  });

  it("decodes the object key S3 sends URL-encoded", async () => {
    const key = "AWSLogs/444444444444/vpcflowlogs/me-south-1/2026/12/05/with space+plus.log.gz";
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: key }).callsFake(() => body(FLOW_FILE));
    const result = await makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key }]));
    expect(result).to.include({ status: "shipped", messages: 3 });
  });

  it("writes in batches of BATCH_SIZE on the one connection", async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `2 444444444444 eni-1 10.0.0.${i} 10.0.1.1 4000 443 6 1 60 1796428800 1796428860 ACCEPT OK`);
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).callsFake(() => body(lines.join("\n")));
    const writes: number[] = [];
    const real = tlsConnect({ ca: [graylog.cert.cert], lookup: loopback });
    const counting: Dependencies["connect"] = async (t, ms) => {
      const socket = await real(t, ms);
      const write = socket.write.bind(socket);
      socket.write = ((data: Buffer, cb: (e?: Error | null) => void) => {
        writes.push(data.filter((b) => b === 0).length);
        return write(data, cb);
      }) as typeof socket.write;
      return socket;
    };
    const result = await makeHandler(deps({ env: env({ BATCH_SIZE: "10" }), connect: counting }))(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }]));
    expect(result).to.include({ messages: 25, connections: 1 });
    expect(writes).to.deep.equal([10, 10, 5]);
    expect(await graylog.received(25)).to.have.length(25);
  });

  it("ships the flow logs a CloudWatch Logs subscription delivers, and ignores its control message", async () => {
    const records = FLOW_FILE.split("\n").slice(1);
    const result = await makeHandler(deps())(cloudWatchEvent({ messageType: "DATA_MESSAGE", logGroup: FLOW_LOG_GROUP, messages: records }));
    expect(result).to.include({ status: "shipped", messages: 3 });
    const got = await graylog.received(3);
    expect(got.every((m) => m._log_kind === "flow-log" && m._log_source === `cloudwatch:${FLOW_LOG_GROUP}`)).to.equal(true);
    const control = await makeHandler(deps())(cloudWatchEvent({ messageType: "CONTROL_MESSAGE", logGroup: FLOW_LOG_GROUP, messages: ["CWL CONTROL MESSAGE: Checking health of destination Lambda."] }));
    expect(control).to.deep.equal({ status: "ignored", reason: "CloudWatch Logs control message" });
  });

  it("ignores a log group, a bucket or an object it was not given, and an event of another shape, without connecting", async () => {
    const other = await makeHandler(deps())(cloudWatchEvent({ messageType: "DATA_MESSAGE", logGroup: "/aws/lambda/x", messages: ["x"] }));
    expect(other.status).to.equal("ignored");
    const skipped = await makeHandler(deps())(s3Event([
      { bucket: "someone-elses-bucket", key: FLOW_KEY },
      { bucket: ALB_BUCKET, key: "prod-public/AWSLogs/444444444444/ELBAccessLogTestFile" },
    ]));
    expect(skipped).to.deep.equal({ status: "shipped", sources: 0, messages: 0, malformed: 0, skipped: 2, connections: 0 });
    expect(await makeHandler(deps())({ detail: "an EventBridge event" })).to.have.property("status", "ignored");
    expect(graylog.connections).to.equal(0);
    expect(s3.commandCalls(GetObjectCommand)).to.have.length(0);
  });

  it("counts malformed lines and logs them by position only, never a record's content", async () => {
    const text = [FLOW_FILE, "2 444444444444 eni-1 10.9.9.9 truncated", "2 444444444444 eni-1 10.9.9.8 10.9.9.7 1 2 6 x 1 1796428800 1796428860 ACCEPT OK"].join("\n");
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).callsFake(() => body(text));
    const result = await makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }]));
    expect(result).to.include({ messages: 3, malformed: 2 });
    const warnings = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === "warn" && l.malformed);
    expect(warnings.map((w) => w.line)).to.deep.equal([5, 6]);
    const all = logs.join("\n");
    for (const content of ["10.9.9.9", "10.9.9.8", "10.40.1.23", "203.0.113.9", "eni-0a1b2c3d4e5f60718"]) expect(all).to.not.include(content);
  });

  it("retries a connection cut before it carried anything, with backoff, and sends the batch on a new one", async () => {
    graylog.dropNext = 2;
    const result = await makeHandler(deps())(s3Event([{ bucket: ALB_BUCKET, key: ALB_KEY }]));
    expect(result).to.include({ status: "shipped", messages: 3, connections: 1 });
    expect(await graylog.received(3)).to.have.length(3);
    // 500 ms doubling, with the jitter at its middle (0.75).
    expect(sleeps).to.deep.equal([375, 750]);
  });

  it("throws after MAX_ATTEMPTS failures so Lambda retries the event and then dead-letters it", async () => {
    const unreachable = tlsConnect({ ca: [graylog.cert.cert], lookup: loopback });
    const e = await failure(makeHandler(deps({ env: env({ GELF_PORT: "1" }), connect: unreachable }))(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
    expect(e).to.be.instanceOf(GelfDeliveryError);
    expect(e.message).to.match(/failed 3 times in a row/).and.match(/ECONNREFUSED/);
    expect(sleeps).to.have.length(2);
  });

  it("refuses a server whose certificate does not name Graylog's host", async () => {
    const impostor = new FakeGraylog();
    const wrong = selfSignedCertificate(["graylog.other.example"]);
    await impostor.start(wrong);
    try {
      const connect = tlsConnect({ ca: [wrong.cert], lookup: loopback });
      const e = await failure(makeHandler(deps({ env: env({ GELF_PORT: String(impostor.port), MAX_ATTEMPTS: "1" }), connect }))(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
      expect(e.message).to.match(/ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate/);
      expect(impostor.messages).to.have.length(0);
    } finally {
      await impostor.stop();
    }
  });

  it("refuses a server whose certificate no trusted authority signed", async () => {
    const e = await failure(makeHandler(deps({ env: env({ MAX_ATTEMPTS: "1" }), connect: tlsConnect({ lookup: loopback }) }))(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
    expect(e.message).to.match(/self[- ]signed|unable to verify|SELF_SIGNED/i);
    expect(graylog.messages).to.have.length(0);
  });

  it("throws when an object cannot be read, and skips one that expired before it was read", async () => {
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
    const e = await failure(makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
    expect(e.message).to.equal(`cannot read s3://${FLOW_BUCKET}/${FLOW_KEY}: AccessDenied: Access Denied`);
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).rejects(new NoSuchKey({ message: "gone", $metadata: {} }));
    const result: Result = await makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }]));
    expect(result).to.include({ skipped: 1, messages: 0 });
  });

  it("throws naming the object when a file is not gzip", async () => {
    s3.on(GetObjectCommand, { Bucket: FLOW_BUCKET, Key: FLOW_KEY }).callsFake(() => ({ Body: Readable.from([Buffer.from(FLOW_FILE)]) as never }));
    const e = await failure(makeHandler(deps())(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
    expect(e.message).to.match(new RegExp(`^cannot read s3://${FLOW_BUCKET}/.+: incorrect header check`));
  });

  it("refuses to run misconfigured, naming each setting", async () => {
    const e = await failure(makeHandler(deps({ env: { ENVIRONMENT: "Prod", GELF_HOST: "not a host", S3_SOURCES: "{\"b\":\"syslog\"}", MAX_ATTEMPTS: "0" } }))(s3Event([{ bucket: FLOW_BUCKET, key: FLOW_KEY }])));
    expect(e.message).to.match(/^log shipper misconfigured: /);
    for (const key of ["ENVIRONMENT", "GELF_HOST", "S3_SOURCES.b", "MAX_ATTEMPTS"]) expect(e.message).to.include(`${key}:`);
  });
});

/** A socket whose failures the test decides: write n fails with `failOnWrite[n]`, `peerEnd()` ends it from Graylog's side. */
class ScriptedSocket extends EventEmitter implements FrameSocket {
  destroyed = false;
  written: number[] = [];
  constructor(private readonly failOnWrite: Record<number, string> = {}) {
    super();
  }
  write(data: Buffer, callback: (error?: Error | null) => void): boolean {
    const n = this.written.length + 1;
    this.written.push(data.filter((b) => b === 0).length);
    const failure = this.failOnWrite[n];
    setImmediate(() => callback(failure ? Object.assign(new Error(failure), { code: failure }) : null));
    return true;
  }
  end(): void {
    setImmediate(() => {
      this.emit("end");
      this.destroyed = true;
      this.emit("close");
    });
  }
  destroy(): void {
    this.destroyed = true;
  }
  peerEnd(): void {
    this.emit("end");
  }
}

describe("functions/log-shipper: a GELF connection that fails after carrying batches", () => {
  const frame = (n: number) => Buffer.from(`{"n":${n}}\0`);
  const options = (sockets: ScriptedSocket[], sleeps: number[]): ConnectionOptions => ({
    maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, connectTimeoutMs: 1000, random: () => 0.5, log: () => undefined,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    connect: async () => {
      const next = sockets.shift();
      if (!next) throw new Error("no more sockets");
      return next;
    },
  });

  it("fails at once, without a retry, when a write fails on a connection that already carried a batch (the event is retried whole)", async () => {
    const socket = new ScriptedSocket({ 2: "EPIPE" });
    const spare = new ScriptedSocket();
    const sleeps: number[] = [];
    const c = new GelfConnection({ host: HOST, port: 12201 }, options([socket, spare], sleeps));
    await c.send([frame(1)]);
    const e = await failure(c.send([frame(2)]));
    expect(e).to.be.instanceOf(GelfDeliveryError);
    expect(e.message).to.match(/after it carried 1 batch\(es\), which may be lost: EPIPE/);
    expect(sleeps).to.deep.equal([]);
    expect(spare.written).to.deep.equal([]);
  });

  it("retries the batch on a new connection when the failing one had carried nothing", async () => {
    const first = new ScriptedSocket({ 1: "ECONNRESET" });
    const second = new ScriptedSocket();
    const sleeps: number[] = [];
    const c = new GelfConnection({ host: HOST, port: 12201 }, options([first, second], sleeps));
    await c.send([frame(1), frame(2)]);
    await c.close();
    expect(second.written).to.deep.equal([2]);
    expect(sleeps).to.deep.equal([75]);
    expect(c.connections).to.equal(2);
  });

  it("fails the close when Graylog's side ended the connection before the shipper did", async () => {
    const socket = new ScriptedSocket();
    const c = new GelfConnection({ host: HOST, port: 12201 }, options([socket], []));
    await c.send([frame(1)]);
    socket.peerEnd();
    const e = await failure(c.close());
    expect(e).to.be.instanceOf(GelfDeliveryError);
    expect(e.message).to.match(/failed before it was closed, after it carried 1 batch\(es\).*Graylog's side closed/);
  });

  it("closes cleanly when the shipper ends the connection first (Graylog's end after it is the ordinary close)", async () => {
    const socket = new ScriptedSocket();
    const c = new GelfConnection({ host: HOST, port: 12201 }, options([socket], []));
    await c.send([frame(1)]);
    await c.close();
    expect(socket.destroyed).to.equal(true);
  });
});
