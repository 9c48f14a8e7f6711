/**
 * The five real stacks, run once per test process with their real config and shared by every
 * test file that asserts on the whole platform (running them costs a few seconds).
 */
import { OfflineEngine, StackRun } from "../../offline/engine";
import { STACK_ORDER } from "../../offline/stackConfig";
import { CapturedResource } from "../../offline/types";

let runs: Promise<Record<string, StackRun>> | undefined;

export function realStacks(): Promise<Record<string, StackRun>> {
  runs ??= (async () => {
    const engine = new OfflineEngine();
    const out: Record<string, StackRun> = {};
    for (const stack of STACK_ORDER) out[stack] = await engine.run(stack);
    return out;
  })();
  return runs;
}

export function ofType(run: StackRun, type: string): CapturedResource[] {
  return run.resources.filter((r) => r.type === type && !r.read);
}

export function byName(run: StackRun, type: string, name: string): CapturedResource {
  const r = ofType(run, type).find((x) => x.name === name);
  if (!r) throw new Error(`${run.stack}: no ${type} named ${name}`);
  return r;
}
