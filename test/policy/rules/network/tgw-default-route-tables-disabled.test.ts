import { expect } from "chai";
import { tgwDefaultRouteTablesDisabled as rule } from "../../../../policy/rules/network/tgw-default-route-tables-disabled";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TGW = "aws:ec2transitgateway/transitGateway:TransitGateway";
const hub = { amazonSideAsn: 64512, defaultRouteTableAssociation: "disable", defaultRouteTablePropagation: "disable", autoAcceptSharedAttachments: "disable" };

describe("tgw-default-route-tables-disabled", () => {
  it("accepts a gateway with default association and propagation disabled (TransitHub)", () => {
    expect(checkResource(rule, TGW, hub)).to.deep.equal([]);
  });

  it("refuses the AWS default, which wires every attachment to one shared table", () => {
    expect(checkResource(rule, TGW, { amazonSideAsn: 64512 }, { name: "hub-tgw" })).to.deep.equal([
      'transit gateway hub-tgw has defaultRouteTableAssociation unset (AWS default: enable); set it to "disable"',
      'transit gateway hub-tgw has defaultRouteTablePropagation unset (AWS default: enable); set it to "disable"',
    ]);
    expect(checkResource(rule, TGW, { ...hub, defaultRouteTablePropagation: "enable" })).to.have.length(1);
  });

  it("leaves an unknown setting to a preview note", () => {
    const out = checkResourceDetailed(rule, TGW, { ...hub, defaultRouteTableAssociation: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
