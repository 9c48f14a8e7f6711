import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { parseYamlCached, persistParsedYaml } from "../../config/yamlCache";
import { tempDirEach } from "../support/tempDir";

describe("YAML parsing memoised by text (config/yamlCache.ts)", () => {
  const text = "config:\n  tila-platform:network:\n    cidr: 10.20.0.0/16\n  aws:region: me-south-1\n";

  it("returns what yaml.parse returns", () => {
    expect(parseYamlCached(text)).to.deep.equal(parse(text));
    for (const scalar of ["", "# only a comment\n", "42\n", "plain\n", "null\n"]) expect(parseYamlCached(scalar)).to.deep.equal(parse(scalar));
  });

  it("gives every caller its own copy: a change by one is not what the next reads", () => {
    const first = parseYamlCached(text) as { config: Record<string, unknown> };
    first.config["aws:region"] = "changed";
    delete first.config["tila-platform:network"];
    expect(parseYamlCached(text)).to.deep.equal(parse(text));
  });

  it("throws the parser's error for a text that does not parse, every time", () => {
    const bad = "config:\n  a: [1, 2\n";
    let expected = "";
    try {
      parse(bad);
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).to.not.equal("");
    for (let i = 0; i < 2; i++) expect(() => parseYamlCached(bad)).to.throw(expected.split("\n")[0]);
  });

  it("stays correct past its size bound (the oldest texts are parsed again)", () => {
    const texts = Array.from({ length: 200 }, (_, i) => `key${i}: ${i}\n`);
    for (const t of texts) parseYamlCached(t);
    for (const t of texts) expect(parseYamlCached(t)).to.deep.equal(parse(t));
  });

  describe("kept on disk (persistParsedYaml)", () => {
    const dir = tempDirEach("tila-yaml-");
    beforeEach(() => persistParsedYaml(dir()));
    afterEach(() => persistParsedYaml(undefined));
    // Texts no other test parsed, so the in-memory memo does not answer first.
    let n = 0;
    const fresh = (body: string): string => `# ${process.pid}-${Date.now()}-${n++}\n${body}`;
    const files = (): string[] => fs.readdirSync(dir()).filter((f) => f.endsWith(".json"));

    it("writes one JSON file per text, named by a hash, holding the document", () => {
      const text = fresh("a:\n  b: [1, two, true]\n");
      expect(parseYamlCached(text)).to.deep.equal({ a: { b: [1, "two", true] } });
      expect(files()).to.have.length(1);
      expect(files()[0]).to.match(/^[0-9a-f]{64}\.json$/);
      expect(JSON.parse(fs.readFileSync(path.join(dir(), files()[0]), "utf8"))).to.deep.equal({ a: { b: [1, "two", true] } });
    });

    /** parseYamlCached(text) in a new process (an empty memo) reading the same folder. */
    function parseElsewhere(text: string): unknown {
      const module = path.resolve(__dirname, "../../config/yamlCache.ts");
      const code = `const c = require(${JSON.stringify(module)}); c.persistParsedYaml(${JSON.stringify(dir())}); console.log(JSON.stringify(c.parseYamlCached(${JSON.stringify(text)})))`;
      const r = spawnSync(process.execPath, ["-r", path.resolve(__dirname, "../../scripts/register-ts.cjs"), "-e", code], { encoding: "utf8" });
      expect(r.status, r.stderr).to.equal(0);
      return JSON.parse(r.stdout) as unknown;
    }

    it("reads a document back from its file instead of parsing, and parses again when the file is damaged", () => {
      const text = fresh("k: from-yaml\n");
      parseYamlCached(text);
      const [file] = files().map((f) => path.join(dir(), f));
      fs.writeFileSync(file, JSON.stringify({ k: "from-disk" }));
      expect(parseElsewhere(text)).to.deep.equal({ k: "from-disk" });
      fs.writeFileSync(file, "{ half a fi");
      expect(parseElsewhere(text)).to.deep.equal({ k: "from-yaml" });
      expect(JSON.parse(fs.readFileSync(file, "utf8"))).to.deep.equal({ k: "from-yaml" });
    });

    it("keeps nothing JSON cannot hold exactly", () => {
      expect(parseYamlCached(fresh("x: .inf\ny: 1\n"))).to.deep.equal({ x: Infinity, y: 1 });
      expect(parseYamlCached(fresh("list: [1, -0.0]\n"))).to.deep.equal({ list: [1, -0] });
      expect(files()).to.have.length(0);
    });

    it("never writes a text that does not parse", () => {
      expect(() => parseYamlCached(fresh("a: [1,\n"))).to.throw();
      expect(files()).to.have.length(0);
    });
  });
});
