import type { ResourceRule } from "../types";

const SUBNET = "aws:ec2/subnet:Subnet";
/** Adopting a default subnet keeps its AWS setting (public IPs on) unless the program turns it off. */
const DEFAULT_SUBNET = "aws:ec2/defaultSubnet:DefaultSubnet";

export const subnetNoAutoPublicIp: ResourceRule = {
  name: "subnet-no-auto-public-ip",
  description:
    "Subnets must not give instances a public IPv4 address or an IPv6 address on launch; whatever needs a public address (load balancer, NAT gateway) brings its own.",
  meta: { category: "security", domain: "network", appliesTo: [SUBNET, DEFAULT_SUBNET], fsbp: "EC2.15" },
  validateResource: (args, report) => {
    if (args.type !== SUBNET && args.type !== DEFAULT_SUBNET) return;
    const mapPublic: unknown = args.props.mapPublicIpOnLaunch;
    if (mapPublic === true || (args.type === DEFAULT_SUBNET && mapPublic !== false)) {
      report(`subnet ${args.name} maps a public IPv4 address on launch; set mapPublicIpOnLaunch: false`);
    }
    if (args.props.assignIpv6AddressOnCreation === true) {
      report(`subnet ${args.name} assigns IPv6 addresses on creation; set assignIpv6AddressOnCreation: false`);
    }
  },
};
