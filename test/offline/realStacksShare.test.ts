import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { prodWithoutShipping, variantName } from "../support/configVariants";
import { loadShared, realStack, realStacksKey, stacksKey } from "../support/realStacks";

/**
 * The test support's disk copy of the real stacks (test/support/realStacks.ts) must never hand a
 * test a stale graph: its key has to move with every input of a capture, and stand still for
 * files no program reads.
 */
describe("the real stacks shared between test processes", function () {
  this.timeout(120_000);
  let root: string;
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "tila-share-key-"));
    write("index.ts", "export = {};\n");
    write("Pulumi.yaml", "name: p\n");
    write("Pulumi.dev.yaml", "config: {}\n");
    write("components/a.ts", "export const a = 1;\n");
    write("offline/engine.ts", "export {};\n");
    write("package-lock.json", "{}\n");
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const [rel, text] of [
    ["components/a.ts", "export const a = 2;\n"],
    ["offline/engine.ts", "export const changed = true;\n"],
    ["package-lock.json", '{ "v": 2 }\n'],
    ["Pulumi.dev.yaml", "config: { a: 1 }\n"],
    ["Pulumi.prod.yaml", "config: {}\n"],
    ["stacks/new.ts", "export {};\n"],
  ]) {
    it(`changes with ${rel}`, () => {
      const before = stacksKey(root);
      write(rel, text);
      expect(stacksKey(root)).to.not.equal(before);
    });
  }

  for (const rel of ["test/x.test.ts", "docs/x.md", "README.md", "node_modules/.cache/x"]) {
    it(`stands still for ${rel}`, () => {
      const before = stacksKey(root);
      write(rel, "anything\n");
      expect(stacksKey(root)).to.equal(before);
    });
  }

  it("stores a capture under the repository's key, and a stored capture is the same graph", async () => {
    const run = await realStack("management");
    const dir = path.resolve(__dirname, "../../node_modules/.cache/tila-test-stacks");
    if (process.env.TILA_TEST_STACKS === "0") return;
    const file = path.join(dir, `management-${realStacksKey()}.bin`);
    expect(fs.existsSync(file), file).to.equal(true);
    const stored = v8.deserialize(fs.readFileSync(file)) as typeof run;
    expect(stored.resources.length).to.equal(run.resources.length);
    expect(JSON.stringify(stored.resources)).to.equal(JSON.stringify(run.resources));
  });

  it("keeps a config variant under a name that covers its edits, and the stored run is the variant's", async () => {
    const off: [string[], unknown][] = [[["tila-platform:observability", "logging", "shipping", "enabled"], false]];
    const on: [string[], unknown][] = [[["tila-platform:observability", "logging", "shipping", "enabled"], true]];
    expect(variantName("prod", off)).to.not.equal(variantName("prod", on));
    expect(variantName("prod", off)).to.not.equal(variantName("stage", off));
    expect(variantName("prod", off)).to.equal(variantName("prod", [[["tila-platform:observability", "logging", "shipping", "enabled"], false]]));
    const run = await prodWithoutShipping();
    if (process.env.TILA_TEST_STACKS === "0") return;
    const stored = loadShared(variantName("prod", off));
    expect(stored, "the variant was kept").to.not.equal(undefined);
    expect(JSON.stringify(stored!.resources)).to.equal(JSON.stringify(run.resources));
  });
});
