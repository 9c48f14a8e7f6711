import type { ResourceRule } from "../types";
import { EC2_INSTANCE, asArray } from "./support";

const APPLIES_TO: readonly string[] = [EC2_INSTANCE];

/**
 * EC2.9. `associatePublicIpAddress` must be an explicit false: left out, the subnet's
 * mapPublicIpOnLaunch decides, which a resource rule cannot see. Instances built on existing
 * network interfaces take their addressing from those interfaces and are not judged here.
 */
export const ec2InstanceNoPublicIp: ResourceRule = {
  name: "ec2-instance-no-public-ip",
  description: "EC2 instances must set associatePublicIpAddress: false, so no instance (and no data node) is reachable from the internet whatever subnet it lands in.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "EC2.9" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const flag = args.props.associatePublicIpAddress;
    if (flag === true) {
      report(`instance ${args.name} asks for a public IP: set associatePublicIpAddress: false and reach it through SSM or a load balancer`);
    } else if (flag !== false && asArray(args.props.networkInterfaces).length === 0) {
      report(`instance ${args.name} leaves associatePublicIpAddress unset, so the subnet's mapPublicIpOnLaunch decides: set it to false`);
    }
  },
};
