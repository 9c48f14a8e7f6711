/**
 * Where the nodes of a cluster go, and whether that survives losing one AZ. Pure, so the rule that
 * prod clusters keep a quorum through an AZ outage is checked for every engine and node count by
 * tests, by NoSqlCluster at construction and by config validation before anything is built.
 */
import { EngineProfile, QuorumRule } from "./engines";

export interface NodePlacement {
  /** 0-based node index; part of the node's logical and DNS name. */
  index: number;
  az: string;
}

export interface AzLossVerdict {
  ok: boolean;
  /** Why not, naming the AZ whose loss breaks the rule. Set exactly when `ok` is false. */
  reason?: string;
}

/**
 * Round-robin over `azs`: node i goes to azs[i % azs.length]. Deterministic, balanced (AZ counts
 * differ by at most one) and stable under growth (adding nodes never moves an existing one, which
 * would mean replacing a stateful node).
 */
export function placeNodes(nodeCount: number, azs: readonly string[]): NodePlacement[] {
  if (!Number.isInteger(nodeCount) || nodeCount < 0) throw new RangeError(`nodeCount: ${nodeCount} is not a non-negative integer`);
  if (azs.length === 0) throw new RangeError("azs: at least one AZ is needed");
  if (new Set(azs).size !== azs.length) throw new RangeError(`azs: ${azs.join(", ")} has duplicates`);
  return Array.from({ length: nodeCount }, (_, index) => ({ index, az: azs[index % azs.length] }));
}

/** Nodes per AZ, in first-seen order. */
function countByAz(placement: readonly NodePlacement[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of placement) counts.set(p.az, (counts.get(p.az) ?? 0) + 1);
  return counts;
}

/** Why losing `az` (holding `lost` of `total` nodes over `racks` AZs) breaks `rule`, or undefined. */
function breaks(rule: QuorumRule, az: string, lost: number, total: number, racks: number): string | undefined {
  const left = total - lost;
  switch (rule.kind) {
    case "majority":
      return 2 * left > total ? undefined : `losing ${az} (${lost} of ${total} nodes) leaves ${left}, not a strict majority of ${total}`;
    case "replicas": {
      // Rack awareness puts at most ceil(RF / racks) replicas of a partition in one rack.
      const lostReplicas = Math.min(lost, Math.ceil(rule.replicationFactor / racks));
      const kept = rule.replicationFactor - lostReplicas;
      return kept >= rule.minSurvivors
        ? undefined
        : `losing ${az} can take ${lostReplicas} of ${rule.replicationFactor} replicas of a partition, leaving ${kept} (needs ${rule.minSurvivors})`;
    }
    case "rack": {
      const keptRacks = racks - (lost > 0 ? 1 : 0);
      return keptRacks >= rule.minRacks ? undefined : `losing ${az} leaves ${keptRacks} rack(s) with nodes (needs ${rule.minRacks})`;
    }
  }
}

/** Whether losing any one AZ of `placement` leaves the profile's quorum rule satisfied. */
export function survivesAzLoss(profile: EngineProfile, placement: readonly NodePlacement[]): AzLossVerdict {
  const rule = profile.quorum;
  const total = placement.length;
  if (total === 0) return { ok: false, reason: "no nodes" };
  if (rule.kind === "replicas" && total < rule.replicationFactor) {
    return { ok: false, reason: `${total} node(s) cannot hold ${rule.replicationFactor} replicas of a partition` };
  }
  const counts = countByAz(placement);
  for (const [az, lost] of counts) {
    const reason = breaks(rule, az, lost, total, counts.size);
    if (reason !== undefined) return { ok: false, reason };
  }
  return { ok: true };
}

/** Upper bound of the search in minNodesForAzLoss; far above any cluster this platform runs. */
export const MAX_SEARCHED_NODES = 64;

/**
 * The smallest node count, at least the profile's `minNodes`, whose round-robin placement over
 * `azCount` AZs survives losing any one of them; undefined when none does (a majority engine on
 * 2 AZs always has one AZ holding half or more of the nodes).
 */
export function minNodesForAzLoss(profile: EngineProfile, azCount: number): number | undefined {
  if (!Number.isInteger(azCount) || azCount < 1) throw new RangeError(`azCount: ${azCount} is not a positive integer`);
  const azs = Array.from({ length: azCount }, (_, i) => `az-${i}`);
  for (let n = Math.max(1, profile.minNodes); n <= MAX_SEARCHED_NODES; n++) {
    if (survivesAzLoss(profile, placeNodes(n, azs)).ok) return n;
  }
  return undefined;
}
