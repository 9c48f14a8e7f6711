import type { ResourceRule } from "../types";
import { EC2_INSTANCE } from "./support";

const APPLIES_TO: readonly string[] = [EC2_INSTANCE];

/** EC2.8. Explicit, because the default (`optional`) follows the AMI's ImdsSupport flag. */
export const ec2InstanceImdsv2Required: ResourceRule = {
  name: "ec2-instance-imdsv2-required",
  description: "EC2 instances must require IMDSv2 session tokens (metadataOptions.httpTokens: required) or disable the metadata endpoint, so an SSRF bug cannot read the instance role's credentials.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "EC2.8" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const md = args.props.metadataOptions;
    if (md?.httpEndpoint === "disabled") return;
    if (md?.httpTokens !== "required") {
      report(`instance ${args.name}: metadataOptions.httpTokens is ${JSON.stringify(md?.httpTokens ?? null)}; set it to "required" (IMDSv2 only)`);
    }
  },
};
