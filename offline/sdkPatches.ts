/**
 * Costs of the Pulumi Node.js SDK taken out while the offline engine captures a program, because
 * under mocks they are most of a run and change nothing the capture records:
 *
 * - `debuggablePromise` (runtime/debuggable) wraps every internal promise, takes a stack trace for
 *   it and tracks it in a leak set that is only read when a real deployment exits;
 * - `Resource.callsites` raises `Error.stackTraceLimit` to Infinity and parses a full stack trace
 *   for every resource, only to send a source position the mock monitor never reads;
 * - `transferProperties` (runtime/rpc) builds an `Output` (about a dozen promises and a proxy) for
 *   every property a resource class declares, before registration, although a program reads a
 *   few of them: here each property becomes an accessor that builds the same `Output` on first
 *   read, settled with what the engine answered (`lazyTransferProperties`);
 * - `Struct.fromJavaScript` / `toJavaScript` (google-protobuf) turn every resource's inputs and
 *   outputs into a tree of protobuf messages and back, six times per resource (the SDK's request,
 *   the mock monitor's reading of it and its answer, the capture's two readings, the SDK's reading
 *   of the answer), although nothing leaves the process: here a `Struct` carries the plain tree as
 *   the round trip would give it back (`protobufJson`: keys sorted, as jspb's map sorts them; the
 *   same values refused) and builds the protobuf messages only if something asks for them;
 * - `serializeResourceProperties` / `serializeProperties` (runtime/rpc) await every value of every
 *   input, however deep, and build a context label per key: plain data is serialized here in one
 *   synchronous walk with the SDK's rules (`leanSerializers`), anything else by the SDK;
 * - `getAllTransitivelyReferencedResourceURNs` (runtime/dependsOn), called per input property, runs
 *   a walk of nested awaits and sets even for no resources or only custom ones, where the answer is
 *   the resources given (`leanTransitiveUrns`); components still go through the walk.
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

/** runtime/rpc's `serializeProperty(ctx, prop, dependentResources, opts)`: one value made ready for the wire, its resources added to the set. */
export type SerializeProperty = (ctx: string, prop: unknown, dependentResources: Set<unknown> | undefined, opts?: object) => Promise<unknown>;
/** runtime/rpc's `serializeResourceProperties`: every input but `id` and `urn`, with the resources each one depends on. */
export type SerializeResourceProperties = (label: string, props: Record<string, unknown>, opts?: object) => Promise<[Record<string, unknown>, Map<string, Set<unknown>>]>;
export type SerializeProperties = (label: string, props: Record<string, unknown>, opts?: object) => Promise<Record<string, unknown>>;

export interface RpcModule {
  transferProperties: TransferProperties;
  serializeProperty: SerializeProperty;
  serializeResourceProperties: SerializeResourceProperties;
  serializeProperties: SerializeProperties;
}

/** The part of a resource the dependency walk reads. */
export interface ResourceLike {
  urn: { promise(): Promise<unknown> };
  __remote?: unknown;
}
export type TransitiveUrns = (resources: Iterable<ResourceLike> | undefined, exclude: Set<unknown>) => Promise<Set<unknown>>;

export interface DependsOnModule {
  getAllTransitivelyReferencedResourceURNs: TransitiveUrns;
}

/** What keeps the patches from fitting an SDK: a version other than the pinned one, or internals of another shape. */
export function sdkProblems(
  version: string,
  debuggable: Partial<DebuggableModule>,
  resource: Partial<ResourceStatics>,
  rpc: Partial<RpcModule>,
  dependsOn: Partial<DependsOnModule>,
): string[] {
  const problems: string[] = [];
  if (version !== PATCHED_SDK_VERSION) problems.push(`@pulumi/pulumi is ${version}, not ${PATCHED_SDK_VERSION}`);
  if (typeof debuggable.debuggablePromise !== "function" || debuggable.debuggablePromise.length !== 2) {
    problems.push("runtime/debuggable no longer exports debuggablePromise(p, ctx)");
  }
  if (typeof resource.callsites !== "function" || resource.callsites.length !== 0) problems.push("Resource.callsites() is gone or takes arguments");
  if (typeof rpc.transferProperties !== "function" || rpc.transferProperties.length !== 3) {
    problems.push("runtime/rpc no longer exports transferProperties(onto, label, props)");
  }
  if (typeof rpc.serializeProperty !== "function" || rpc.serializeProperty.length !== 4) {
    problems.push("runtime/rpc no longer exports serializeProperty(ctx, prop, dependentResources, opts)");
  }
  for (const name of ["serializeResourceProperties", "serializeProperties"] as const) {
    const fn = rpc[name];
    if (typeof fn !== "function" || fn.length !== 3) problems.push(`runtime/rpc no longer exports ${name}(label, props, opts)`);
  }
  const urns = dependsOn.getAllTransitivelyReferencedResourceURNs;
  if (typeof urns !== "function" || urns.length !== 2) problems.push("runtime/dependsOn no longer exports getAllTransitivelyReferencedResourceURNs(resources, exclude)");
  return problems;
}

