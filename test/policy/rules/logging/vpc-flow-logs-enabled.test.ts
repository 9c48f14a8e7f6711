import { expect } from "chai";
import { vpcFlowLogsEnabled as rule } from "../../../../policy/rules/logging/vpc-flow-logs-enabled";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const vpc = (name: string, id: string): StackResourceSpec => ({ type: VPC, name, props: { arn: `arn:aws:ec2:me-south-1:111111111111:vpc/${id}`, cidrBlock: "10.0.0.0/16" } });
const flowLog = (name: string, vpcId: unknown, dependencies: string[] = []): StackResourceSpec => ({ type: FLOW_LOG, name, props: { vpcId, trafficType: "ALL", logDestinationType: "s3" }, dependencies });

describe("vpc-flow-logs-enabled", () => {
  it("accepts a VPC whose flow log names its id (from its ARN, or its id output)", () => {
    expect(checkStack(rule, [vpc("prod-vpc", "vpc-1"), flowLog("prod-flow-log", "vpc-1")])).to.deep.equal([]);
    expect(checkStack(rule, [{ type: VPC, name: "v", props: { id: "vpc-9" } }, flowLog("l", "vpc-9")])).to.deep.equal([]);
  });

  it("reports a VPC without a flow log, even when another VPC has one", () => {
    const out = checkStack(rule, [vpc("a-vpc", "vpc-1"), vpc("b-vpc", "vpc-2"), flowLog("a-log", "vpc-1")]);
    expect(out).to.deep.equal([{ message: "VPC b-vpc has no flow log: add an aws:ec2/flowLog:FlowLog with vpcId set to its id", urn: "urn:pulumi:test::tila-platform::aws:ec2/vpc:Vpc::b-vpc" }]);
  });

  it("does not count subnet-level flow logs", () => {
    expect(checkStack(rule, [vpc("v", "vpc-1"), { type: FLOW_LOG, name: "subnet-log", props: { subnetId: "subnet-1", trafficType: "ALL" } }])).to.have.length(1);
  });

  it("covers an adopted default VPC too", () => {
    expect(checkStack(rule, [{ type: "aws:ec2/defaultVpc:DefaultVpc", name: "default", props: { arn: "arn:aws:ec2:r:1:vpc/vpc-d" } }])).to.have.length(1);
  });

  it("does not report while ids are unknown during preview", () => {
    const pending = { ...vpc("v", "vpc-1"), props: { arn: UNKNOWN } };
    expect(checkStack(rule, [pending, flowLog("l", UNKNOWN, ["v"])])).to.deep.equal([]);
    expect(checkStack(rule, [vpc("v", "vpc-1"), flowLog("l", UNKNOWN)])).to.deep.equal([]);
    expect(checkStack(rule, [pending, vpc("w", "vpc-2"), flowLog("l", UNKNOWN, ["w"])]).map((v) => v.message)).to.deep.equal([
      "VPC v has no flow log: add an aws:ec2/flowLog:FlowLog with vpcId set to its id",
    ]);
  });
});
