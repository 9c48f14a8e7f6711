import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { OfflineEngine, StackRun } from "../../offline/engine";
import { PATCHED_SDK_VERSION, sdkProblems, withLeanSdk } from "../../offline/sdkPatches";
import { realStack } from "../support/realStacks";

const fits = { debuggablePromise: <T>(p: Promise<T>, _ctx: unknown): Promise<T> => p };

describe("SDK patches of the offline engine", () => {
  it("fit the pinned SDK this project installs", () => {
    const installed = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    expect(installed).to.equal(PATCHED_SDK_VERSION);
    expect(sdkProblems(installed, require("@pulumi/pulumi/runtime/debuggable"), pulumi.Resource as never)).to.deep.equal([]);
  });

  it("name every way another SDK differs, so the engine stops instead of capturing something else", () => {
    expect(sdkProblems("3.249.0", {}, { callsites: (() => []) as () => unknown[] })).to.deep.equal([
      `@pulumi/pulumi is 3.249.0, not ${PATCHED_SDK_VERSION}`,
      "runtime/debuggable no longer exports debuggablePromise(p, ctx)",
    ]);
    expect(sdkProblems(PATCHED_SDK_VERSION, fits, {})).to.deep.equal(["Resource.callsites() is gone or takes arguments"]);
  });

  it("switch the stack capture off only inside the run and restore it after, even on failure", async () => {
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
    const resource = pulumi.Resource as unknown as { callsites: () => unknown[] };
    const before = [debuggable.debuggablePromise, resource.callsites];
    let inside: unknown[] = [];
    try {
      await withLeanSdk(async () => {
        inside = [debuggable.debuggablePromise, resource.callsites()];
        throw new Error("boom");
      });
    } catch (e) {
      expect((e as Error).message).to.equal("boom");
    }
    expect(inside[0]).to.not.equal(before[0]);
    expect(inside[1]).to.deep.equal([]);
    expect([debuggable.debuggablePromise, resource.callsites]).to.deep.equal(before);
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
});
