/**
 * Pricers for the data tier's stores (docs/cost.md, "Data, observability and security prices"): EC2 instances
 * with their root volumes, EBS volumes and their DLM snapshots, RDS, ElastiCache and OpenSearch. Each reads the
 * resource's captured inputs and returns its charges; the estimate resolves prices and totals.
 */
import type { CapturedResource } from "../../types";
import { HOURS_PER_MONTH, type Charge, type PricingContext } from "../types";

/** gp3 includes this much performance in the GB price (EC2 EBS and OpenSearch alike); only what is above is billed. */
export const GP3_BASELINE_IOPS = 3000;
export const GP3_BASELINE_THROUGHPUT_MIBPS = 125;
/** CloudWatch detailed monitoring of an instance is billed as custom metrics: the seven EC2 metrics it sends each minute. */
export const DETAILED_MONITORING_METRICS = 7;

export function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export function rec(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** The charges of one EBS volume: storage, and gp3 IOPS and throughput above the free baseline. */
export function volumeCharges(type: string, sizeGb: number, iops: number | undefined, throughput: number | undefined, what: string): Charge[] {
  const out: Charge[] = [{ priceKey: `ebs.${type}.storage`, dimension: `${what} storage (${type}, ${sizeGb} GB)`, quantity: sizeGb }];
  if (type === "gp3") {
    if (iops !== undefined && iops > GP3_BASELINE_IOPS) {
      out.push({ priceKey: "ebs.gp3.iops", dimension: `${what} IOPS above ${GP3_BASELINE_IOPS} (${iops} provisioned)`, quantity: iops - GP3_BASELINE_IOPS });
    }
    if (throughput !== undefined && throughput > GP3_BASELINE_THROUGHPUT_MIBPS) {
      out.push({
        priceKey: "ebs.gp3.throughput",
        dimension: `${what} throughput above ${GP3_BASELINE_THROUGHPUT_MIBPS} MiB/s (${throughput} provisioned)`,
        quantity: throughput - GP3_BASELINE_THROUGHPUT_MIBPS,
      });
    }
  }
  return out;
}

/**
 * An EC2 instance: Linux on-demand hours of its type, detailed monitoring when on, and its root volume (declared in
 * rootBlockDevice, so it is no separate resource). A root device without both type and size is not priced: the
 * AMI decides it, and the graph does not show the AMI's.
 */
export function priceInstance(r: CapturedResource): Charge[] {
  const type = str(r.inputs.instanceType) ?? "unknown";
  const out: Charge[] = [{ priceKey: `ec2.instance.${type}`, dimension: `instance hours (${type}, Linux on-demand)`, quantity: HOURS_PER_MONTH }];
  if (r.inputs.monitoring === true) {
    out.push({ priceKey: "cloudwatch.metric", dimension: `detailed monitoring (${DETAILED_MONITORING_METRICS} metrics)`, quantity: DETAILED_MONITORING_METRICS });
  }
  const root = rec(r.inputs.rootBlockDevice);
  const rootType = str(root.volumeType);
  const rootSize = num(root.volumeSize);
  if (rootType !== undefined && rootSize !== undefined) out.push(...volumeCharges(rootType, rootSize, num(root.iops), num(root.throughput), "root volume"));
  return out;
}

export function priceVolume(r: CapturedResource): Charge[] {
  const size = num(r.inputs.size) ?? 0;
  return volumeCharges(str(r.inputs.type) ?? "gp2", size, num(r.inputs.iops), num(r.inputs.throughput), "volume");
}

function tagsMatch(tags: unknown, wanted: Record<string, unknown>): boolean {
  const t = rec(tags);
  const keys = Object.keys(wanted);
  return keys.length > 0 && keys.every((k) => t[k] === wanted[k]);
}

/** An instance's volumes as a DLM INSTANCE policy snapshots them: its root and every volume attached to it. */
function instanceVolumesGb(instance: CapturedResource, ctx: PricingContext): number {
  let gb = num(rec(instance.inputs.rootBlockDevice).volumeSize) ?? 0;
  for (const a of ctx.resources) {
    if (a.type !== "aws:ec2/volumeAttachment:VolumeAttachment" || a.inputs.instanceId !== instance.id) continue;
    const volume = ctx.byId.get(str(a.inputs.volumeId) ?? "");
    gb += num(volume?.inputs.size) ?? 0;
  }
  return gb;
}

/**
 * A DLM snapshot policy: the GB of the volumes (or instances' root and attached volumes) its target tags select, times the
 * snapshotGbPerVolumeGb assumption (incremental daily snapshots kept over the retention). Snapshots of one
 * volume share blocks across schedules, so a policy is priced once whatever its schedules.
 */
export function priceSnapshotPolicy(r: CapturedResource, ctx: PricingContext): Charge[] {
  const details = rec(r.inputs.policyDetails);
  const targets = rec(details.targetTags);
  const kinds = Array.isArray(details.resourceTypes) ? details.resourceTypes : ["VOLUME"];
  let gb = 0;
  for (const other of ctx.resources) {
    if (kinds.includes("VOLUME") && other.type === "aws:ebs/volume:Volume" && tagsMatch(other.inputs.tags, targets)) gb += num(other.inputs.size) ?? 0;
    if (kinds.includes("INSTANCE") && other.type === "aws:ec2/instance:Instance" && tagsMatch(other.inputs.tags, targets)) gb += instanceVolumesGb(other, ctx);
  }
  if (gb === 0) return [];
  const factor = ctx.assumptions.snapshotGbPerVolumeGb;
  return [{ priceKey: "ebs.snapshot.storage", dimension: `snapshot storage (${gb} GB of volumes × ${factor})`, quantity: gb * factor, assumption: "snapshotGbPerVolumeGb" }];
}

/** RDS gp3 includes 3,000 IOPS and 125 MiB/s below 400 GB (MySQL, MariaDB, PostgreSQL), 12,000 and 500 from 400 GB. */
function rdsGp3Baseline(storageGb: number): { iops: number; throughput: number } {
  return storageGb < 400 ? { iops: 3000, throughput: 125 } : { iops: 12000, throughput: 500 };
}

/**
 * An RDS instance (a read replica is one too): instance hours of its engine and class, storage, gp3 performance
 * above the baseline, and backup storage beyond the free amount (as much as the instance's storage), taking the
 * retained backups as snapshotGbPerVolumeGb × storage. Multi-AZ is priced at AWS's Multi-AZ rows (primary and
 * standby). Performance Insights' 7-day retention is free; Enhanced Monitoring's log ingestion is not estimated.
 */
export function priceDbInstance(r: CapturedResource, ctx: PricingContext): Charge[] {
  const engine = str(r.inputs.engine) ?? "mysql";
  const cls = str(r.inputs.instanceClass) ?? "unknown";
  const deployment = r.inputs.multiAz === true ? "multi-az" : "single-az";
  const label = deployment === "multi-az" ? "Multi-AZ" : "Single-AZ";
  const storage = num(r.inputs.allocatedStorage) ?? 0;
  const storageType = str(r.inputs.storageType) ?? "gp2";
  const out: Charge[] = [
    { priceKey: `rds.instance.${engine}.${cls}.${deployment}`, dimension: `instance hours (${cls} ${engine}, ${label})`, quantity: HOURS_PER_MONTH },
  ];
  if (storage > 0) out.push({ priceKey: `rds.storage.${storageType}.${deployment}`, dimension: `storage (${storageType}, ${storage} GB, ${label})`, quantity: storage });
  if (storageType === "gp3") {
    const base = rdsGp3Baseline(storage);
    const iops = num(r.inputs.iops);
    const tput = num(r.inputs.storageThroughput);
    if (iops !== undefined && iops > base.iops) {
      out.push({ priceKey: `rds.storage.gp3.iops.${deployment}`, dimension: `IOPS above ${base.iops} (${iops} provisioned, ${label})`, quantity: iops - base.iops });
    }
    if (tput !== undefined && tput > base.throughput) {
      out.push({ priceKey: `rds.storage.gp3.throughput.${deployment}`, dimension: `throughput above ${base.throughput} MiB/s (${tput} provisioned, ${label})`, quantity: tput - base.throughput });
    }
  }
  const retention = num(r.inputs.backupRetentionPeriod) ?? 1;
  const factor = ctx.assumptions.snapshotGbPerVolumeGb;
  const billed = retention > 0 ? storage * factor - storage : 0;
  if (billed > 0) {
    out.push({
      priceKey: "rds.backup.storage",
      dimension: `backup storage beyond the free ${storage} GB (${storage} GB × ${factor} retained)`,
      quantity: billed,
      assumption: "snapshotGbPerVolumeGb",
    });
  }
  return out;
}

/** An ElastiCache replication group: node hours of its engine and node type for every node (primaries and replicas). */
export function priceReplicationGroup(r: CapturedResource): Charge[] {
  const engine = str(r.inputs.engine) ?? "redis";
  const nodeType = str(r.inputs.nodeType) ?? "unknown";
  const clusters = num(r.inputs.numCacheClusters);
  const nodes = clusters ?? (num(r.inputs.numNodeGroups) ?? 1) * ((num(r.inputs.replicasPerNodeGroup) ?? 0) + 1);
  return [{ priceKey: `elasticache.node.${engine}.${nodeType}`, dimension: `node hours (${nodes} × ${nodeType} ${engine})`, quantity: nodes * HOURS_PER_MONTH }];
}

/** An OpenSearch domain: data nodes, dedicated masters, and each data node's EBS storage (with gp3 performance above the baseline). */
export function priceSearchDomain(r: CapturedResource): Charge[] {
  const cluster = rec(r.inputs.clusterConfig);
  const dataType = str(cluster.instanceType) ?? "m6g.large.search";
  const dataCount = num(cluster.instanceCount) ?? 1;
  const out: Charge[] = [
    { priceKey: `opensearch.instance.${dataType}`, dimension: `data node hours (${dataCount} × ${dataType})`, quantity: dataCount * HOURS_PER_MONTH },
  ];
  if (cluster.dedicatedMasterEnabled === true) {
    const masterType = str(cluster.dedicatedMasterType) ?? dataType;
    const masters = num(cluster.dedicatedMasterCount) ?? 3;
    out.push({ priceKey: `opensearch.instance.${masterType}`, dimension: `dedicated master hours (${masters} × ${masterType})`, quantity: masters * HOURS_PER_MONTH });
  }
  const ebs = rec(r.inputs.ebsOptions);
  const size = num(ebs.volumeSize);
  if (ebs.ebsEnabled === true && size !== undefined) {
    const type = str(ebs.volumeType) ?? "gp2";
    out.push({ priceKey: `opensearch.storage.${type}`, dimension: `storage (${dataCount} × ${size} GB ${type})`, quantity: dataCount * size });
    const iops = num(ebs.iops);
    const tput = num(ebs.throughput);
    if (type === "gp3" && iops !== undefined && iops > GP3_BASELINE_IOPS) {
      out.push({ priceKey: "opensearch.storage.gp3.iops", dimension: `IOPS above ${GP3_BASELINE_IOPS} (${dataCount} × ${iops})`, quantity: dataCount * (iops - GP3_BASELINE_IOPS) });
    }
    if (type === "gp3" && tput !== undefined && tput > GP3_BASELINE_THROUGHPUT_MIBPS) {
      out.push({
        priceKey: "opensearch.storage.gp3.throughput",
        dimension: `throughput above ${GP3_BASELINE_THROUGHPUT_MIBPS} MiB/s (${dataCount} × ${tput})`,
        quantity: dataCount * (tput - GP3_BASELINE_THROUGHPUT_MIBPS),
      });
    }
  }
  return out;
}