/** The SDK internals the patches replace; throws naming what differs. */
function sdkInternals(): { debuggable: DebuggableModule; resource: ResourceStatics; rpc: RpcModule; dependsOn: DependsOnModule } {
  const version = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Partial<DebuggableModule>;
  const resource = pulumi.Resource as unknown as Partial<ResourceStatics>;
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RpcModule>;
  const dependsOn = require("@pulumi/pulumi/runtime/dependsOn") as Partial<DependsOnModule>;
  const problems = sdkProblems(version, debuggable, resource, rpc, dependsOn);
  if (problems.length > 0) {
    throw new Error(`offline engine: the SDK patches in offline/sdkPatches.ts do not fit this SDK (${problems.join("; ")}); re-check them against the new SDK or run with leanSdk: false`);
  }
  return { debuggable: debuggable as DebuggableModule, resource: resource as ResourceStatics, rpc: rpc as RpcModule, dependsOn: dependsOn as DependsOnModule };
}

/** google-protobuf's `Struct` as the SDK loads it (resolved from the SDK's folder); throws naming what differs. */
export function sdkStruct(): StructClass {
  const path = require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [require.resolve("@pulumi/pulumi")] });
  const Struct = (require(path) as { Struct?: unknown }).Struct;
  const problems = structProblems(Struct);
  if (problems.length > 0) throw new Error(`offline engine: the SDK patches in offline/sdkPatches.ts do not fit google-protobuf (${problems.join("; ")}); run with leanSdk: false`);
  return Struct as StructClass;
}

/** What keeps the Struct patch from fitting google-protobuf's `Struct`. */
export function structProblems(candidate: unknown): string[] {
  if (typeof candidate !== "function") return ["struct_pb no longer exports Struct"];
  const Struct = candidate as Partial<StructClass>;
  const problems: string[] = [];
  if (typeof Struct.fromJavaScript !== "function" || Struct.fromJavaScript.length !== 1) problems.push("Struct.fromJavaScript(obj) is gone");
  const proto = Struct.prototype as Partial<StructClass["prototype"]> | undefined;
  if (typeof proto?.toJavaScript !== "function") problems.push("Struct.prototype.toJavaScript() is gone");
  if (typeof proto?.getFieldsMap !== "function") problems.push("Struct.prototype.getFieldsMap() is gone");
  return problems;
}

/**
 * One property's lazy `Output`: what its resolver was called with (kept until the property is
 * first read), and the `Output` once built with the functions that settle its four promises.
 * One object of fixed shape per property, since a resource class declares dozens of them.
 */
class LazySlot {
  /** 0 pending, 1 resolved, 2 rejected. */
  state = 0;
  value: unknown = undefined;
  isKnown = false;
  isSecret = false;
  deps: unknown[] | undefined = undefined;
  err: unknown = undefined;
  made = false;
  output: unknown = undefined;
  settlers: Array<[(x: unknown) => void, (e: unknown) => void]> | undefined = undefined;

  constructor(readonly onto: object) {}

  /** Settles the built Output's promises with what the resolver was given. */
  settle(): void {
    const fns = this.settlers;
    if (fns === undefined || this.state === 0) return;
    this.settlers = undefined;
    if (this.state === 1) {
      fns[0][0](this.value);
      fns[1][0](this.isKnown);
      fns[2][0](this.isSecret);
      fns[3][0](this.deps);
    } else {
      for (const [, reject] of fns) reject(this.err);
    }
  }
}

/** Each resource's slots by property name, under a key no program reads. */
const SLOTS = Symbol("tila.lazyOutputs");
type WithSlots = { [SLOTS]: Record<string, LazySlot> };

