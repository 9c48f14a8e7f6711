/**
 * CI orchestration over a `StackRunner`: merge-request previews, promotion with approvals, the hot
 * fix and its convergence check, and guarded destroy. Pure decisions and sequencing, no I/O of its
 * own; stacks always run one after another, in DEPLOY_ORDER (destroy in reverse), never in parallel.
 */
import * as path from "path";
import { Approver } from "./approver";
import { ECS_SERVICE_TYPE, TASK_DEFINITION_TYPE, hotfixViolations, typeOfUrn } from "./hotfix";
import { ChangeSummary, DEPLOY_ORDER, PROTECTED_STACKS, ResourceStep, RunOptions, StackName, StackRunner, formatChanges, isStackName } from "./runner";

/** A request that can never run (unknown stack, reversed range): the CLI exits 2 on it. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type StepStatus = "previewed" | "unchanged" | "deployed" | "refused" | "failed" | "converged" | "destroyed";

export interface StackStep {
  readonly stack: StackName;
  readonly status: StepStatus;
  readonly changes?: ChangeSummary;
  /** Who approved the applied plan. */
  readonly approvedBy?: string;
  /** Why it was refused or failed, or what to do next. */
  readonly detail?: string;
}

export interface PipelineResult {
  readonly action: "preview" | "promote" | "hotfix" | "converged" | "destroy";
  readonly ok: boolean;
  /** One entry per stack that was attempted, in the order it ran. */
  readonly steps: readonly StackStep[];
  /** Stacks whose step finished successfully. */
  readonly done: readonly StackName[];
  /** Stacks in the request that were never attempted (after a failure or refusal). */
  readonly notRun: readonly StackName[];
}

export interface PipelineArgs {
  readonly runner: StackRunner;
  readonly approver: Approver;
  /** The repository root; default paths below resolve against it. */
  readonly projectDir: string;
  /** Policy pack directory, passed on every preview and up. @default `<projectDir>/policy` */
  readonly policyPack?: string;
  /** Enforcement config per stack. @default `<projectDir>/policy/config/<stack>.json` */
  readonly policyPackConfig?: (stack: StackName) => string;
  /** Where update plans go (CI keeps them as artifacts). @default `<projectDir>/out/deploy` */
  readonly planDir?: string;
  /** The hot-fix targets of a service when none are given (see hotfix.ts). */
  readonly resolveHotfixTargets?: (stack: StackName, service: string) => Promise<string[]>;
  /** Appended to every update message, e.g. the CI pipeline URL or commit. */
  readonly message?: string;
  /** Progress lines. */
  readonly log?: (line: string) => void;
  /** Raw engine output. */
  readonly onOutput?: (text: string) => void;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `name` as a stack of this project, or a UsageError naming the stacks. */
export function stackArg(name: string): StackName {
  if (!isStackName(name)) throw new UsageError(`unknown stack "${name}"; stacks: ${DEPLOY_ORDER.join(", ")}`);
  return name;
}

function result(action: PipelineResult["action"], steps: StackStep[], requested: readonly StackName[]): PipelineResult {
  const good: ReadonlySet<StepStatus> = new Set(["previewed", "unchanged", "deployed", "converged", "destroyed"]);
  const done = steps.filter((s) => good.has(s.status)).map((s) => s.stack);
  const attempted = new Set(steps.map((s) => s.stack));
  return { action, ok: steps.length === requested.length && done.length === steps.length, steps, done, notRun: requested.filter((s) => !attempted.has(s)) };
}

/** The stacks a promotion from `from` to `to` walks, in order; a UsageError when reversed. */
export function promotionRange(fromName: string, toName: string): StackName[] {
  const from = DEPLOY_ORDER.indexOf(stackArg(fromName));
  const to = DEPLOY_ORDER.indexOf(stackArg(toName));
  if (to < from) throw new UsageError(`cannot promote from ${fromName} to ${toName}: the order is ${DEPLOY_ORDER.join(" → ")}`);
  return DEPLOY_ORDER.slice(from, to + 1);
}

export class Pipeline {
  private readonly a: PipelineArgs;

  constructor(args: PipelineArgs) {
    this.a = args;
  }

  private log(line: string): void {
    this.a.log?.(line);
  }

