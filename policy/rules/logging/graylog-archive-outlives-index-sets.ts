import type { StackRule } from "../types";
import { UNKNOWN } from "../../lib/unknown";
import { LIFECYCLE_TYPES, S3_BUCKETS, bucketExpiryDays } from "./lib/retention";
import { INVOCATION, isGraylog, provisioningInputs } from "./lib/graylog";

/** Days an index set's oldest snapshotted data must stay readable: hot, then archived. */
function lifeOf(set: unknown): { stack: string; days: number } | undefined {
  const s = (set !== null && typeof set === "object" ? set : {}) as Record<string, unknown>;
  if (typeof s.stack !== "string" || typeof s.hotDays !== "number" || typeof s.archiveDays !== "number" || s.archiveDays <= 0) return undefined;
  return { stack: s.stack, days: s.hotDays + s.archiveDays };
}

/**
 * An index set's archiveDays is a promise the S3 bucket keeps, not Graylog: snapshots are
 * incremental, so a blob written when an index was first snapshotted is still needed until the
 * index has been hot for hotDays and archived for archiveDays. A lifecycle on Graylog's archive
 * bucket that expires objects sooner silently breaks the oldest restorable snapshots, whatever the
 * provisioning step asked for. This rule holds the bucket's shortest enabled expiry to at least the
 * longest hotDays + archiveDays of any archiving index set (graylogArchivePlan.ts adds a margin).
 */
export const graylogArchiveOutlivesIndexSets: StackRule = {
  name: "graylog-archive-outlives-index-sets",
  description:
    "When an index set of the Graylog provisioning input archives (archiveDays > 0), a Graylog archive bucket exists and its lifecycle expires no object before the longest hotDays + archiveDays of those index sets, so every promised snapshot stays restorable.",
  meta: { category: "security", domain: "logging", appliesTo: [INVOCATION, ...S3_BUCKETS, ...LIFECYCLE_TYPES] },
  validateStack: (args, report) => {
    const inputs = provisioningInputs(args.resources);
    if (inputs.length === 0) args.notApplicable("no Graylog provisioning input (an Invocation with indexSets) in this stack");
    const buckets = args.resources.filter((r) => S3_BUCKETS.includes(r.type) && isGraylog(r));
    for (const { invocation, sets } of inputs) {
      if (sets === UNKNOWN) continue;
      const lives = sets.flatMap((s) => lifeOf(s) ?? []);
      if (lives.length === 0) continue;
      const longest = lives.reduce((a, b) => (b.days > a.days ? b : a));
      if (buckets.length === 0) {
        report(`${invocation.name} archives ${longest.stack}'s indices for ${longest.days} days (hot + archive) but the stack has no Graylog archive bucket`, invocation.urn);
        continue;
      }
      for (const bucket of buckets) {
        const expiry = bucketExpiryDays(args.resources, bucket);
        if (typeof expiry === "number" && expiry < longest.days) {
          report(`Graylog archive bucket ${bucket.name} expires objects after ${expiry} days; ${longest.stack}'s index set needs its snapshots for ${longest.days} (hotDays + archiveDays)`, bucket.urn);
        }
      }
    }
  },
};
