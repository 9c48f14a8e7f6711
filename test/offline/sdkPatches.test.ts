import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { StackRun } from "../../offline/engine";
import * as fc from "fast-check";
import {
  DependsOnModule,
  NOT_PLAIN,
  OutputConstructor,
  PATCHED_SDK_VERSION,
  ProtoKeyInStruct,
  ResourceLike,
  RpcModule,
  StructClass,
  lazyTransferProperties,
  leanSerializers,
  leanTransitiveUrns,
  plainSerialized,
  plainStructs,
  protobufJson,
  protobufStructJson,
  sdkProblems,
  sdkStruct,
  structProblems,
  withLeanSdk,
} from "../../offline/sdkPatches";
import { realStack, sharedEngine } from "../support/realStacks";

const fits = { debuggablePromise: <T>(p: Promise<T>, _ctx: unknown): Promise<T> => p };
const rpcModule = require("@pulumi/pulumi/runtime/rpc") as RpcModule;
const dependsOnModule = require("@pulumi/pulumi/runtime/dependsOn") as DependsOnModule;
const Output = (require("@pulumi/pulumi/output") as { Output: OutputConstructor }).Output;
const isGrpcError = (require("@pulumi/pulumi/errors") as { isGrpcError: (e: unknown) => boolean }).isGrpcError;

/** What an Output built by the SDK holds: its value, whether it is known and secret. */
interface OutputShape {
  promise: () => Promise<unknown>;
  isKnown: Promise<boolean>;
  isSecret: Promise<boolean>;
}

async function read(o: unknown): Promise<[unknown, boolean, boolean]> {
  const out = o as OutputShape;
  return Promise.all([out.promise(), out.isKnown, out.isSecret]);
}

/** True when `p` is still pending after the current macrotask. */
async function pending(p: Promise<unknown>): Promise<boolean> {
  const marker = Symbol("pending");
  const later = new Promise((resolve) => setImmediate(() => resolve(marker)));
  return (await Promise.race([p.then(() => "settled", () => "settled"), later])) === marker;
}

