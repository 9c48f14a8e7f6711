// Tests the offline engine's lean resource registration (offline/sdkPatches.ts: leanRegistration,
// leanPrepare, the lazy urn and id Outputs): the same captured graph as the SDK's registration,
// what it hands back to the SDK, its failures, and the check against another SDK.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as fc from "fast-check";
import { capture, isPlainTree } from "../../offline/capture";
import {
  DirectRegister,
  OutputConstructor,
  RegisterResource,
  RegistrationSdk,
  identityOutput,
  installLeanRegistration,
  leanRegistration,
  registrationProblems,
  registrationSdk,
} from "../../offline/sdkPatches";
import type { CaptureResult } from "../../offline/types";
import { captureOptions } from "../support/graph";

const isGrpcError = (require("@pulumi/pulumi/errors") as { isGrpcError: (e: unknown) => boolean }).isGrpcError;
const SdkOutput = (require("@pulumi/pulumi/output") as { Output: OutputConstructor }).Output;
const runtimeResource = require("@pulumi/pulumi/runtime/resource") as { registerResource: RegisterResource };

/** A custom resource of a package no mock knows: its state is its inputs. */
class Thing extends pulumi.CustomResource {
  constructor(name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
    super("test:index:Thing", name, props, opts);
  }
}

class Prov extends pulumi.ProviderResource {
  constructor(name: string) {
    super("test", name, {});
  }
}

class Comp extends pulumi.ComponentResource {
  constructor(name: string, build: (self: Comp) => Record<string, pulumi.Input<unknown>>) {
    super("test:index:Comp", name, {}, {});
    this.registerOutputs(build(this));
  }
}

/** Every option the capture records, inputs of every kind, and the options that send a resource to the SDK's registration. */
function program(): Record<string, unknown> {
  const provider = new Prov("prov");
  const a = new Thing("a", { x: 1, nested: { list: [1, undefined, "s"], skip: undefined }, secret: pulumi.secret("s3cr3t"), fn: () => 1 });
  const b = new Thing(
    "b",
    { ref: a.id, length: a.urn.apply((u) => u.length), list: [a.id, "x", pulumi.output({ deep: a.id })], promised: Promise.resolve("p") },
    { dependsOn: [a], protect: true, ignoreChanges: ["x"], additionalSecretOutputs: ["y"], deleteBeforeReplace: true, retainOnDelete: true },
  );
  const c = new Thing("c", { x: 2 }, { import: "c-imported", provider });
  const comp = new Comp("comp", (self) => {
    const d = new Thing("d", { p: b.id, resource: c }, { parent: self, dependsOn: pulumi.output([b]) });
    return { d: d.id };
  });
  new Thing("aliased", { x: 3 }, { aliases: [{ name: "old" }] });
  new Thing("deleted-with", { x: 4 }, { deletedWith: a });
  const store = (): { callbacks?: unknown } => (require("@pulumi/pulumi/runtime/state") as { getStore(): { callbacks?: unknown } }).getStore();
  return { a: a.id, b: b.urn, comp: comp.urn, secret: pulumi.secret("out"), callbacks: b.id.apply(() => (store().callbacks === undefined ? "none" : "started")) };
}

function graph(result: CaptureResult): string {
  const resources = [...result.resources].sort((x, y) => (x.urn < y.urn ? -1 : x.urn > y.urn ? 1 : 0));
  return JSON.stringify({ resources, outputs: result.outputs, secretOutputs: result.secretOutputs });
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a failure");
}

