/**
 * `observability.logging.graylog`: refused in the environments, and in management a node count that
 * is even, too small or cannot survive an AZ loss, an index set below its floor, instance types the
 * nodes cannot run and an environment domain the certificate cannot cover, each naming its key.
 */
import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const G = "tila-platform:observability.logging.graylog";

function withGraylog(raw: RawConfig, graylog: Record<string, unknown>): RawConfig {
  const logging = (((raw.observability ??= {}) as Record<string, unknown>).logging ??= {}) as Record<string, Record<string, unknown>>;
  logging.graylog = { ...(logging.graylog ?? {}), ...graylog };
  return raw;
}

function issuesFor(stack: string, graylog: Record<string, unknown>, edit: (raw: RawConfig, all: Record<string, RawConfig>) => void = () => undefined): string[] {
  const all = clone(real) as Record<string, RawConfig>;
  const raw = withGraylog(all[stack]!, graylog);
  edit(raw, all);
  const r = validateStackConfig(stack, "me-south-1", raw, all);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

const graylogIssues = (issues: string[]): string[] => issues.filter((i) => i.startsWith(G) || i.startsWith("tila-platform:network.azCount"));

describe("tila-platform:observability.logging.graylog config", () => {
  it("accepts the real management file (Graylog on, 3 nodes over 3 AZs) and larger odd counts", () => {
    expect(graylogIssues(issuesFor("management", {}))).to.deep.equal([]);
    expect(graylogIssues(issuesFor("management", { nodeCount: 5, indexSets: { prod: { hotDays: 120, archiveDays: 400 } } }))).to.deep.equal([]);
  });

  it("refuses an even or too small node count, naming nodeCount", () => {
    for (const nodeCount of [1, 2, 4]) {
      const issues = graylogIssues(issuesFor("management", { nodeCount }));
      expect(issues.length, String(nodeCount)).to.be.greaterThan(0);
      expect(issues[0]).to.match(new RegExp(`^${G.replace(/\./g, "\\.")}\\.nodeCount: ${nodeCount} Graylog nodes: run an odd number of at least 3`));
    }
  });

  it("refuses a management network of 2 AZs: the MongoDB members and OpenSearch masters lose their majority, naming network.azCount", () => {
    const issues = graylogIssues(issuesFor("management", {}, (raw) => { (raw.network as Record<string, unknown>).azCount = 2; }));
    expect(issues).to.include("tila-platform:network.azCount: losing AZ 1 of 2 leaves 1 of 3 MongoDB members: no majority, no primary; Graylog must survive the loss of any one AZ");
    expect(issues.some((i) => i.startsWith("tila-platform:network.azCount") && i.includes("OpenSearch masters"))).to.equal(true);
    expect(issues.every((i) => !i.startsWith(`${G}.nodeCount`))).to.equal(true);
  });

  it("refuses index sets below the floors, naming hotDays and archiveDays", () => {
    const issues = graylogIssues(issuesFor("management", { indexSets: { prod: { hotDays: 30, archiveDays: 90 }, preprod: { hotDays: 7, archiveDays: 30 }, dev: { hotDays: 1, archiveDays: 0 } } }));
    expect(issues).to.deep.equal([
      `${G}.indexSets.prod.hotDays: 30 is below prod's floor of 90 days searchable (components/retentionFloors.ts)`,
      `${G}.indexSets.prod.archiveDays: 90 is below prod's floor of 365 days archived (components/retentionFloors.ts)`,
      `${G}.indexSets.preprod.archiveDays: 30 is below preprod's floor of 90 days archived (components/retentionFloors.ts)`,
    ]);
  });

  it("refuses instance types the nodes cannot run and OpenSearch data nodes that are not a multiple of the AZs", () => {
    const issues = graylogIssues(issuesFor("management", { instanceType: "banana", mongodb: { instanceType: "i4i.large" }, search: { instanceType: "t2.small.search", instanceCount: 4 } }));
    expect(issues.map((i) => i.split(": ")[0])).to.deep.equal([`${G}.search.instanceCount`, `${G}.instanceType`, `${G}.mongodb.instanceType`, `${G}.search.instanceType`]);
  });

  it("refuses Graylog keys in an environment, naming each", () => {
    expect(graylogIssues(issuesFor("prod", { enabled: true, nodeCount: 3 }))).to.deep.equal([
      `${G}.enabled: Graylog runs in management: configure it in Pulumi.management.yaml, not in an environment`,
      `${G}.nodeCount: Graylog runs in management: configure it in Pulumi.management.yaml, not in an environment`,
    ]);
  });

  it("refuses an environment whose domain management's zone cannot validate the certificate for", () => {
    const issues = graylogIssues(issuesFor("management", {}, (_raw, all) => { (all.stage!.dns as Record<string, unknown>).domain = "tila-stage.com"; }));
    expect(issues).to.deep.equal([`${G}.enabled: Pulumi.stage.yaml dns.domain tila-stage.com is not under tila.sa: the certificate for graylog.stage.internal.tila-stage.com cannot be validated in management's zone`]);
  });
});
