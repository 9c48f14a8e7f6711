/**
 * iam-break-glass-role-shaped and the exemption it gives iam-no-admin-managed-policy-attachments:
 * AdministratorAccess passes only on tila-platform-break-glass, and only while that role is trusted
 * by its own account's named users with MFA, keeps one-hour sessions and is alarmed on.
 */
import { expect } from "chai";
import { breakGlassEventPattern } from "../../../../components/security/baseline/identity";
import { humanRoleTrust } from "../../../../components/security/baseline/policies";
import { breakGlassTrustIssues, iamBreakGlassRoleShaped as rule } from "../../../../policy/rules/iam/breakGlassRole";
import { iamNoAdminManagedPolicyAttachments } from "../../../../policy/rules/iam/noAdminManagedPolicies";
import { StackResourceSpec, checkResource, checkStack } from "../../../../policy/testing";
import { ROLE } from "./fixtures";

const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const ARN = "arn:aws:iam::444444444444:role/tila-platform-break-glass";
const trust = (over: { accountId?: string; patterns?: string[]; requireMfa?: boolean } = {}) =>
  JSON.stringify(humanRoleTrust({ partition: "aws", accountId: over.accountId ?? "444444444444", principalPatterns: over.patterns ?? ["user/break-glass-*"], requireMfa: over.requireMfa ?? true }));

function stack(o: { trust?: string; duration?: number; alarm?: boolean; target?: boolean; roleName?: string; policyArn?: string } = {}): StackResourceSpec[] {
  const out: StackResourceSpec[] = [
    { type: ROLE, name: "bg-role", props: { name: o.roleName ?? "tila-platform-break-glass", arn: ARN, assumeRolePolicy: o.trust ?? trust(), maxSessionDuration: o.duration ?? 3600 } },
    { type: ATTACH, name: "bg-admin", props: { role: "tila-platform-break-glass", policyArn: o.policyArn ?? ADMIN }, dependencies: ["bg-role"] },
  ];
  if (o.alarm !== false) {
    out.push({ type: "aws:cloudwatch/eventRule:EventRule", name: "bg-used", props: { name: "bg-used-1", eventPattern: JSON.stringify(breakGlassEventPattern(ARN)) } });
    if (o.target !== false) out.push({ type: "aws:cloudwatch/eventTarget:EventTarget", name: "bg-alarm", props: { rule: "bg-used-1", arn: "arn:aws:sns:me-south-1:444444444444:security" }, dependencies: ["bg-used"] });
  }
  return out;
}

describe("iam-break-glass-role-shaped", () => {
  it("accepts AdministratorAccess on the break-glass role as the baseline builds it", () => {
    expect(checkStack(rule, stack())).to.deep.equal([]);
    expect(checkResource(iamNoAdminManagedPolicyAttachments, ATTACH, { role: "tila-platform-break-glass", policyArn: ADMIN })).to.deep.equal([]);
  });

  it("keeps refusing AdministratorAccess on any other role, and any other admin policy on break-glass", () => {
    expect(checkResource(iamNoAdminManagedPolicyAttachments, ATTACH, { role: "tila-platform-deploy-dev", policyArn: ADMIN })).to.have.length(1);
    expect(checkResource(iamNoAdminManagedPolicyAttachments, ATTACH, { role: "tila-platform-break-glass", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" })).to.have.length(1);
    expect(checkResource(iamNoAdminManagedPolicyAttachments, ATTACH, { role: "tila-platform-break-glass", policyArn: "arn:aws:iam::444444444444:policy/AdministratorAccess" })).to.have.length(1);
  });

  it("rejects the attachment when the role's trust is not its own account's named users with MFA", () => {
    const cases: [string, string, RegExp][] = [
      ["no MFA", trust({ requireMfa: false }), /MultiFactorAuthPresent/],
      ["another account", trust({ accountId: "222222222222" }), /trusts account 222222222222, not the role's own 444444444444/],
      ["every user", trust({ patterns: ["user/*"] }), /admits arn:aws:iam::444444444444:user\/\*/],
      ["a service", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }), /only its own account's root/],
      ["no principal pin", JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444444444444:root" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }] }), /does not pin aws:PrincipalArn/],
    ];
    for (const [label, t, message] of cases) {
      const out = checkStack(rule, stack({ trust: t }));
      expect(out.map((v) => v.message).join("\n"), label).to.match(message);
    }
  });

  it("rejects long sessions, a missing alarm or an alarm without a target, and a grant to a role the stack lacks", () => {
    expect(checkStack(rule, stack({ duration: 7200 }))[0]!.message).to.match(/maxSessionDuration 7200/);
    expect(checkStack(rule, stack({ alarm: false }))[0]!.message).to.match(/no EventBridge rule alarms/);
    expect(checkStack(rule, stack({ target: false }))[0]!.message).to.match(/has no target/);
    expect(checkStack(rule, stack({ roleName: "other" }))[0]!.message).to.match(/which this stack does not define/);
    expect(breakGlassTrustIssues(trust(), 3600, "444444444444")).to.deep.equal([]);
  });
});
