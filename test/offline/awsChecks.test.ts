/**
 * The AWS checks through the whole engine: the real stacks pass every one, and a program that
 * writes what AWS or the provider would not keep fails that stack's plan with the finding.
 */
import { expect } from "chai";
import { isAwsRulesError } from "../../offline/aws";
import { describeFailure } from "../../offline/plan";
import { realStacks } from "../support/realStacks";
import { runWeakened } from "../support/weaken";

describe("AWS checks on the captured stacks", () => {
  it("pass on all five real stacks (the engine would have thrown otherwise)", async () => {
    const stacks = await realStacks();
    expect(Object.keys(stacks)).to.have.length(5);
  });

  it("fail dev when its attachment to the shared hub gateway writes the default-routing flags false (perpetual diff)", async () => {
    const { error, hits } = await runWeakened("dev", (a) =>
      a.type === "aws:ec2transitgateway/vpcAttachment:VpcAttachment"
        ? { ...a.props, transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false }
        : undefined,
    );
    expect(hits).to.equal(1);
    expect(isAwsRulesError(error), String(error)).to.equal(true);
    const { failure, errors } = describeFailure(error);
    expect(failure).to.equal("aws");
    expect(errors.map((e) => e.path)).to.deep.equal([
      "dev-tgw-attachment (aws:ec2transitgateway/vpcAttachment:VpcAttachment)",
      "dev-tgw-attachment (aws:ec2transitgateway/vpcAttachment:VpcAttachment)",
    ]);
    expect(errors[0].message).to.match(/^\[provider-read-back\] transitGatewayDefaultRouteTableAssociation is false, but the Transit Gateway is owned by account 111111111111/);
  });
});
