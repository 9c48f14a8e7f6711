import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { renderCatalogue, replaceCatalogue } from "../../policy/catalogue";
import { RULES } from "../../policy/rules";

describe("the README's rule catalogue", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, "../../README.md"), "utf8");

  it("is exactly what the rules generate (run npm run policy:catalogue after changing a rule)", () => {
    expect(replaceCatalogue(readme, renderCatalogue())).to.equal(readme);
  });

  it("lists every rule once, with its FSBP control and a level per stack", () => {
    const table = renderCatalogue();
    for (const rule of RULES) expect(table.split(`\`${rule.name}\``).length - 1, rule.name).to.equal(1);
    expect(table.split("\n")[0]).to.equal("| rule | domain | applies to | enforces | FSBP | management | dev | stage | preprod | prod |");
  });

  it("refuses a README without the catalogue markers", () => {
    expect(() => replaceCatalogue("# no block", "x")).to.throw("has no catalogue block");
  });
});
