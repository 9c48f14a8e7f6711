import { expect } from "chai";
import fc from "fast-check";
import { canonicalOrder } from "../../offline/planFiles";

const r = (type: string, name: string, parentChain = ""): { urn: string; type: string } => ({
  urn: `urn:pulumi:prod::tila-platform::${parentChain}${type}::${name}`,
  type,
});

describe("the order resources.json lists resources in (canonicalOrder)", () => {
  const stack = r("pulumi:pulumi:Stack", "tila-platform-prod");
  const vpc = r("aws:ec2/vpc:Vpc", "prod-vpc", "tila:network:EnvironmentNetwork$");
  const net = r("tila:network:EnvironmentNetwork", "prod");
  const alarm = r("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-nat-0", "tila:observability:ObservabilityStack$");

  it("puts the root stack first, then every resource by URN, leaving the input as it was", () => {
    const input = [vpc, alarm, stack, net];
    expect(canonicalOrder(input)).to.deep.equal([stack, vpc, net, alarm]);
    expect(input).to.deep.equal([vpc, alarm, stack, net]);
  });

  it("writes the same order whatever order the resources registered in", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([stack, vpc, net, alarm], { minLength: 4, maxLength: 4 }), (shuffled) => {
        expect(canonicalOrder(shuffled)).to.deep.equal(canonicalOrder([stack, vpc, net, alarm]));
      }),
    );
  });
});
