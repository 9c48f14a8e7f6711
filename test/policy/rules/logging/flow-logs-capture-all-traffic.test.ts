import { expect } from "chai";
import { flowLogsCaptureAllTraffic as rule } from "../../../../policy/rules/logging/flow-logs-capture-all-traffic";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

describe("flow-logs-capture-all-traffic", () => {
  it("accepts a flow log recording ALL traffic", () => {
    expect(checkResource(rule, FLOW_LOG, { vpcId: "vpc-1", trafficType: "ALL" })).to.deep.equal([]);
  });

  it("refuses REJECT-only, ACCEPT-only and unset traffic types", () => {
    expect(checkResource(rule, FLOW_LOG, { vpcId: "vpc-1", trafficType: "REJECT" }, { name: "fl" })).to.deep.equal(['flow log fl records only REJECT traffic; set trafficType: "ALL"']);
    expect(checkResource(rule, FLOW_LOG, { subnetId: "subnet-1", trafficType: "ACCEPT" })).to.have.length(1);
    expect(checkResource(rule, FLOW_LOG, { vpcId: "vpc-1" })).to.have.length(1);
  });

  it("does not apply to Transit Gateway flow logs", () => {
    const out = checkResourceDetailed(rule, FLOW_LOG, { transitGatewayId: "tgw-1" });
    expect(out.violations).to.deep.equal([]);
    expect(out.notApplicable).to.deep.equal(["Transit Gateway flow logs have no traffic type"]);
  });

  it("leaves an unknown traffic type to a preview note", () => {
    expect(checkResourceDetailed(rule, FLOW_LOG, { vpcId: "vpc-1", trafficType: UNKNOWN }).previewNotes).to.have.length(1);
  });
});
