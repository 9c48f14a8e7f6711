/**
 * The layout rules of docs/architecture.md#layout, checked on the sources: data flows one way
 * (config -> stacks -> components; offline runs the program and reads config), components never
 * import config, stacks or the tooling, and no file reaches itself through its imports (type-only
 * imports included: DESIGN §10 puts a type two files share in a small file of its own).
 */
import { expect } from "chai";
import * as path from "path";
import { circles, importGraph, sourceFiles, specifiers } from "./importGraph";

const ROOT = path.resolve(__dirname, "../..");
const PROGRAM = ["components", "config", "stacks", "offline", "policy", "automation", "functions", "scripts", "bench", "index.ts"];

/** For each top-level folder, the folders it must never import. */
const NEVER: Readonly<Record<string, readonly string[]>> = {
  components: ["config", "stacks", "offline", "policy", "automation", "scripts", "bench", "index.ts"],
  config: ["stacks", "offline", "policy", "automation", "scripts", "bench", "index.ts"],
  stacks: ["offline", "policy", "automation", "scripts", "bench"],
  functions: ["components", "config", "stacks", "offline", "policy", "automation", "scripts", "bench"],
};

describe("layout", () => {
  const graph = importGraph(ROOT, sourceFiles(ROOT, PROGRAM));

  it("reads the whole program (a sanity floor, so an empty graph cannot pass)", () => {
    expect(graph.size).to.be.greaterThan(400);
    expect(graph.get("stacks/environment.ts")).to.include("components/network/EnvironmentNetwork.ts");
  });

  it("has no circle of imports, type-only imports included", () => {
    expect(circles(graph).map((c) => c.join(" <-> "))).to.deep.equal([]);
  });

  for (const [from, banned] of Object.entries(NEVER)) {
    it(`never imports ${banned.join(", ")} from ${from}/`, () => {
      const top = (f: string): string => f.split("/")[0]!;
      const wrong = [...graph].flatMap(([f, deps]) => (top(f) === from ? deps.filter((d) => banned.includes(top(d))).map((d) => `${f} -> ${d}`) : []));
      expect(wrong).to.deep.equal([]);
    });
  }
});

describe("the import graph reader", () => {
  it("finds imports, type imports, re-exports and requires, and nothing else", () => {
    const src = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      'import * as c from "./c";',
      'export { d } from "./d";',
      'export type { E } from "./e";',
      'const f = require("./f");',
      'import "./g";',
      'import { x } from "zod";',
      'const s = "from ./not-an-import";',
    ].join("\n");
    expect(specifiers(src)).to.deep.equal(["./a", "../b", "./c", "./d", "./e", "./f", "./g"]);
  });

  it("finds a circle of two, and of three, and none in a chain", () => {
    const find = circles;
    expect(find(new Map([["a", ["b"]], ["b", ["a"]], ["c", []]]))).to.deep.equal([["a", "b"]]);
    expect(find(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]]]))).to.deep.equal([["a", "b", "c"]]);
    expect(find(new Map([["a", ["b"]], ["b", ["c"]], ["c", []]]))).to.deep.equal([]);
  });
});
