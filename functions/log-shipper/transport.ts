/**
 * One GELF TCP connection over TLS to Graylog's load balancer, written to in batches. The
 * certificate is verified against the target's name (the name every stack resolves Graylog by,
 * which the load balancer's certificate covers); TLS 1.2 at least.
 *
 * A connection that cannot be opened, or that fails while a batch is written, is opened again
 * with exponential backoff and jitter and the batch written again, up to `maxAttempts` failures in
 * a row; then GelfDeliveryError is thrown, so the invocation fails and Lambda's retries and then
 * the dead-letter queue keep the event. GELF TCP has no acknowledgement: a batch counts as sent
 * once the socket has handed it to the kernel, so a retried batch or event may arrive twice
 * (at least once, never silently dropped by the shipper).
 */
import * as tls from "tls";

/** The part of a socket the connection uses (a TLSSocket; tests may hand in another stream). */
export interface FrameSocket {
  write(data: Buffer, callback: (error?: Error | null) => void): boolean;
  end(callback?: () => void): void;
  destroy(error?: Error): void;
  once(event: "error", listener: (error: Error) => void): unknown;
  once(event: "close", listener: () => void): unknown;
  readonly destroyed: boolean;
}

export interface GelfTarget {
  /** A name the load balancer's certificate covers. */
  readonly host: string;
  readonly port: number;
}

export type Connect = (target: GelfTarget, timeoutMs: number) => Promise<FrameSocket>;

export interface ConnectionOptions {
  /** Failures in a row (connecting or writing) before giving up, the first attempt included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly connectTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly log: (line: string) => void;
  readonly random?: () => number;
  /** What is left of the invocation: no wait is started that would outlast it. */
  readonly remainingMs?: () => number;
  readonly connect?: Connect;
}

export class GelfDeliveryError extends Error {
  constructor(message: string, readonly attempts: number) {
    super(message);
    this.name = "GelfDeliveryError";
  }
}

/**
 * Opens a verified TLS connection. `extra` is for tests only (a test CA, a lookup that resolves the
 * name to the loopback address); verification itself cannot be turned off through it.
 */
export function tlsConnect(extra: Omit<tls.ConnectionOptions, "rejectUnauthorized" | "checkServerIdentity" | "servername"> = {}): Connect {
  return (target, timeoutMs) =>
    new Promise((resolve, reject) => {
      const socket = tls.connect({
        ...extra,
        host: target.host,
        port: target.port,
        servername: target.host,
        minVersion: "TLSv1.2",
        rejectUnauthorized: true,
      });
      const timer = setTimeout(() => socket.destroy(new Error(`no TLS connection to ${target.host}:${target.port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once("secureConnect", () => {
        clearTimeout(timer);
        socket.removeAllListeners("error");
        resolve(socket);
      });
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as NodeJS.ErrnoException).code;
  return code ? `${code}: ${e.message}` : e.message;
}

/** A lazily opened connection: `send` opens it on first use and after a failure. */
export class GelfConnection {
  private socket: FrameSocket | undefined;
  private socketError: Error | undefined;
  /** Connections opened, for the invocation's summary. */
  connections = 0;
  /** Failures retried over the whole invocation. */
  retries = 0;

  constructor(private readonly target: GelfTarget, private readonly o: ConnectionOptions) {}

  private async open(): Promise<FrameSocket> {
    const connect = this.o.connect ?? tlsConnect();
    const socket = await connect(this.target, this.o.connectTimeoutMs);
    this.connections++;
    this.socketError = undefined;
    socket.once("error", (e) => {
      this.socketError = e;
    });
    socket.once("close", () => {
      if (this.socket === socket) this.socket = undefined;
    });
    return socket;
  }

  private write(socket: FrameSocket, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (socket.destroyed) return reject(this.socketError ?? new Error("connection closed"));
      socket.write(data, (e) => (e ? reject(e) : this.socketError ? reject(this.socketError) : resolve()));
    });
  }

  /** Writes the frames as one batch; resolves once handed to the kernel. */
  async send(frames: readonly Buffer[]): Promise<void> {
    if (frames.length === 0) return;
    const data = Buffer.concat(frames);
    const random = this.o.random ?? Math.random;
    for (let failures = 0; ; ) {
      try {
        this.socket ??= await this.open();
        await this.write(this.socket, data);
        return;
      } catch (e) {
        failures++;
        this.socket?.destroy();
        this.socket = undefined;
        const why = describe(e);
        if (failures >= this.o.maxAttempts) {
          throw new GelfDeliveryError(`GELF to ${this.target.host}:${this.target.port} failed ${failures} times in a row, giving up for this invocation: ${why}`, failures);
        }
        const wait = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (failures - 1) * (0.5 + random() / 2));
        if (this.o.remainingMs && this.o.remainingMs() < wait + this.o.connectTimeoutMs) {
          throw new GelfDeliveryError(`GELF to ${this.target.host}:${this.target.port} failed ${failures} times and the invocation has no time left to wait ${Math.round(wait)} ms: ${why}`, failures);
        }
        this.retries++;
        this.o.log(JSON.stringify({ level: "warn", gelfRetry: failures, of: this.o.maxAttempts, waitMs: Math.round(wait), error: why }));
        await this.o.sleep(wait);
      }
    }
  }

  /** Ends the connection cleanly (the load balancer forwards what it has). */
  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, this.o.connectTimeoutMs);
      socket.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
