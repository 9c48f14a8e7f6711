import { expect } from "chai";
import { STACKS } from "../../../../config/schema";
import { ENVIRONMENT_NAMES, environmentTagNamesAStack as rule } from "../../../../policy/rules/tagging/environmentTag";
import { checkResource } from "../../../../policy/testing";

const tags = (Environment: string | undefined) => ({ ...(Environment === undefined ? {} : { Environment }), Service: "edge", Owner: "o", CostCenter: "c", ManagedBy: "pulumi" });

describe("environment-tag-names-a-stack", () => {
  it("accepts every stack name", () => {
    for (const stack of STACKS) expect(checkResource(rule, "aws:ec2/vpc:Vpc", { tags: tags(stack) }), stack).to.deep.equal([]);
  });

  it("rejects a value the environment-specific rules would not recognise", () => {
    expect(checkResource(rule, "aws:ec2/vpc:Vpc", { tags: tags("Prod") })).to.deep.equal(['Environment tag is "Prod"; use one of management, dev, stage, preprod, prod']);
    expect(checkResource(rule, "aws:lb/loadBalancer:LoadBalancer", { tags: tags("production") })).to.have.length(1);
  });

  it("leaves a missing tag to the required-tags rule", () => {
    expect(checkResource(rule, "aws:ec2/vpc:Vpc", { tags: tags(undefined) })).to.deep.equal([]);
  });

  it("keeps its list equal to the config schema's stacks", () => {
    expect([...ENVIRONMENT_NAMES]).to.deep.equal([...STACKS]);
  });
});
