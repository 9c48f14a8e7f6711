/**
 * Rule athena-workgroup-scan-limit: every Athena workgroup cancels a query that scans more than a
 * set number of bytes, and that number stays within the stack's bound.
 */
import type { ResourceRule } from "../types";
import { PENDING, peek } from "../data/support";
import { ATHENA_WORKGROUP, MIN_SCAN_CUTOFF_BYTES, configurationOf } from "./support";

/** The pack's ceiling when a stack's config gives none: 1 TiB, about 5 USD of Athena per query. */
export const DEFAULT_MAX_CUTOFF_BYTES = 1024 ** 4;

/**
 * Athena bills by bytes scanned; a query that names no partition scans the whole lake. The cutoff
 * (AWS: "the upper data usage limit (cutoff) for the amount of bytes a single query in a workgroup is
 * allowed to scan") turns that bill into a cancelled query. The bound comes from the stack's
 * `tila-platform:analytics.athena.bytesScannedCutoffGb` (policy/stackRuleConfig.ts).
 */
export const athenaWorkgroupScanLimit: ResourceRule = {
  name: "athena-workgroup-scan-limit",
  description:
    "Every Athena workgroup sets configuration.bytesScannedCutoffPerQuery, at least the provider's floor of 10485760 bytes and at most the stack's bound (maxBytesScannedCutoffPerQuery, from tila-platform:analytics.athena.bytesScannedCutoffGb; 1 TiB by default), so one careless query is cancelled instead of scanning, and billing, the whole lake.",
  meta: { category: "security", domain: "analytics", appliesTo: [ATHENA_WORKGROUP] },
  configSchema: {
    properties: { maxBytesScannedCutoffPerQuery: { type: "integer", minimum: MIN_SCAN_CUTOFF_BYTES, default: DEFAULT_MAX_CUTOFF_BYTES } },
  },
  validateResource: (args, report) => {
    if (args.type !== ATHENA_WORKGROUP) return;
    const max = args.getConfig<{ maxBytesScannedCutoffPerQuery: number }>().maxBytesScannedCutoffPerQuery;
    const name = typeof peek(args.props, "name") === "string" ? String(args.props.name) : args.name;
    const configuration = configurationOf(args.props);
    if (configuration === PENDING) return;
    const cutoff = peek(configuration, "bytesScannedCutoffPerQuery");
    if (cutoff === PENDING) return;
    if (typeof cutoff !== "number") {
      report(`workgroup ${name}: configuration.bytesScannedCutoffPerQuery is not set, so a query may scan the whole lake`);
    } else if (cutoff < MIN_SCAN_CUTOFF_BYTES) {
      report(`workgroup ${name}: bytesScannedCutoffPerQuery ${cutoff} is below Athena's floor of ${MIN_SCAN_CUTOFF_BYTES} bytes (the deploy would fail)`);
    } else if (cutoff > max) {
      report(`workgroup ${name}: bytesScannedCutoffPerQuery ${cutoff} exceeds the stack's bound of ${max} bytes (tila-platform:analytics.athena.bytesScannedCutoffGb)`);
    }
  },
};
