import { expect } from "chai";
import { vpnUsesBgp as rule } from "../../../../policy/rules/network/vpn-uses-bgp";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const VPN = "aws:ec2/vpnConnection:VpnConnection";

describe("vpn-uses-bgp", () => {
  it("accepts BGP connections, explicit or by default", () => {
    expect(checkResource(rule, VPN, { type: "ipsec.1", staticRoutesOnly: false })).to.deep.equal([]);
    expect(checkResource(rule, VPN, { type: "ipsec.1" })).to.deep.equal([]);
  });

  it("refuses static-routes-only connections", () => {
    expect(checkResource(rule, VPN, { type: "ipsec.1", staticRoutesOnly: true }, { name: "office-riyadh-vpn-a" })).to.deep.equal([
      "VPN connection office-riyadh-vpn-a uses static routes only; set staticRoutesOnly: false and advertise the office prefixes over BGP",
    ]);
  });

  it("leaves an unknown setting to a preview note", () => {
    expect(checkResourceDetailed(rule, VPN, { staticRoutesOnly: UNKNOWN }).previewNotes).to.have.length(1);
  });
});
