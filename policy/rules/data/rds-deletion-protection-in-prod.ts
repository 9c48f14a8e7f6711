import type { ResourceRule } from "../types";
import { RDS_INSTANCE, environmentOf, isHaEnvironment } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

export const rdsDeletionProtectionInProd: ResourceRule = {
  name: "rds-deletion-protection-in-prod",
  description: "RDS instances of prod and preprod (Environment tag) must enable deletion protection, so no API call, console click or replacing plan can delete the database.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.8" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    if (args.props.deletionProtection !== true) report(`RDS instance ${args.name} (${env}): set deletionProtection: true`);
  },
};