  /** Policy pack and its per-stack config: on every preview and every up. */
  private policy(stack: StackName): Pick<RunOptions, "policyPack" | "policyPackConfig"> {
    return {
      policyPack: this.a.policyPack ?? path.join(this.a.projectDir, "policy"),
      policyPackConfig: this.a.policyPackConfig?.(stack) ?? path.join(this.a.projectDir, "policy", "config", `${stack}.json`),
    };
  }

  planFile(stack: StackName, action: "promote" | "hotfix"): string {
    return path.join(this.a.planDir ?? path.join(this.a.projectDir, "out", "deploy"), `${stack}.${action}.plan.json`);
  }

  private message(text: string): string {
    return this.a.message !== undefined ? `${text} (${this.a.message})` : text;
  }

  /** The merge-request job: preview each stack with the policy pack; a failure does not hide the others. */
  async previewAll(stacks: readonly string[] = DEPLOY_ORDER): Promise<PipelineResult> {
    const wanted = new Set(stacks.map(stackArg));
    const order = DEPLOY_ORDER.filter((s) => wanted.has(s));
    const steps: StackStep[] = [];
    for (const stack of order) {
      this.log(`preview ${stack}`);
      try {
        const p = await this.a.runner.preview(stack, { ...this.policy(stack), message: this.message(`preview ${stack}`), onOutput: this.a.onOutput });
        steps.push({ stack, status: "previewed", changes: p.changes, detail: formatChanges(p.changes) });
      } catch (e) {
        steps.push({ stack, status: "failed", detail: errorText(e) });
      }
    }
    return result("preview", steps, order);
  }

  /**
   * Promotion along DEPLOY_ORDER from `from` to `to` inclusive: per stack, preview with the
   * policy pack saving an update plan, ask for approval, `up` exactly that plan. Stops at the
   * first failure or refusal.
   */
  async promote(req: { from: string; to: string }): Promise<PipelineResult> {
    const range = promotionRange(req.from, req.to);
    const steps: StackStep[] = [];
    for (const stack of range) {
      const step = await this.previewApproveUp(stack, "promote", {});
      steps.push(step);
      if (step.status === "failed" || step.status === "refused") break;
    }
    return result("promote", steps, range);
  }

  /**
   * A hot fix of one service in one stack: preview restricted to the service's task definition
   * and ECS service (and their dependents), refuse anything beyond a new revision and a service
   * update, then approve and apply that plan. Follow with `checkConverged` once merged back.
   */
  async hotfix(req: { stack: string; service: string; urns?: readonly string[] }): Promise<PipelineResult> {
    const stack = stackArg(req.stack);
    let targets = req.urns !== undefined && req.urns.length > 0 ? [...req.urns] : undefined;
    const notHotfixable = (targets ?? []).filter((u) => ![TASK_DEFINITION_TYPE, ECS_SERVICE_TYPE].includes(typeOfUrn(u)));
    if (notHotfixable.length > 0) throw new UsageError(`hotfix targets must be task definitions or ECS services: ${notHotfixable.join(", ")}`);
    if (targets === undefined) {
      if (this.a.resolveHotfixTargets === undefined) throw new UsageError("hotfix: no --urn given and no way to resolve the service's targets");
      try {
        targets = await this.a.resolveHotfixTargets(stack, req.service);
      } catch (e) {
        return result("hotfix", [{ stack, status: "failed", detail: `hot-fix targets of ${req.service}: ${errorText(e)}` }], [stack]);
      }
    }
    this.log(`hotfix ${stack}/${req.service}: targets ${targets.join(" ")}`);
    const step = await this.previewApproveUp(stack, "hotfix", { target: targets, targetDependents: true }, (steps) => hotfixViolations(steps, targets));
    const followUp = step.status === "deployed" ? { ...step, detail: `merge the fix back, then run: npm run deploy -- converged --stack ${stack}` } : step;
    return result("hotfix", [followUp], [stack]);
  }

