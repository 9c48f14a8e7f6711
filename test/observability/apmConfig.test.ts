import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function apmOf(raw: RawConfig): { newRelic: Record<string, unknown>; glowroot: Record<string, unknown> } {
  const o = ((raw.observability ??= {}) as Record<string, unknown>);
  const apm = ((o.apm ??= {}) as Record<string, Record<string, unknown>>);
  apm.newRelic ??= {};
  apm.glowroot ??= {};
  return apm as { newRelic: Record<string, unknown>; glowroot: Record<string, unknown> };
}

function issuesFor(stack: string, edit: (raw: RawConfig) => void, others: Partial<Record<string, RawConfig>> = real): string[] {
  const raw = clone(real[stack as keyof typeof real]!);
  edit(raw);
  const r = validateStackConfig(stack, "me-south-1", raw, { ...others, [stack]: raw });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("observability.apm config", () => {
  it("is on in prod, preprod and management and off in dev in the real stack files", () => {
    for (const stack of ["prod", "preprod"] as const) {
      const apm = apmOf(clone(real[stack]!));
      expect(apm.newRelic.enabled, stack).to.equal(true);
      expect(apm.glowroot.enabled, stack).to.equal(true);
    }
    expect(apmOf(clone(real.management!)).glowroot.enabled).to.equal(true);
    const dev = apmOf(clone(real.dev!));
    expect(dev.newRelic.enabled ?? false).to.equal(false);
    expect(dev.glowroot.enabled ?? false).to.equal(false);
  });

  it("refuses a Java service that is not in the catalogue, naming the key", () => {
    const issues = issuesFor("prod", (raw) => { apmOf(raw).glowroot.javaServices = ["catalog", "billing"]; });
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:observability\.apm\.glowroot\.javaServices\[1\]: "billing" is not a service of this environment's catalogue/);
  });

  it("refuses New Relic without an account id, a non-numeric one, and an app name that merges services", () => {
    expect(issuesFor("dev", (raw) => { apmOf(raw).newRelic.enabled = true; })).to.deep.equal([
      "tila-platform:observability.apm.newRelic.accountId: is required when newRelic.enabled is true (the integration role's external id)",
    ]);
    expect(issuesFor("prod", (raw) => { apmOf(raw).newRelic.accountId = "NR-1"; }).join("\n")).to.match(/observability\.apm\.newRelic\.accountId: must be the New Relic account id/);
    expect(issuesFor("prod", (raw) => { apmOf(raw).newRelic.appName = "tila-{environment}"; }).join("\n")).to.match(/observability\.apm\.newRelic\.appName: must contain \{service\}/);
    expect(issuesFor("prod", (raw) => { apmOf(raw).newRelic.region = "APAC"; }).join("\n")).to.match(/observability\.apm\.newRelic\.region/);
  });

  it("refuses Glowroot agents when management runs no collector, naming the key", () => {
    const management = clone(real.management!);
    apmOf(management).glowroot.enabled = false;
    const issues = issuesFor("prod", () => undefined, { ...real, management });
    expect(issues).to.deep.equal([
      "tila-platform:observability.apm.glowroot.enabled: the agents report to management's central collector: set observability.apm.glowroot.enabled: true in Pulumi.management.yaml first",
    ]);
  });

  it("refuses a Java service that sets JAVA_TOOL_OPTIONS itself, which would drop the agent", () => {
    const issues = issuesFor("prod", (raw) => {
      const catalog = (raw.services as { catalog: { name: string; environment?: Record<string, string> }[] }).catalog;
      catalog.find((s) => s.name === "search")!.environment = { JAVA_TOOL_OPTIONS: "-Xmx1g" };
      catalog.find((s) => s.name === "cart")!.environment = { JAVA_TOOL_OPTIONS: "-Xmx1g" };
    });
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:services\.catalog\[2\]\.environment\.JAVA_TOOL_OPTIONS: search is a Glowroot Java service/);
  });

  it("refuses Java services in management and an enabled Glowroot naming none", () => {
    expect(issuesFor("management", (raw) => { apmOf(raw).glowroot.javaServices = ["catalog"]; })).to.deep.equal([
      "tila-platform:observability.apm.glowroot.javaServices: management runs no services; name the Java services in each environment's stack file",
    ]);
    expect(issuesFor("prod", (raw) => { apmOf(raw).glowroot.javaServices = []; })).to.deep.equal([
      "tila-platform:observability.apm.glowroot.javaServices: glowroot is enabled but names no Java service: list them, or set enabled: false",
    ]);
  });
});