describe("lean registration (offline engine)", () => {
  it("captures exactly what the SDK's registration captures: inputs, outputs, options, dependencies, providers, imports", async () => {
    const lean = await capture(program, captureOptions("dev", "222222222222"));
    const sdk = await capture(program, { ...captureOptions("dev", "222222222222"), leanSdk: false });
    expect(lean.resources.map((r) => r.name).sort()).to.deep.equal(["a", "aliased", "b", "c", "comp", "d", "deleted-with", "prov", "tila-platform-dev"].sort());
    const b = lean.resources.find((r) => r.name === "b")!;
    expect(b.options).to.include({ protect: true, retainOnDelete: true, deleteBeforeReplace: true });
    expect(b.options.dependsOn).to.have.length(1);
    expect(lean.resources.find((r) => r.name === "c")!.id).to.equal("c-imported");
    expect(graph(lean)).to.equal(graph(sdk));
    // No transforms server was started for the run (settings' getCallbacks() starts one, on gRPC).
    expect(lean.outputs.callbacks).to.equal("none");
  });

  it("puts the SDK's registration back after a run, and after a run that failed", async () => {
    const before = runtimeResource.registerResource;
    let inside: unknown;
    await capture(() => {
      inside = runtimeResource.registerResource;
      return {};
    }, captureOptions("dev", "222222222222"));
    expect(inside).to.not.equal(before);
    expect(runtimeResource.registerResource).to.equal(before);
    await failure(
      capture(() => {
        throw new Error("boom");
      }, captureOptions("dev", "222222222222")),
    );
    expect(runtimeResource.registerResource).to.equal(before);
  });

  it("fails a registration the monitor refuses with the SDK's message, rejecting the resource's urn, id and properties", async () => {
    type Request = { getName(): string };
    type Monitor = { registerResource(req: Request, cb: (err: Error | null) => void): void };
    const sdk = registrationSdk();
    const refused = async (leanSdk: boolean): Promise<Record<string, string>> => {
      const reads: Record<string, string> = {};
      await capture(() => {
        // The monitor refuses the next registration: the mock monitor's answer in the SDK's path, `direct`'s in the lean one.
        if (leanSdk) runtimeResource.registerResource = leanRegistration(sdk, () => Promise.reject(new Error("refused by the monitor")));
        else {
          const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
          const answer = monitor.registerResource.bind(monitor);
          monitor.registerResource = (req, cb) => (req.getName() === "t" ? cb(new Error("refused by the monitor")) : answer(req, cb));
        }
        const t = new Thing("t", { x: 1 }) as unknown as Record<string, { promise(): Promise<unknown> }>;
        for (const what of ["urn", "id", "x"]) void t[what].promise().catch((e: Error) => (reads[what] = e.message));
        return {};
      }, { ...captureOptions("dev", "222222222222"), leanSdk });
      return reads;
    };
    const lean = await refused(true);
    expect(lean).to.deep.equal({
      urn: "failed to register new resource t [test:index:Thing]: refused by the monitor",
      id: "failed to register new resource t [test:index:Thing]: refused by the monitor",
      x: "failed to register new resource t [test:index:Thing]: refused by the monitor",
    });
    expect(lean).to.deep.equal(await refused(false));
  });

  describe("leanRegistration", () => {
    const real = registrationSdk();
    const calls: string[] = [];
    const sdk: RegistrationSdk = { ...real, registerResource: ((_res: object, _parent: unknown, _t: string, name: string) => void calls.push(name)) as RegisterResource };
    const direct: DirectRegister = () => {
      calls.push("direct");
      return Promise.reject(new Error("not reached"));
    };
    const register = leanRegistration(sdk, direct);

    it("hands remote components, package references and the options only the engine reads to the SDK's registration", () => {
      const cases: Array<[string, boolean, Record<string, unknown>, unknown]> = [
        ["remote", true, {}, undefined],
        ["package", false, {}, Promise.resolve("ref")],
        ["aliases", false, { aliases: ["urn:old"] }, undefined],
        ["transforms", false, { transforms: [() => undefined] }, undefined],
        ["hooks", false, { hooks: { beforeCreate: [() => undefined] } }, undefined],
        ["replaceWith", false, { replaceWith: [] }, undefined],
        ["replacementTrigger", false, { replacementTrigger: "x" }, undefined],
        ["envVarMappings", false, { envVarMappings: {} }, undefined],
        ["deletedWith", false, { deletedWith: {} }, undefined],
        ["urn", false, { urn: "urn:x" }, undefined],
      ];
      for (const [name, remote, opts, packageRef] of cases) register({}, undefined, "test:index:Thing", name, true, remote, (u) => u, {}, opts, undefined, undefined, packageRef);
      expect(calls).to.deep.equal(cases.map(([name]) => name));
    });
  });

  describe("registrationProblems", () => {
    it("finds nothing in the pinned SDK, and names every function that is gone or takes other arguments", () => {
      const real = registrationSdk();
      expect(registrationProblems(real as never)).to.deep.equal([]);
      const broken = { ...real, prepareResource: (label: string) => label, isDryRun: undefined, Output: class {}, dependsOn: {} };
      expect(registrationProblems(broken as never)).to.deep.equal([
        "runtime/resource's prepareResource(label, res, parent, custom, remote, props, opts, type, name) is gone or changed",
        "runtime/settings' isDryRun() is gone or changed",
        "output's Output(resources, promise, isKnown, isSecret, allResources) is gone or changed",
        "runtime/dependsOn's gatherExplicitDependencies(dependsOn) is gone or changed",
      ]);
    });

    it("is checked before the registration is put in place", () => {
      expect(installLeanRegistration).to.be.a("function");
      const undo = installLeanRegistration(() => Promise.reject(new Error("unused")));
      undo();
    });
  });

  describe("lazy urn and id Outputs", () => {
    let built = 0;
    const Counting = function (this: unknown, ...args: ConstructorParameters<OutputConstructor>) {
      built++;
      return new SdkOutput(...args);
    } as unknown as OutputConstructor;
    const sdk = { Output: Counting, isGrpcError };
    type Read = { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean>; resources(): Set<unknown> };

    it("builds an Output only when it is read, with the value, known flag, no secret and the resource itself", async () => {
      built = 0;
      const res: Record<string, unknown> = {};
      const urn = identityOutput(res, "urn", sdk);
      const id = identityOutput(res, "id", sdk);
      expect(Object.keys(res)).to.deep.equal(["urn", "id"]);
      urn("urn:pulumi:dev::p::t::n", true);
      id(undefined, false);
      expect(built).to.equal(0);
      const u = res.urn as Read;
      expect(built).to.equal(1);
      expect(res.urn).to.equal(u);
      expect(await Promise.all([u.promise(), u.isKnown, u.isSecret])).to.deep.equal(["urn:pulumi:dev::p::t::n", true, false]);
      expect([...u.resources()]).to.deep.equal([res]);
      expect(await (res.id as Read).isKnown).to.equal(false);
      expect(built).to.equal(2);
    });

    it("settles an Output read before registration when the registration answers", async () => {
      const res: Record<string, unknown> = {};
      const id = identityOutput(res, "id", sdk);
      const early = res.id as Read;
      let value: unknown = "pending";
      void early.promise().then((v) => (value = v));
      await new Promise((r) => setImmediate(r));
      expect(value).to.equal("pending");
      id("i-123", true);
      expect(await early.promise()).to.equal("i-123");
    });

    it("rejects on a registration error, stays pending on a gRPC error, and gives way to an assignment", async () => {
      const res: Record<string, unknown> = {};
      identityOutput(res, "urn", sdk)(undefined, false, new Error("refused"));
      expect((await failure((res.urn as Read).promise())).message).to.equal("refused");
      const other: Record<string, unknown> = {};
      const grpc = Object.assign(new Error("rpc"), { code: 14, details: "unavailable", metadata: {} });
      identityOutput(other, "id", sdk)(undefined, false, grpc);
      let settled = false;
      void (other.id as Read).promise().then(
        () => (settled = true),
        () => (settled = true),
      );
      await new Promise((r) => setImmediate(r));
      expect(settled).to.equal(false);
      other.id = "replaced";
      expect(other.id).to.equal("replaced");
    });
  });
});

