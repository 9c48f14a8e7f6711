/**
 * Three costs of the Pulumi Node.js SDK taken out while the offline engine captures a program,
 * because under mocks they are most of a run and change nothing the capture records:
 *
 * - `debuggablePromise` (runtime/debuggable) wraps every internal promise, takes a stack trace for
 *   it and tracks it in a leak set that is only read when a real deployment exits;
 * - `Resource.callsites` raises `Error.stackTraceLimit` to Infinity and parses a full stack trace
 *   for every resource, only to send a source position the mock monitor never reads;
 * - `transferProperties` (runtime/rpc) builds an `Output` (about a dozen promises and a proxy) for
 *   every property a resource class declares, before registration, although a program reads a
 *   few of them: here each property becomes an accessor that builds the same `Output` on first
 *   read, settled with what the engine answered (`lazyTransferProperties`).
 *
 * Patches apply only inside `withLeanSdk` and are undone after it, whatever happens. They are
 * written against the pinned SDK: a different version, or internals of another shape, stop the
 * engine with a message naming what changed rather than silently capturing something else.
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK these patches were written and checked against (package.json pins it). */
export const PATCHED_SDK_VERSION = "3.248.0";

export interface DebuggableModule {
  debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T>;
}

export interface ResourceStatics {
  callsites: () => unknown[];
}

/** A property's resolver as `transferProperties` returns it (value, known, secret, dependencies, error). */
export type Resolver = (v: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: unknown) => void;
export type TransferProperties = (onto: object, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
export type OutputConstructor = new (resources: unknown, promise: Promise<unknown>, isKnown: Promise<unknown>, isSecret: Promise<unknown>, allResources: Promise<unknown>) => unknown;

export interface RpcModule {
  transferProperties: TransferProperties;
}

/** What keeps the patches from fitting an SDK: a version other than the pinned one, or internals of another shape. */
export function sdkProblems(version: string, debuggable: Partial<DebuggableModule>, resource: Partial<ResourceStatics>, rpc: Partial<RpcModule>): string[] {
  const problems: string[] = [];
  if (version !== PATCHED_SDK_VERSION) problems.push(`@pulumi/pulumi is ${version}, not ${PATCHED_SDK_VERSION}`);
  if (typeof debuggable.debuggablePromise !== "function" || debuggable.debuggablePromise.length !== 2) {
    problems.push("runtime/debuggable no longer exports debuggablePromise(p, ctx)");
  }
  if (typeof resource.callsites !== "function" || resource.callsites.length !== 0) problems.push("Resource.callsites() is gone or takes arguments");
  if (typeof rpc.transferProperties !== "function" || rpc.transferProperties.length !== 3) {
    problems.push("runtime/rpc no longer exports transferProperties(onto, label, props)");
  }
  return problems;
}

/** The SDK internals the patches replace; throws naming what differs. */
function sdkInternals(): { debuggable: DebuggableModule; resource: ResourceStatics; rpc: RpcModule } {
  const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Partial<DebuggableModule>;
  const resource = pulumi.Resource as unknown as Partial<ResourceStatics>;
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RpcModule>;
  const problems = sdkProblems(version, debuggable, resource, rpc);
  if (problems.length > 0) {
    throw new Error(`offline engine: the SDK patches in offline/sdkPatches.ts do not fit this SDK (${problems.join("; ")}); re-check them against the new SDK or run with leanSdk: false`);
  }
  return { debuggable: debuggable as DebuggableModule, resource: resource as ResourceStatics, rpc: rpc as RpcModule };
}

/** What a resolver was called with, kept until the property is first read. */
type Settled = { ok: true; value: unknown; isKnown: boolean; isSecret: boolean; deps: unknown[] } | { ok: false; err: unknown };

/**
 * `transferProperties` with each `Output` built on first read. The SDK's version puts on `onto`, for
 * every key of `props` but `id` and `urn`, an `Output` over four pending promises (value, known,
 * secret, dependencies) and returns the resolvers that settle them after registration. Here the
 * key is an accessor: read before registration it builds that `Output` and the resolver settles
 * it later; read after, it builds it and settles it at once with what the resolver was given.
 * Either way the reader gets the `Output` the SDK would have built, with the same value. A gRPC
 * error leaves the promises pending and any other error rejects all four, as in the SDK. An
 * assignment replaces the property, as it would the SDK's plain data property.
 */
export function lazyTransferProperties(Output: OutputConstructor, isGrpcError: (e: unknown) => boolean): TransferProperties {
  return (onto, label, props) => {
    const resolvers: Record<string, Resolver> = {};
    for (const k of Object.keys(props)) {
      if (k === "id" || k === "urn") continue;
      if (Object.prototype.hasOwnProperty.call(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
      let settled: Settled | undefined;
      let settle: ((s: Settled) => void) | undefined;
      let output: unknown;
      let made = false;
      resolvers[k] = (v, isKnown, isSecret, deps = [], err) => {
        if (err && isGrpcError(err)) return;
        const s: Settled = err ? { ok: false, err } : { ok: true, value: v, isKnown, isSecret, deps };
        if (settle) settle(s);
        else settled = s;
      };
      const make = (): unknown => {
        const fns: Array<[(x: unknown) => void, (e: unknown) => void]> = [];
        const p = () => new Promise<unknown>((resolve, reject) => void fns.push([resolve, reject]));
        output = new Output(onto, p(), p(), p(), p());
        made = true;
        settle = (s) => {
          if (s.ok) [s.value, s.isKnown, s.isSecret, s.deps].forEach((x, i) => fns[i][0](x));
          else fns.forEach(([, reject]) => reject(s.err));
        };
        if (settled) settle(settled);
        return output;
      };
      Object.defineProperty(onto, k, {
        configurable: true,
        enumerable: true,
        get: () => (made ? output : make()),
        set: (value: unknown) => {
          output = value;
          made = true;
        },
      });
    }
    return resolvers;
  };
}

/** Runs `fn` with the SDK's per-promise and per-resource stack capture off and its properties' `Output`s built on first read. */
export async function withLeanSdk<T>(fn: () => Promise<T>): Promise<T> {
  const { debuggable, resource, rpc } = sdkInternals();
  const originalPromise = debuggable.debuggablePromise;
  const originalCallsites = resource.callsites;
  const originalTransfer = rpc.transferProperties;
  debuggable.debuggablePromise = <P>(p: Promise<P>): Promise<P> => p;
  resource.callsites = () => [];
  rpc.transferProperties = lazyTransferProperties(
    (require("@pulumi/pulumi/output") as { Output: OutputConstructor }).Output,
    (require("@pulumi/pulumi/errors") as { isGrpcError: (e: unknown) => boolean }).isGrpcError,
  );
  try {
    return await fn();
  } finally {
    debuggable.debuggablePromise = originalPromise;
    resource.callsites = originalCallsites;
    rpc.transferProperties = originalTransfer;
  }
}
