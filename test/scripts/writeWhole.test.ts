import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { tempDirEach } from "../support/tempDir";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeWhole } = require("../../scripts/write-whole.cjs") as { writeWhole(file: string, data: string | Buffer): void };

describe("a cache file written whole or not at all (scripts/write-whole.cjs)", () => {
  const dir = tempDirEach("tila-write-whole-");

  it("writes the file, making its folder, and leaves no temporary file", () => {
    const file = path.join(dir(), "a", "b", "entry.json");
    writeWhole(file, "first");
    writeWhole(file, Buffer.from("second"));
    expect(fs.readFileSync(file, "utf8")).to.equal("second");
    expect(fs.readdirSync(path.dirname(file))).to.deep.equal(["entry.json"]);
  });

  it("throws when it cannot put the file in place, and removes what it wrote", () => {
    const file = path.join(dir(), "taken");
    fs.mkdirSync(path.join(file, "inside"), { recursive: true });
    expect(() => writeWhole(file, "data")).to.throw();
    expect(fs.readdirSync(dir())).to.deep.equal(["taken"]);
  });
});
