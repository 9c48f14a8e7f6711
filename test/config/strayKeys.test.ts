import { expect } from "chai";
import { linkRequired, misspeltNamespaceKeys, namespaceIssues } from "../../config/strayKeys";

describe("config keys outside the schema", () => {
  it("finds keys whose namespace is a near miss of the project's, and only those", () => {
    const keys = ["tila-platform:network", "tila-platfrom:dns", "tilaplatform:tags", "aws:region", "pulumi:template", "random:x", "tila:dns"];
    expect(misspeltNamespaceKeys(keys)).to.deep.equal(["tila-platfrom:dns", "tilaplatform:tags"]);
  });

  it("names the stray key and the key it was probably meant to be", () => {
    expect(namespaceIssues(["tila-platfrom:dns"])).to.deep.equal([
      { path: "tila-platfrom:dns", message: 'unknown namespace "tila-platfrom"; did you mean tila-platform:dns?' },
    ]);
  });

  it("points a required key at the stray key that was probably meant", () => {
    const issues = [
      { path: "tila-platform:dns", message: "is required" },
      { path: "tila-platform:edge", message: "is required" },
    ];
    expect(linkRequired(issues, ["tila-platfrom:dns"])).to.deep.equal([
      { path: "tila-platform:dns", message: "is required (found tila-platfrom:dns, a misspelling?)" },
      { path: "tila-platform:edge", message: "is required" },
    ]);
  });
});
