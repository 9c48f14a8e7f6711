import type { ResourceRule } from "../types";
import { RDS_INSTANCE, environmentOf, isHaEnvironment } from "./support";

const APPLIES_TO: readonly string[] = [RDS_INSTANCE];

export const rdsFinalSnapshotInProd: ResourceRule = {
  name: "rds-final-snapshot-in-prod",
  description: "RDS instances of prod and preprod (Environment tag) must take a named final snapshot when deleted (skipFinalSnapshot false, finalSnapshotIdentifier set), so a deletion that gets past deletion protection still leaves the data behind.",
  meta: { category: "availability", domain: "data", appliesTo: APPLIES_TO },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    const env = environmentOf(args.props);
    if (!isHaEnvironment(env)) return;
    if (args.props.skipFinalSnapshot === true) {
      report(`RDS instance ${args.name} (${env}) skips its final snapshot: set skipFinalSnapshot: false`);
      return;
    }
    const id: unknown = args.props.finalSnapshotIdentifier;
    if (typeof id !== "string" || id === "") report(`RDS instance ${args.name} (${env}) has no finalSnapshotIdentifier, so deleting it fails or loses the data: set one`);
  },
};
