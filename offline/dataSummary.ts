/**
 * What an environment's data tier amounts to, read from the captured graph (not from config), so
 * the plan shows what would really be built: clusters with node counts, sizes and AZ spread, and
 * the managed services' HA settings.
 */
import { childrenOf } from "./graph";
import { CapturedResource } from "./types";

export interface DataTierLine {
  name: string;
  kind: string;
  summary: string;
}

export function summarizeDataTier(resources: readonly CapturedResource[]): DataTierLine[] {
  const lines: DataTierLine[] = [];
  // Subnets are placed by AZ ID; the name (read back by the provider) gives the letter shown here.
  const subnetAz = new Map(resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((s) => [s.id, String(s.outputs.availabilityZone ?? s.inputs.availabilityZone ?? "?")]));
  for (const c of resources.filter((r) => r.type === "tila:data:NoSqlCluster")) {
    const nodes = childrenOf(resources, c.urn, "aws:ec2/instance:Instance");
    const perAz = new Map<string, number>();
    for (const n of nodes) {
      const az = subnetAz.get(String(n.inputs.subnetId)) ?? "?";
      perAz.set(az, (perAz.get(az) ?? 0) + 1);
    }
    const spread = [...perAz.entries()].sort().map(([az, k]) => `${az.slice(-1)}:${k}`).join(" ");
    const types = [...new Set(nodes.map((n) => String(n.inputs.instanceType)))].join(",");
    const volumes = childrenOf(resources, c.urn, "aws:ebs/volume:Volume");
    const size = volumes[0]?.inputs.size;
    const prot = nodes.some((n) => n.options.protect) ? ", protected" : "";
    lines.push({ name: c.name, kind: "cluster", summary: `${nodes.length} x ${types}, ${size ?? "?"} GiB data each, AZs ${spread}${prot}` });
  }
  for (const db of resources.filter((r) => r.type === "aws:rds/instance:Instance")) {
    const i = db.inputs;
    lines.push({ name: db.name, kind: "mysql", summary: `${i.instanceClass}, ${i.multiAz ? "Multi-AZ" : "single-AZ"}, backups ${i.backupRetentionPeriod} d, deletion protection ${i.deletionProtection ? "on" : "off"}` });
  }
  for (const rg of resources.filter((r) => r.type === "aws:elasticache/replicationGroup:ReplicationGroup")) {
    const i = rg.inputs;
    lines.push({ name: rg.name, kind: "redis", summary: `${i.numCacheClusters} x ${i.nodeType}, failover ${i.automaticFailoverEnabled ? "on" : "off"}, multi-AZ ${i.multiAzEnabled ? "on" : "off"}, TLS ${i.transitEncryptionMode ?? "?"}` });
  }
  for (const d of resources.filter((r) => r.type === "aws:opensearch/domain:Domain")) {
    const c = (d.inputs.clusterConfig ?? {}) as Record<string, unknown>;
    const zones = c.zoneAwarenessEnabled ? ((c.zoneAwarenessConfig as Record<string, unknown> | undefined)?.availabilityZoneCount ?? "?") : 1;
    const masters = c.dedicatedMasterEnabled ? `${c.dedicatedMasterCount} masters` : "no dedicated masters";
    lines.push({ name: d.name, kind: "opensearch", summary: `${c.instanceCount} x ${c.instanceType} over ${zones} AZ(s), ${masters}` });
  }
  return lines;
}
