/**
 * Runs a real stack with one kind of resource weakened by a stack transformation, after the
 * components validated their arguments, as a careless edit or a component bug would.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackRun } from "../../offline/engine";
import { engineWithRealManagement } from "./realStacks";

/** New props for a resource to weaken, or undefined to leave it alone. */
export type Weaken = (a: pulumi.ResourceTransformationArgs) => Record<string, unknown> | undefined;

export interface WeakenedOutcome {
  run?: StackRun;
  /** Why the stack failed, when it did. */
  error?: unknown;
  /** How many resources the transformation changed. */
  hits: number;
}

/**
 * Run `stack` with `weaken` applied, after the real management run (shared unless `stack` is
 * management); never rejects.
 */
export async function runWeakened(stack: string, weaken: Weaken): Promise<WeakenedOutcome> {
  let hits = 0;
  const engine = await engineWithRealManagement({
    beforeProgram: (s) => {
      if (s !== stack) return;
      pulumi.runtime.registerStackTransformation((a) => {
        const props = weaken(a);
        if (!props) return undefined;
        hits++;
        return { props, opts: a.opts };
      });
    },
  }, [stack]);
  try {
    return { run: await engine.run(stack), hits };
  } catch (error) {
    return { error, hits };
  }
}

/** Like runWeakened, for a weakening the stack must still run with; rejects when it failed. */
export async function planWeakened(stack: string, weaken: Weaken): Promise<{ run: StackRun; hits: number }> {
  const { run, error, hits } = await runWeakened(stack, weaken);
  if (!run) throw error;
  return { run, hits };
}
