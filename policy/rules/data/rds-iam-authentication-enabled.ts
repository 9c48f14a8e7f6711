import type { ResourceRule } from "../types";
import { RDS_INSTANCE } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

/** IAM database authentication exists for these engines only; other engines are not judged. */
const IAM_AUTH_ENGINES = /^(mysql|mariadb|postgres|aurora)/;

export const rdsIamAuthenticationEnabled: ResourceRule = {
  name: "rds-iam-authentication-enabled",
  description: "RDS instances of MySQL, MariaDB and PostgreSQL must enable IAM database authentication, so services can log in with short-lived IAM tokens instead of long-lived passwords.",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "RDS.10" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const engine: unknown = args.props.engine;
    if (typeof engine !== "string" || !IAM_AUTH_ENGINES.test(engine)) return;
    if (args.props.iamDatabaseAuthenticationEnabled !== true) report(`RDS instance ${args.name} (${engine}): set iamDatabaseAuthenticationEnabled: true`);
  },
};
