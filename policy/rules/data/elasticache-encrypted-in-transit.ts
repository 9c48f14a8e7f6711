import type { ResourceRule } from "../types";
import { ELASTICACHE_REPLICATION_GROUP } from "./support";

const APPLIES_TO: readonly string[] = [ELASTICACHE_REPLICATION_GROUP];

/** ElastiCache.5, and stricter: mode `preferred` still accepts plaintext connections. */
export const elasticacheEncryptedInTransit: ResourceRule = {
  name: "elasticache-encrypted-in-transit",
  description: "ElastiCache replication groups must enable in-transit encryption with transitEncryptionMode: required, so clients and replicas can only connect over TLS (preferred would still accept plaintext).",
  meta: { category: "security", domain: "data", appliesTo: APPLIES_TO, fsbp: "ElastiCache.5" },
  validateResource: (args, report) => {
    if (!APPLIES_TO.includes(args.type)) return;
    if (args.props.transitEncryptionEnabled !== true) {
      report(`replication group ${args.name}: set transitEncryptionEnabled: true`);
      return;
    }
    const mode: unknown = args.props.transitEncryptionMode;
    if (mode !== "required") report(`replication group ${args.name}: transitEncryptionMode is ${JSON.stringify(mode ?? null)}; set "required" so plaintext connections are refused`);
  },
};
