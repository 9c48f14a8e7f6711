import { expect } from "chai";
import { DEFAULT_TUNNEL_OPTIONS } from "../../../../components/network/officeVpnPlan";
import { vpnTunnelsIkev2StrongCrypto as rule } from "../../../../policy/rules/network/vpn-tunnels-ikev2-strong-crypto";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const VPN = "aws:ec2/vpnConnection:VpnConnection";
const LISTS = ["ikeVersions", "phase1EncryptionAlgorithms", "phase1IntegrityAlgorithms", "phase1DhGroupNumbers", "phase2EncryptionAlgorithms", "phase2IntegrityAlgorithms", "phase2DhGroupNumbers"] as const;

/** The tunnel inputs OfficeVpn sets from DEFAULT_TUNNEL_OPTIONS, for both tunnels. */
const officeVpn: Record<string, unknown> = Object.fromEntries(
  [1, 2].flatMap((n) => LISTS.map((k) => [`tunnel${n}${k[0].toUpperCase()}${k.slice(1)}`, [...DEFAULT_TUNNEL_OPTIONS[k]]])),
);

describe("vpn-tunnels-ikev2-strong-crypto", () => {
  it("accepts what OfficeVpn configures by default", () => {
    expect(checkResource(rule, VPN, { type: "ipsec.1", ...officeVpn })).to.deep.equal([]);
  });

  it("refuses IKEv1 and weak algorithms or DH groups on either tunnel", () => {
    const weak = { ...officeVpn, tunnel1IkeVersions: ["ikev1", "ikev2"], tunnel2Phase1DhGroupNumbers: [2, 19], tunnel2Phase2IntegrityAlgorithms: ["SHA1"] };
    expect(checkResource(rule, VPN, weak, { name: "vpn" })).to.deep.equal([
      "VPN connection vpn: tunnel1IkeVersions allows ikev1; use only ikev2",
      "VPN connection vpn: tunnel2Phase2IntegrityAlgorithms allows SHA1; use only SHA2-256, SHA2-384, SHA2-512",
      "VPN connection vpn: tunnel2Phase1DhGroupNumbers allows 2; use only 19, 20, 21",
    ]);
  });

  it("refuses unset lists, which let AWS offer everything it supports", () => {
    const { tunnel2Phase1EncryptionAlgorithms: _dropped, ...rest } = officeVpn;
    expect(checkResource(rule, VPN, rest)).to.deep.equal([
      "VPN connection test: tunnel2Phase1EncryptionAlgorithms is not set, so AWS offers every value it supports; set it to AES256, AES256-GCM-16",
    ]);
    expect(checkResource(rule, VPN, { type: "ipsec.1" })).to.have.length(14);
  });

  it("leaves an unknown list to a preview note", () => {
    const out = checkResourceDetailed(rule, VPN, { ...officeVpn, tunnel1IkeVersions: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
