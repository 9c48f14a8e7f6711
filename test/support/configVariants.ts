/**
 * A real stack run with a few config values changed, run at most once per test process for the
 * same changes and shared by every test file that asks for it (prod with shipping off is read by
 * the services' and the data nodes' shipping tests alike). Management comes from the shared real
 * run unless it is the stack changed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import type { StackRun } from "../../offline/engine";
import { engineWithRealManagement } from "./realStacks";

const ROOT = path.resolve(__dirname, "../..");
const runs = new Map<string, Promise<StackRun>>();
let n = 0;

/** A config key path under `config:` of Pulumi.<stack>.yaml, e.g. ["tila-platform:observability", "logging", "shipping", "enabled"]. */
export type ConfigPath = readonly (string | number)[];

/** `stack` run with each `[path, value]` set in its stack file; the same edits share one run per process. */
export function stackWithConfig(stack: string, edits: readonly (readonly [ConfigPath, unknown])[]): Promise<StackRun> {
  const key = JSON.stringify([stack, edits]);
  let run = runs.get(key);
  if (run === undefined) {
    run = (async () => {
      const doc = parseDocument(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
      for (const [keys, value] of edits) doc.setIn(["config", ...keys], value);
      const file = path.join(os.tmpdir(), `tila-variant-${process.pid}-${n++}-${stack}.yaml`);
      fs.writeFileSync(file, doc.toString());
      try {
        const engine = await engineWithRealManagement({ configFiles: { [stack]: file } }, [stack]);
        return await engine.run(stack);
      } finally {
        fs.rmSync(file, { force: true });
      }
    })();
    runs.set(key, run);
  }
  return run;
}

const SHIPPING: ConfigPath = ["tila-platform:observability", "logging", "shipping"];

/** prod with `observability.logging.shipping.enabled: false`, whatever its stack file says. */
export function prodWithoutShipping(): Promise<StackRun> {
  return stackWithConfig("prod", [[[...SHIPPING, "enabled"], false]]);
}

/** prod's real shipping settings, the premise of tests that read the real prod as "shipping on". */
export function prodShipping(): { enabled?: unknown; excludeServices?: unknown } {
  const doc = parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.prod.yaml"), "utf8"));
  return (doc.getIn(["config", ...SHIPPING]) as { toJSON(): { enabled?: unknown; excludeServices?: unknown } } | undefined)?.toJSON() ?? {};
}
