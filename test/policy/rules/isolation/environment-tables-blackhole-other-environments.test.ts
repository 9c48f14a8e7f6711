import { expect } from "chai";
import { environmentTablesBlackholeOtherEnvironments as rule } from "../../../../policy/rules/isolation/environment-tables-blackhole-other-environments";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { environmentStack, managementStack, route } from "./hubFixture";

const messages = (stack: Parameters<typeof checkStack>[1]) => checkStack(rule, stack).map((v) => v.message);

describe("environment-tables-blackhole-other-environments", () => {
  it("accepts a hub whose every environment table blackholes every other environment", () => {
    expect(messages(managementStack())).to.deep.equal([]);
  });

  it("reports the table missing a blackhole, naming the environment and CIDR", () => {
    const out = checkStack(rule, managementStack({ omit: ["dev-prod"] }));
    expect(out.map((v) => v.message)).to.deep.equal(["the dev table has no blackhole route covering prod's 10.40.0.0/16"]);
    expect(out[0].urn).to.contain("::hub-rt-dev");
  });

  it("does not accept a blackhole narrower than the environment's CIDR", () => {
    const stack = [...managementStack({ omit: ["dev-prod"] }), route("hub-blackhole-dev-prod", "dev", "10.40.0.0/17", { blackhole: true })];
    expect(messages(stack)).to.deep.equal(["the dev table has no blackhole route covering prod's 10.40.0.0/16"]);
  });

  it("works out environment CIDRs without the blackholes' naming convention", () => {
    expect(messages(managementStack({ anonymousBlackholes: true }))).to.deep.equal([]);
    expect(messages(managementStack({ anonymousBlackholes: true, omit: ["stage-dev"] }))).to.deep.equal(["the stage table has no blackhole route covering dev's 10.10.0.0/16"]);
  });

  it("reports an environment that no table blackholes at all", () => {
    expect(messages(managementStack({ omit: ["dev-prod", "stage-prod"] }))).to.deep.equal([
      "the dev table has no blackhole attributable to the prod environment (no environment table's blackholes identify prod's CIDR)",
      "the stage table has no blackhole attributable to the prod environment (no environment table's blackholes identify prod's CIDR)",
    ]);
  });

  it("holds its judgement while a route of the table is unknown during preview", () => {
    expect(messages([...managementStack({ omit: ["dev-prod"] }), route("pending", "dev", UNKNOWN, { blackhole: true })])).to.deep.equal([]);
  });

  it("has nothing to check in an environment stack, where the tables are only ids", () => {
    expect(messages(environmentStack("prod", ["management"]))).to.deep.equal([]);
  });
});
