/**
 * The five real stacks, each run once per test process with its real config and shared by every
 * test that reads it (a stack costs about a second to capture, prod two). Tests that change a
 * stack still run that stack themselves, but take management from here: it references no other
 * stack, so a second capture of it would be identical.
 */
import { EngineOptions, OfflineEngine, StackRun } from "../../offline/engine";
import { STACK_ORDER } from "../../offline/stackConfig";

let engine: OfflineEngine | undefined;
let runs: Promise<Record<string, StackRun>> | undefined;

/** One real stack (after the stacks it references), run at most once per test process. */
export function realStack(stack: string): Promise<StackRun> {
  engine ??= new OfflineEngine();
  return engine.run(stack);
}

export function realStacks(): Promise<Record<string, StackRun>> {
  runs ??= (async () => {
    const out: Record<string, StackRun> = {};
    for (const stack of STACK_ORDER) out[stack] = await realStack(stack);
    return out;
  })();
  return runs;
}

/**
 * An engine for a run that changes `changed` (their config files or, through `beforeProgram`,
 * their programs) in the real project, which takes the shared real management run instead of
 * capturing management again, unless management is one of the changed stacks.
 */
export async function engineWithRealManagement(options: EngineOptions, changed: readonly string[] = []): Promise<OfflineEngine> {
  const own = (["projectDir", "programPath", "stacks", "awsChecks", "reuse"] as const).filter((k) => options[k] !== undefined);
  if (own.length > 0) throw new Error(`engineWithRealManagement: the real management run cannot stand in for a run with its own ${own.join(", ")}`);
  const touched = [...changed, ...Object.keys(options.configFiles ?? {})];
  if (touched.includes("management")) return new OfflineEngine(options);
  const management = await realStack("management");
  // Only a stack that reads no other stack's outputs is the same in every run.
  if ((management.references ?? []).length > 0) throw new Error(`management now reads ${management.references!.join(", ")}: it can no longer be shared`);
  return new OfflineEngine({ ...options, reuse: async (stack) => (stack === "management" ? management : undefined) });
}
