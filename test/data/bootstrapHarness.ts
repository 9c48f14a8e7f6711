/**
 * What the bootstrap tests share: the bash runner, a well-formed context per engine and node
 * shape, and the guards that name a missing host tool (shellcheck lives in shellcheck.ts).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { BootstrapContext } from "../../components/data/bootstrap";

export function bash(script: string, env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** What a recorded run left: bash's status, what the stubs appended to the calls file, and stdout plus stderr. */
export interface RecordedRun {
  status: number;
  calls: string;
  output: string;
}

/**
 * Runs the script `lines(dir, calls)` builds under bash in a fresh temporary folder `dir` (the
 * builder may put fixtures there first); stubs in it append to the file `calls`. The folder is
 * removed afterwards.
 */
export function runRecorded(prefix: string, lines: (dir: string, calls: string) => readonly string[]): RecordedRun {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const calls = join(dir, "calls");
    const r = bash(lines(dir, calls).join("\n"));
    let recorded = "";
    try {
      recorded = readFileSync(calls, "utf8");
    } catch {
      recorded = "";
    }
    return { status: r.status, calls: recorded, output: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const ZK = "zk-0.dev.internal.tila.sa:2181,zk-1.dev.internal.tila.sa:2181,zk-2.dev.internal.tila.sa:2181";
export const ARN = "arn:aws:secretsmanager:me-south-1:111111111111:secret:tila/dev/data-admin-Ab12Cd";

export const SERVICE_USERS = [
  { service: "catalog", database: "catalog", secretArn: "arn:aws:secretsmanager:me-south-1:111111111111:secret:dev/data/dev-mongodb-catalog-Ef34Gh" },
  { service: "notifications", database: "notifications", secretArn: "arn:aws:secretsmanager:me-south-1:111111111111:secret:dev/data/dev-mongodb-notifications-Ij56Kl" },
];

export function ctxFor(engine: BootstrapContext["engine"], nodeCount: number, nodeIndex = 0, overrides: Partial<BootstrapContext> = {}): BootstrapContext {
  const peers = Array.from({ length: nodeCount }, (_, i) => `${engine}-${i}.dev.internal.tila.sa`);
  return {
    engine,
    clusterName: `${engine}-main`,
    environment: "dev",
    region: "me-south-1",
    nodeIndex,
    nodeCount,
    az: `me-south-1${"abc"[nodeIndex % 3]}`,
    selfDnsName: peers[nodeIndex],
    peerDnsNames: peers,
    dataDevice: "/dev/sdf",
    mountPoint: "/data",
    zookeeperConnect: engine === "solr" || engine === "kafka" ? ZK : undefined,
    adminSecretArn: ["couchbase", "arangodb", "mongodb", "cassandra"].includes(engine) ? ARN : undefined,
    serviceUsers: ["couchbase", "arangodb", "mongodb", "cassandra"].includes(engine) ? SERVICE_USERS : undefined,
    ...overrides,
  };
}

export const ENGINES: BootstrapContext["engine"][] = ["arangodb", "mongodb", "aerospike", "couchbase", "solr", "kafka", "zookeeper", "cassandra"];

/** The node shapes every engine is rendered in: first node and a joiner of 3, and a single node. */
export function variants(engine: BootstrapContext["engine"]): { label: string; ctx: BootstrapContext }[] {
  const list = [
    { label: "node 0 of 3", ctx: ctxFor(engine, 3, 0) },
    { label: "node 1 of 3", ctx: ctxFor(engine, 3, 1) },
    { label: "single node", ctx: ctxFor(engine, 1, 0) },
  ];
  if (engine === "zookeeper") list.push({ label: "node 4 of 5", ctx: ctxFor(engine, 5, 4) });
  return list;
}

export function requireTool(name: string): void {
  const r = spawnSync("bash", ["-c", `command -v ${name}`]);
  if (r.status !== 0) throw new Error(`${name} is not on PATH: install it with \`apt-get install -y ${name}\` (npm test's pretest step does this when run as root)`);
}

/** Checks in a `before` hook, so a missing tool fails the suite that needs it rather than loading. */
export function requireToolLazy(name: string): void {
  before(() => requireTool(name));
}
