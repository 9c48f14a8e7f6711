import { expect } from "chai";
import { adminPolicyName, iamNoAdminManagedPolicyAttachments as rule } from "../../../../policy/rules/iam/noAdminManagedPolicies";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { ROLE, ecsTrust } from "./fixtures";

const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

describe("iam-no-admin-managed-policy-attachments", () => {
  it("accepts scoped AWS-managed and customer policies (the program's real attachments)", () => {
    for (const arn of ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole", "arn:aws:iam::444444444444:policy/cart-read"]) {
      expect(checkResource(rule, ATTACHMENT, { role: "r", policyArn: arn }), arn).to.deep.equal([]);
    }
  });

  it("rejects administrator, power-user, full-access and job-function administrator policies", () => {
    for (const arn of ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess", "arn:aws:iam::aws:policy/IAMFullAccess", "arn:aws:iam::aws:policy/job-function/SystemAdministrator"]) {
      expect(checkResource(rule, ATTACHMENT, { role: "r", policyArn: arn }), arn).to.have.length(1);
    }
    expect(adminPolicyName("arn:aws:iam::aws:policy/AdministratorAccess-Amplify")).to.equal("AdministratorAccess-Amplify");
  });

  it("checks user/group attachments, exclusive attachments and a role's managedPolicyArns", () => {
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    expect(checkResource(rule, "aws:iam/userPolicyAttachment:UserPolicyAttachment", { user: "u", policyArn: admin })).to.have.length(1);
    expect(checkResource(rule, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", { roleName: "r", policyArns: [admin] })).to.have.length(1);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: ecsTrust, managedPolicyArns: [admin] })).to.have.length(1);
  });

  it("turns an unknown policy ARN into a preview note", () => {
    const out = checkResourceDetailed(rule, ATTACHMENT, { role: "r", policyArn: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
