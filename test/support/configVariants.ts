/**
 * A real stack run with a few config values changed, run at most once for the same changes and
 * the same sources, and shared by every test file that asks for it (prod with shipping off is read
 * by the services' and the data nodes' shipping tests alike): kept on disk like the real stacks
 * (realStacks.ts), keyed by the stack, the edits and the real stacks' key. Management comes from
 * the shared real run unless it is the stack changed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { createHash } from "crypto";
import type { StackRun } from "../../offline/engine";
import { engineWithRealManagement, loadShared, storeShared } from "./realStacks";

const ROOT = path.resolve(__dirname, "../..");
const runs = new Map<string, Promise<StackRun>>();
let n = 0;

/** A config key path under `config:` of Pulumi.<stack>.yaml, e.g. ["tila-platform:observability", "logging", "shipping", "enabled"]. */
export type ConfigPath = readonly (string | number)[];

/** The name a variant is kept under on disk (realStacks.ts adds the sources' key): the stack and a digest of the edits. */
export function variantName(stack: string, edits: readonly (readonly [ConfigPath, unknown])[]): string {
  return `variant-${stack}-${createHash("sha256").update(JSON.stringify([stack, edits])).digest("hex").slice(0, 16)}`;
}

/** `stack` run with each `[path, value]` set in its stack file; the same edits share one run. */
export function stackWithConfig(stack: string, edits: readonly (readonly [ConfigPath, unknown])[]): Promise<StackRun> {
  const key = JSON.stringify([stack, edits]);
  let run = runs.get(key);
  if (run === undefined) {
    const shared = variantName(stack, edits);
    run = (async () => {
      const stored = loadShared(shared);
      if (stored !== undefined) return stored;
      const doc = parseDocument(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));
      for (const [keys, value] of edits) doc.setIn(["config", ...keys], value);
      const file = path.join(os.tmpdir(), `tila-variant-${process.pid}-${n++}-${stack}.yaml`);
      fs.writeFileSync(file, doc.toString());
      try {
        const engine = await engineWithRealManagement({ configFiles: { [stack]: file } }, [stack]);
        const fresh = await engine.run(stack);
        storeShared(shared, fresh);
        return fresh;
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
