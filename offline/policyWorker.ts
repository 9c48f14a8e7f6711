/**
 * The policy pack's side of a worker thread (started by policyHost.ts): loads the repository's
 * pack and every stack's policy config once, answers with the config errors and each stack's
 * policy cache key, then checks each stack run it is sent and answers with the violations. The
 * plan's main thread meanwhile imports the engine and runs the next program.
 */
import { parentPort } from "worker_threads";
import { DigestMemo } from "./cacheKey";
import type { PolicyViolation } from "./plan";
import type { OutcomeTable } from "./policyRunner";
import { PolicyStackInput, WireStackInput, analyzeStack, fromWire, loadPolicyConfigs, policyCacheKey, repositoryPolicySetup } from "./policyPlan";

/** Sent once at start. */
export interface PolicyWorkerInit {
  stacks: string[];
  /** Where digests of the pack's sources are kept across processes (DigestMemo), and whether to read them. */
  digestMemo?: { file: string; read: boolean };
}

/** The host's requests: the stacks to check the config of (once), then stack runs to check. */
/** `reuse`: the stack's earlier outcomes to take (when any), and that this run's are wanted back. */
export type PolicyWorkerRequest = ({ kind: "init" } & PolicyWorkerInit) | { kind: "analyze"; id: number; input: WireStackInput; reuse?: { previous?: OutcomeTable } };

/** The worker's answers. */
export type PolicyWorkerMessage =
  | { kind: "ready"; errors: string[]; keys: Record<string, string | undefined> }
  | { kind: "setupFailed"; message: string }
  | { kind: "result"; id: number; violations: PolicyViolation[]; outcomes?: OutcomeTable }
  | { kind: "failed"; id: number; message: string };

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Answers the host's requests on this worker's port until the host terminates it. */
export function serve(): void {
  const port = parentPort;
  if (port === null) throw new Error("policyWorker.serve() runs only inside a worker thread (see policyHost.ts)");
  const send = (m: PolicyWorkerMessage): void => port.postMessage(m);
  let pack: { analyze: (input: PolicyStackInput, reuse?: Parameters<typeof analyzeStack>[3]) => PolicyViolation[] } | undefined;
  port.on("message", (request: PolicyWorkerRequest) => {
    if (request.kind === "init") {
      try {
        const setup = repositoryPolicySetup();
        const { configs, errors } = loadPolicyConfigs(setup, request.stacks);
        const memo = request.digestMemo && new DigestMemo(request.digestMemo.file, { read: request.digestMemo.read });
        const key = policyCacheKey(setup, configs, undefined, memo);
        pack = { analyze: (input, reuse) => analyzeStack(setup, configs, input, reuse) };
        send({ kind: "ready", errors, keys: Object.fromEntries(request.stacks.map((s) => [s, key(s)])) });
      } catch (e) {
        send({ kind: "setupFailed", message: messageOf(e) });
      }
      return;
    }
    if (pack === undefined) {
      send({ kind: "failed", id: request.id, message: "the policy pack was not loaded" });
      return;
    }
    try {
      let outcomes: OutcomeTable | undefined;
      const reuse = request.reuse && { ...request.reuse, keep: (o: OutcomeTable | undefined) => void (outcomes = o) };
      const violations = pack.analyze(fromWire(request.input), reuse);
      send({ kind: "result", id: request.id, violations, ...(outcomes ? { outcomes } : {}) });
    } catch (e) {
      send({ kind: "failed", id: request.id, message: messageOf(e) });
    }
  });
}