  /**
   * After a hot fix is merged back (or a service pipeline's deploy caught up in the stack file): the
   * normal program must plan no changes against what AWS runs (`--refresh --expect-no-changes`). The
   * refresh matters: a service pipeline changes AWS, not the state, so without it a deploy the
   * stack file has not caught up with would pass, and the next change to that service would roll it back.
   */
  async checkConverged(stackName: string): Promise<PipelineResult> {
    const stack = stackArg(stackName);
    this.log(`converged? ${stack}`);
    let step: StackStep;
    try {
      const p = await this.a.runner.preview(stack, { ...this.policy(stack), expectNoChanges: true, refresh: true, message: this.message(`convergence check ${stack}`), onOutput: this.a.onOutput });
      step = p.wouldChange
        ? { stack, status: "failed", changes: p.changes, detail: `not converged: ${formatChanges(p.changes)}` }
        : { stack, status: "converged", changes: p.changes };
    } catch (e) {
      step = { stack, status: "failed", detail: `not converged: ${errorText(e)}` };
    }
    return result("converged", [step], [stack]);
  }

  /**
   * Destroys the named stacks in reverse DEPLOY_ORDER. Each stack must be named again in
   * `confirm`; prod also needs `allowProd`. Any guard failing refuses the whole request before
   * anything is destroyed.
   */
  async destroy(req: { stacks: readonly string[]; confirm: readonly string[]; allowProd?: boolean }): Promise<PipelineResult> {
    if (req.stacks.length === 0) throw new UsageError("destroy: name at least one --stack");
    const wanted = new Set(req.stacks.map(stackArg));
    const order = [...DEPLOY_ORDER].reverse().filter((s) => wanted.has(s));
    const refusals: string[] = [];
    for (const s of order) if (!req.confirm.includes(s)) refusals.push(`destroy ${s} needs --confirm ${s}`);
    for (const c of req.confirm) if (!wanted.has(c as StackName)) refusals.push(`--confirm ${c} names a stack that is not being destroyed`);
    for (const s of order) if (PROTECTED_STACKS.includes(s) && req.allowProd !== true) refusals.push(`destroy ${s} also needs --allow-prod`);
    if (refusals.length > 0) return result("destroy", [{ stack: order[0]!, status: "refused", detail: refusals.join("; ") }], order);

    const steps: StackStep[] = [];
    for (const stack of order) {
      this.log(`destroy ${stack}`);
      try {
        const d = await this.a.runner.destroy(stack, { message: this.message(`destroy ${stack}`), onOutput: this.a.onOutput });
        steps.push({ stack, status: "destroyed", changes: d.changes });
      } catch (e) {
        steps.push({ stack, status: "failed", detail: errorText(e) });
        break;
      }
    }
    return result("destroy", steps, order);
  }

  /** Preview (policy pack, saved plan), optional veto, approval, then up with that same plan. */
  private async previewApproveUp(
    stack: StackName,
    action: "promote" | "hotfix",
    scope: Pick<RunOptions, "target" | "targetDependents">,
    veto?: (steps: readonly ResourceStep[]) => string[],
  ): Promise<StackStep> {
    const plan = this.planFile(stack, action);
    const opts: RunOptions = { ...this.policy(stack), ...scope, plan, onOutput: this.a.onOutput };
    this.log(`${action} ${stack}: preview (plan ${plan})`);
    let changes: ChangeSummary;
    try {
      const p = await this.a.runner.preview(stack, { ...opts, message: this.message(`${action} preview ${stack}`) });
      changes = p.changes;
      const vetoes = veto?.(p.steps) ?? [];
      if (vetoes.length > 0) return { stack, status: "refused", changes, detail: vetoes.join("; ") };
      if (!p.wouldChange) return { stack, status: "unchanged", changes };
    } catch (e) {
      return { stack, status: "failed", detail: `preview: ${errorText(e)}` };
    }

    const decision = await this.a.approver.approve({ stack, action, changes, planFile: plan });
    if (!decision.approved) return { stack, status: "refused", changes, detail: decision.reason };
    if (PROTECTED_STACKS.includes(stack) && !decision.explicit) return { stack, status: "refused", changes, detail: `${stack} needs an explicit approval, not an automatic one` };

    this.log(`${action} ${stack}: up (approved by ${decision.by}): ${formatChanges(changes)}`);
    try {
      const u = await this.a.runner.up(stack, { ...opts, message: this.message(`${action} ${stack}, approved by ${decision.by}`) });
      return { stack, status: "deployed", changes: u.changes, approvedBy: decision.by };
    } catch (e) {
      return { stack, status: "failed", changes, approvedBy: decision.by, detail: `up: ${errorText(e)}` };
    }
  }
}
