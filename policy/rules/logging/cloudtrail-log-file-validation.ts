import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const TRAIL = "aws:cloudtrail/trail:Trail";

/** Not applicable until the security baseline adds a trail. */
export const cloudtrailLogFileValidation: ResourceRule = {
  name: "cloudtrail-log-file-validation",
  description: "CloudTrail trails must enable log file validation, so a deleted or altered log file can be detected from the signed digest files.",
  meta: { category: "security", domain: "logging", appliesTo: [TRAIL], fsbp: "CloudTrail.4" },
  validateResource: forType(TRAIL, (args, report) => {
    if (args.props.enableLogFileValidation !== true) report(`trail ${args.name} does not validate its log files; set enableLogFileValidation: true`);
  }),
};