/**
 * `transferProperties` with each `Output` built on first read. The SDK's version puts on `onto`, for
 * every key of `props` but `id` and `urn`, an `Output` over four pending promises (value, known,
 * secret, dependencies) and returns the resolvers that settle them after registration. Here the
 * key is an accessor: read before registration it builds that `Output` and the resolver settles
 * it later; read after, it builds it and settles it at once with what the resolver was given.
 * Either way the reader gets the `Output` the SDK would have built, with the same value. A gRPC
 * error leaves the promises pending and any other error rejects all four, as in the SDK. An
 * assignment replaces the property, as it would the SDK's plain data property. The accessors are
 * shared by every resource (one pair per property name), so a property costs its slot and its
 * resolver.
 */
export function lazyTransferProperties(Output: OutputConstructor, isGrpcError: (e: unknown) => boolean): TransferProperties {
  const descriptors = new Map<string, PropertyDescriptor>();
  const descriptor = (k: string): PropertyDescriptor => {
    let d = descriptors.get(k);
    if (d === undefined) {
      d = {
        configurable: true,
        enumerable: true,
        get(this: WithSlots): unknown {
          const slot = this[SLOTS][k];
          if (slot.made) return slot.output;
          const fns: Array<[(x: unknown) => void, (e: unknown) => void]> = [];
          const p = () => new Promise<unknown>((resolve, reject) => void fns.push([resolve, reject]));
          slot.output = new Output(slot.onto, p(), p(), p(), p());
          slot.made = true;
          slot.settlers = fns;
          slot.settle();
          return slot.output;
        },
        set(this: WithSlots, value: unknown): void {
          const slot = this[SLOTS][k];
          slot.output = value;
          slot.made = true;
          slot.settlers = undefined;
        },
      };
      descriptors.set(k, d);
    }
    return d;
  };
  return (onto, label, props) => {
    const resolvers: Record<string, Resolver> = {};
    let slots = (onto as Partial<WithSlots>)[SLOTS];
    if (slots === undefined) {
      slots = {};
      Object.defineProperty(onto, SLOTS, { value: slots, enumerable: false });
    }
    for (const k of Object.keys(props)) {
      if (k === "id" || k === "urn") continue;
      if (Object.prototype.hasOwnProperty.call(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
      const slot = new LazySlot(onto);
      slots[k] = slot;
      resolvers[k] = (v, isKnown, isSecret, deps = [], err) => {
        if (err) {
          if (isGrpcError(err)) return;
          slot.state = 2;
          slot.err = err;
        } else {
          slot.state = 1;
          slot.value = v;
          slot.isKnown = isKnown;
          slot.isSecret = isSecret;
          slot.deps = deps;
        }
        slot.settle();
      };
      Object.defineProperty(onto, k, descriptor(k));
    }
    return resolvers;
  };
}

/** What a protobuf `Struct` round trip gives back for a value, or throws what `Value.fromJavaScript` would. */
export function protobufJson(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) out[i] = protobufJson(value[i]);
        return out;
      }
      return protobufStructJson(value as Record<string, unknown>);
    }
    default:
      throw new Error("Unexpected struct type.");
  }
}

/**
 * Thrown by `protobufStructJson` for a key named `__proto__`: jspb's map loses such a key in ways
 * that depend on its value (an empty object comes back, or one without a prototype), so a struct
 * holding one is built from the real messages instead. No AWS input has such a key.
 */
export class ProtoKeyInStruct extends Error {
  constructor() {
    super("a struct key named __proto__");
  }
}

/** `Struct.fromJavaScript(obj).toJavaScript()` without the messages: every enumerable key (`for in`, as jspb reads it), sorted. */
export function protobufStructJson(obj: Record<string, unknown>): Record<string, unknown> {
  const keys: string[] = [];
  for (const k in obj) {
    if (k === "__proto__") throw new ProtoKeyInStruct();
    keys.push(k);
  }
  keys.sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = protobufJson(obj[k]);
  return out;
}

/** The part of google-protobuf's Struct the patch replaces. */
export interface StructClass {
  fromJavaScript: (obj: Record<string, unknown>) => object;
  prototype: { toJavaScript: () => Record<string, unknown>; getFieldsMap: (...args: unknown[]) => unknown };
  new (): object;
}

const PLAIN = Symbol("tila.plainStruct");
const MESSAGES = Symbol("tila.structMessages");
interface PlainStruct {
  [PLAIN]?: Record<string, unknown>;
  [MESSAGES]?: { toJavaScript(): Record<string, unknown>; getFieldsMap(...args: unknown[]): unknown };
}

