import type { ResourceRule } from "../types";
import { isPublic } from "./lib/cidr";
import { INGRESS_TYPES, admitsPort, describePorts, ingressOf } from "./lib/ingress";

/** SSH and RDP. Instances are reached through SSM Session Manager, which needs neither. */
const ADMIN_PORTS: Readonly<Record<number, string>> = { 22: "SSH", 3389: "RDP" };

/**
 * Stricter than FSBP EC2.19 for these two ports: not only `/0` but any publicly routable source
 * (an office's public address range included) is refused; private ranges (VPCs, offices over the
 * VPN) may still be admitted by a rule that names them.
 */
export const sgNoPublicAdminPorts: ResourceRule = {
  name: "sg-no-public-admin-ports",
  description: "Security groups must never admit SSH (22) or RDP (3389) from a public address range; remote administration goes through SSM Session Manager.",
  meta: { category: "security", domain: "network", appliesTo: INGRESS_TYPES, fsbp: "EC2.19" },
  validateResource: (args, report) => {
    if (!INGRESS_TYPES.includes(args.type)) return;
    for (const i of ingressOf(args.type, args.props)) {
      const publicSources = i.cidrs.filter(isPublic);
      if (publicSources.length === 0) continue;
      for (const [port, service] of Object.entries(ADMIN_PORTS)) {
        if (admitsPort(i, Number(port))) {
          report(`${args.name} ${i.where} admits ${publicSources.join(", ")} on ${describePorts(i)}, which includes ${service} (${port}); use SSM Session Manager instead`);
        }
      }
    }
  },
};
