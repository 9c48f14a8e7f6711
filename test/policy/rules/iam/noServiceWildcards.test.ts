import { expect } from "chai";
import { iamNoServiceWildcardActions as rule } from "../../../../policy/rules/iam/noServiceWildcards";
import { checkResource } from "../../../../policy/testing";
import { POLICY, ROLE_POLICY, doc, executionPolicy } from "./fixtures";

describe("iam-no-service-wildcard-actions", () => {
  it("accepts named actions and prefix wildcards", () => {
    expect(checkResource(rule, ROLE_POLICY, { policy: executionPolicy })).to.deep.equal([]);
    expect(checkResource(rule, POLICY, { policy: doc({ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }) })).to.deep.equal([]);
  });

  it("rejects a whole-service grant on any resource", () => {
    const out = checkResource(rule, ROLE_POLICY, { policy: doc({ Effect: "Allow", Action: ["s3:*", "s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" }) });
    expect(out).to.deep.equal(["policy Statement[0] allows s3:*; list the actions it needs"]);
  });

  it("rejects Allow with NotAction", () => {
    expect(checkResource(rule, POLICY, { policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) })).to.have.length(1).and.match(/NotAction/);
  });
});
