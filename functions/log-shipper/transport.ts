/**
 * One GELF TCP connection over TLS to Graylog's load balancer, written to in batches. The
 * certificate is verified against the target's name (the name every stack resolves Graylog by,
 * which the load balancer's certificate covers); TLS 1.2 at least.
 *
 * GELF TCP has no acknowledgement: a batch counts as written once the socket has handed it to the
 * kernel, and only a connection the shipper itself closes cleanly proves that what it carried
 * arrived. So:
 * - a connection that cannot be opened, or fails while its first batch is written, is opened again
 *   with exponential backoff and jitter and the batch written again, up to `maxAttempts` failures
 *   in a row;
 * - a connection that fails (an error, or Graylog's side closing it) after it carried a batch may
 *   have lost that batch, which is no longer held: the invocation fails at once;
 * and either way GelfDeliveryError is thrown, so Lambda retries the whole event and then keeps it
 * in the dead-letter queue. Messages arrive at least once (a retried event sends its first part
 * again), never silently dropped by the shipper.
 */
import * as tls from "tls";

/** The part of a socket the connection uses (a TLSSocket; tests may hand in another stream). */
export interface FrameSocket {
  write(data: Buffer, callback: (error?: Error | null) => void): boolean;
  end(callback?: () => void): void;
  destroy(error?: Error): void;
  once(event: "error", listener: (error: Error) => void): unknown;
  once(event: "close" | "end", listener: () => void): unknown;
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
  /** Why the current connection is no longer good: an error, or Graylog's side ending it. */
  private broken: Error | undefined;
  /** Batches the current connection carried. */
  private carried = 0;
  /** The shipper has ended the current connection. */
  private closing = false;
  /** Connections opened, for the invocation's summary. */
  connections = 0;
  /** Failures retried over the whole invocation. */
  retries = 0;

  constructor(private readonly target: GelfTarget, private readonly o: ConnectionOptions) {}

  private get where(): string {
    return `${this.target.host}:${this.target.port}`;
  }

  private async open(): Promise<FrameSocket> {
    const connect = this.o.connect ?? tlsConnect();
    const socket = await connect(this.target, this.o.connectTimeoutMs);
    this.connections++;
    this.broken = undefined;
    this.carried = 0;
    this.closing = false;
    socket.once("error", (e) => {
      this.broken ??= e;
    });
    // Graylog never ends a GELF connection first: an end from its side means it stopped reading.
    socket.once("end", () => {
      if (!this.closing) this.broken ??= new Error("Graylog's side closed the connection");
    });
    return socket;
  }

  private write(socket: FrameSocket, data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.broken || socket.destroyed) return reject(this.broken ?? new Error("connection closed"));
      socket.write(data, (e) => (e ? reject(e) : this.broken ? reject(this.broken) : resolve()));
    });
  }

  private drop(): void {
    this.socket?.destroy();
    this.socket = undefined;
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
        this.carried++;
        return;
      } catch (e) {
        failures++;
        const lost = this.socket !== undefined && this.carried > 0;
        this.drop();
        const why = describe(e);
        if (lost) throw new GelfDeliveryError(`GELF connection to ${this.where} failed after it carried ${this.carried} batch(es), which may be lost: ${why}`, failures);
        if (failures >= this.o.maxAttempts) throw new GelfDeliveryError(`GELF to ${this.where} failed ${failures} times in a row, giving up for this invocation: ${why}`, failures);
        const wait = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (failures - 1) * (0.5 + random() / 2));
        if (this.o.remainingMs && this.o.remainingMs() < wait + this.o.connectTimeoutMs) {
          throw new GelfDeliveryError(`GELF to ${this.where} failed ${failures} times and the invocation has no time left to wait ${Math.round(wait)} ms: ${why}`, failures);
        }
        this.retries++;
        this.o.log(JSON.stringify({ level: "warn", gelfRetry: failures, of: this.o.maxAttempts, waitMs: Math.round(wait), error: why }));
        await this.o.sleep(wait);
      }
    }
  }

  /**
   * Ends the connection and waits for it to close. Throws GelfDeliveryError when it had failed
   * after carrying batches (they may not have arrived); `discard` closes without that check, after
   * the invocation already failed.
   */
  async close(discard = false): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    // Broken before the shipper ended it: what it carried may not have arrived.
    const before = this.broken;
    if (!socket.destroyed && !before) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, this.o.connectTimeoutMs);
        socket.once("close", () => {
          clearTimeout(timer);
          resolve();
        });
        // Graylog's end after this one is the ordinary close, not a failure.
        this.closing = true;
        socket.end();
      });
    } else {
      socket.destroy();
    }
    const failure = before ?? this.broken;
    if (!discard && this.carried > 0 && failure) {
      throw new GelfDeliveryError(`GELF connection to ${this.where} failed before it was closed, after it carried ${this.carried} batch(es), which may be lost: ${describe(failure)}`, 1);
    }
  }
}
