import { expect } from "chai";
import { renderBootstrap } from "../../components/data/bootstrap";
import { ENGINES, SHELLCHECK_ARGS, shellcheck, variants } from "./bootstrapHarness";

describe("renderBootstrap", function () {
  this.timeout(120000);

  describe("shellcheck", () => {
    for (const engine of ENGINES) {
      for (const { label, ctx } of variants(engine)) {
        it(`passes shellcheck for ${engine} (${label})`, () => {
          const { status, output } = shellcheck(renderBootstrap(ctx));
          expect(output, `shellcheck ${SHELLCHECK_ARGS.join(" ")} reported:\n${output}`).to.equal("");
          expect(status).to.equal(0);
        });
      }
    }

    it("fails a script with an unquoted expansion (the check can fail)", () => {
      const { status, output } = shellcheck("#!/bin/bash\nrm -rf $1/data\n");
      expect(status).to.not.equal(0);
      expect(output).to.contain("SC2086");
    });
  });
});
