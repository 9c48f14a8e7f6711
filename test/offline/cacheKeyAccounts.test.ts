/**
 * The plan cache's key covers what the account guards and the hub roles read of the other stack
 * files: every stack reads its siblings' `accountMode`, and management reads each environment's
 * public domain, host labels and endpoint mode to scope its hub role (config/accounts.ts). Each is
 * pinned twice: validation's answer changes with it, and so does the key of the stack that reads it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import type { StackName } from "../../config/schema";
import { RawConfig, validateStackConfig } from "../../config/validate";
import { canonicalJson, siblingViews } from "../../offline/cacheKey";

const REPO = path.resolve(__dirname, "../..");
const STACK_FILES = ["management", "dev", "stage", "preprod", "prod"];

/** Copies the real stack files to a folder, edits one, and returns the keys' sibling views before and after. */
function viewsAround(edit: { stack: string; from: string; to: string }, readers: readonly string[]): { before: Record<string, string>; after: Record<string, string> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-accounts-key-"));
  try {
    for (const s of STACK_FILES) fs.copyFileSync(path.join(REPO, `Pulumi.${s}.yaml`), path.join(dir, `Pulumi.${s}.yaml`));
    fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    const view = (stack: string): string => canonicalJson(siblingViews(stack, "tila-platform", { dirs: [dir], projectDir: dir, stacks: [] }));
    const before = Object.fromEntries(readers.map((r) => [r, view(r)]));
    const file = path.join(dir, `Pulumi.${edit.stack}.yaml`);
    const text = fs.readFileSync(file, "utf8");
    expect(text, `Pulumi.${edit.stack}.yaml`).to.include(edit.from);
    fs.writeFileSync(file, text.replace(edit.from, edit.to));
    return { before, after: Object.fromEntries(readers.map((r) => [r, view(r)])) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the plan cache's key and the account guards", () => {
  const files = readStackFiles(REPO).raw;
  const validate = (stack: StackName, others: Partial<Record<StackName, RawConfig>>): unknown => validateStackConfig(stack, "me-south-1", others[stack]!, others);

  it("every stack reads its siblings' accountMode, and every key sees it", () => {
    const single = { ...files, dev: { ...files.dev!, accountMode: "single" } };
    expect(validate("prod", single)).to.not.deep.equal(validate("prod", files));
    const { before, after } = viewsAround({ stack: "dev", from: "  tila-platform:accountId:", to: "  tila-platform:accountMode: single\n  tila-platform:accountId:" }, ["prod", "management"]);
    expect(after.prod).to.not.equal(before.prod);
    expect(after.management).to.not.equal(before.management);
  });

  it("management reads prod's host labels to scope prod's hub role, and only management's key sees them", () => {
    const edge = files.prod!.edge as Record<string, unknown>;
    const renamed = { ...files, prod: { ...files.prod!, edge: { ...edge, apiHost: "gateway" } } };
    expect(validate("management", renamed)).to.not.deep.equal(validate("management", files));
    expect(validate("dev", renamed)).to.deep.equal(validate("dev", files));
    const { before, after } = viewsAround({ stack: "prod", from: "  tila-platform:edge:\n", to: "  tila-platform:edge:\n    apiHost: gateway\n" }, ["management", "dev"]);
    expect(after.management, "management must re-run: prod's role names the new host").to.not.equal(before.management);
    expect(after.dev).to.equal(before.dev);
  });

  it("management reads an environment's endpoint mode and public domain", () => {
    const network = files.stage!.network as Record<string, unknown>;
    const local = { ...files, stage: { ...files.stage!, network: { ...network, endpoints: "local" } } };
    expect(validate("management", local)).to.not.deep.equal(validate("management", files));
    const { before, after } = viewsAround({ stack: "stage", from: "    endpoints: central\n", to: "    endpoints: local\n" }, ["management"]);
    expect(after.management).to.not.equal(before.management);
    const moved = viewsAround({ stack: "stage", from: "    domain: tila.sa\n", to: "    domain: tila.example\n" }, ["management"]);
    expect(moved.after.management).to.not.equal(moved.before.management);
  });
});
