import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";
import { stackThresholds, teamsRouting } from "../../config/observability";
import { alertsSchema } from "../../config/alertsSchema";
import { THRESHOLDS } from "../../components/observability/thresholds";

const real = readStackFiles(path.resolve(__dirname, "../..")).raw;

/** The issues of `stack`'s real file with `observability.alerts` replaced by `alerts`. */
function issuesWith(stack: string, alerts: unknown): string[] {
  const raw = JSON.parse(JSON.stringify(real[stack as keyof typeof real])) as RawConfig & { observability?: Record<string, unknown> };
  raw.observability = { ...(raw.observability ?? {}), alerts };
  const r = validateStackConfig(stack, "me-south-1", raw, real);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

describe("config validation: observability.alerts", () => {
  it("accepts overrides of resources the stack creates, with values of the right kind", () => {
    expect(issuesWith("dev", {
      emails: { critical: ["oncall@tila.sa"] },
      thresholds: { lb5xxPercent: 3, lbP99LatencySeconds: 0.8 },
      overrides: { catalog: { serviceCpuPercent: 95 }, kafka: { nodeDiskPercent: 70 }, mysql: { mysqlConnections: 300 }, public: { lb5xxPercent: 2 } },
    })).to.deep.equal([]);
  });

  it("refuses an override for a resource that does not exist in the stack, naming the key", () => {
    const issues = issuesWith("dev", { overrides: { wishlist: { serviceCpuPercent: 90 } } });
    expect(issues).to.have.length(1);
    expect(issues[0]).to.match(/^tila-platform:observability\.alerts\.overrides\.wishlist: "wishlist" is not a monitored resource of this stack \(public, internal, storefront, catalog, search, .*mysql, redis, opensearch\)$/);
  });

  it("refuses any override in management, which has no thresholded resources", () => {
    expect(issuesWith("management", { overrides: { mysql: { mysqlCpuPercent: 50 } } })).to.deep.equal([
      "tila-platform:observability.alerts.overrides.mysql: this stack has no resources with thresholds to override",
    ]);
  });

  it("refuses a percentage outside 0-100", () => {
    expect(issuesWith("prod", { thresholds: { serviceCpuPercent: 120 }, overrides: { redis: { redisMemoryPercent: -1 } } })).to.deep.equal([
      "tila-platform:observability.alerts.thresholds.serviceCpuPercent: must be a percentage from 0 to 100 (got 120)",
      "tila-platform:observability.alerts.overrides.redis.redisMemoryPercent: must be a percentage from 0 to 100 (got -1)",
    ]);
  });

  it("refuses a negative or fractional count", () => {
    expect(issuesWith("prod", { thresholds: { redisEvictions: -5, mysqlConnections: 10.5 } })).to.deep.equal([
      "tila-platform:observability.alerts.thresholds.redisEvictions: must be a whole count, 0 or more (got -5)",
      "tila-platform:observability.alerts.thresholds.mysqlConnections: must be a whole count, 0 or more (got 10.5)",
    ]);
  });

  it("refuses a latency that is not a positive number of seconds", () => {
    expect(issuesWith("stage", { thresholds: { lbP99LatencySeconds: 0 }, overrides: { mysql: { mysqlReplicaLagSeconds: -30 } } })).to.deep.equal([
      "tila-platform:observability.alerts.thresholds.lbP99LatencySeconds: must be a positive number of seconds (got 0)",
      "tila-platform:observability.alerts.overrides.mysql.mysqlReplicaLagSeconds: must be a positive number of seconds (got -30)",
    ]);
  });

  it("refuses a threshold that does not exist, or one of another kind of resource", () => {
    expect(issuesWith("dev", { thresholds: { cpu: 80 }, overrides: { catalog: { redisEvictions: 10 } } })).to.deep.equal([
      `tila-platform:observability.alerts.thresholds.cpu: is not a threshold (${Object.keys(THRESHOLDS).join(", ")})`,
      'tila-platform:observability.alerts.overrides.catalog.redisEvictions: applies to redis resources; "catalog" is a service',
    ]);
  });

  it("refuses an e-mail that is not an address, naming the key", () => {
    expect(issuesWith("prod", { emails: { critical: ["oncall@tila.sa", "on call team"], warning: ["ops"] } })).to.deep.equal([
      "tila-platform:observability.alerts.emails.critical[1]: must be an e-mail address",
      "tila-platform:observability.alerts.emails.warning[0]: must be an e-mail address",
    ]);
  });

  it("reports every problem at once", () => {
    expect(issuesWith("dev", { emails: { warning: ["x"] }, thresholds: { nodeDiskPercent: 101 }, overrides: { nope: {} } })).to.have.length(3);
  });
});

describe("observability defaults per environment", () => {
  const none = alertsSchema.parse({});

  it("is strict in prod and preprod, relaxed in dev, stage and management", () => {
    expect(stackThresholds("prod", none).base.lb5xxPercent).to.equal(THRESHOLDS.lb5xxPercent.strict);
    expect(stackThresholds("preprod", none).base.serviceCpuPercent).to.equal(80);
    expect(stackThresholds("dev", none).base.lb5xxPercent).to.equal(THRESHOLDS.lb5xxPercent.relaxed);
    expect(stackThresholds("management", none).base.serviceCpuPercent).to.equal(90);
  });

  it("puts stack values over the defaults and keeps overrides per resource", () => {
    const t = stackThresholds("prod", alertsSchema.parse({ thresholds: { serviceCpuPercent: 70 }, overrides: { catalog: { serviceCpuPercent: 95 } } }));
    expect(t.base.serviceCpuPercent).to.equal(70);
    expect(t.overrides.catalog).to.deep.equal({ serviceCpuPercent: 95 });
  });

  it("sends prod and preprod critical and security to Teams, warnings by e-mail only; dev and stage everything to Teams", () => {
    expect(teamsRouting("prod", none)).to.deep.equal({ critical: true, warning: false, security: true });
    expect(teamsRouting("preprod", none)).to.deep.equal({ critical: true, warning: false, security: true });
    expect(teamsRouting("dev", none)).to.deep.equal({ critical: true, warning: true, security: true });
    expect(teamsRouting("stage", none)).to.deep.equal({ critical: true, warning: true, security: true });
    expect(teamsRouting("dev", alertsSchema.parse({ teams: { warning: false } })).warning).to.equal(false);
  });
});
