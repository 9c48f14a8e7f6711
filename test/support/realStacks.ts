/**
 * The five real stacks, run once per test process with their real config and shared by every
 * test file that asserts on the whole platform (running them costs a few seconds).
 */
import { OfflineEngine, StackRun } from "../../offline/engine";
import { STACK_ORDER } from "../../offline/stackConfig";

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
