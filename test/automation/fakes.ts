/**
 * A recording StackRunner and a scripted Approver: the pipeline's only collaborators, so every
 * ordering, gate and argument the pipeline passes is observable without the Pulumi CLI.
 */
import { ApprovalDecision, ApprovalRequest, Approver } from "../../automation/approver";
import { PreviewOutcome, ResourceStep, RunOptions, StackName, StackOutputs, StackRunner, UpOutcome, hasChanges } from "../../automation/runner";

export interface Call {
  op: "preview" | "up" | "destroy" | "outputs";
  stack: StackName;
  opts: RunOptions;
}

export class FakeRunner implements StackRunner {
  readonly calls: Call[] = [];
  /** What preview returns per stack. @default one update */
  previews: Partial<Record<StackName, { changes: Record<string, number>; steps?: ResourceStep[] }>> = {};
  /** `op:stack` keys that throw, e.g. `up:stage`. */
  failing = new Set<string>();

  private record(op: Call["op"], stack: StackName, opts: RunOptions = {}): void {
    this.calls.push({ op, stack, opts });
    if (this.failing.has(`${op}:${stack}`)) throw new Error(`${op} ${stack} failed`);
  }

  async preview(stack: StackName, opts: RunOptions): Promise<PreviewOutcome> {
    this.record("preview", stack, opts);
    const p = this.previews[stack] ?? { changes: { same: 10, update: 1 } };
    return { changes: p.changes, steps: p.steps ?? [], wouldChange: hasChanges(p.changes) };
  }

  async up(stack: StackName, opts: RunOptions): Promise<UpOutcome> {
    this.record("up", stack, opts);
    return { changes: this.previews[stack]?.changes ?? { same: 10, update: 1 } };
  }

  async destroy(stack: StackName, opts: RunOptions = {}): Promise<UpOutcome> {
    this.record("destroy", stack, opts);
    return { changes: { delete: 5 } };
  }

  async outputs(stack: StackName): Promise<StackOutputs> {
    this.record("outputs", stack);
    return {};
  }

  /** `op stack` for each call, e.g. `["preview dev", "up dev"]`. */
  get sequence(): string[] {
    return this.calls.map((c) => `${c.op} ${c.stack}`);
  }
}

/** Answers from a table per stack; records every request. Unlisted stacks are refused. */
export class ScriptedApprover implements Approver {
  readonly requests: ApprovalRequest[] = [];

  constructor(private readonly answers: Partial<Record<StackName, ApprovalDecision>>) {}

  async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
    this.requests.push(request);
    return this.answers[request.stack] ?? { approved: false, reason: `no answer for ${request.stack}` };
  }
}

export const yes = (by = "alice"): ApprovalDecision => ({ approved: true, by, explicit: true });
export const auto: ApprovalDecision = { approved: true, by: "auto", explicit: false };

/** Explicit approval of every stack. */
export const approveEverything = (): ScriptedApprover =>
  new ScriptedApprover({ management: yes(), dev: yes(), stage: yes(), preprod: yes(), prod: yes() });
