import { expect } from "chai";
import { tgwAttachmentNoDefaultRouting as rule } from "../../../../policy/rules/network/tgw-attachment-no-default-routing";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const ATTACHMENT = "aws:ec2transitgateway/vpcAttachment:VpcAttachment";
const ACCEPTER = "aws:ec2transitgateway/vpcAttachmentAccepter:VpcAttachmentAccepter";
const FLAGS_FALSE = { transitGatewayDefaultRouteTableAssociation: false, transitGatewayDefaultRouteTablePropagation: false };
const hubTgw: StackResourceSpec = { type: "aws:ec2transitgateway/transitGateway:TransitGateway", name: "hub-tgw", props: { defaultRouteTableAssociation: "disable" } };
/** An attachment to the stack's own gateway (management's VPC on the hub). */
const own = (props: Record<string, unknown>): StackResourceSpec => ({ type: ATTACHMENT, name: "mgmt-att", props: { transitGatewayId: "tgw-1", vpcId: "vpc-1", ...props }, dependencies: ["hub-tgw"] });
/** An attachment to a gateway shared from the hub account (an environment's VPC). */
const shared = (props: Record<string, unknown>): StackResourceSpec => ({ type: ATTACHMENT, name: "env-att", props: { transitGatewayId: "tgw-1", vpcId: "vpc-1", ...props } });

describe("tgw-attachment-no-default-routing", () => {
  it("accepts an attachment to the stack's own gateway wired only explicitly (management)", () => {
    expect(checkStack(rule, [hubTgw, own(FLAGS_FALSE)])).to.deep.equal([]);
    expect(checkStack(rule, [{ type: ACCEPTER, name: "acc", props: { transitGatewayAttachmentId: "a", ...FLAGS_FALSE } }])).to.deep.equal([]);
  });

  it("accepts an attachment to a shared gateway that leaves the flags unset (environments)", () => {
    expect(checkStack(rule, [shared({})])).to.deep.equal([]);
  });

  it("refuses the provider default (true) and an explicit true on the owner's side", () => {
    expect(checkStack(rule, [hubTgw, own({})])).to.have.length(2);
    expect(checkStack(rule, [{ type: ACCEPTER, name: "acc", props: { ...FLAGS_FALSE, transitGatewayDefaultRouteTablePropagation: true } }]).map((v) => v.message)).to.deep.equal([
      "attachment acc has transitGatewayDefaultRouteTablePropagation true; set it to false",
    ]);
  });

  it("refuses an explicit true on a shared gateway", () => {
    expect(checkStack(rule, [shared({ transitGatewayDefaultRouteTableAssociation: true })]).map((v) => v.message)).to.deep.equal([
      "attachment env-att to a shared Transit Gateway sets transitGatewayDefaultRouteTableAssociation true; leave it unset (the owner's gateway disables default route tables)",
    ]);
  });

  it("skips a setting unknown during preview and still checks the other", () => {
    expect(checkStack(rule, [hubTgw, own({ transitGatewayDefaultRouteTableAssociation: UNKNOWN })])).to.have.length(1);
  });

  it("is not applicable to a stack without attachments", () => {
    expect(checkStack(rule, [hubTgw])).to.deep.equal([]);
  });
});
