/**
 * Runs a real stack with its stack file edited (through the yaml Document API, so comments and
 * order survive) and returns the message it failed with; the tests of config refusals use it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Document, parseDocument } from "yaml";
import { engineWithRealManagement } from "./realStacks";

const ROOT = path.resolve(__dirname, "../..");
let n = 0;

/** The message `stack` fails with when `edit` changes its `Pulumi.<stack>.yaml`; rejects when it runs. */
export async function failureOfEditedStack(stack: string, edit: (doc: Document) => void, what = "the edit"): Promise<string> {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
  edit(doc);
  const file = path.join(os.tmpdir(), `tila-edited-${process.pid}-${n++}-${stack}.yaml`);
  fs.writeFileSync(file, doc.toString());
  try {
    const engine = await engineWithRealManagement({ configFiles: { [stack]: file } });
    await engine.run(stack);
  } catch (e) {
    return (e as Error).message;
  } finally {
    fs.rmSync(file, { force: true });
  }
  throw new Error(`${stack} ran despite ${what}`);
}