/**
 * Patches `Struct` so that `fromJavaScript` keeps the plain tree and `toJavaScript` returns it; the
 * first `getFieldsMap` (no reader in the SDK's mock path asks for one) builds the real messages
 * from it, and from then on the struct behaves as the original. Returns the undo.
 */
export function plainStructs(Struct: StructClass): () => void {
  const from = Struct.fromJavaScript;
  const toJs = Struct.prototype.toJavaScript;
  const fields = Struct.prototype.getFieldsMap;
  const messages = (s: PlainStruct): PlainStruct[typeof MESSAGES] => {
    if (s[MESSAGES] === undefined && s[PLAIN] !== undefined) {
      s[MESSAGES] = from.call(Struct, s[PLAIN]) as PlainStruct[typeof MESSAGES];
      s[PLAIN] = undefined;
    }
    return s[MESSAGES];
  };
  Struct.fromJavaScript = (obj) => {
    let plain: Record<string, unknown>;
    try {
      plain = protobufStructJson(obj);
    } catch (e) {
      if (e instanceof ProtoKeyInStruct) return from.call(Struct, obj);
      throw e;
    }
    const s = new Struct() as PlainStruct;
    s[PLAIN] = plain;
    return s as object;
  };
  Struct.prototype.toJavaScript = function (this: PlainStruct) {
    const plain = this[PLAIN];
    if (plain !== undefined) return plain;
    const real = this[MESSAGES];
    return real !== undefined ? real.toJavaScript() : toJs.call(this);
  };
  Struct.prototype.getFieldsMap = function (this: PlainStruct, ...args: unknown[]) {
    const real = messages(this);
    return real !== undefined ? real.getFieldsMap(...args) : fields.apply(this, args);
  };
  return () => {
    Struct.fromJavaScript = from;
    Struct.prototype.toJavaScript = toJs;
    Struct.prototype.getFieldsMap = fields;
  };
}

/** `plainSerialized`'s answer for a value that holds something the SDK awaits or translates. */
export const NOT_PLAIN: unique symbol = Symbol("tila.notPlain");

/** Members by which the SDK recognises its own objects (`utils.isInstance`): outputs, unknowns, assets, archives, resources. */
const SDK_MARKERS = ["__pulumiOutput", "__pulumiUnknown", "__pulumiAsset", "__pulumiArchive", "__pulumiResource", "__pulumiCustomResource", "__pulumiComponentResource"];

/** Deeper than this, the SDK's own walk decides (and fails the way it fails on a cycle). */
const PLAIN_DEPTH = 64;

/**
 * What the SDK's `serializeProperty` gives for a value made only of plain data (primitives, arrays,
 * objects whose prototype is `Object.prototype` or null), computed without its `await` per value
 * and its context label per key; `NOT_PLAIN` for anything else (promises, outputs, unknowns,
 * assets, resources, class instances, bigints, symbols), which the SDK then serializes itself.
 * The SDK's rules for plain data: a function is `undefined`, an object leaves out keys whose value
 * is `undefined`, an array holds `null` for one.
 */
