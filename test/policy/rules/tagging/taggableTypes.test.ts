import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { TAGGABLE_TYPES } from "../../../../policy/rules/tagging/taggableTypes";
import { realStacks } from "../../../support/realStacks";

const AWS = path.dirname(require.resolve("@pulumi/aws/package.json"));

/** Whether `@pulumi/aws` declares a `tags` input for `type` (from its .d.ts), or undefined when the type is unknown. */
function acceptsTags(type: string): boolean | undefined {
  const m = /^aws:([^/]+)\/([^:]+):(.+)$/.exec(type);
  if (!m) return undefined;
  const file = path.join(AWS, m[1], `${m[2]}.d.ts`);
  if (!fs.existsSync(file)) return undefined;
  const args = new RegExp(`export interface ${m[3]}Args \\{([\\s\\S]*?)\\n\\}`).exec(fs.readFileSync(file, "utf8"));
  if (!args) return undefined;
  return /\n\s+tags\?:/.test(args[1]);
}

describe("the taggable type list", () => {
  it("names only types whose @pulumi/aws args accept tags", () => {
    const wrong = TAGGABLE_TYPES.filter((t) => acceptsTags(t) !== true);
    expect(wrong).to.deep.equal([]);
  });

  it("covers every taggable AWS type the five real stacks create", async function () {
    this.timeout(120_000);
    const stacks = await realStacks();
    const used = new Set(Object.values(stacks).flatMap((run) => run.resources.map((r) => r.type)));
    const missing = [...used].filter((t) => t.startsWith("aws:") && acceptsTags(t) === true && !TAGGABLE_TYPES.includes(t)).sort();
    expect(missing, "add these to policy/rules/tagging/taggableTypes.ts").to.deep.equal([]);
  });
});
