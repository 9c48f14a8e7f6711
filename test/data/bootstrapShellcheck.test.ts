import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderBootstrap } from "../../components/data/bootstrap";
import { ENGINES, variants } from "./bootstrapHarness";
import { SHELLCHECK_ARGS, ShellcheckResult, cacheKey, shellcheckAll } from "./shellcheck";

const BAD = "#!/bin/bash\nrm -rf $1/data\n";

describe("renderBootstrap", function () {
  this.timeout(120000);

  describe("shellcheck", () => {
    const cases = ENGINES.flatMap((engine) => variants(engine).map(({ label, ctx }) => ({ name: `${engine} (${label})`, script: renderBootstrap(ctx) })));
    let results: ShellcheckResult[];
    before(async () => {
      results = await shellcheckAll([...cases.map((c) => c.script), BAD]);
    });

    cases.forEach(({ name }, i) => {
      it(`passes shellcheck for ${name}`, () => {
        const { status, output } = results[i]!;
        expect(output, `shellcheck ${SHELLCHECK_ARGS.join(" ")} reported:\n${output}`).to.equal("");
        expect(status).to.equal(0);
      });
    });

    it("fails a script with an unquoted expansion (the check can fail)", () => {
      const { status, output } = results[cases.length]!;
      expect(status).to.not.equal(0);
      expect(output).to.contain("SC2086");
    });

    it("fails that script without a cache too, and caches the failure", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "shellcheck-cache-"));
      try {
        const [fresh] = await shellcheckAll([BAD], dir);
        expect(fresh!.status).to.not.equal(0);
        expect(fs.readdirSync(dir)).to.have.length(1);
        expect(await shellcheckAll([BAD], dir)).to.deep.equal([fresh]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("reuses a verdict only for the same script, arguments and shellcheck version", () => {
      const key = cacheKey(BAD, "version: 0.9.0");
      expect(cacheKey(BAD, "version: 0.9.0")).to.equal(key);
      expect(cacheKey(`${BAD} `, "version: 0.9.0")).to.not.equal(key);
      expect(cacheKey(BAD, "version: 0.10.0")).to.not.equal(key);
      expect(cacheKey(BAD, "version: 0.9.0", SHELLCHECK_ARGS.filter((a) => a !== "--enable=all"))).to.not.equal(key);
    });
  });
});
