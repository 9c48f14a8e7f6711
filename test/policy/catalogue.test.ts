import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { CATALOGUE_PAGE, renderCatalogue, replaceCatalogue } from "../../policy/catalogue";
import { RULES } from "../../policy/rules";

describe("the rule catalogue in docs/policy-pack.md", () => {
  const page = fs.readFileSync(path.resolve(__dirname, "../..", CATALOGUE_PAGE), "utf8");

  it("is exactly what the rules generate (run npm run policy:catalogue after changing a rule)", () => {
    expect(replaceCatalogue(page, renderCatalogue())).to.equal(page);
  });

  it("lists every rule once, with its FSBP control and a level per stack", () => {
    const table = renderCatalogue();
    for (const rule of RULES) expect(table.split(`\`${rule.name}\``).length - 1, rule.name).to.equal(1);
    expect(table.split("\n")[0]).to.equal("| rule | domain | applies to | enforces | FSBP | management | dev | stage | preprod | prod |");
  });

  it("refuses a page without the catalogue markers", () => {
    expect(() => replaceCatalogue("# no block", "x")).to.throw("docs/policy-pack.md has no catalogue block");
  });
});
