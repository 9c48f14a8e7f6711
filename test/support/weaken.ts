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

/**
 * Runs `stack` once with several weakenings, each expected to touch its own resources (one that
 * matches a resource another also matches fails the run); resolves to the run and, per
 * weakening, the names of the resources it changed.
 */
export async function planWeakenedTogether(stack: string, weakenings: Readonly<Record<string, Weaken>>): Promise<{ run: StackRun; hits: Record<string, string[]> }> {
  const hits: Record<string, string[]> = {};
  const { run } = await planWeakened(stack, (a) => {
    const changed = Object.entries(weakenings)
      .map(([key, w]) => [key, w(a)] as const)
      .filter(([, props]) => props !== undefined);
    if (changed.length > 1) throw new Error(`${a.name} is weakened by ${changed.map(([key]) => key).join(" and ")}`);
    if (changed.length === 0) return undefined;
    (hits[changed[0]![0]] ??= []).push(a.name);
    return changed[0]![1];
  });
  return { run, hits };
}
