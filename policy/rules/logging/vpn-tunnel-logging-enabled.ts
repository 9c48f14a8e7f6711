import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const VPN_CONNECTION = "aws:ec2/vpnConnection:VpnConnection";

/** Tunnel logs (IKE, DPD, BGP) are the only record of why an office lost its connection. */
export const vpnTunnelLoggingEnabled: ResourceRule = {
  name: "vpn-tunnel-logging-enabled",
  description: "Both tunnels of every site-to-site VPN connection must send their logs to CloudWatch Logs, the only record of IKE negotiation and dead-peer events.",
  meta: { category: "security", domain: "logging", appliesTo: [VPN_CONNECTION], fsbp: "EC2.171" },
  validateResource: forType(VPN_CONNECTION, (args, report) => {
    for (const tunnel of [1, 2]) {
      const options = args.props[`tunnel${tunnel}LogOptions`] as { cloudwatchLogOptions?: { logEnabled?: unknown } } | undefined;
      if (options?.cloudwatchLogOptions?.logEnabled !== true) {
        report(`VPN connection ${args.name}: tunnel ${tunnel} does not log to CloudWatch; set tunnel${tunnel}LogOptions.cloudwatchLogOptions.logEnabled: true with a log group`);
      }
    }
  }),
};
