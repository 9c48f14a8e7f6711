/**
 * Where management's Graylog runs, and whether it survives losing an AZ (docs/observability-logging.md#availability).
 * Pure: the cluster places its nodes with it, config validation refuses what it refuses, and the
 * property tests prove it for every node and AZ count.
 *
 * Three things must outlive any one AZ: at least one Graylog server node (the load balancer sends
 * GELF and API traffic to whichever is healthy; a new leader is elected among the rest), a majority
 * of the MongoDB replica set's voting members (without one, MongoDB has no primary and Graylog stops
 * writing its configuration), and a majority of the OpenSearch domain's dedicated masters (without
 * one, the domain goes read-only/red). Each is spread round-robin over the AZs in the network's order.
 */

/** MongoDB replica set members: one per AZ on three AZs. */
export const GRAYLOG_MONGODB_NODES = 3;
/** The OpenSearch domain's dedicated masters: OpenSearch Service spreads them over the zone-aware AZs. */
export const GRAYLOG_SEARCH_MASTERS = 3;

export interface GraylogPlacementInput {
  /** Graylog server nodes. */
  readonly nodeCount: number;
  /** AZs of the network (the app and data subnets). */
  readonly azCount: number;
  /** @default GRAYLOG_MONGODB_NODES */
  readonly mongodbNodes?: number;
  /** @default GRAYLOG_SEARCH_MASTERS */
  readonly searchMasters?: number;
}

export interface GraylogPlacement {
  /** AZ index of each Graylog node (node i in AZ graylog[i]). */
  readonly graylog: readonly number[];
  readonly mongodb: readonly number[];
  readonly searchMasters: readonly number[];
}

/** Node i in AZ i mod azCount: the spread that leaves the most nodes when any one AZ is lost. */
export function spread(count: number, azCount: number): number[] {
  return Array.from({ length: count }, (_, i) => i % azCount);
}

export function placeGraylog(input: GraylogPlacementInput): GraylogPlacement {
  for (const [field, v] of [["nodeCount", input.nodeCount], ["azCount", input.azCount]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${field}: ${v} must be a whole number of at least 1`);
  }
  return {
    graylog: spread(input.nodeCount, input.azCount),
    mongodb: spread(input.mongodbNodes ?? GRAYLOG_MONGODB_NODES, input.azCount),
    searchMasters: spread(input.searchMasters ?? GRAYLOG_SEARCH_MASTERS, input.azCount),
  };
}

/** What is left of each part when AZ `lost` is gone. */
export function survivorsAfterLosing(p: GraylogPlacement, lost: number): { graylog: number; mongodb: number; searchMasters: number } {
  const left = (azs: readonly number[]): number => azs.filter((az) => az !== lost).length;
  return { graylog: left(p.graylog), mongodb: left(p.mongodb), searchMasters: left(p.searchMasters) };
}

/** A strict majority of `of` voters. */
export function isMajority(left: number, of: number): boolean {
  return left > of / 2;
}

/**
 * Every way losing one AZ breaks the cluster, each naming the part and the AZ (empty: it survives
 * the loss of any one AZ). One AZ alone never survives its own loss.
 */
export function azLossProblems(input: GraylogPlacementInput): string[] {
  const p = placeGraylog(input);
  const problems: string[] = [];
  for (let lost = 0; lost < input.azCount; lost++) {
    const s = survivorsAfterLosing(p, lost);
    if (s.graylog < 1) problems.push(`losing AZ ${lost + 1} of ${input.azCount} leaves no Graylog node (of ${p.graylog.length})`);
    if (!isMajority(s.mongodb, p.mongodb.length)) problems.push(`losing AZ ${lost + 1} of ${input.azCount} leaves ${s.mongodb} of ${p.mongodb.length} MongoDB members: no majority, no primary`);
    if (!isMajority(s.searchMasters, p.searchMasters.length)) problems.push(`losing AZ ${lost + 1} of ${input.azCount} leaves ${s.searchMasters} of ${p.searchMasters.length} OpenSearch masters: no majority`);
  }
  return problems;
}

/** Whether the cluster survives the loss of any one AZ. */
export function survivesAzLoss(input: GraylogPlacementInput): boolean {
  return azLossProblems(input).length === 0;
}
