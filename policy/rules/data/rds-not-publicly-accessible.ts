import type { ResourceRule } from "../types";
import { RDS_INSTANCE } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

export const rdsNotPubliclyAccessible: ResourceRule = {
  name: "rds-not-publicly-accessible",
  description: "RDS instances must not be publicly accessible, so the database endpoint never resolves to an internet-facing address.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.2" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.publiclyAccessible === true) report(`RDS instance ${args.name} is publicly accessible: set publiclyAccessible: false`);
  },
};
