/**
 * The seam between CI orchestration and the Pulumi engine. The Automation API always execs the
 * Pulumi CLI, so nothing behind this interface can run offline: `pipeline.ts` is written against
 * `StackRunner` and tested with a fake, and `localWorkspace.ts` is the one thin adapter that
 * talks to `LocalWorkspace`.
 */

/** The stacks in deployment order: the hub first (every environment reads it), prod last. */
export const DEPLOY_ORDER = ["management", "dev", "stage", "preprod", "prod"] as const;

export type StackName = (typeof DEPLOY_ORDER)[number];

/** Stacks that no approver may approve automatically and that destroy refuses without --allow-prod. */
export const PROTECTED_STACKS: readonly StackName[] = ["prod"];

export function isStackName(name: string): name is StackName {
  return (DEPLOY_ORDER as readonly string[]).includes(name);
}

/** Resource operation counts by Pulumi op (`same`, `create`, `update`, `replace`, `delete`, ...). */
export type ChangeSummary = Readonly<Record<string, number>>;

/** One resource step of a preview: what the engine would do to which resource. */
export interface ResourceStep {
  readonly urn: string;
  /** Type token, e.g. `aws:ecs/service:Service`. */
  readonly type: string;
  /** Pulumi op: `same`, `create`, `update`, `replace`, `create-replacement`, `delete`, ... */
  readonly op: string;
}

/** Ops that change nothing in the cloud. */
const NO_CHANGE_OPS: ReadonlySet<string> = new Set(["same", "read"]);

/** True when the summary counts any op other than `same` or `read`. */
export function hasChanges(summary: ChangeSummary): boolean {
  return Object.entries(summary).some(([op, n]) => !NO_CHANGE_OPS.has(op) && n > 0);
}

/** True when the step changes the resource. */
export function isChange(step: ResourceStep): boolean {
  return !NO_CHANGE_OPS.has(step.op);
}

/** `+2 ~1 ±1 -0`-style one-liner for logs: changed ops only, `no changes` when none. */
export function formatChanges(summary: ChangeSummary): string {
  const parts = Object.entries(summary)
    .filter(([op, n]) => !NO_CHANGE_OPS.has(op) && n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, n]) => `${op} ${n}`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

export interface RunOptions {
  /** Policy pack directory (`--policy-pack`). Every preview and up of the pipeline passes one. */
  readonly policyPack?: string;
  /** Enforcement config for that pack, `policy/config/<stack>.json` (`--policy-pack-config`). */
  readonly policyPackConfig?: string;
  /** Update plan file: preview saves it (`--save-plan`), up applies exactly it (`--plan`). */
  readonly plan?: string;
  /** Restrict the operation to these URNs (`--target`). */
  readonly target?: readonly string[];
  /** Also include resources that depend on the targets (`--target-dependents`). */
  readonly targetDependents?: boolean;
  /** Fail when the operation would change anything (`--expect-no-changes`). */
  readonly expectNoChanges?: boolean;
  /** Read every resource back from AWS before the preview (`--refresh`), so drift counts as a change. */
  readonly refresh?: boolean;
  /** Update message recorded in the stack history. */
  readonly message?: string;
  /** Raw engine output, line by line (CI logs). */
  readonly onOutput?: (text: string) => void;
}

export interface PreviewOutcome {
  readonly changes: ChangeSummary;
  /** Per-resource steps, so callers can judge *which* resources change (the hot fix does). */
  readonly steps: readonly ResourceStep[];
  /** Whether applying this preview would change anything. */
  readonly wouldChange: boolean;
}

export interface UpOutcome {
  readonly changes: ChangeSummary;
}

/** A stack output as CI may print it: secrets are never returned in clear. */
export type StackOutputs = Readonly<Record<string, unknown>>;

/** Runs Pulumi operations on one stack at a time. Implementations throw when an operation fails. */
export interface StackRunner {
  preview(stack: StackName, opts: RunOptions): Promise<PreviewOutcome>;
  up(stack: StackName, opts: RunOptions): Promise<UpOutcome>;
  destroy(stack: StackName, opts?: Pick<RunOptions, "message" | "onOutput">): Promise<UpOutcome>;
  outputs(stack: StackName): Promise<StackOutputs>;
}
