import type { ResourceRule } from "../types";
import { EC2_INSTANCE, asArray } from "./support";

const APPLIES_TO: readonly string[] = [EC2_INSTANCE];

/**
 * EC2.3 for the volumes an instance creates itself. The root volume must be declared: left out, its
 * encryption follows the AMI's snapshot and the account's EBS default (EC2.7), neither of which the
 * program controls.
 */
export const ec2InstanceVolumesEncrypted: ResourceRule = {
  name: "ec2-instance-volumes-encrypted",
  description: "EC2 instances must declare an encrypted root block device and encrypt every EBS block device, so no volume an instance creates holds data unencrypted at rest.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "EC2.3" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const root = args.props.rootBlockDevice;
    if (root === undefined || root === null) {
      report(`instance ${args.name} has no rootBlockDevice: declare it with encrypted: true (otherwise the AMI and account default decide)`);
    } else if (root.encrypted !== true) {
      report(`instance ${args.name}: rootBlockDevice.encrypted is not true`);
    }
    asArray<Record<string, any>>(args.props.ebsBlockDevices).forEach((device, i) => {
      if (device.encrypted !== true) report(`instance ${args.name}: ebsBlockDevices[${i}] (${device.deviceName ?? "no device name"}) is not encrypted`);
    });
  },
};
