import { expect } from "chai";
import { lbHttpListenerRulesRedirectToHttps as rule } from "../../../../policy/rules/edge/httpListenerRules";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { LISTENER, LISTENER_RULE, httpListener, httpsListener, redirectToHttps } from "./fixtures";

const HTTP_ARN = "arn:aws:elasticloadbalancing:me-south-1:444444444444:listener/app/prod/1/http";
const HTTPS_ARN = "arn:aws:elasticloadbalancing:me-south-1:444444444444:listener/app/prod/1/https";
const forward = [{ type: "forward", targetGroupArn: "arn:tg" }];

function stack(ruleProps: Record<string, unknown>, dependencies: string[] = []) {
  return [
    { type: LISTENER, name: "http", props: { ...httpListener(), arn: HTTP_ARN } },
    { type: LISTENER, name: "https", props: { ...httpsListener(), arn: HTTPS_ARN } },
    { type: LISTENER_RULE, name: "cart-rule", props: ruleProps, dependencies },
  ];
}

describe("lb-http-listener-rules-redirect-to-https", () => {
  it("accepts forwarding rules on the HTTPS listener and redirecting rules on the HTTP one", () => {
    expect(checkStack(rule, stack({ listenerArn: HTTPS_ARN, actions: forward }))).to.deep.equal([]);
    expect(checkStack(rule, stack({ listenerArn: HTTP_ARN, actions: [redirectToHttps] }))).to.deep.equal([]);
  });

  it("rejects a forwarding rule on the HTTP listener, attributed to the listener rule", () => {
    const out = checkStack(rule, stack({ listenerArn: HTTP_ARN, actions: forward }));
    expect(out).to.have.length(1);
    expect(out[0].message).to.match(/cart-rule on HTTP listener http: actions\[0\]: action type is "forward"/);
    expect(out[0].urn).to.match(/::cart-rule$/);
  });

  it("joins through the dependency graph when the listener ARN is unknown during preview", () => {
    expect(checkStack(rule, stack({ listenerArn: UNKNOWN, actions: forward }, ["http"]))).to.have.length(1);
    expect(checkStack(rule, stack({ listenerArn: UNKNOWN, actions: forward }, ["https"]))).to.deep.equal([]);
  });
});
