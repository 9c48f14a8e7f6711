import { expect } from "chai";
import { lbDeletionProtectionInProd as rule } from "../../../../policy/rules/edge/lbDeletionProtection";
import { checkResource } from "../../../../policy/testing";
import { ALB, LB, loadBalancer, tags } from "./fixtures";

describe("lb-deletion-protection-in-prod", () => {
  it("accepts a deletion-protected prod load balancer", () => {
    expect(checkResource(rule, LB, loadBalancer())).to.deep.equal([]);
  });

  it("rejects an unprotected prod load balancer under either token", () => {
    expect(checkResource(rule, LB, loadBalancer({ enableDeletionProtection: false }))).to.deep.equal(["enableDeletionProtection is not true in prod"]);
    expect(checkResource(rule, ALB, loadBalancer({ enableDeletionProtection: undefined }))).to.have.length(1);
  });

  it("leaves other environments alone unless configured", () => {
    const preprod = loadBalancer({ enableDeletionProtection: false, tags: tags("preprod") });
    expect(checkResource(rule, LB, preprod)).to.deep.equal([]);
    expect(checkResource(rule, LB, loadBalancer({ enableDeletionProtection: false, tags: undefined }))).to.deep.equal([]);
    expect(checkResource(rule, LB, preprod, { config: { environments: ["prod", "preprod"] } })).to.have.length(1);
  });
});
