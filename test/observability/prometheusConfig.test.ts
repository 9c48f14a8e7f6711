import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";
import { decodeUserData } from "../../components/data/userData";
import { engineWithRealManagement } from "../support/realStacks";

const ROOT = path.resolve(__dirname, "../..");
const real = readStackFiles(ROOT).raw;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

function prometheusOf(raw: RawConfig): Record<string, unknown> {
  const o = (raw.observability ??= {}) as Record<string, unknown>;
  return (o.prometheus ??= {}) as Record<string, unknown>;
}

function issuesFor(stack: string, edit: (p: Record<string, unknown>) => void): string[] {
  const raw = clone(real[stack as keyof typeof real]!);
  edit(prometheusOf(raw));
  const r = validateStackConfig(stack, "me-south-1", raw, { ...real, [stack]: raw });
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("observability.prometheus config", function () {
  this.timeout(120000);

  it("accepts every real stack file as it is", () => {
    for (const stack of ["management", "dev", "stage", "preprod", "prod"]) expect(issuesFor(stack, () => undefined), stack).to.deep.equal([]);
  });

  it("refuses a scrape interval out of range, naming the key", () => {
    expect(issuesFor("dev", (p) => { p.scrapeIntervalSeconds = 5; }).join("\n")).to.match(/observability\.prometheus\.scrapeIntervalSeconds: must be at least 15 seconds/);
    expect(issuesFor("dev", (p) => { p.scrapeIntervalSeconds = 600; }).join("\n")).to.match(/observability\.prometheus\.scrapeIntervalSeconds: must be at most 300 seconds/);
    expect(issuesFor("dev", (p) => { p.scrapeIntervalSeconds = "60s"; }).join("\n")).to.match(/observability\.prometheus\.scrapeIntervalSeconds/);
  });

  it("refuses a retention CloudWatch Logs does not offer, and less than the services' floor in prod", () => {
    expect(issuesFor("dev", (p) => { p.logRetentionDays = 45; }).join("\n")).to.match(/observability\.prometheus\.logRetentionDays: must be a CloudWatch Logs retention/);
    expect(issuesFor("dev", (p) => { p.logRetentionDays = 30; })).to.deep.equal([]);
    expect(issuesFor("prod", (p) => { p.logRetentionDays = 30; })).to.deep.equal([
      "tila-platform:observability.prometheus.logRetentionDays: prod keeps the collector's logs at least 90 days, as its services' (got 30)",
    ]);
  });

  it("refuses a metrics path that is not an absolute path, and an unknown key, naming each", () => {
    expect(issuesFor("dev", (p) => { p.servicesMetricsPath = "metrics"; }).join("\n")).to.match(/observability\.prometheus\.servicesMetricsPath: must be an absolute URL path/);
    expect(issuesFor("dev", (p) => { p.scrapeInterval = 30; }).join("\n")).to.match(/observability\.prometheus.*scrapeInterval/);
  });

  it("refuses Prometheus turned on in management, which has nothing to scrape", () => {
    expect(issuesFor("management", (p) => { p.enabled = true; })).to.deep.equal([
      "tila-platform:observability.prometheus.enabled: management runs no services or data nodes to scrape; Prometheus is per environment (leave it unset or false here)",
    ]);
    expect(issuesFor("management", (p) => { p.enabled = false; })).to.deep.equal([]);
  });

  it("plans an environment with Prometheus off: no workspace, no collector, no scrape rules on its groups", async () => {
    const doc = parseDocument(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    doc.setIn(["config", "tila-platform:observability", "prometheus", "enabled"], false);
    const file = path.join(os.tmpdir(), `tila-prometheus-off-${process.pid}.yaml`);
    fs.writeFileSync(file, doc.toString());
    try {
      const engine = await engineWithRealManagement({ configFiles: { dev: file } });
      const run = await engine.run("dev");
      expect(run.resources.length).to.be.greaterThan(100);
      expect(run.resources.filter((r) => r.type.startsWith("aws:amp/") || /prometheus/.test(r.name)).map((r) => r.name)).to.deep.equal([]);
      expect(run.outputs.prometheus).to.deep.equal({ enabled: false, reason: "observability.prometheus.enabled is false" });
      // The data nodes still run the CloudWatch agent and node_exporter: only the scraping is off.
      const instance = run.resources.find((r) => r.type === "aws:ec2/instance:Instance")!;
      expect(decodeUserData(instance.inputs)).to.contain("install_node_exporter");
    } finally {
      fs.rmSync(file, { force: true });
    }
  });
});