export function plainSerialized(value: unknown, depth = 0): unknown {
  switch (typeof value) {
    case "undefined":
    case "boolean":
    case "number":
    case "string":
      return value;
    case "function":
      return undefined;
    case "object":
      break;
    default:
      return NOT_PLAIN;
  }
  if (value === null) return null;
  if (depth > PLAIN_DEPTH) return NOT_PLAIN;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) {
    const items = value as unknown[];
    const out = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      const v = plainSerialized(items[i], depth + 1);
      if (v === NOT_PLAIN) return NOT_PLAIN;
      out[i] = v === undefined ? null : v;
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const obj = value as Record<string, unknown>;
  for (const m of SDK_MARKERS) if (obj[m] === true) return NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = plainSerialized(obj[k], depth + 1);
    if (v === NOT_PLAIN) return NOT_PLAIN;
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * runtime/rpc's `serializeResourceProperties` and `serializeProperties` with the plain values taken
 * by `plainSerialized`: the SDK walks every input value with an `await` (and a context label) per
 * key and element, the costliest part of registering a resource under mocks, though most inputs
 * are plain data. Any other value goes through the SDK's `serializeProperty`, and the result is
 * the SDK's: the same keys in the same order, `undefined` values left out, each kept key with the
 * set of resources it depends on (empty for plain data), a failure named by its property.
 */
export function leanSerializers(serializeProperty: SerializeProperty): { serializeResourceProperties: SerializeResourceProperties; serializeProperties: SerializeProperties } {
  const filtered = async (label: string, props: Record<string, unknown>, accept: (k: string) => boolean, opts?: object): Promise<[Record<string, unknown>, Map<string, Set<unknown>>]> => {
    const result: Record<string, unknown> = {};
    const dependencies = new Map<string, Set<unknown>>();
    for (const k of Object.keys(props)) {
      if (!accept(k)) continue;
      const raw = props[k];
      const resources = new Set<unknown>();
      let v = plainSerialized(raw);
      if (v === NOT_PLAIN) {
        try {
          v = await serializeProperty(`${label}.${k}`, raw, resources, opts);
        } catch (err) {
          if (err instanceof Error) {
            err.message = `error serializing property "${k}": ${err.message}`;
            throw err;
          }
          throw new Error(`error serializing property "${k}": ${String(err)}`);
        }
      }
      if (v !== undefined) {
        result[k] = v;
        dependencies.set(k, resources);
      }
    }
    return [result, dependencies];
  };
  return {
    serializeResourceProperties: (label, props, opts) => filtered(label, props, (k) => k !== "id" && k !== "urn", opts),
    serializeProperties: async (label, props, opts) => (await filtered(label, props, () => true, opts))[0],
  };
}

/**
 * runtime/dependsOn's `getAllTransitivelyReferencedResourceURNs` without its walk when there is
 * nothing to walk: the SDK calls it once per input property of every resource, mostly with no
 * resources or only custom ones, where its nested awaits and sets find exactly the resources given
 * (first occurrence first, none excluded, custom or remote only). Anything holding a component
 * goes to the SDK's walk, which waits for the component's children.
 */
export function leanTransitiveUrns(walk: TransitiveUrns, isComponent: (r: unknown) => boolean, isCustom: (r: unknown) => boolean): TransitiveUrns {
  return (resources, exclude) => {
    const picked = new Set<ResourceLike>();
    for (const r of resources ?? []) {
      if (isComponent(r)) return walk(resources, exclude);
      if ((isCustom(r) || Boolean(r.__remote)) && !exclude.has(r)) picked.add(r);
    }
    if (picked.size === 0) return Promise.resolve(new Set<unknown>());
    return Promise.all([...picked].map((r) => r.urn.promise())).then((urns) => new Set<unknown>(urns));
  };
}

/** Runs `fn` with the SDK's per-promise and per-resource stack capture off and its properties' `Output`s built on first read. */
export async function withLeanSdk<T>(fn: () => Promise<T>): Promise<T> {
  const { debuggable, resource, rpc, dependsOn } = sdkInternals();
  const originalPromise = debuggable.debuggablePromise;
  const originalCallsites = resource.callsites;
  const originalTransfer = rpc.transferProperties;
  const { serializeResourceProperties, serializeProperties } = rpc;
  const originalUrns = dependsOn.getAllTransitivelyReferencedResourceURNs;
  debuggable.debuggablePromise = <P>(p: Promise<P>): Promise<P> => p;
  resource.callsites = () => [];
  rpc.transferProperties = lazyTransferProperties(
    (require("@pulumi/pulumi/output") as { Output: OutputConstructor }).Output,
    (require("@pulumi/pulumi/errors") as { isGrpcError: (e: unknown) => boolean }).isGrpcError,
  );
  // With the SDK's per-value debug logging on, its own walk keeps writing those lines.
  if (!(require("@pulumi/pulumi/runtime/settings") as { excessiveDebugOutput?: boolean }).excessiveDebugOutput) {
    Object.assign(rpc, leanSerializers(rpc.serializeProperty));
  }
  dependsOn.getAllTransitivelyReferencedResourceURNs = leanTransitiveUrns(originalUrns, (r) => pulumi.ComponentResource.isInstance(r), (r) => pulumi.CustomResource.isInstance(r));
  const restoreStructs = plainStructs(sdkStruct());
  try {
    return await fn();
  } finally {
    restoreStructs();
    debuggable.debuggablePromise = originalPromise;
    resource.callsites = originalCallsites;
    rpc.transferProperties = originalTransfer;
    Object.assign(rpc, { serializeResourceProperties, serializeProperties });
    dependsOn.getAllTransitivelyReferencedResourceURNs = originalUrns;
  }
}