describe("SDK patches of the offline engine", () => {
  it("fit the pinned SDK this project installs", () => {
    const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    expect(installed).to.equal(PATCHED_SDK_VERSION);
    expect(sdkProblems(installed, require("@pulumi/pulumi/runtime/debuggable"), pulumi.Resource as never, rpcModule, dependsOnModule)).to.deep.equal([]);
  });

  it("name every way another SDK differs, so the engine stops instead of capturing something else", () => {
    const callsites = { callsites: (() => []) as () => unknown[] };
    expect(sdkProblems("3.249.0", {}, callsites, rpcModule, dependsOnModule)).to.deep.equal([
      `@pulumi/pulumi is 3.249.0, not ${PATCHED_SDK_VERSION}`,
      "runtime/debuggable no longer exports debuggablePromise(p, ctx)",
    ]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, {}, rpcModule, dependsOnModule)).to.deep.equal(["Resource.callsites() is gone or takes arguments"]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, callsites, { ...rpcModule, transferProperties: ((onto: object) => ({ onto })) as never }, dependsOnModule)).to.deep.equal([
      "runtime/rpc no longer exports transferProperties(onto, label, props)",
    ]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, callsites, { transferProperties: rpcModule.transferProperties, serializeProperties: (() => ({})) as never }, {})).to.deep.equal([
      "runtime/rpc no longer exports serializeProperty(ctx, prop, dependentResources, opts)",
      "runtime/rpc no longer exports serializeResourceProperties(label, props, opts)",
      "runtime/rpc no longer exports serializeProperties(label, props, opts)",
      "runtime/dependsOn no longer exports getAllTransitivelyReferencedResourceURNs(resources, exclude)",
    ]);
  });

  it("switch the stack capture off only inside the run and restore it after, even on failure", async () => {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const resource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const patched = (): unknown[] => [
      debuggable.debuggablePromise,
      resource.callsites,
      rpcModule.transferProperties,
      rpcModule.serializeResourceProperties,
      rpcModule.serializeProperties,
      dependsOnModule.getAllTransitivelyReferencedResourceURNs,
    ];
    const before = patched();
    let inside: unknown[] = [];
    let callsites: unknown[] = [];
    try {
      await withLeanSdk(async () => {
        inside = patched();
        callsites = resource.callsites();
        throw new Error("boom");
      });
    } catch (e) {
      expect((e as Error).message).to.equal("boom");
    }
    inside.forEach((fn, i) => expect(fn, `patch ${i}`).to.not.equal(before[i]));
    expect(callsites).to.deep.equal([]);
    expect(patched()).to.deep.equal(before);
    expect(resource.callsites().length).to.be.greaterThan(0);
  });

  // Byte-identical resources and outputs; only the order of registration may differ, since the
  // patches take promise ticks out and registration order follows promise scheduling.
  it("capture exactly the same resources and outputs as the unpatched SDK (management and dev)", async () => {
    const graph = (runs: readonly StackRun[]): string =>
      JSON.stringify(runs.map((r) => ({ resources: [...r.resources].sort((a, b) => a.urn.localeCompare(b.urn)), outputs: r.outputs, secretOutputs: r.secretOutputs })));
    // The unpatched captures are kept on disk beside the real stacks, under the same key of the
    // sources (offline/sdkPatches.ts among them): a change to the patches or the programs runs
    // them again, a change to the tests alone does not.
    const unpatched = sharedEngine({ leanSdk: false }, "unpatched-");
    const full = graph([await unpatched.run("management"), await unpatched.run("dev")]);
    const lean = graph([await realStack("management"), await realStack("dev")]);
    expect(lean.length).to.be.greaterThan(100_000);
    expect(lean === full, "captured graphs differ").to.equal(true);
  });

  describe("lazyTransferProperties (each property's Output built on first read)", () => {
    const transfer = lazyTransferProperties(Output, isGrpcError);

    it("gives an Output read before registration the value, known and secret flags the engine answers", async () => {
      const onto = {} as Record<string, unknown>;
      const resolvers = transfer(onto, "bucket", { id: undefined, urn: undefined, arn: undefined, tags: undefined });
      expect(Object.keys(resolvers)).to.deep.equal(["arn", "tags"]);
      const arn = onto.arn;
      expect(await pending((arn as OutputShape).promise())).to.equal(true);
      resolvers.arn("arn:aws:s3:::b", true, true);
      expect(await read(arn)).to.deep.equal(["arn:aws:s3:::b", true, true]);
      expect(onto.arn).to.equal(arn);
    });

    it("gives an Output first read after registration the same value, and the same Output on every read", async () => {
      const onto = {} as Record<string, unknown>;
      const resolvers = transfer(onto, "bucket", { arn: undefined, region: undefined });
      resolvers.arn("arn:aws:s3:::b", true, false);
      resolvers.region(undefined, false, false);
      expect(await read(onto.arn)).to.deep.equal(["arn:aws:s3:::b", true, false]);
      expect(await (onto.region as OutputShape).isKnown).to.equal(false);
      expect(onto.arn).to.equal(onto.arn);
      expect(Object.keys(onto)).to.deep.equal(["arn", "region"]);
    });

    it("rejects a property's Output on a registration error, and leaves it pending on a gRPC error, as the SDK does", async () => {
      const onto = {} as Record<string, unknown>;
      const resolvers = transfer(onto, "bucket", { arn: undefined, region: undefined });
      resolvers.arn(undefined, false, false, [], new Error("registration failed"));
      const grpc = Object.assign(new Error("rpc"), { code: 14, details: "unavailable", metadata: {} });
      expect(isGrpcError(grpc)).to.equal(true);
      resolvers.region(undefined, false, false, [], grpc);
      let failure: unknown;
      await (onto.arn as OutputShape).promise().catch((e: unknown) => (failure = e));
      expect((failure as Error).message).to.equal("registration failed");
      expect(await pending((onto.region as OutputShape).promise())).to.equal(true);
    });

    it("lets an assignment replace a property, and refuses a property that is already set, naming it", () => {
      const onto = {} as Record<string, unknown>;
      transfer(onto, "bucket", { arn: undefined });
      onto.arn = "replaced";
      expect(onto.arn).to.equal("replaced");
      expect(() => transfer({ arn: 1 }, "bucket", { arn: undefined })).to.throw("Property 'arn' is already initialized on target 'bucket");
    });
  });

  describe("plain Structs (protobuf's Struct round trip without the messages)", () => {
    const Struct = sdkStruct();
    /** The real round trip, with the patch off. */
    const roundTrip = (obj: Record<string, unknown>): Record<string, unknown> => (Struct.fromJavaScript(obj) as unknown as { toJavaScript(): Record<string, unknown> }).toJavaScript();
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.constant(null), fc.boolean(), fc.double(), fc.integer(), fc.string(), tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("10", "2", "a", "B", "_", "specialSig", "__proto__")), tie("value"), { maxKeys: 5 }),
    }));

    it("give back what the protobuf round trip gives, keys in the same (sorted) order", () => {
      const hasProtoKey = (v: unknown): boolean => typeof v === "object" && v !== null && Object.entries(v).some(([k, x]) => k === "__proto__" || hasProtoKey(x));
      fc.assert(
        fc.property(json.object as fc.Arbitrary<Record<string, unknown>>, (obj) => {
          const want = roundTrip(obj);
          const restore = plainStructs(Struct);
          let got: Record<string, unknown>;
          try {
            got = roundTrip(obj);
          } finally {
            restore();
          }
          expect(JSON.stringify(got)).to.equal(JSON.stringify(want));
          expect(got).to.deep.equal(want);
          // A `__proto__` key (which fast-check generates) is left to the real messages.
          if (hasProtoKey(obj)) expect(() => protobufStructJson(obj)).to.throw(ProtoKeyInStruct);
          else expect(JSON.stringify(protobufStructJson(obj))).to.equal(JSON.stringify(want));
        }),
        { numRuns: 300 },
      );
      const proto = Object.defineProperty({}, "__proto__", { value: { a: 1 }, enumerable: true, configurable: true, writable: true });
      expect(hasProtoKey(proto)).to.equal(true);
      const sample = { b: [1, { z: true, a: null }], a: "x", 10: 1, 2: 2 };
      expect(JSON.stringify(protobufStructJson(sample))).to.equal(JSON.stringify(roundTrip(sample)));
    });

    it("sort keys as the round trip does, however many", () => {
      const key = fc.oneof(fc.string({ maxLength: 6 }), fc.string({ unit: fc.constantFrom("a", "B", "é", "𝔸", "0", "_", "-"), maxLength: 4 }));
      fc.assert(
        fc.property(fc.dictionary(key.filter((k) => k !== "__proto__"), fc.integer(), { maxKeys: 70 }), (obj) => {
          expect(JSON.stringify(protobufStructJson(obj))).to.equal(JSON.stringify(roundTrip(obj)));
        }),
        { numRuns: 200 },
      );
    });

    it("refuse what protobuf refuses (undefined, functions), with its message", () => {
      for (const bad of [{ a: undefined }, { a: [1, undefined] }, { a: () => 1 }, { a: { b: Symbol("s") } }]) {
        expect(() => Struct.fromJavaScript(bad as Record<string, unknown>)).to.throw("Unexpected struct type.");
        expect(() => protobufStructJson(bad as Record<string, unknown>)).to.throw("Unexpected struct type.");
      }
      expect(protobufJson("s")).to.equal("s");
    });

    it("hand readers the plain tree, build the messages when something asks for the fields, and are undone", () => {
      const before = [Struct.fromJavaScript, Struct.prototype.toJavaScript, Struct.prototype.getFieldsMap];
      const restore = plainStructs(Struct);
      try {
        const s = Struct.fromJavaScript({ b: { y: 1 }, a: ["x"] }) as unknown as { toJavaScript(): Record<string, unknown>; getFieldsMap(): { get(k: string): { toJavaScript(): unknown } } };
        expect(s).to.be.instanceOf(Struct);
        expect(JSON.stringify(s.toJavaScript())).to.equal('{"a":["x"],"b":{"y":1}}');
        expect(s.getFieldsMap().get("b").toJavaScript()).to.deep.equal({ y: 1 });
        expect(s.toJavaScript()).to.deep.equal({ a: ["x"], b: { y: 1 } });
        const empty = new Struct() as unknown as { toJavaScript(): Record<string, unknown> };
        expect(empty.toJavaScript()).to.deep.equal({});
      } finally {
        restore();
      }
      expect([Struct.fromJavaScript, Struct.prototype.toJavaScript, Struct.prototype.getFieldsMap]).to.deep.equal(before);
    });

    it("are on only inside withLeanSdk, and name what differs in another google-protobuf", async () => {
      const from = Struct.fromJavaScript;
      let inside: unknown;
      await withLeanSdk(async () => {
        inside = Struct.fromJavaScript;
      });
      expect(inside).to.not.equal(from);
      expect(Struct.fromJavaScript).to.equal(from);
      expect(structProblems(Struct)).to.deep.equal([]);
      expect(structProblems(undefined)).to.deep.equal(["struct_pb no longer exports Struct"]);
      const other = function Other(): void {} as unknown as StructClass;
      expect(structProblems(other)).to.deep.equal(["Struct.fromJavaScript(obj) is gone", "Struct.prototype.toJavaScript() is gone", "Struct.prototype.getFieldsMap() is gone"]);
    });
  });

  describe("lean serializers (plain inputs without an await per value)", () => {
    const sdk = { serializeResourceProperties: rpcModule.serializeResourceProperties, serializeProperties: rpcModule.serializeProperties };
    const lean = leanSerializers(rpcModule.serializeProperty);
    class Point {
      constructor(readonly x: number) {}
    }
    /** Inputs as programs pass them: plain data with functions, undefined, holes, outputs, promises and class instances in it. */
    const input = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.string(),
        fc.constant(() => 1),
        fc.integer().map((n) => pulumi.output(n)),
        fc.string().map((t) => Promise.resolve(t)),
        fc.integer().map((n) => new Point(n)),
        fc.constant(Object.assign(Object.create(null) as Record<string, unknown>, { bare: 1 })),
        tie("array"),
        tie("object"),
      ),
      array: fc.array(tie("value"), { maxLength: 4 }).map((a) => (a.length > 2 ? (delete a[1], a) : a)),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("id", "urn", "10", "2", "__proto__")), tie("value"), { maxKeys: 5 }),
    }));
    const shape = (deps: Map<string, Set<unknown>>): [string, number][] => [...deps].map(([k, v]) => [k, v.size]);

    it("give what the SDK's serializers give: the same values, key order, and dependency sets", async () => {
      await fc.assert(
        fc.asyncProperty(input.object as fc.Arbitrary<Record<string, unknown>>, async (props) => {
          const [want, wantDeps] = await sdk.serializeResourceProperties("r", props, {});
          const [got, gotDeps] = await lean.serializeResourceProperties("r", props, {});
          expect(JSON.stringify(got)).to.equal(JSON.stringify(want));
          expect(got).to.deep.equal(want);
          expect(shape(gotDeps)).to.deep.equal(shape(wantDeps));
          expect(await lean.serializeProperties("r", props)).to.deep.equal(await sdk.serializeProperties("r", props));
        }),
        { numRuns: 300 },
      );
    });

    it("take plain data only, and leave anything the SDK awaits or translates to it", () => {
      expect(plainSerialized({ b: [1, undefined, () => 1], a: undefined, f: () => 1, n: null })).to.deep.equal({ b: [1, null, null], n: null });
      const deep: Record<string, unknown> = {};
      let at = deep;
      for (let i = 0; i < 100; i++) at = (at.next = {}) as Record<string, unknown>;
      for (const v of [pulumi.output(1), Promise.resolve(1), new Point(1), { a: [{ b: pulumi.output("x") }] }, { __pulumiOutput: true }, 1n, Symbol("s"), deep]) {
        expect(plainSerialized(v), String(typeof v)).to.equal(NOT_PLAIN);
      }
    });

    it("serialize a deep plain tree and a failing input as the SDK does, naming the property", async () => {
      const deep: Record<string, unknown> = { leaf: "x" };
      for (let i = 0; i < 100; i++) deep.next = { ...deep };
      expect((await lean.serializeResourceProperties("r", { deep }))[0]).to.deep.equal((await sdk.serializeResourceProperties("r", { deep }))[0]);
      const failing = (): Record<string, unknown> => ({ ok: 1, bad: Promise.reject(new Error("no value")) });
      const messages = await Promise.all([sdk, lean].map((f) => f.serializeResourceProperties("r", failing()).then(() => "resolved", (e: Error) => e.message)));
      expect(messages).to.deep.equal(['error serializing property "bad": no value', 'error serializing property "bad": no value']);
    });
  });

  describe("leanTransitiveUrns (dependencies without the walk when there is nothing to walk)", () => {
    const custom = (urn: string, remote = false): ResourceLike & Record<string, unknown> => ({ __pulumiResource: true, __pulumiCustomResource: true, ...(remote ? { __remote: true } : {}), urn: { promise: async () => urn } });
    const component = (urn: string, children: unknown[], remote = false): ResourceLike & Record<string, unknown> => ({
      __pulumiResource: true,
      __pulumiComponentResource: true,
      ...(remote ? { __remote: true } : {}),
      __data: Promise.resolve(),
      __childResources: new Set(children),
      urn: { promise: async () => urn },
    });
    const walk = dependsOnModule.getAllTransitivelyReferencedResourceURNs;
    const lean = leanTransitiveUrns(walk, (r) => pulumi.ComponentResource.isInstance(r), (r) => pulumi.CustomResource.isInstance(r));

    it("find the same URNs in the same order as the SDK's walk, with or without components", async () => {
      const a = custom("urn:a");
      const b = custom("urn:b");
      const pool = [a, b, custom("urn:c"), custom("urn:remote", true), component("urn:comp", [a, custom("urn:child")]), component("urn:empty", [])];
      await fc.assert(
        fc.asyncProperty(fc.array(fc.nat(pool.length - 1), { maxLength: 6 }), fc.array(fc.nat(pool.length - 1), { maxLength: 2 }), async (picks, excluded) => {
          const resources = new Set(picks.map((i) => pool[i]));
          const exclude = new Set<unknown>(excluded.map((i) => pool[i]));
          expect([...(await lean(resources, exclude))]).to.deep.equal([...(await walk(resources, exclude))]);
        }),
        { numRuns: 200 },
      );
      expect([...(await lean(new Set(), new Set()))]).to.deep.equal([]);
      expect([...(await lean(undefined, new Set()))]).to.deep.equal([]);
    });
  });
});
