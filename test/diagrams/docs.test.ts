import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DOCS_DIAGRAMS_DIR, docsDiagramFiles } from "../../offline/diagrams/docs";
import { realStacks } from "../support/realStacks";

const DOCS = path.dirname(DOCS_DIAGRAMS_DIR);

describe("the pictures in docs/diagrams", function () {
  this.timeout(180000);

  it("are exactly what the real plan draws (regenerate: node -r ./scripts/register-ts.cjs offline/diagrams/docs.ts)", async () => {
    const runs = await realStacks();
    const files = await docsDiagramFiles(Object.fromEntries(Object.entries(runs).map(([s, r]) => [s, r.resources])));
    const onDisk = fs.readdirSync(DOCS_DIAGRAMS_DIR).filter((f) => /\.(mmd|svg)$/.test(f)).sort();
    expect(onDisk).to.deep.equal([...files.keys()].sort());
    for (const [name, content] of files) expect(fs.readFileSync(path.join(DOCS_DIAGRAMS_DIR, name), "utf8") === content, `docs/diagrams/${name} is stale`).to.equal(true);
  });

  it("are each shown on a docs page", () => {
    const pages = fs.readdirSync(DOCS).filter((f) => f.endsWith(".md")).map((f) => fs.readFileSync(path.join(DOCS, f), "utf8")).join("\n");
    for (const svg of fs.readdirSync(DOCS_DIAGRAMS_DIR).filter((f) => f.endsWith(".svg"))) expect(pages, svg).to.include(`(diagrams/${svg})`);
  });
});