describe("isPlainTree (wire values that read back as themselves)", () => {
  const rpc = require("@pulumi/pulumi/runtime/rpc") as {
    deserializeProperties(s: { toJavaScript(): Record<string, unknown> }): Record<string, unknown>;
    specialSigKey: string;
    specialSecretSig: string;
    unknownValue: string;
  };

  it("refuses a tree holding a secret, a resource reference, an asset or the unknown marker at any depth", () => {
    expect(isPlainTree({ a: [1, "x", null, { b: true }] })).to.equal(true);
    expect(isPlainTree({ a: [{ b: { [rpc.specialSigKey]: rpc.specialSecretSig, value: "s" } }] })).to.equal(false);
    expect(isPlainTree({ a: ["x", rpc.unknownValue] })).to.equal(false);
    expect(isPlainTree(rpc.unknownValue)).to.equal(false);
    expect(isPlainTree(JSON.parse('{"a":{"__proto__":{"b":1}}}'))).to.equal(false);
  });

  it("is true only where the SDK's deserialization gives back an equal tree, keys in the same order", () => {
    const special = fc.constantFrom<unknown>(rpc.unknownValue, { [rpc.specialSigKey]: rpc.specialSecretSig, value: "s" });
    const tree = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: "small" }, fc.string(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), special, tie("array"), tie("object")),
      array: fc.array(tie("value"), { maxLength: 4 }),
      object: fc.dictionary(fc.oneof(fc.string(), fc.constant("__proto__")), tie("value"), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(tree.object as fc.Arbitrary<Record<string, unknown>>, (t) => {
        const back = rpc.deserializeProperties({ toJavaScript: () => t });
        if (isPlainTree(t)) expect(JSON.stringify(back)).to.equal(JSON.stringify(t));
      }),
      { numRuns: 300 },
    );
  });
});
