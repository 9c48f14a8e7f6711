import { expect } from "chai";
import { taggableResourcesCarryRequiredTags as rule } from "../../../../policy/rules/tagging/requiredTags";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TAGS = { Environment: "prod", Service: "network", Owner: "platform-team", CostCenter: "tila-production", ManagedBy: "pulumi", Name: "prod-rt-public" };

describe("taggable-resources-carry-required-tags", () => {
  it("accepts a taggable resource with every required tag", () => {
    expect(checkResource(rule, "aws:ec2/routeTable:RouteTable", { vpcId: "vpc-1", tags: TAGS })).to.deep.equal([]);
  });

  it("lists the missing and empty required tags", () => {
    const { Owner: _owner, ...noOwner } = TAGS;
    expect(checkResource(rule, "aws:ec2/securityGroup:SecurityGroup", { tags: { ...noOwner, CostCenter: " " } })).to.deep.equal(["missing or empty tag(s): Owner, CostCenter"]);
  });

  it("catches a listed taggable type that omits tags altogether", () => {
    expect(checkResource(rule, "aws:ec2/routeTable:RouteTable", { vpcId: "vpc-1" })).to.deep.equal(["missing or empty tag(s): Environment, Service, Owner, CostCenter, ManagedBy"]);
  });

  it("judges any AWS resource that has a tags input, and reads list-shaped tags", () => {
    expect(checkResource(rule, "aws:sfn/stateMachine:StateMachine", { tags: { Name: "x" } })).to.have.length(1);
    const asg = { tags: Object.entries(TAGS).map(([key, value]) => ({ key, value, propagateAtLaunch: true })) };
    expect(checkResource(rule, "aws:autoscaling/group:Group", asg)).to.deep.equal([]);
  });

  it("does not apply to untaggable types, components or other providers", () => {
    expect(checkResource(rule, "aws:ec2/route:Route", { routeTableId: "rtb-1" })).to.deep.equal([]);
    expect(checkResource(rule, "aws:route53/record:Record", { name: "api" })).to.deep.equal([]);
    expect(checkResource(rule, "tila:edge:WebAcl", {})).to.deep.equal([]);
    expect(checkResource(rule, "random:index/randomPassword:RandomPassword", { length: 32 })).to.deep.equal([]);
  });

  it("turns unknown tags into a preview note", () => {
    const out = checkResourceDetailed(rule, "aws:ec2/vpc:Vpc", { tags: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
