/**
 * The engine keeps the repository's library folders (components/, config/) loaded from one stack
 * to the next instead of loading them afresh. That is only sound while those modules hold no
 * per-stack state: this plans every real stack both ways and requires the same graphs.
 */
import { expect } from "chai";
import { OfflineEngine, REPOSITORY_LIBRARY_DIRS, StackRun } from "../../offline/engine";
import { STACK_ORDER } from "../../offline/stackConfig";
import { realStacks } from "../support/realStacks";

function graph(runs: readonly StackRun[]): string {
  return JSON.stringify(runs.map((r) => ({ stack: r.stack, resources: r.resources, outputs: r.outputs, secretOutputs: r.secretOutputs })));
}

describe("library modules kept across stacks", () => {
  it("are the repository's components and config folders", () => {
    expect(new OfflineEngine().libraryDirs).to.deep.equal(["components", "config"]);
    expect(REPOSITORY_LIBRARY_DIRS).to.deep.equal(["components", "config"]);
  });

  it("give every real stack the same graph, in the same order, as loading every module afresh", async () => {
    const kept = await realStacks();
    const fresh = new OfflineEngine({ libraryDirs: [] });
    const freshRuns: StackRun[] = [];
    for (const stack of STACK_ORDER) freshRuns.push(await fresh.run(stack));
    const keptGraph = graph(STACK_ORDER.map((s) => kept[s]));
    expect(keptGraph.length).to.be.greaterThan(1_000_000);
    expect(keptGraph === graph(freshRuns), "graphs differ").to.equal(true);
  });
});
