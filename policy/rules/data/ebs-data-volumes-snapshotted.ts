import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { DLM_POLICY, EBS_VOLUME, PENDING, asArray, known, peek, tagsOf } from "./support";

/** The tag DLM selects data volumes by (components/data/clusterSnapshots.ts SNAPSHOT_TAG). */
const SNAPSHOT_TAG = "Snapshot";
/** Every NoSqlCluster resource carries it; a cluster volume without a Snapshot tag must still be covered. */
const CLUSTER_TAG = "Cluster";

interface Coverage {
  policy: PolicyResource;
  /** Target tags; undefined when they are not known yet. */
  targetTags?: Record<string, string>;
}

/** An enabled EBS snapshot policy for volumes, with its target tags; undefined for any other policy. */
function volumeSnapshotPolicy(policy: PolicyResource): Coverage | undefined {
  if (peek(policy.props, "state") === "DISABLED") return undefined;
  const details = peek(policy.props, "policyDetails");
  if (details === PENDING) return { policy };
  const type = peek(details, "policyType");
  if (type !== undefined && type !== PENDING && type !== "EBS_SNAPSHOT_MANAGEMENT") return undefined;
  const resourceTypes = peek(details, "resourceTypes");
  const typeList = resourceTypes === PENDING ? undefined : known(() => asArray(resourceTypes as unknown[] | undefined));
  if (typeList !== undefined && !typeList.includes("VOLUME")) return undefined;
  const schedules = peek(details, "schedules");
  if (schedules !== PENDING && known(() => asArray(schedules as unknown[] | undefined).length) === 0) return undefined;
  const tags = peek(details, "targetTags");
  if (tags === PENDING) return { policy };
  const targetTags: Record<string, string> = {};
  if (tags && typeof tags === "object") {
    for (const key of Object.keys(tags)) {
      const value = peek(tags, key);
      if (value === PENDING) return { policy };
      if (typeof value === "string") targetTags[key] = value;
    }
  }
  return { policy, targetTags };
}

/** DLM targets a resource that carries any one of the policy's target tags. */
function targets(targetTags: Record<string, string>, volumeTags: Record<string, string>): boolean {
  return Object.entries(targetTags).some(([k, v]) => volumeTags[k] === v);
}

export const ebsDataVolumesSnapshotted: StackRule = {
  name: "ebs-data-volumes-snapshotted",
  description: "Every EBS data volume (tagged Snapshot or Cluster) must be targeted by an enabled DLM snapshot policy for volumes whose target tags match its tags, so a lost node or a corrupted disk can be restored from a recent snapshot.",
  meta: { category: "availability", domain: "data", appliesTo: [EBS_VOLUME, DLM_POLICY] },
  validateStack: (args, report) => {
    const coverage = args.resources.filter((r) => r.type === DLM_POLICY).map(volumeSnapshotPolicy).filter((c): c is Coverage => c !== undefined);
    // A policy whose targets are not known yet might cover any volume: judge nothing.
    if (coverage.some((c) => c.targetTags === undefined)) return;
    for (const volume of args.resources.filter((r) => r.type === EBS_VOLUME)) {
      const tags = tagsOf(volume);
      if (tags === undefined) continue;
      if (tags[SNAPSHOT_TAG] === undefined && tags[CLUSTER_TAG] === undefined) continue;
      if (coverage.some((c) => targets(c.targetTags!, tags))) continue;
      const wanted = tags[SNAPSHOT_TAG] !== undefined ? `${SNAPSHOT_TAG}=${tags[SNAPSHOT_TAG]}` : `its ${CLUSTER_TAG}=${tags[CLUSTER_TAG]} volume (tag it ${SNAPSHOT_TAG}=<cluster>)`;
      report(`EBS volume ${volume.name} is not snapshotted: no enabled DLM volume policy targets ${wanted}`, volume.urn);
    }
  },
};
