import { expect } from "chai";
import { tgwAttachmentNoDefaultRouting as rule } from "../../../../policy/rules/network/tgw-attachment-no-default-routing";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const ACCEPTER = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter";
const explicit = { transitGatewayId: "tgw-1", vpcId: "vpc-1", transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false };

describe("tgw-attachment-no-default-routing", () => {
  it("accepts an attachment wired only explicitly (EnvironmentNetwork)", () => {
    expect(checkResource(rule, ATTACHMENT, explicit)).to.deep.equal([]);
    expect(checkResource(rule, ACCEPTER, { transitGatewayAttachmentId: "a", transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false })).to.deep.equal([]);
  });

  it("refuses the provider default (true) and an explicit true", () => {
    expect(checkResource(rule, ATTACHMENT, { transitGatewayId: "tgw-1", vpcId: "vpc-1" })).to.have.length(2);
    expect(checkResource(rule, ACCEPTER, { ...explicit, transitGatewayDefaultRouteTablePropagation: true }, { name: "acc" })).to.deep.equal([
      "attachment acc has transitGatewayDefaultRouteTablePropagation true; set it to false",
    ]);
  });

  it("leaves an unknown setting to a preview note", () => {
    const out = checkResourceDetailed(rule, ATTACHMENT, { ...explicit, transitGatewayDefaultRouteTableAssociation: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
