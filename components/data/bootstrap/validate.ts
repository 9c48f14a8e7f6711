/**
 * Validation of a BootstrapContext before anything is rendered. Every value that ends up in a
 * script or a config file passes a strict allow-list here, so no value can carry shell syntax
 * (`$(...)`, quotes, backticks, newlines) into user data. All problems are collected and reported
 * together, each with the field it concerns.
 */
import { BootstrapContext } from "./types";

export const ENGINES: readonly BootstrapContext["engine"][] = Object.freeze([
  "arangodb",
  "mongodb",
  "aerospike",
  "couchbase",
  "solr",
  "kafka",
  "zookeeper",
  "cassandra",
]);

/** Engines whose bootstrap reads the admin secret (and therefore needs adminSecretArn). */
export const ENGINES_WITH_ADMIN_SECRET: ReadonlySet<BootstrapContext["engine"]> = new Set(["arangodb", "mongodb", "couchbase", "cassandra"]);
/** Engines that are clients of a ZooKeeper ensemble. */
export const ENGINES_WITH_ZOOKEEPER: ReadonlySet<BootstrapContext["engine"]> = new Set(["solr", "kafka"]);

/** The largest cluster the bootstrap will render; beyond it the peer lists are not worth testing. */
export const MAX_NODES = 15;

