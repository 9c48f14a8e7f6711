import { expect } from "chai";
import { iamNoAllowAllActions as rule } from "../../../../policy/rules/iam/noAllowAllActions";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { POLICY, ROLE, ROLE_POLICY, doc, ecsTrust, executionPolicy } from "./fixtures";

describe("iam-no-allow-all-actions", () => {
  it("accepts scoped policies", () => {
    expect(checkResource(rule, ROLE_POLICY, { role: "r", policy: executionPolicy })).to.deep.equal([]);
  });

  it("rejects Action * (and *:*) in managed, inline and role inlinePolicies documents", () => {
    const admin = doc({ Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*" });
    expect(checkResource(rule, POLICY, { policy: admin })).to.deep.equal(['policy statement "Admin" allows every action on every resource (full administrator); list the actions it needs']);
    expect(checkResource(rule, "aws:iam/userPolicy:UserPolicy", { policy: doc({ Effect: "Allow", Action: ["*:*"], Resource: "arn:aws:s3:::b" }) })).to.have.length(1);
    const role = { assumeRolePolicy: ecsTrust, inlinePolicies: [{ name: "ok", policy: executionPolicy }, { name: "bad", policy: admin }] };
    expect(checkResource(rule, ROLE, role)).to.have.length(1).and.match(/inlinePolicies\[1\] \("bad"\)/);
  });

  it("ignores Deny statements and reports unparseable documents", () => {
    expect(checkResource(rule, "aws:iam/groupPolicy:GroupPolicy", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) })).to.deep.equal([]);
    expect(checkResource(rule, POLICY, { policy: "{not json" })).to.deep.equal(["policy is not valid JSON"]);
  });

  it("turns an unknown document into a preview note", () => {
    const out = checkResourceDetailed(rule, ROLE_POLICY, { role: "r", policy: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
