/**
 * `observability.apm.glowroot.collector`: the central node's and its Cassandra's sizing, in management
 * only. Bad types are refused naming the key; an environment naming the collector is refused.
 */
import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function withCollector(raw: RawConfig, collector: unknown): RawConfig {
  const glowroot = ((((raw.observability ??= {}) as Record<string, unknown>).apm ??= {}) as Record<string, Record<string, unknown>>);
  glowroot.glowroot = { ...(glowroot.glowroot ?? {}), collector };
  return raw;
}

function issuesFor(stack: string, collector: unknown): string[] {
  const raw = withCollector(clone(real[stack as keyof typeof real]!), collector);
  const r = validateStackConfig(stack, "me-south-1", raw, { ...real, [stack]: raw });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("tila-platform:observability.apm.glowroot.collector config", () => {
  it("accepts sizing in management", () => {
    expect(issuesFor("management", { instanceType: "m6i.xlarge", cassandra: { instanceType: "r7g.xlarge", dataVolumeSizeGiB: 500 } })).to.deep.equal([]);
  });

  it("refuses an unknown instance type, a too small volume and an unknown key, naming each", () => {
    const issues = issuesFor("management", { instanceType: "banana", cassandra: { instanceType: "i4i.large", dataVolumeSizeGiB: 10, replicas: 5 } });
    const paths = issues.map((i) => i.split(": ")[0]);
    expect(paths).to.include.members([
      "tila-platform:observability.apm.glowroot.collector.cassandra.dataVolumeSizeGiB",
      "tila-platform:observability.apm.glowroot.collector.cassandra",
    ]);
    const types = issuesFor("management", { instanceType: "banana", cassandra: { instanceType: "i4i.large" } }).map((i) => i.split(": ")[0]);
    expect(types).to.deep.equal(["tila-platform:observability.apm.glowroot.collector.instanceType", "tila-platform:observability.apm.glowroot.collector.cassandra.instanceType"]);
  });

  it("refuses the collector's sizing in an environment", () => {
    expect(issuesFor("prod", { instanceType: "m6i.large" })).to.deep.equal([
      "tila-platform:observability.apm.glowroot.collector: the central collector runs in management: size it in Pulumi.management.yaml",
    ]);
  });
});
