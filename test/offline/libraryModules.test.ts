/**
 * The engine keeps the repository's library folders (components/, config/) loaded from one stack
 * to the next instead of loading them afresh. That is only sound while those modules hold no
 * per-stack state: this plans management and prod both ways and requires the same graphs.
 */
import { expect } from "chai";
import { OfflineEngine, REPOSITORY_LIBRARY_DIRS, StackRun } from "../../offline/engine";
import { realStacks } from "../support/realStacks";

function graph(runs: readonly StackRun[]): string {
  return JSON.stringify(runs.map((r) => ({ stack: r.stack, resources: r.resources, outputs: r.outputs, secretOutputs: r.secretOutputs })));
}

describe("library modules kept across stacks", () => {
  it("are the repository's components and config folders", () => {
    expect(new OfflineEngine().libraryDirs).to.deep.equal(["components", "config"]);
    expect(REPOSITORY_LIBRARY_DIRS).to.deep.equal(["components", "config"]);
  });

  // prod is the stack a shared module could leak into most: the kept engine ran the four others
  // before it. A fresh engine runs management for prod's StackReference, so both ends are compared.
  it("give management and prod the same graph, in the same order, as loading every module afresh", async () => {
    const kept = await realStacks();
    const fresh = new OfflineEngine({ libraryDirs: [] });
    const freshRuns: StackRun[] = [await fresh.run("management"), await fresh.run("prod")];
    const keptGraph = graph([kept.management!, kept.prod!]);
    expect(keptGraph.length).to.be.greaterThan(500_000);
    expect(keptGraph === graph(freshRuns), "graphs differ").to.equal(true);
  });
});
