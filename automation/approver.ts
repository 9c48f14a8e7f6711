/**
 * Approvals between a stack's preview and its `up`. The pipeline asks an `Approver` after the
 * update plan is saved and applies that plan only when approved; prod is refused unless the
 * decision is explicit, whatever the approver (enforced in `pipeline.ts`, not only here).
 */
import * as fs from "fs";
import { ChangeSummary, PROTECTED_STACKS, StackName } from "./runner";

export interface ApprovalRequest {
  readonly stack: StackName;
  readonly action: "promote" | "hotfix";
  /** What the saved plan would do. */
  readonly changes: ChangeSummary;
  /** The update plan that `up` will apply if approved. */
  readonly planFile: string;
}

export type ApprovalDecision =
  /** `explicit` is false for an automatic approval; the pipeline never accepts that for prod. */
  | { readonly approved: true; readonly by: string; readonly explicit: boolean }
  | { readonly approved: false; readonly reason: string };

export interface Approver {
  approve(request: ApprovalRequest): Promise<ApprovalDecision>;
}

/** One entry of an approval file. */
export interface ApprovalRecord {
  readonly stack: string;
  readonly by: string;
  /** When present, the preview must show exactly these changed-op counts (binds the approval to a preview). */
  readonly changes?: ChangeSummary;
}

export interface CiApproverArgs {
  /** Environment of the job. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly readFile?: (file: string) => string;
  /** Non-prod stacks approved automatically (e.g. dev, stage). Naming a protected stack throws. */
  readonly autoApprove?: readonly StackName[];
}

/** Counts of changing ops only, so `{ same: 40, update: 1 }` equals `{ update: 1 }`. */
function changedOps(summary: ChangeSummary): Record<string, number> {
  return Object.fromEntries(Object.entries(summary).filter(([op, n]) => op !== "same" && op !== "read" && n > 0).sort(([a], [b]) => a.localeCompare(b)));
}

function sameChanges(a: ChangeSummary, b: ChangeSummary): boolean {
  return JSON.stringify(changedOps(a)) === JSON.stringify(changedOps(b));
}

/**
 * Approvals from the CI job, in this order:
 *  - `TILA_APPROVAL_FILE`: a JSON file `{ "approvals": [{ "stack", "by", "changes"? }] }` that the
 *    job was given (an artifact of the approval job, or a file variable);
 *  - `TILA_APPROVE`: comma-separated stacks approved by running this job, with the approver in
 *    `TILA_APPROVED_BY` or GitLab's `GITLAB_USER_LOGIN` (set on a manual job gated by a protected
 *    environment, running the job is the approval);
 *  - `autoApprove`: the listed non-prod stacks, marked non-explicit.
 */
export class CiApprover implements Approver {
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly readFile: (file: string) => string;
  private readonly autoApprove: readonly StackName[];

  constructor(args: CiApproverArgs = {}) {
    const protectedAuto = (args.autoApprove ?? []).filter((s) => PROTECTED_STACKS.includes(s));
    if (protectedAuto.length > 0) throw new Error(`autoApprove: ${protectedAuto.join(", ")} always needs an explicit approval`);
    this.env = args.env ?? process.env;
    this.readFile = args.readFile ?? ((file) => fs.readFileSync(file, "utf8"));
    this.autoApprove = args.autoApprove ?? [];
  }

  async approve(request: ApprovalRequest): Promise<ApprovalDecision> {
    const fromFile = this.fromFile(request);
    if (fromFile !== undefined) return fromFile;
    const listed = (this.env.TILA_APPROVE ?? "").split(",").map((s) => s.trim());
    if (listed.includes(request.stack)) {
      const by = this.env.TILA_APPROVED_BY ?? this.env.GITLAB_USER_LOGIN;
      if (by === undefined || by.trim() === "") return { approved: false, reason: `TILA_APPROVE names ${request.stack} but no approver is known (TILA_APPROVED_BY or GITLAB_USER_LOGIN)` };
      return { approved: true, by, explicit: true };
    }
    if (this.autoApprove.includes(request.stack)) return { approved: true, by: "auto", explicit: false };
    return {
      approved: false,
      reason: `no approval for ${request.stack}: run the manual approval job (TILA_APPROVE=${request.stack}) or pass TILA_APPROVAL_FILE`,
    };
  }

  private fromFile(request: ApprovalRequest): ApprovalDecision | undefined {
    const file = this.env.TILA_APPROVAL_FILE;
    if (file === undefined || file === "") return undefined;
    let records: ApprovalRecord[];
    try {
      const doc = JSON.parse(this.readFile(file)) as { approvals?: unknown };
      if (!Array.isArray(doc.approvals)) return { approved: false, reason: `${file}: expected { "approvals": [...] }` };
      records = doc.approvals as ApprovalRecord[];
    } catch (e) {
      return { approved: false, reason: `${file}: ${e instanceof Error ? e.message : String(e)}` };
    }
    const record = records.find((r) => r.stack === request.stack);
    if (record === undefined) return undefined;
    if (typeof record.by !== "string" || record.by.trim() === "") return { approved: false, reason: `${file}: approval of ${request.stack} names no approver` };
    if (record.changes !== undefined && !sameChanges(record.changes, request.changes)) {
      return {
        approved: false,
        reason: `${file}: ${record.by} approved ${JSON.stringify(changedOps(record.changes))} for ${request.stack}, the preview shows ${JSON.stringify(changedOps(request.changes))}`,
      };
    }
    return { approved: true, by: record.by, explicit: true };
  }
}
