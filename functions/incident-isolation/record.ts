/**
 * The record of one isolation: what was found, each step taken (or skipped, or only planned in dry
 * run) and the outcome. The handler logs it, publishes it to the security topic and returns it; the
 * steps share it so that a failure names the step it happened in.
 */
import type { Finding } from "./finding";

export type StepStatus = "done" | "skipped" | "would-do" | "failed";

export interface Step {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
  /** A step that only read (captured evidence): it never counts as a change. */
  readonly readOnly?: boolean;
}

export type Outcome = "isolated" | "stopped" | "already-handled" | "dry-run" | "not-found" | "failed";

export interface IsolationRecord {
  readonly finding: Finding;
  readonly dryRun: boolean;
  readonly startedAt: string;
  readonly steps: Step[];
  outcome?: Outcome;
  /** What the resource looked like before anything changed (ECS task metadata, EC2 groups and volumes). */
  evidence?: Record<string, unknown>;
  error?: string;
}

/** A failure inside a step: the step is recorded as failed and the error re-thrown with its name. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`${step} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
    this.name = "StepError";
  }
}

/** Runs one AWS call as a named step; a rejection becomes a recorded failure and a StepError. */
export async function step<T>(record: IsolationRecord, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const err = new StepError(name, e);
    record.steps.push({ step: name, status: "failed", detail: err.message });
    throw err;
  }
}

/** Whether anything in the record changed (or, in dry run, would change) a resource. */
export function changedAnything(record: IsolationRecord): boolean {
  return record.steps.some((s) => !s.readOnly && (s.status === "done" || s.status === "would-do"));
}
