import { expect } from "chai";
import { tgwAutoAcceptOnlyWhenShared as rule } from "../../../../policy/rules/network/tgw-auto-accept-only-when-shared";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const TGW_ARN = "arn:aws:ec2:me-south-1:111111111111:transit-gateway/tgw-1";
const SHARE_ARN = "arn:aws:ram:me-south-1:111111111111:resource-share/hub-share";
const tgw = (autoAccept: unknown): StackResourceSpec => ({
  type: "aws:ec2transitgateway/transitGateway:TransitGateway",
  name: "hub-tgw",
  props: { arn: TGW_ARN, autoAcceptSharedAttachments: autoAccept, defaultRouteTableAssociation: "disable" },
});
const share = (allowExternalPrincipals: unknown): StackResourceSpec => ({ type: "aws:ram/resourceShare:ResourceShare", name: "hub-share", props: { arn: SHARE_ARN, allowExternalPrincipals } });
const association: StackResourceSpec = { type: "aws:ram/resourceAssociation:ResourceAssociation", name: "hub-share-tgw", props: { resourceArn: TGW_ARN, resourceShareArn: SHARE_ARN } };

describe("tgw-auto-accept-only-when-shared", () => {
  it("accepts a gateway that does not auto-accept", () => {
    expect(checkStack(rule, [tgw("disable")])).to.deep.equal([]);
  });

  it("accepts auto-accept on a gateway shared inside the organisation (TransitHub with environment accounts)", () => {
    expect(checkStack(rule, [tgw("enable"), share(false), association])).to.deep.equal([]);
  });

  it("refuses auto-accept on a gateway nobody shares", () => {
    const out = checkStack(rule, [tgw("enable")]);
    expect(out).to.have.length(1);
    expect(out[0].message).to.contain("auto-accepts shared attachments but is not shared through RAM");
  });

  it("refuses auto-accept when the share admits external principals", () => {
    expect(checkStack(rule, [tgw("enable"), share(true), association]).map((v) => v.message)).to.deep.equal([
      "transit gateway hub-tgw auto-accepts attachments and its RAM share hub-share allows external principals; set allowExternalPrincipals: false",
    ]);
  });

  it("links the share through dependencies while ARNs are unknown during preview", () => {
    const pending: StackResourceSpec = { ...association, props: { resourceArn: UNKNOWN, resourceShareArn: UNKNOWN }, dependencies: ["hub-tgw", "hub-share"] };
    expect(checkStack(rule, [{ ...tgw("enable"), props: { arn: UNKNOWN, autoAcceptSharedAttachments: "enable" } }, share(false), pending])).to.deep.equal([]);
    expect(checkStack(rule, [tgw(UNKNOWN)])).to.deep.equal([]);
  });
});
