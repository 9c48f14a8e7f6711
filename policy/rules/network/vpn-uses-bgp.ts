import type { ResourceRule } from "../types";
import { forType } from "./lib/values";

const VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";

/**
 * With static routes a tunnel or device failure is not noticed by routing, ECMP across an
 * office's tunnels is impossible, and routes to a VPN attachment are not filtered (OfficeVpn).
 */
export const vpnUsesBgp: ResourceRule = {
  name: "vpn-uses-bgp",
  description: "Site-to-site VPN connections must use BGP (staticRoutesOnly not true), so a failed tunnel or device is routed around automatically.",
  meta: { category: "availability", domain: "network", appliesTo: [VPN_CONNECTION] },
  validateResource: forType(VPN_CONNECTION, (args, report) => {
    if (args.props.staticRoutesOnly === true) report(`VPN connection ${args.name} uses static routes only; set staticRoutesOnly: false and advertise the office prefixes over BGP`);
  }),
};
