import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { Diagram } from "../../offline/diagrams";
import { DIAGRAMS_INDEX, checkDiagramsDir, writeDiagrams } from "../../offline/diagrams/write";
import { PLAN_MARKER } from "../../offline/outDir";
import { tempDirEach } from "../support/tempDir";

const picture = (name: string): Diagram => ({ name, title: name, mermaid: `flowchart LR\n  ${name.replace(/-/g, "_")}["${name}"]\n`, dot: `digraph g { "${name}"; }\n` });

describe("diagrams: the --diagrams folder", () => {
  const tmp = tempDirEach("tila-diagrams-");

  it("writes <name>.mmd and a rendered <name>.svg per picture, the marker and the index", async () => {
    const dir = path.join(tmp(), "pictures");
    const report = await writeDiagrams([picture("network"), picture("services-dev")], dir);
    expect(report.errors).to.deep.equal([]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([PLAN_MARKER, DIAGRAMS_INDEX, "network.mmd", "network.svg", "services-dev.mmd", "services-dev.svg"].sort());
    expect(fs.readFileSync(path.join(dir, "network.mmd"), "utf8")).to.equal(picture("network").mermaid);
    expect(fs.readFileSync(path.join(dir, "network.svg"), "utf8")).to.match(/<svg[^]*>network<\/text>/);
    expect(JSON.parse(fs.readFileSync(path.join(dir, DIAGRAMS_INDEX), "utf8")).files).to.deep.equal(["network.mmd", "network.svg", "services-dev.mmd", "services-dev.svg"]);
  });

  it("removes only the pictures an earlier run wrote and this one did not; a person's file stays", async () => {
    const dir = tmp();
    await writeDiagrams([picture("network"), picture("services-dev")], dir);
    fs.writeFileSync(path.join(dir, "notes.md"), "mine");
    fs.writeFileSync(path.join(dir, "services-qa.svg"), "mine too: no run listed it");
    const report = await writeDiagrams([picture("network")], dir);
    expect(report.removed).to.deep.equal(["services-dev.mmd", "services-dev.svg"]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal([PLAN_MARKER, DIAGRAMS_INDEX, "network.mmd", "network.svg", "notes.md", "services-qa.svg"].sort());
  });

  it("refuses a non-empty folder without the marker and a file, naming --diagrams, before and at writing", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "keep.txt"), "x");
    expect(checkDiagramsDir(dir)).to.equal(`--diagrams ${dir}: is not empty and was not written by npm run plan (no ${PLAN_MARKER} marker); name an empty or new folder`);
    expect(checkDiagramsDir(path.join(dir, "keep.txt"))).to.equal(`--diagrams ${path.join(dir, "keep.txt")}: is a file, not a folder`);
    const report = await writeDiagrams([picture("network")], dir);
    expect(report.errors.map((e) => e.message)).to.deep.equal([checkDiagramsDir(dir)]);
    expect(fs.readdirSync(dir)).to.deep.equal(["keep.txt"]);
  });

  it("replaces a symbolic link at a picture's path instead of writing through it", async () => {
    const dir = tmp();
    await writeDiagrams([picture("network")], dir);
    const outside = path.join(tmp(), "outside.txt");
    fs.writeFileSync(outside, "untouched");
    fs.rmSync(path.join(dir, "network.mmd"));
    fs.symlinkSync(outside, path.join(dir, "network.mmd"));
    await writeDiagrams([picture("network")], dir);
    expect(fs.readFileSync(outside, "utf8")).to.equal("untouched");
    expect(fs.lstatSync(path.join(dir, "network.mmd")).isSymbolicLink()).to.equal(false);
  });
});
