import type { ResourceRule } from "../types";
import { forType } from "./lib/values";

const VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";

/**
 * The values allowed per option: the same strong set components/network/officeVpnPlan.ts accepts.
 * Left unset, AWS offers everything it supports (IKEv1, AES128, SHA1, MODP groups 2 and 5), so
 * each list must be set explicitly.
 */
const ALLOWED: Readonly<Record<string, readonly (string | number)[]>> = {
  IkeVersions: ["ikev2"],
  Phase1EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase2EncryptionAlgorithms: ["AES256", "AES256-GCM-16"],
  Phase1IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  Phase2IntegrityAlgorithms: ["SHA2-256", "SHA2-384", "SHA2-512"],
  Phase1DhGroupNumbers: [19, 20, 21],
  Phase2DhGroupNumbers: [19, 20, 21],
};

export const vpnTunnelsIkev2StrongCrypto: ResourceRule = {
  name: "vpn-tunnels-ikev2-strong-crypto",
  description:
    "Both tunnels of a site-to-site VPN connection must pin IKEv2 and only strong algorithms (AES-256, SHA-2, elliptic-curve DH groups 19-21), so a tunnel can never negotiate down to weak cryptography.",
  meta: { category: "security", domain: "network", appliesTo: [VPN_CONNECTION] },
  validateResource: forType(VPN_CONNECTION, (args, report) => {
    for (const tunnel of [1, 2]) {
      for (const [option, allowed] of Object.entries(ALLOWED)) {
        const key = `tunnel${tunnel}${option}`;
        const value: unknown = args.props[key];
        if (!Array.isArray(value) || value.length === 0) {
          report(`VPN connection ${args.name}: ${key} is not set, so AWS offers every value it supports; set it to ${allowed.join(", ")}`);
          continue;
        }
        const weak = value.filter((v) => !allowed.includes(v as string | number));
        if (weak.length > 0) report(`VPN connection ${args.name}: ${key} allows ${weak.join(", ")}; use only ${allowed.join(", ")}`);
      }
    }
  }),
};
