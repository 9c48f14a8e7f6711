import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PLAN_INDEX, PLAN_MARKER, PlanFile, checkOutDir, writeOutDir } from "../../offline/outDir";
import { tempDirEach } from "../support/tempDir";

const STACKS = ["management", "dev", "prod"];

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

const files = (...rels: string[]): PlanFile[] => rels.map((rel) => ({ rel, content: `{"file":"${rel}"}\n` }));
const write = (dir: string, planFiles: PlanFile[]) => writeOutDir(dir, planFiles, { knownStacks: STACKS, stacks: { dev: "ok" } });

describe("plan output folder", () => {
  const tmp = tempDirEach("tila-out-");

  it("writes ASCII and non-ASCII text as the same UTF-8 bytes, and replaces a longer earlier file whole", () => {
    const ascii = `${"x".repeat(300_000)}\n`;
    const other = '{"name":"تيلا — café"}\n';
    write(tmp(), [{ rel: "dev/resources.json", content: ascii + ascii }]);
    write(tmp(), [
      { rel: "dev/resources.json", content: ascii },
      { rel: "dev/outputs.json", content: other },
    ]);
    expect(fs.readFileSync(path.join(tmp(), "dev", "resources.json"))).to.deep.equal(Buffer.from(ascii, "utf8"));
    expect(fs.readFileSync(path.join(tmp(), "dev", "outputs.json"))).to.deep.equal(Buffer.from(other, "utf8"));
  });

  describe("checked before any stack runs", () => {
    it("accepts a folder that does not exist yet, however deep, under a writable one", () => {
      expect(checkOutDir(path.join(tmp(), "a", "b", "plan"))).to.equal(undefined);
      expect(fs.existsSync(path.join(tmp(), "a")), "checking creates nothing").to.equal(false);
    });

    it("accepts an empty folder and a folder the plan wrote", () => {
      expect(checkOutDir(tmp())).to.equal(undefined);
      write(tmp(), files("dev/resources.json"));
      expect(checkOutDir(tmp())).to.equal(undefined);
    });

    it("refuses a file", () => {
      const file = path.join(tmp(), "notes.txt");
      fs.writeFileSync(file, "mine");
      expect(checkOutDir(file)).to.equal(`--out ${file}: is a file, not a folder`);
      expect(checkOutDir(path.join(file, "plan"))).to.equal(`--out ${path.join(file, "plan")}: cannot be created: ${file} is a file`);
    });

    it("refuses /proc and /sys, also through a symbolic link", () => {
      expect(checkOutDir("/proc/x")).to.match(/^--out \/proc\/x: is under \/proc/);
      expect(checkOutDir("/sys/kernel/plan")).to.match(/^--out \/sys\/kernel\/plan: is under \/sys/);
      fs.symlinkSync("/proc", path.join(tmp(), "p"));
      expect(checkOutDir(path.join(tmp(), "p", "x"))).to.match(/is under \/proc/);
    });

    it("refuses a non-empty folder that has no plan marker", () => {
      fs.writeFileSync(path.join(tmp(), "thesis.tex"), "years of work");
      expect(checkOutDir(tmp())).to.equal(
        `--out ${tmp()}: is not empty and was not written by npm run plan (no ${PLAN_MARKER} marker); name an empty or new folder`,
      );
    });

    it("adopts an unmarked folder holding only plan files when asked to (the default out/plan)", () => {
      fs.mkdirSync(path.join(tmp(), "dev"));
      fs.writeFileSync(path.join(tmp(), "dev", "resources.json"), "[]");
      fs.writeFileSync(path.join(tmp(), "reachability.json"), "{}");
      expect(checkOutDir(tmp())).to.match(/not written by npm run plan/);
      expect(checkOutDir(tmp(), { adoptPlanShaped: true })).to.equal(undefined);
      fs.writeFileSync(path.join(tmp(), "dev", "notes.md"), "mine");
      expect(checkOutDir(tmp(), { adoptPlanShaped: true })).to.match(/not written by npm run plan/);
    });
  });

  describe("writing", () => {
    it("marks the folder, writes the files and an index of exactly this run", () => {
      const r = write(tmp(), files("dev/resources.json", "dev/outputs.json"));
      expect(r.errors).to.deep.equal([]);
      expect(tree(tmp())).to.deep.equal([PLAN_MARKER, "dev/outputs.json", "dev/resources.json", PLAN_INDEX]);
      const index = JSON.parse(fs.readFileSync(path.join(tmp(), PLAN_INDEX), "utf8")) as { files: string[]; stacks: Record<string, string>; writtenBy: string };
      expect(index.files).to.deep.equal(["dev/resources.json", "dev/outputs.json"]);
      expect(index.stacks).to.deep.equal({ dev: "ok" });
      expect(index.writtenBy).to.equal("npm run plan");
    });

    it("removes plan files of earlier runs that this run did not write, and nothing else", () => {
      write(tmp(), files("management/resources.json", "dev/resources.json", "prod/resources.json", "reachability.json"));
      fs.writeFileSync(path.join(tmp(), "prod", "my-notes.md"), "mine");
      fs.writeFileSync(path.join(tmp(), "README.txt"), "mine");
      const r = write(tmp(), files("dev/resources.json"));
      expect(r.removed.sort()).to.deep.equal(["management/resources.json", "prod/resources.json", "reachability.json"]);
      expect(tree(tmp())).to.deep.equal([PLAN_MARKER, "README.txt", "dev/resources.json", PLAN_INDEX, "prod/my-notes.md"]);
      expect(fs.existsSync(path.join(tmp(), "management")), "emptied stack folder removed").to.equal(false);
    });

    it("removes a plan file an earlier index lists even for a stack the project no longer has", () => {
      write(tmp(), files("qa/resources.json"));
      write(tmp(), files("dev/resources.json"));
      expect(tree(tmp())).to.deep.equal([PLAN_MARKER, "dev/resources.json", PLAN_INDEX]);
    });

    it("ignores index entries that are not plan files (a hand-edited index cannot delete other files)", () => {
      write(tmp(), files("dev/resources.json"));
      fs.writeFileSync(path.join(tmp(), "keep.txt"), "mine");
      fs.writeFileSync(path.join(tmp(), PLAN_INDEX), JSON.stringify({ files: ["keep.txt", "../outside.json", "dev/../keep.txt"] }));
      write(tmp(), files("prod/outputs.json"));
      expect(tree(tmp())).to.include("keep.txt");
    });

    it("refuses, at write time too, a folder someone filled since the check", () => {
      fs.writeFileSync(path.join(tmp(), "thesis.tex"), "years of work");
      const r = write(tmp(), files("dev/resources.json"));
      expect(r.errors[0]?.message).to.match(/not written by npm run plan/);
      expect(tree(tmp())).to.deep.equal(["thesis.tex"]);
    });

    it("reports a file it cannot write and still writes the others", () => {
      write(tmp(), []);
      fs.writeFileSync(path.join(tmp(), "dev"), "a file where the stack folder goes");
      const r = write(tmp(), files("dev/resources.json", "prod/resources.json"));
      expect(r.errors.map((e) => e.file)).to.deep.equal(["dev/resources.json"]);
      expect(r.written).to.deep.equal(["prod/resources.json"]);
      expect(fs.readFileSync(path.join(tmp(), "dev"), "utf8")).to.equal("a file where the stack folder goes");
    });

    it("does not write through a symbolic link to elsewhere", () => {
      const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "tila-elsewhere-"));
      try {
        write(tmp(), []);
        fs.symlinkSync(elsewhere, path.join(tmp(), "dev"));
        const r = write(tmp(), files("dev/resources.json"));
        expect(r.errors[0]?.message).to.match(/symbolic link/);
        expect(fs.readdirSync(elsewhere)).to.deep.equal([]);
      } finally {
        fs.rmSync(elsewhere, { recursive: true, force: true });
      }
    });
  });
});
