import { expect } from "chai";
import { iamRoleTrustNamesPrincipal as rule } from "../../../../policy/rules/iam/roleTrust";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { ROLE, doc, ecsTrust } from "./fixtures";

const GITLAB = "arn:aws:iam::111111111111:oidc-provider/gitlab.com";
const oidc = (condition: Record<string, unknown> | undefined) =>
  doc({ Effect: "Allow", Principal: { Federated: GITLAB }, Action: "sts:AssumeRoleWithWebIdentity", ...(condition ? { Condition: condition } : {}) });

describe("iam-role-trust-names-principal", () => {
  it("accepts trust in a service, an account, and an OIDC provider pinned to a subject", () => {
    expect(checkResource(rule, ROLE, { assumeRolePolicy: ecsTrust })).to.deep.equal([]);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }) })).to.deep.equal([]);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: oidc({ StringLike: { "gitlab.com:sub": "project_path:tila/platform:ref_type:branch:ref:main" } }) })).to.deep.equal([]);
  });

  it("accepts the document as an object as well as a JSON string", () => {
    expect(checkResource(rule, ROLE, { assumeRolePolicy: JSON.parse(ecsTrust) })).to.deep.equal([]);
  });

  it("rejects a * principal without conditions, and Allow with NotPrincipal", () => {
    expect(checkResource(rule, ROLE, { assumeRolePolicy: doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }) })).to.have.length(1).and.match(/"\*" without conditions/);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole" }) })).to.have.length(1);
    const orgOnly = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } });
    expect(checkResource(rule, ROLE, { assumeRolePolicy: orgOnly })).to.deep.equal([]);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: doc({ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "sts:AssumeRole" }) })).to.have.length(1);
  });

  it("rejects web-identity trust that does not pin the subject", () => {
    expect(checkResource(rule, ROLE, { assumeRolePolicy: oidc(undefined) })).to.have.length(1).and.match(/sub/);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: oidc({ StringEquals: { "gitlab.com:aud": "https://gitlab.com" } }) })).to.have.length(1);
    expect(checkResource(rule, ROLE, { assumeRolePolicy: oidc({ StringLike: { "gitlab.com:sub": "*" } }) })).to.have.length(1);
  });

  it("turns an unknown trust policy into a preview note", () => {
    const out = checkResourceDetailed(rule, ROLE, { assumeRolePolicy: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
