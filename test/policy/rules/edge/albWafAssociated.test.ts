import { expect } from "chai";
import { albInternetFacingWafAssociated as rule } from "../../../../policy/rules/edge/albWafAssociated";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { ACL_ARN, ALB, ASSOCIATION, LB, LB_ARN, WEB_ACL, loadBalancer } from "./fixtures";

const INTERNAL_ARN = "arn:aws:elasticloadbalancing:me-south-1:444444444444:loadbalancer/app/prod-internal/2";

function stack(association?: Record<string, unknown>, dependencies: string[] = []) {
  return [
    { type: LB, name: "public-alb", props: loadBalancer({ arn: LB_ARN }) },
    { type: ALB, name: "internal-alb", props: loadBalancer({ arn: INTERNAL_ARN, internal: true }) },
    { type: WEB_ACL, name: "waf", props: { arn: ACL_ARN } },
    ...(association ? [{ type: ASSOCIATION, name: "waf-association", props: association, dependencies }] : []),
  ];
}

describe("alb-internet-facing-waf-associated", () => {
  it("accepts an internet-facing ALB associated with a web ACL (internal ALBs need none)", () => {
    expect(checkStack(rule, stack({ resourceArn: LB_ARN, webAclArn: ACL_ARN }))).to.deep.equal([]);
  });

  it("rejects an internet-facing ALB without association, or associated elsewhere, naming the ALB", () => {
    const none = checkStack(rule, stack());
    expect(none).to.have.length(1);
    expect(none[0].urn).to.match(/::public-alb$/);
    expect(checkStack(rule, stack({ resourceArn: INTERNAL_ARN, webAclArn: ACL_ARN }))).to.have.length(1);
  });

  it("treats an ALB without `internal` as internet-facing (the AWS default)", () => {
    const out = checkStack(rule, [{ type: ALB, name: "alb", props: loadBalancer({ arn: LB_ARN, internal: undefined }) }]);
    expect(out).to.have.length(1);
  });

  it("ignores network load balancers, which WAF cannot protect", () => {
    expect(checkStack(rule, [{ type: LB, name: "nlb", props: loadBalancer({ arn: LB_ARN, loadBalancerType: "network" }) }])).to.deep.equal([]);
  });

  it("joins through the dependency graph when the ARN is unknown during preview", () => {
    expect(checkStack(rule, stack({ resourceArn: UNKNOWN, webAclArn: UNKNOWN }, ["public-alb", "waf"]))).to.deep.equal([]);
    expect(checkStack(rule, stack({ resourceArn: UNKNOWN, webAclArn: UNKNOWN }, ["waf"]))).to.have.length(1);
  });
});
