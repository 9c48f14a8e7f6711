import type { PolicyResource } from "@pulumi/policy";
import { ENGINE_PROFILES, isEngineName } from "../../../components/data/engines";
import { NodePlacement, survivesAzLoss } from "../../../components/data/placement";
import type { StackRule } from "../types";
import { EC2_INSTANCE, EC2_SUBNET, isHaEnvironment, peek, stackOfUrn, tagsOf } from "./support";

/** Tags NoSqlCluster puts on every node (components/data/NoSqlCluster.ts). */
const CLUSTER_TAG = "Cluster";
const ENGINE_TAG = "Engine";

function knownString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Subnet id -> AZ, for the subnets of this stack whose id (or ARN) and AZ are known. */
function subnetAzs(resources: readonly PolicyResource[]): Map<string, string> {
  const azs = new Map<string, string>();
  for (const subnet of resources.filter((r) => r.type === EC2_SUBNET)) {
    const az = knownString(peek(subnet.props, "availabilityZone"));
    // Stack outputs may carry the id; the ARN (`...:subnet/subnet-0abc`) always ends with it.
    const id = knownString(peek(subnet.props, "id")) ?? knownString(peek(subnet.props, "arn"))?.split("/").pop();
    if (az !== undefined && id !== undefined) azs.set(id, az);
  }
  return azs;
}

/** The node's AZ: its subnet's, else its own `availabilityZone`, else that of the one subnet it depends on. */
function azOf(node: PolicyResource, azs: ReadonlyMap<string, string>): string | undefined {
  const subnetId = knownString(peek(node.props, "subnetId"));
  const fromSubnet = subnetId !== undefined ? azs.get(subnetId) : undefined;
  if (fromSubnet !== undefined) return fromSubnet;
  const own = knownString(peek(node.props, "availabilityZone"));
  if (own !== undefined) return own;
  const deps = node.dependencies.filter((d) => d.type === EC2_SUBNET).map((d) => knownString(peek(d.props, "availabilityZone")));
  return deps.length === 1 ? deps[0] : undefined;
}

interface ClusterNodes {
  engine: string;
  environment?: string;
  nodes: PolicyResource[];
}

/** Instances grouped by their `Cluster` tag; nodes whose tags are not known yet make their cluster unjudgeable. */
function clusters(resources: readonly PolicyResource[]): { byName: Map<string, ClusterNodes>; unjudged: Set<string> } {
  const byName = new Map<string, ClusterNodes>();
  const unjudged = new Set<string>();
  for (const node of resources.filter((r) => r.type === EC2_INSTANCE)) {
    const tags = tagsOf(node);
    if (tags === undefined) {
      // Which cluster it belongs to is unknown: no cluster of the stack can be counted.
      const raw = peek(peek(node.props, "tags"), CLUSTER_TAG);
      if (typeof raw === "string") unjudged.add(raw);
      else return { byName: new Map(), unjudged };
      continue;
    }
    const name = tags[CLUSTER_TAG];
    const engine = tags[ENGINE_TAG];
    if (name === undefined || engine === undefined) continue;
    const entry = byName.get(name) ?? { engine, nodes: [] };
    // Untagged nodes take the environment of their stack (stacks are named after environments).
    entry.environment ??= tags.Environment ?? stackOfUrn(node.urn);
    entry.nodes.push(node);
    byName.set(name, entry);
  }
  return { byName, unjudged };
}

function describe(placement: readonly NodePlacement[]): string {
  const counts = new Map<string, number>();
  for (const p of placement) counts.set(p.az, (counts.get(p.az) ?? 0) + 1);
  return [...counts].map(([az, n]) => `${az}:${n}`).join(" ");
}

/**
 * docs/data-tier.md: losing any one AZ keeps every prod and preprod data cluster serving. Nodes are
 * grouped by their `Cluster` tag, the quorum rule comes from the engine profile (`Engine` tag) and
 * each node's AZ from its subnet; the environment from the `Environment` tag, else the stack's name.
 * A cluster with a node whose AZ or tags are unknown is not judged.
 */
export const clusterQuorumSurvivesAzLoss: StackRule = {
  name: "cluster-quorum-survives-az-loss",
  description: "Every prod and preprod data cluster on EC2 (instances sharing a Cluster tag) must keep its engine's quorum after losing any one AZ, judged from the AZ of each node's subnet, so a single-AZ outage never takes a database, Kafka or ZooKeeper down.",
  meta: { category: "availability", domain: "data", appliesTo: [EC2_INSTANCE, EC2_SUBNET] },
  validateStack: (args, report) => {
    const azs = subnetAzs(args.resources);
    const { byName, unjudged } = clusters(args.resources);
    for (const [name, cluster] of byName) {
      if (unjudged.has(name) || !isHaEnvironment(cluster.environment)) continue;
      const first = cluster.nodes[0];
      if (!isEngineName(cluster.engine)) {
        report(`cluster ${name} (${cluster.environment}) has Engine=${cluster.engine}, which has no engine profile: its quorum cannot be checked`, first.urn);
        continue;
      }
      const placement: NodePlacement[] = [];
      for (const [index, node] of cluster.nodes.entries()) {
        const az = azOf(node, azs);
        if (az === undefined) break;
        placement.push({ index, az });
      }
      if (placement.length < cluster.nodes.length) continue;
      const verdict = survivesAzLoss(ENGINE_PROFILES[cluster.engine], placement);
      if (!verdict.ok) {
        report(`cluster ${name} (${cluster.environment}, ${cluster.engine}, ${placement.length} nodes: ${describe(placement)}) does not survive an AZ loss: ${verdict.reason}`, first.urn);
      }
    }
  },
};
