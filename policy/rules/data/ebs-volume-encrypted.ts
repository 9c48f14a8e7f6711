import type { ResourceRule } from "../types";
import { EBS_VOLUME } from "./support";

const APPLIES_TO: readonly string[] = [EBS_VOLUME];

/** EC2.3. Explicit: a volume made from a snapshot inherits its encryption, which the program cannot see. */
export const ebsVolumeEncrypted: ResourceRule = {
  name: "ebs-volume-encrypted",
  description: "EBS volumes must set encrypted: true, so the data, its snapshots and every volume restored from them are encrypted at rest with KMS.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "EC2.3" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.encrypted !== true) report(`EBS volume ${args.name} is not encrypted: set encrypted: true (and kmsKeyId for a customer key)`);
  },
};
