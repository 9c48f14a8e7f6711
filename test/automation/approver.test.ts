import { expect } from "chai";
import { ApprovalRequest, CiApprover } from "../../automation/approver";
import { StackName } from "../../automation/runner";

const request = (stack: StackName, changes: Record<string, number> = { same: 9, update: 2 }): ApprovalRequest => ({ stack, action: "promote", changes, planFile: `/plans/${stack}.json` });

function withFile(content: string, env: Record<string, string> = {}): CiApprover {
  return new CiApprover({ env: { TILA_APPROVAL_FILE: "/job/approval.json", ...env }, readFile: (f) => (f === "/job/approval.json" ? content : "") });
}

describe("CiApprover", () => {
  it("refuses when the job carries no approval", async () => {
    const d = await new CiApprover({ env: {} }).approve(request("dev"));
    expect(d.approved).to.equal(false);
  });

  it("approves the stacks named in TILA_APPROVE, explicitly, by the GitLab user who ran the job", async () => {
    const approver = new CiApprover({ env: { TILA_APPROVE: "preprod, prod", GITLAB_USER_LOGIN: "bob" } });
    expect(await approver.approve(request("prod"))).to.deep.equal({ approved: true, by: "bob", explicit: true });
    expect((await approver.approve(request("stage"))).approved).to.equal(false);
  });

  it("refuses TILA_APPROVE when no approver is known", async () => {
    const d = await new CiApprover({ env: { TILA_APPROVE: "prod" } }).approve(request("prod"));
    expect(d.approved).to.equal(false);
  });

  it("auto-approves listed non-prod stacks, marked as not explicit", async () => {
    const approver = new CiApprover({ env: {}, autoApprove: ["dev", "stage"] });
    expect(await approver.approve(request("stage"))).to.deep.equal({ approved: true, by: "auto", explicit: false });
    expect((await approver.approve(request("prod"))).approved).to.equal(false);
  });

  it("cannot be configured to auto-approve prod", () => {
    expect(() => new CiApprover({ env: {}, autoApprove: ["dev", "prod"] })).to.throw(/prod always needs an explicit approval/);
  });

  it("approves from an approval file whose changes match the preview (unchanged counts ignored)", async () => {
    const approver = withFile(JSON.stringify({ approvals: [{ stack: "prod", by: "carol", changes: { update: 2 } }] }));
    expect(await approver.approve(request("prod"))).to.deep.equal({ approved: true, by: "carol", explicit: true });
  });

  it("refuses when the approved changes differ from what the preview shows", async () => {
    const approver = withFile(JSON.stringify({ approvals: [{ stack: "prod", by: "carol", changes: { update: 1 } }] }));
    const d = await approver.approve(request("prod", { update: 1, delete: 1 }));
    expect(d.approved).to.equal(false);
    expect(d.approved === false && d.reason).to.match(/carol approved/);
  });

  it("refuses on an unreadable approval file rather than falling back", async () => {
    const d = await withFile("{ not json", { TILA_APPROVE: "prod", GITLAB_USER_LOGIN: "bob" }).approve(request("prod"));
    expect(d.approved).to.equal(false);
  });

  it("falls back to TILA_APPROVE for a stack the file does not mention", async () => {
    const approver = withFile(JSON.stringify({ approvals: [{ stack: "prod", by: "carol" }] }), { TILA_APPROVE: "preprod", TILA_APPROVED_BY: "dan" });
    expect(await approver.approve(request("preprod"))).to.deep.equal({ approved: true, by: "dan", explicit: true });
  });
});
