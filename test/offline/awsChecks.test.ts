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

  it("find every target group of the real stacks named explicitly within 32 characters", async () => {
    const stacks = await realStacks();
    const groups = Object.values(stacks).flatMap((run) => run.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup"));
    expect(groups).to.have.length(43); // 41 + Graylog's two (GELF, API) in management
    for (const tg of groups) expect(String(tg.inputs.name), tg.name).to.match(/^[a-z0-9-]{1,32}$/);
  });

  it("fail preprod when its target groups are auto-named again (issue 8 finding 2: recommendations would be 34 characters)", async () => {
    const { error, hits } = await runWeakened("preprod", (a) => {
      if (a.type !== "aws:lb/targetGroup:TargetGroup") return undefined;
      const { name: _explicit, ...props } = a.props as Record<string, unknown>;
      return props;
    });
    expect(hits).to.equal(10);
    expect(isAwsRulesError(error), String(error)).to.equal(true);
    const { failure, errors } = describeFailure(error);
    expect(failure).to.equal("aws");
    expect(errors.map((e) => e.path)).to.deep.equal(["preprod-recommendations-tg (aws:lb/targetGroup:TargetGroup)"]);
    expect(errors[0].message).to.match(/^\[name-limit\] target group name "preprod-recommendations-tg-[0-9a-f]{7}" would be 34 characters; AWS allows at most 32 \(Elastic Load Balancing CreateTargetGroup\)/);
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
