import { expect } from "chai";
import { albDropsInvalidHeaderFields as rule } from "../../../../policy/rules/edge/albDropInvalidHeaders";
import { checkResource } from "../../../../policy/testing";
import { ALB, LB, loadBalancer } from "./fixtures";

describe("alb-drops-invalid-header-fields", () => {
  it("accepts an ALB that drops invalid header fields", () => {
    expect(checkResource(rule, LB, loadBalancer())).to.deep.equal([]);
  });

  it("rejects an ALB (either token, explicit or default type) that keeps them", () => {
    expect(checkResource(rule, LB, loadBalancer({ dropInvalidHeaderFields: false }))).to.have.length(1);
    expect(checkResource(rule, ALB, loadBalancer({ dropInvalidHeaderFields: undefined, loadBalancerType: undefined }))).to.have.length(1);
  });

  it("does not apply to network load balancers", () => {
    expect(checkResource(rule, LB, loadBalancer({ loadBalancerType: "network", dropInvalidHeaderFields: undefined }))).to.deep.equal([]);
  });
});
