/**
 * Runs this repository's policy pack in a worker thread beside the plan. The pack's imports and
 * config checks happen while the main thread imports the engine, and each stack is checked while
 * the next one's program runs: on two cores that takes the pack (about a fifth of a full plan)
 * off the plan's critical path. The answers are the ones policyPlan.ts gives in-process; the
 * worker (policyWorker.ts) runs the same functions.
 */
import * as path from "path";
import { Worker } from "worker_threads";
import type { OutcomeMemo, StackAnalyzer } from "./plan";
import { wirePolicyInput } from "./policyPlan";
import type { PolicyWorkerInit, PolicyWorkerMessage, PolicyWorkerRequest } from "./policyWorker";
import { DEFAULT_PROJECT_DIR } from "./projectDir";

/** The pack as loaded in the worker: every stack's config errors, and its policy cache key. */
export interface PolicyWorkerReady {
  errors: string[];
  keys: Record<string, string | undefined>;
}

export interface PolicyWorkerHost {
  /** Resolves once the pack and configs are loaded; rejects with why the pack could not load. */
  ready: Promise<PolicyWorkerReady>;
  /** Checks a stack run in the worker. */
  analyzer: StackAnalyzer;
  /** Stops the worker (idempotent); pending checks are rejected. */
  close(): Promise<void>;
}

const LOADER = path.join(DEFAULT_PROJECT_DIR, "scripts", "register-ts.cjs");
const WORKER = path.join(__dirname, "policyWorker.ts");

/** Starts the worker and sends it the stacks whose policy config it must load (and where digests of the pack's sources are kept). */
export function startPolicyWorker(stacks: readonly string[], digestMemo?: PolicyWorkerInit["digestMemo"]): PolicyWorkerHost {
  const worker = new Worker(`require(${JSON.stringify(LOADER)}); require(${JSON.stringify(WORKER)}).serve();`, {
    eval: true,
    // The loader comes from the line above, not from the parent's flags (a bench preload, say).
    execArgv: [],
    stdout: false,
    stderr: false,
  });
  type Pending = { resolve: (v: never) => void; reject: (e: Error) => void; memo?: OutcomeMemo };
  const pending = new Map<number, Pending>();
  let readyPending: Pending | undefined;
  let nextId = 0;
  let closed = false;
  let fatal: Error | undefined;
  // Held open only while an answer is awaited: an idle worker must not keep the process alive.
  const hold = (): void => void (readyPending !== undefined || pending.size > 0 ? worker.ref() : worker.unref());

  const failAll = (error: Error): void => {
    fatal ??= error;
    readyPending?.reject(error);
    readyPending = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    hold();
  };

  const ready = new Promise<PolicyWorkerReady>((resolve, reject) => {
    readyPending = { resolve: resolve as (v: never) => void, reject };
  });
  // A caller that never awaits `ready` (it failed first) must not see an unhandled rejection.
  ready.catch(() => undefined);

  worker.on("message", (m: PolicyWorkerMessage) => {
    if (m.kind === "ready") {
      readyPending?.resolve({ errors: m.errors, keys: m.keys } as never);
      readyPending = undefined;
    } else if (m.kind === "setupFailed") {
      readyPending?.reject(new Error(m.message));
      readyPending = undefined;
    } else {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.kind === "result") {
        p?.memo?.keep(m.outcomes);
        p?.resolve(m.violations as never);
      }
      else p?.reject(new Error(`policy pack: ${m.message}`));
    }
    hold();
  });
  worker.on("error", (e) => failAll(new Error(`policy pack worker failed: ${e.message}`)));
  worker.on("messageerror", (e) => failAll(new Error(`policy pack worker: a message could not be read: ${e.message}`)));
  worker.on("exit", (code) => {
    if (!closed) failAll(new Error(`policy pack worker exited (code ${code}) before it answered`));
  });
  const send = (request: PolicyWorkerRequest): void => worker.postMessage(request);
  send({ kind: "init", stacks: [...stacks], ...(digestMemo ? { digestMemo } : {}) });

  const analyzer: StackAnalyzer = (run, memo) =>
    new Promise((resolve, reject) => {
      if (fatal !== undefined) return reject(fatal);
      if (closed) return reject(new Error("policy pack worker: already closed"));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: never) => void, reject, memo });
      hold();
      const previous = memo?.previous();
      send({ kind: "analyze", id, input: wirePolicyInput(run), ...(memo ? { reuse: previous ? { previous } : {} } : {}) });
    });

  return {
    ready,
    analyzer,
    close: async () => {
      if (closed) return;
      closed = true;
      failAll(new Error("policy pack worker: closed"));
      await worker.terminate();
    },
  };
}