const DNS_LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
/** Lower-case, fully qualified (at least two labels), no trailing dot. */
const DNS_NAME = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})+$`);
const CLUSTER_NAME = /^[a-z][a-z0-9-]{0,38}[a-z0-9]$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-[0-9]$/;
const MOUNT_POINT = /^\/[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
const PORT = /^[1-9][0-9]{0,4}$/;
const IPV4_CIDR = /^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\/(?:3[0-2]|[12]?[0-9])$/;
const CHROOT = /^(?:\/[a-z0-9_-]+)+$/;
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,27}$/;
/** A database (MongoDB, ArangoDB) or bucket (Couchbase) name every engine accepts; it reaches URLs and JSON unescaped. */
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-[0-9]):[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Mount points that must never be reused for a data volume. */
const RESERVED_MOUNTS = new Set(["/boot", "/etc", "/usr", "/var", "/bin", "/sbin", "/lib", "/lib64", "/proc", "/sys", "/dev", "/run", "/tmp", "/root", "/home", "/opt"]);

export function isValidDnsName(value: unknown): value is string {
  return typeof value === "string" && value.length <= 253 && DNS_NAME.test(value);
}

export function isValidClusterName(value: unknown): value is string {
  return typeof value === "string" && CLUSTER_NAME.test(value);
}

/** The AZ letter as a 0-based index ("me-south-1a" -> 0), or undefined if the AZ is malformed. */
export function azIndexOf(az: string, region: string): number | undefined {
  if (!az.startsWith(region) || az.length !== region.length + 1) return undefined;
  const letter = az.charCodeAt(region.length) - "a".charCodeAt(0);
  return letter >= 0 && letter < 26 ? letter : undefined;
}

/** Parses "host:port,host:port[/chroot]" into its parts; undefined if any part is invalid. */
export function parseZookeeperConnect(value: string): { hosts: { host: string; port: number }[]; chroot?: string } | undefined {
  const slash = value.indexOf("/");
  const hostPart = slash === -1 ? value : value.slice(0, slash);
  const chroot = slash === -1 ? undefined : value.slice(slash);
  if (chroot !== undefined && !CHROOT.test(chroot)) return undefined;
  const hosts: { host: string; port: number }[] = [];
  for (const entry of hostPart.split(",")) {
    const m = /^([^:]+):([^:]+)$/.exec(entry);
    if (!m || !isValidDnsName(m[1]) || !PORT.test(m[2]) || Number(m[2]) > 65535) return undefined;
    hosts.push({ host: m[1], port: Number(m[2]) });
  }
  return hosts.length > 0 ? { hosts, chroot } : undefined;
}

/** Every problem with `ctx`, each prefixed with the field it concerns; empty when valid. */
export function validateBootstrapContext(ctx: BootstrapContext): string[] {
  const errors: string[] = [];
  const err = (field: string, msg: string) => errors.push(`${field}: ${msg}`);
  const c = ctx as unknown as Record<string, unknown>;

  if (!ENGINES.includes(ctx.engine)) err("engine", `must be one of ${ENGINES.join(", ")}`);
  if (!isValidClusterName(c.clusterName)) err("clusterName", `must match ${CLUSTER_NAME}`);
  if (!isValidClusterName(c.environment)) err("environment", `must match ${CLUSTER_NAME}`);
  const regionOk = typeof c.region === "string" && REGION.test(c.region);
  if (!regionOk) err("region", `must be an AWS region name such as me-south-1`);
  if (typeof c.az !== "string" || !regionOk || azIndexOf(c.az, ctx.region) === undefined) {
    err("az", `must be an availability zone of region ${String(c.region)}, such as ${String(c.region)}a`);
  }

  const countOk = Number.isInteger(c.nodeCount) && ctx.nodeCount >= 1 && ctx.nodeCount <= MAX_NODES;
  if (!countOk) err("nodeCount", `must be an integer from 1 to ${MAX_NODES}`);
  if (!Number.isInteger(c.nodeIndex) || ctx.nodeIndex < 0 || (countOk && ctx.nodeIndex >= ctx.nodeCount)) {
    err("nodeIndex", "must be an integer from 0 to nodeCount - 1");
  }
  if (countOk && ctx.engine === "zookeeper" && ctx.nodeCount % 2 === 0) {
    err("nodeCount", "a ZooKeeper ensemble needs an odd number of servers (an even one tolerates no more failures)");
  }
  if (countOk && ctx.engine === "arangodb" && ctx.nodeCount === 2) {
    err("nodeCount", "ArangoDB runs as a single server (1) or a cluster of at least 3 (the agency needs 3)");
  }

  if (!isValidDnsName(c.selfDnsName)) err("selfDnsName", "must be a lower-case fully qualified DNS name");
  if (!Array.isArray(c.peerDnsNames)) {
    err("peerDnsNames", "must be an array of DNS names");
  } else {
    ctx.peerDnsNames.forEach((p, i) => {
      if (!isValidDnsName(p)) err(`peerDnsNames[${i}]`, "must be a lower-case fully qualified DNS name");
    });
    if (countOk && ctx.peerDnsNames.length !== ctx.nodeCount) err("peerDnsNames", `must list all ${ctx.nodeCount} nodes, self included`);
    if (new Set(ctx.peerDnsNames).size !== ctx.peerDnsNames.length) err("peerDnsNames", "must not repeat a name");
    if (Number.isInteger(c.nodeIndex) && ctx.peerDnsNames[ctx.nodeIndex] !== ctx.selfDnsName) {
      err("peerDnsNames", "the entry at nodeIndex must be selfDnsName");
    }
  }

  if (c.dataDevice !== "/dev/sdf") err("dataDevice", "must be /dev/sdf");
  if (typeof c.mountPoint !== "string" || !MOUNT_POINT.test(c.mountPoint) || RESERVED_MOUNTS.has(c.mountPoint)) {
    err("mountPoint", "must be an absolute path of [A-Za-z0-9_-] segments and not a system directory");
  }

  if (c.zookeeperConnect !== undefined) {
    if (typeof c.zookeeperConnect !== "string" || !parseZookeeperConnect(c.zookeeperConnect)) {
      err("zookeeperConnect", "must be host:port[,host:port...][/chroot] with DNS host names");
    }
  } else if (ENGINES_WITH_ZOOKEEPER.has(ctx.engine)) {
    err("zookeeperConnect", `is required for ${ctx.engine}`);
  }

  if (c.adminSecretArn !== undefined) {
    const m = typeof c.adminSecretArn === "string" ? SECRET_ARN.exec(c.adminSecretArn) : null;
    if (!m) err("adminSecretArn", "must be a Secrets Manager secret ARN");
    else if (regionOk && m[1] !== ctx.region) err("adminSecretArn", `must be in region ${ctx.region}`);
  } else if (ENGINES_WITH_ADMIN_SECRET.has(ctx.engine)) {
    err("adminSecretArn", `is required for ${ctx.engine}`);
  }
  if (c.serviceUsers !== undefined) {
    if (!Array.isArray(c.serviceUsers)) {
      err("serviceUsers", "must be an array");
    } else if (ctx.serviceUsers!.length > 0 && !ENGINES_WITH_ADMIN_SECRET.has(ctx.engine)) {
      err("serviceUsers", `${ctx.engine} has no users to create`);
    } else {
      const databases = new Set<string>();
      ctx.serviceUsers!.forEach((u, i) => {
        if (typeof u?.service !== "string" || !SERVICE_NAME.test(u.service)) err(`serviceUsers[${i}].service`, `must match ${SERVICE_NAME}`);
        if (typeof u?.database !== "string" || !DATABASE_NAME.test(u.database)) err(`serviceUsers[${i}].database`, `must match ${DATABASE_NAME}`);
        else if (databases.has(u.database)) err(`serviceUsers[${i}].database`, "is given to two services");
        else databases.add(u.database);
        const m = typeof u?.secretArn === "string" ? SECRET_ARN.exec(u.secretArn) : null;
        if (!m) err(`serviceUsers[${i}].secretArn`, "must be a Secrets Manager secret ARN");
        else if (regionOk && m[1] !== ctx.region) err(`serviceUsers[${i}].secretArn`, `must be in region ${ctx.region}`);
      });
    }
  }
  if (c.logShipping !== undefined) {
    const t = (typeof c.logShipping === "object" && c.logShipping !== null ? c.logShipping : {}) as Record<string, unknown>;
    if (!isValidDnsName(t.host)) err("logShipping.host", "must be a lower-case fully qualified DNS name (the name the certificate covers)");
    if (!Number.isInteger(t.port) || (t.port as number) < 1 || (t.port as number) > 65535) err("logShipping.port", "must be a TCP port");
    if (typeof t.managementCidr !== "string" || !IPV4_CIDR.test(t.managementCidr)) err("logShipping.managementCidr", "must be an IPv4 CIDR");
  }
  return errors;
}

export class BootstrapValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid bootstrap context:\n  ${issues.join("\n  ")}`);
    this.name = "BootstrapValidationError";
  }
}

export function assertValidBootstrapContext(ctx: BootstrapContext): void {
  const issues = validateBootstrapContext(ctx);
  if (issues.length > 0) throw new BootstrapValidationError(issues);
}
