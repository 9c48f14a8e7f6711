import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { OfflineEngine, StackRun } from "../../offline/engine";
import { OutputConstructor, PATCHED_SDK_VERSION, RpcModule, lazyTransferProperties, sdkProblems, withLeanSdk } from "../../offline/sdkPatches";
import { realStack } from "../support/realStacks";

const fits = { debuggablePromise: <T>(p: Promise<T>, _ctx: unknown): Promise<T> => p };
const rpcModule = require("@pulumi/pulumi/runtime/rpc") as RpcModule;
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
    expect(sdkProblems(installed, require("@pulumi/pulumi/runtime/debuggable"), pulumi.Resource as never, rpcModule)).to.deep.equal([]);
  });

  it("name every way another SDK differs, so the engine stops instead of capturing something else", () => {
    expect(sdkProblems("3.249.0", {}, { callsites: (() => []) as () => unknown[] }, rpcModule)).to.deep.equal([
      `@pulumi/pulumi is 3.249.0, not ${PATCHED_SDK_VERSION}`,
      "runtime/debuggable no longer exports debuggablePromise(p, ctx)",
    ]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, {}, rpcModule)).to.deep.equal(["Resource.callsites() is gone or takes arguments"]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, { callsites: (() => []) as () => unknown[] }, { transferProperties: ((onto: object) => ({ onto })) as never })).to.deep.equal([
      "runtime/rpc no longer exports transferProperties(onto, label, props)",
    ]);
  });

  it("switch the stack capture off only inside the run and restore it after, even on failure", async () => {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const resource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const before = [debuggable.debuggablePromise, resource.callsites, rpcModule.transferProperties];
    let inside: unknown[] = [];
    try {
      await withLeanSdk(async () => {
        inside = [debuggable.debuggablePromise, resource.callsites(), rpcModule.transferProperties];
        throw new Error("boom");
      });
    } catch (e) {
      expect((e as Error).message).to.equal("boom");
    }
    expect(inside[0]).to.not.equal(before[0]);
    expect(inside[1]).to.deep.equal([]);
    expect(inside[2]).to.not.equal(before[2]);
    expect([debuggable.debuggablePromise, resource.callsites, rpcModule.transferProperties]).to.deep.equal(before);
    expect(resource.callsites().length).to.be.greaterThan(0);
  });

  // Byte-identical resources and outputs; only the order of registration may differ, since the
  // patches take promise ticks out and registration order follows promise scheduling.
  it("capture exactly the same resources and outputs as the unpatched SDK (management and dev)", async () => {
    const graph = (runs: readonly StackRun[]): string =>
      JSON.stringify(runs.map((r) => ({ resources: [...r.resources].sort((a, b) => a.urn.localeCompare(b.urn)), outputs: r.outputs, secretOutputs: r.secretOutputs })));
    const unpatched = new OfflineEngine({ leanSdk: false });
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
});
