import type { ResourceRule } from "../types";
import { RDS_INSTANCE, environmentOf, isHaEnvironment } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

export const rdsMultiAzInProd: ResourceRule = {
  name: "rds-multi-az-in-prod",
  description: "RDS instances of prod and preprod (Environment tag) must be Multi-AZ, so losing an AZ or patching the primary fails over to a synchronous standby instead of taking the database down.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.5" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    if (args.props.multiAz !== true) report(`RDS instance ${args.name} (${env}) is single-AZ: set multiAz: true`);
  },
};
