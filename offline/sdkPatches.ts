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
 * - `registerResource` (runtime/resource), for a custom resource or component with no option only the
 *   engine reads: its second half builds a protobuf request (a message per property), queues it,
 *   and the mock monitor reads it back and answers in another message; here the capture's monitor
 *   gets the request's fields directly (`leanRegistration`, installed by capture.ts). For a custom
 *   resource its first half, `prepareResource`, skips an `await` per property that depends on
 *   nothing (`leanPrepare`), and its `urn` and `id` Outputs are built on first read
 *   (`identityOutput`): most are never read.
 *
 * Patches apply only inside `withLeanSdk` (the registration inside a capture) and are undone after
 * it, whatever happens. They are written against the pinned SDK: a different version, or internals
 * of another shape, stop the engine with a message naming what changed rather than silently
 * capturing something else.
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

/** Builds an `Output` of `onto`, asking `pending` for each promise a LazySlot settles. */
type OutputMaker = (onto: object, pending: () => Promise<unknown>) => unknown;

/**
 * An `Output` built on first read: what its resolver was called with (kept until the Output is
 * first read), and the Output once built with the functions that settle its pending promises
 * (value and known flag; a property's also its secret flag and dependencies). One object of fixed
 * shape per Output, since a resource class declares dozens of properties.
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

  /** `make` builds the Output for `onto` over the pending promises it is given (see build). */
  constructor(
    readonly onto: object,
    readonly make: OutputMaker,
  ) {}

  /** Records a resolver's call as the SDK's resolvers take it (a gRPC error leaves the Output pending, any other rejects it) and settles a built Output. */
  resolve(v: unknown, isKnown: boolean, isSecret: boolean, deps: unknown[] | undefined, err: unknown, isGrpcError: (e: unknown) => boolean): void {
    if (err) {
      if (isGrpcError(err)) return;
      this.state = 2;
      this.err = err;
    } else {
      this.state = 1;
      this.value = v;
      this.isKnown = isKnown;
      this.isSecret = isSecret;
      this.deps = deps;
    }
    this.settle();
  }

  /** Builds the Output with `make`; the pending promises it asks for are settled from this slot, in the order value, known, secret, dependencies. */
  build(): unknown {
    const fns: Array<[(x: unknown) => void, (e: unknown) => void]> = [];
    this.output = this.make(this.onto, () => new Promise<unknown>((resolve, reject) => void fns.push([resolve, reject])));
    this.made = true;
    this.settlers = fns;
    this.settle();
    return this.output;
  }

  /** Replaces the Output, as an assignment to the property does. */
  replace(value: unknown): void {
    this.output = value;
    this.made = true;
    this.settlers = undefined;
  }

  /** Settles the built Output's pending promises with what the resolver was given. */
  private settle(): void {
    const fns = this.settlers;
    if (fns === undefined || this.state === 0) return;
    this.settlers = undefined;
    if (this.state === 1) {
      const got = [this.value, this.isKnown, this.isSecret, this.deps];
      fns.forEach(([resolve], i) => resolve(got[i]));
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
  // The SDK's Output of a property: value, known, secret and dependencies all pending.
  const property: OutputMaker = (onto, p) => new Output(onto, p(), p(), p(), p());
  const descriptors = new Map<string, PropertyDescriptor>();
  const descriptor = (k: string): PropertyDescriptor => {
    let d = descriptors.get(k);
    if (d === undefined) {
      d = {
        configurable: true,
        enumerable: true,
        get(this: WithSlots): unknown {
          const slot = this[SLOTS][k];
          return slot.made ? slot.output : slot.build();
        },
        set(this: WithSlots, value: unknown): void {
          this[SLOTS][k].replace(value);
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
      const slot = new LazySlot(onto, property);
      slots[k] = slot;
      resolvers[k] = (v, isKnown, isSecret, deps = [], err) => slot.resolve(v, isKnown, isSecret, deps, err, isGrpcError);
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

/**
 * What the SDK's `registerResource` sends the monitor for one resource, as the capture and the mock
 * monitor read it: the request's fields without the protobuf messages.
 */
export interface DirectRequest {
  type: string;
  name: string;
  /** The parent's URN, "" for none (the request's default). */
  parent: string;
  custom: boolean;
  /** `opts.import`, "" for none. */
  importId: string;
  /** The provider reference (`urn::id`), "" for the default provider. */
  provider: string;
  /** The serialized inputs (what `serializeResourceProperties` made). */
  object: Record<string, unknown>;
  protect: boolean;
  retainOnDelete: boolean;
  dependencies: string[];
  ignoreChanges: string[];
  deleteBeforeReplace: boolean;
  additionalSecretOutputs: string[];
}

/** The monitor's answer: the URN, the id ("" for none) and the state as the Struct round trip gives it back. */
export interface DirectAnswer {
  urn: string;
  id: string;
  object: Record<string, unknown>;
}

/** Registers one resource with the (mock) monitor in-process; rejects with the monitor's error. */
export type DirectRegister = (req: DirectRequest) => Promise<DirectAnswer>;

/** runtime/resource's `registerResource(res, parent, t, name, custom, remote, newDependency, props, opts, sourcePosition, stackTrace, packageRef)`. */
export type RegisterResource = (
  res: object,
  parent: { urn: unknown } | undefined,
  t: string,
  name: string,
  custom: boolean,
  remote: boolean,
  newDependency: (urn: string) => unknown,
  props: Record<string, unknown>,
  opts: RegistrationOptions,
  sourcePosition?: unknown,
  stackTrace?: unknown,
  packageRef?: unknown,
) => void;

/** The resource options the lean registration reads, or that send it back to the SDK's. */
export interface RegistrationOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: unknown[];
  transforms?: unknown[];
  hooks?: unknown;
  replaceWith?: unknown;
  replacementTrigger?: unknown;
  envVarMappings?: unknown;
  deletedWith?: unknown;
  urn?: unknown;
}

/** What `prepareResource` hands the second half of a registration. */
interface PreparedResource {
  resolveURN: (urn: string, err?: unknown) => void;
  resolveID?: (id: unknown, isKnown: boolean, err?: unknown) => void;
  resolvers: Record<string, Resolver>;
  serializedProps: Record<string, unknown>;
  parentURN?: string;
  providerRef?: string;
  allDirectDependencyURNs: Set<string>;
  import?: string;
}

/** The SDK functions a lean registration is made of (runtime/resource, runtime/settings, runtime/rpc). */
export interface RegistrationSdk {
  registerResource: RegisterResource;
  prepareResource: (label: string, res: object, parent: unknown, custom: boolean, remote: boolean, props: Record<string, unknown>, opts: object, t: string, name: string) => Promise<PreparedResource>;
  rpcKeepAlive: () => () => void;
  /** runtime/state's `getStore()`: its `callbacks` are the stack's transforms server, when there is one (never under mocks). */
  getStore: () => { callbacks?: unknown };
  awaitStackRegistrations: () => Promise<void>;
  isDryRun: () => boolean;
  isLegacyApplyEnabled: () => boolean;
  serializeProperty: SerializeProperty;
  deserializeProperties: (struct: { toJavaScript(): Record<string, unknown> }, keepUnknowns?: boolean) => Record<string, unknown>;
  deserializeProperty: (prop: unknown, keepUnknowns?: boolean) => unknown;
  resolveProperties: (res: object, resolvers: Record<string, Resolver>, t: string, name: string, allProps: Record<string, unknown>, deps: Record<string, unknown[]>, err: unknown, keepUnknowns: boolean) => void;
  /** `ProviderResource.register(provider)`: the provider's `urn::id` reference. */
  registerProvider: (provider: unknown) => Promise<string | undefined>;
  isGrpcError: (e: unknown) => boolean;
  Output: OutputConstructor;
  /** Read when called, as the SDK reads them (withLeanSdk patches some). */
  rpc: Pick<RpcModule, "transferProperties" | "serializeResourceProperties">;
  dependsOn: DependsOnModule & { gatherExplicitDependencies: (dependsOn: unknown) => Promise<ResourceLike[]> };
}

/** Options only the SDK's own registration handles (they reach the engine, never the capture): a resource with one goes there. */
function sdkOnly(opts: RegistrationOptions): boolean {
  return (
    (opts.aliases !== undefined && opts.aliases.length > 0) ||
    (opts.transforms !== undefined && opts.transforms.length > 0) ||
    (opts.hooks !== undefined && Object.keys(opts.hooks as object).length > 0) ||
    opts.replaceWith !== undefined ||
    opts.replacementTrigger !== undefined ||
    opts.envVarMappings !== undefined ||
    opts.deletedWith !== undefined ||
    opts.urn !== undefined
  );
}

/** A struct's plain tree as the round trip gives it (`protobufStructJson`; the real messages for a `__proto__` key). */
export function structJson(obj: Record<string, unknown>, Struct: StructClass): Record<string, unknown> {
  try {
    return protobufStructJson(obj);
  } catch (e) {
    if (!(e instanceof ProtoKeyInStruct)) throw e;
    return (Struct.fromJavaScript(obj) as unknown as { toJavaScript(): Record<string, unknown> }).toJavaScript();
  }
}

/** Each resource's lazy `urn` and `id` slots, under a key no program reads. */
const IDENTITY = Symbol("tila.lazyIdentity");
/** One maker per Output class (one SDK in practice). */
const identityMakers = new WeakMap<OutputConstructor, OutputMaker>();
type WithIdentity = { [IDENTITY]: { urn?: LazySlot; id?: LazySlot } };

/** One accessor pair per key, shared by every resource: a read builds the Output, an assignment replaces it. */
const identityDescriptors = {
  urn: identityDescriptor("urn"),
  id: identityDescriptor("id"),
};

function identityDescriptor(key: "urn" | "id"): PropertyDescriptor {
  return {
    configurable: true,
    enumerable: true,
    get(this: WithIdentity): unknown {
      const slot = this[IDENTITY][key] as LazySlot;
      return slot.made ? slot.output : slot.build();
    },
    set(this: WithIdentity, value: unknown): void {
      (this[IDENTITY][key] as LazySlot).replace(value);
    },
  };
}

/**
 * A resource's `urn` or `id` Output, built on first read (a `LazySlot`). The SDK builds both for
 * every resource before registering it (an `Output` is about a dozen promises, closures and a
 * proxy), but most are never read: only a resource another one depends on, or whose id a program
 * passes on, needs them. The Output built later is the SDK's, over the same value and known flag,
 * a `false` secret flag and the resource itself.
 *
 * Puts the lazy `key` Output on `res` (where the SDK assigns its eager one) and returns its resolver.
 */
export function identityOutput(res: object, key: "urn" | "id", sdk: Pick<RegistrationSdk, "Output" | "isGrpcError">): (v: unknown, isKnown: boolean, err?: unknown) => void {
  let slots = (res as Partial<WithIdentity>)[IDENTITY];
  if (slots === undefined) {
    slots = {};
    Object.defineProperty(res, IDENTITY, { value: slots, enumerable: false });
  }
  let make = identityMakers.get(sdk.Output);
  if (make === undefined) {
    const Output = sdk.Output;
    // The SDK's urn or id Output: value and known pending, never secret, the resource itself.
    make = (onto, p) => new Output(onto, p(), p(), Promise.resolve(false), Promise.resolve(onto));
    identityMakers.set(Output, make);
  }
  const slot = new LazySlot(res, make);
  slots[key] = slot;
  Object.defineProperty(res, key, identityDescriptors[key]);
  return (v, isKnown, err) => slot.resolve(v, isKnown, false, undefined, err, sdk.isGrpcError);
}

/**
 * runtime/resource's `prepareResource` for a custom resource (not remote, no option only the SDK's
 * registration handles): the same `urn` and `id` outputs and properties put on the resource before
 * anything is awaited, the same serialized inputs, parent URN, provider reference and direct
 * dependencies (explicit ones first, then each property's, in the SDK's order), without what only
 * the engine's request reads (each property's own dependency list, provider map, aliases) and
 * without an `await` for each property that depends on nothing.
 */
export function leanPrepare(sdk: RegistrationSdk, label: string, res: Record<string, unknown>, parent: { urn: unknown } | undefined, props: Record<string, unknown>, opts: RegistrationOptions & { dependsOn?: unknown; provider?: unknown; import?: string }): Promise<PreparedResource> {
  const urn = identityOutput(res, "urn", sdk);
  const id = identityOutput(res, "id", sdk);
  const resolvers = sdk.rpc.transferProperties(res, label, props);
  const rest = async (): Promise<PreparedResource> => {
    const explicit = new Set<ResourceLike>(opts.dependsOn === undefined ? [] : await sdk.dependsOn.gatherExplicitDependencies(opts.dependsOn));
    const [serializedProps, propertyDependencies] = await sdk.rpc.serializeResourceProperties(label, props, { keepOutputValues: false, excludeResourceReferencesFromDependencies: false });
    const parentURN = parent ? ((await (parent.urn as { promise(): Promise<unknown> }).promise()) as string | undefined) : undefined;
    // ProviderResource.register(undefined) is undefined, and the walk of no resources finds none: neither is awaited then.
    const providerRef = opts.provider === undefined ? undefined : await sdk.registerProvider(opts.provider);
    const exclude = new Set<unknown>([res]);
    const urns = explicit.size === 0 ? new Set<string>() : ((await sdk.dependsOn.getAllTransitivelyReferencedResourceURNs(explicit, exclude)) as Set<string>);
    for (const direct of propertyDependencies.values()) {
      if (direct.size === 0) continue;
      for (const u of await sdk.dependsOn.getAllTransitivelyReferencedResourceURNs(direct as Set<ResourceLike>, exclude)) urns.add(u as string);
    }
    return {
      resolveURN: (v, err) => urn(v, true, err),
      resolveID: id,
      resolvers,
      serializedProps,
      parentURN,
      providerRef,
      allDirectDependencyURNs: urns,
      import: opts.import,
    };
  };
  return rest();
}

/**
 * runtime/resource's `registerResource` with its second half done in-process: after the SDK's own
 * `prepareResource` (dependencies, serialized inputs, parent and provider references), the SDK
 * builds a protobuf request (a message per property for its dependencies), queues it behind the
 * resource chain, and the mock monitor reads it back, answers with another message and the SDK reads
 * that; about twenty promises and as many messages per resource that nothing outside the process
 * ever sees. Here `direct` gets the request's fields and answers with the URN, id and state, and the
 * resource's `urn`, `id` and properties resolve as the SDK resolves them (`resolveOutputs`): the
 * engine's state wins over the inputs, an input it did not answer is the input after a serialize
 * round trip, a failure rejects them all with the SDK's message ("failed to register new resource
 * <name> [<type>]: ..."). Remote components, a package reference, and options only the engine reads
 * (aliases, transforms, hooks, replaceWith, replacementTrigger, envVarMappings, deletedWith) go to
 * the SDK's registration. One difference, in a path where the SDK hangs: a failure while resolving
 * the outputs still ends the registration (the SDK leaves the run waiting for it forever), and the
 * failure is an unhandled rejection either way.
 */
export function leanRegistration(sdk: RegistrationSdk, direct: DirectRegister): RegisterResource {
  return function registerResource(this: unknown, res, parent, t, name, custom, remote, newDependency, props, opts, sourcePosition, stackTrace, packageRef) {
    if (remote || packageRef !== undefined || sdkOnly(opts)) return sdk.registerResource.call(this, res, parent, t, name, custom, remote, newDependency, props, opts, sourcePosition, stackTrace, packageRef);
    const label = `resource:${name}[${t}]`;
    const done = sdk.rpcKeepAlive();
    const prepared = custom ? leanPrepare(sdk, label, res as Record<string, unknown>, parent, props, opts) : sdk.prepareResource(label, res, parent, custom, remote, props, opts, t, name);
    const registered = prepared.then(async (resop) => {
      try {
        // What awaitStackRegistrations checks first; settings' getCallbacks() would start a gRPC server.
        if (sdk.getStore().callbacks !== undefined) await sdk.awaitStackRegistrations();
        let answer: DirectAnswer | undefined;
        let err: Error | undefined;
        try {
          answer = await direct({
            type: t,
            name,
            parent: resop.parentURN || "",
            custom,
            importId: resop.import || "",
            provider: resop.providerRef || "",
            object: resop.serializedProps,
            protect: opts.protect ?? false,
            retainOnDelete: opts.retainOnDelete ?? false,
            dependencies: Array.from(resop.allDirectDependencyURNs),
            ignoreChanges: opts.ignoreChanges || [],
            deleteBeforeReplace: opts.deleteBeforeReplace || false,
            additionalSecretOutputs: opts.additionalSecretOutputs || [],
          });
        } catch (e) {
          err = new Error(`failed to register new resource ${name} [${t}]: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (answer === undefined) {
          resop.resolveURN("", err);
          resop.resolveID?.(undefined, false, err);
          sdk.resolveProperties(res, resop.resolvers, t, name, {}, {}, err, false);
          return;
        }
        resop.resolveURN(answer.urn);
        if (resop.resolveID) {
          const id = answer.id || undefined;
          resop.resolveID(id, id !== undefined);
        }
        const state = answer.object;
        const allProps = sdk.deserializeProperties({ toJavaScript: () => state }, false);
        if (!sdk.isDryRun() || sdk.isLegacyApplyEnabled()) {
          for (const key of Object.keys(props)) {
            if (Object.prototype.hasOwnProperty.call(allProps, key)) continue;
            const input = await sdk.serializeProperty(`resource:${name}[${t}]#...`, props[key], new Set(), { keepOutputValues: false });
            if (input !== undefined) allProps[key] = sdk.deserializeProperty(input, false);
          }
        }
        sdk.resolveProperties(res, resop.resolvers, t, name, allProps, {}, undefined, false);
      } finally {
        done();
      }
    });
    registered.catch((e: unknown) => {
      done();
      return Promise.reject(e);
    });
  };
}

/** What keeps the lean registration from fitting the SDK's runtime modules. */
export function registrationProblems(resource: Partial<Record<keyof RegistrationSdk, unknown>>): string[] {
  const arity: Array<[keyof RegistrationSdk, number, string]> = [
    ["registerResource", 12, "runtime/resource's registerResource(res, parent, t, name, custom, remote, newDependency, props, opts, sourcePosition, stackTrace, packageRef)"],
    ["prepareResource", 9, "runtime/resource's prepareResource(label, res, parent, custom, remote, props, opts, type, name)"],
    ["rpcKeepAlive", 0, "runtime/settings' rpcKeepAlive()"],
    ["getStore", 0, "runtime/state's getStore()"],
    ["awaitStackRegistrations", 0, "runtime/settings' awaitStackRegistrations()"],
    ["isDryRun", 0, "runtime/settings' isDryRun()"],
    ["isLegacyApplyEnabled", 0, "runtime/settings' isLegacyApplyEnabled()"],
    ["serializeProperty", 4, "runtime/rpc's serializeProperty(ctx, prop, dependentResources, opts)"],
    ["deserializeProperties", 2, "runtime/rpc's deserializeProperties(outputsStruct, keepUnknowns)"],
    ["deserializeProperty", 2, "runtime/rpc's deserializeProperty(prop, keepUnknowns)"],
    ["resolveProperties", 8, "runtime/rpc's resolveProperties(res, resolvers, t, name, allProps, deps, err, keepUnknowns)"],
    ["registerProvider", 1, "ProviderResource.register(provider)"],
    ["isGrpcError", 1, "errors' isGrpcError(err)"],
    ["Output", 5, "output's Output(resources, promise, isKnown, isSecret, allResources)"],
  ];
  const problems = arity.filter(([k, n]) => typeof resource[k] !== "function" || (resource[k] as (...a: unknown[]) => unknown).length !== n).map(([, , what]) => `${what} is gone or changed`);
  const dependsOn = resource.dependsOn as Partial<Record<string, unknown>> | undefined;
  if (typeof dependsOn?.gatherExplicitDependencies !== "function" || (dependsOn.gatherExplicitDependencies as () => unknown).length !== 1) {
    problems.push("runtime/dependsOn's gatherExplicitDependencies(dependsOn) is gone or changed");
  }
  return problems;
}

/** The SDK functions the lean registration is built from; throws naming what differs. */
export function registrationSdk(): RegistrationSdk {
  const resource = require("@pulumi/pulumi/runtime/resource") as Partial<RegistrationSdk>;
  const settings = require("@pulumi/pulumi/runtime/settings") as Partial<RegistrationSdk>;
  const rpc = require("@pulumi/pulumi/runtime/rpc") as Partial<RegistrationSdk>;
  const sdk: Partial<Record<keyof RegistrationSdk, unknown>> = {
    registerResource: resource.registerResource,
    prepareResource: resource.prepareResource,
    rpcKeepAlive: settings.rpcKeepAlive,
    getStore: (require("@pulumi/pulumi/runtime/state") as Partial<RegistrationSdk>).getStore,
    awaitStackRegistrations: settings.awaitStackRegistrations,
    isDryRun: settings.isDryRun,
    isLegacyApplyEnabled: settings.isLegacyApplyEnabled,
    serializeProperty: rpc.serializeProperty,
    deserializeProperties: rpc.deserializeProperties,
    deserializeProperty: rpc.deserializeProperty,
    resolveProperties: rpc.resolveProperties,
    registerProvider: typeof pulumi.ProviderResource.register === "function" ? pulumi.ProviderResource.register.bind(pulumi.ProviderResource) : undefined,
    isGrpcError: (require("@pulumi/pulumi/errors") as { isGrpcError?: unknown }).isGrpcError,
    Output: (require("@pulumi/pulumi/output") as { Output?: unknown }).Output,
    rpc,
    dependsOn: require("@pulumi/pulumi/runtime/dependsOn"),
  };
  const problems = registrationProblems(sdk);
  if (problems.length > 0) throw new Error(`offline engine: the lean registration in offline/sdkPatches.ts does not fit this SDK (${problems.join("; ")}); run with leanSdk: false`);
  return sdk as RegistrationSdk;
}

/**
 * Puts `leanRegistration` in place of runtime/resource's `registerResource` (which the SDK's
 * `Resource` calls through the module's exports) until the returned undo.
 */
export function installLeanRegistration(direct: DirectRegister): () => void {
  const sdk = registrationSdk();
  const resource = require("@pulumi/pulumi/runtime/resource") as { registerResource: RegisterResource };
  resource.registerResource = leanRegistration(sdk, direct);
  return () => {
    resource.registerResource = sdk.registerResource;
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
