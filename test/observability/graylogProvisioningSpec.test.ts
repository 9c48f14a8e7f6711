import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { RawConfig, ValidatedConfig, validateStackConfig } from "../../config/validate";
import { DEFAULT_INDEX_SETS } from "../../config/loggingSchema";
import { GELF_TCP_PORT, LOG_FIELDS, indexPrefix } from "../../components/observability/logging/graylogPlan";
import {
  ALERT_PRIORITY,
  ERROR_QUERY,
  GELF_TCP_INPUT_TYPE,
  GRAYLOG_MANAGED_MARKER,
  SPIKE_FACTOR,
  archivePolicies,
  graylogSpec,
  graylogSpecProblems,
} from "../../components/observability/logging/graylogProvisioningSpec";
import { graylogSpecOf, indexSetSpecsOf } from "../../stacks/graylogProvisioning";
import { SpecSchema, specProblems } from "../../functions/graylog-provisioner/spec";

const real = readStackFiles(path.resolve(__dirname, "../..")).raw;

/** Management's validated config, its raw file edited by `edit` first. */
function management(edit: (raw: RawConfig & { observability?: Record<string, unknown> }) => void = () => undefined): ValidatedConfig {
  const raw = JSON.parse(JSON.stringify(real.management)) as RawConfig & { observability?: Record<string, unknown> };
  edit(raw);
  const r = validateStackConfig("management", "me-south-1", raw, real);
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.path}: ${i.message}`).join("; "));
  return r.config;
}

function catalogOf(stack: string): string[] {
  const services = (real[stack as keyof typeof real]?.services as { catalog?: { name: string }[] } | undefined)?.catalog ?? [];
  return services.map((s) => s.name);
}

const SETS = [
  { stack: "management", prefix: "tila-management", hotDays: 90, archiveDays: 365 },
  { stack: "prod", prefix: "tila-prod", hotDays: 90, archiveDays: 365 },
  { stack: "dev", prefix: "tila-dev", hotDays: 7, archiveDays: 0 },
];

describe("Graylog provisioning spec (graylogProvisioningSpec.ts)", () => {
  it("holds one global GELF TCP input on the contract's port", () => {
    const spec = graylogSpec({ indexSets: SETS, services: [], errorsPerFiveMinutes: 50 });
    expect(spec.inputs).to.deep.equal([{ title: "tila GELF TCP", type: GELF_TCP_INPUT_TYPE, port: GELF_TCP_PORT }]);
    expect(GELF_TCP_INPUT_TYPE).to.equal("org.graylog2.inputs.gelf.tcp.GELFTCPInput");
  });

  it("routes each stack's messages by the environment field into its own index set, and each service by environment AND service", () => {
    const spec = graylogSpec({ indexSets: SETS, services: [{ environment: "prod", service: "orders" }, { environment: "dev", service: "orders" }], errorsPerFiveMinutes: 50 });
    const byTitle = Object.fromEntries(spec.streams.map((s) => [s.title, s]));
    expect(Object.keys(byTitle).sort()).to.deep.equal(["tila dev", "tila dev orders", "tila management", "tila prod", "tila prod orders"]);
    expect(byTitle["tila prod"]).to.deep.include({ indexSetStack: "prod", rules: [{ field: LOG_FIELDS.environment, value: "prod" }] });
    expect(byTitle["tila dev orders"]).to.deep.include({ indexSetStack: "dev", rules: [{ field: "environment", value: "dev" }, { field: "service", value: "orders" }] });
    expect(spec.streams.every((s) => s.description.startsWith(GRAYLOG_MANAGED_MARKER))).to.equal(true);
  });

  it("alerts per service on more than the threshold of error-level messages in 5 minutes (warning), and on a prod-wide spike (critical)", () => {
    const spec = graylogSpec({ indexSets: SETS, services: [{ environment: "prod", service: "orders" }, { environment: "dev", service: "cart" }], errorsPerFiveMinutes: 40 });
    expect(spec.alerts.map((a) => [a.title, a.streamTitle, a.threshold, a.severity, a.priority])).to.deep.equal([
      ["tila dev cart errors", "tila dev cart", 40, "warning", ALERT_PRIORITY.warning],
      ["tila prod orders errors", "tila prod orders", 40, "warning", ALERT_PRIORITY.warning],
      ["tila prod error spike", "tila prod", 40 * SPIKE_FACTOR, "critical", ALERT_PRIORITY.critical],
    ]);
    expect(spec.alerts.every((a) => a.query === ERROR_QUERY && a.windowMinutes === 5)).to.equal(true);
    expect(ERROR_QUERY).to.equal("level:[0 TO 3]");
    expect(ALERT_PRIORITY).to.deep.equal({ warning: 2, critical: 4 });
  });

  it("defines no spike when prod is not in the plan", () => {
    const spec = graylogSpec({ indexSets: SETS.filter((s) => s.stack !== "prod"), services: [], errorsPerFiveMinutes: 50 });
    expect(spec.alerts).to.deep.equal([]);
  });

  it("refuses inconsistent input naming each problem", () => {
    expect(graylogSpecProblems({
      indexSets: [...SETS, { stack: "dev", prefix: "graylog", hotDays: 0, archiveDays: -1 }],
      services: [{ environment: "qa", service: "Orders" }],
      errorsPerFiveMinutes: 0,
    })).to.deep.equal([
      'indexSets[3].stack: "dev" has two index sets',
      'indexSets[3].prefix: "graylog" must be "tila-dev"',
      "indexSets[3].hotDays: must be a whole number of days >= 1 (got 0)",
      "indexSets[3].archiveDays: must be a whole number of days >= 0 (got -1)",
      'services[0]: environment "qa" has no index set',
      'services[0].service: "Orders" must be a lower-case service name',
      "errorsPerFiveMinutes: must be a whole number >= 1 (got 0)",
    ]);
    expect(() => graylogSpec({ indexSets: SETS, services: [{ environment: "qa", service: "x" }], errorsPerFiveMinutes: 5 })).to.throw(/environment "qa" has no index set/);
  });

  it("archives daily only the stacks with archive days, over their own indices", () => {
    expect(archivePolicies(SETS)).to.deep.equal([
      { name: "tila-management-archive", indices: "tila-management_*", archiveDays: 365 },
      { name: "tila-prod-archive", indices: "tila-prod_*", archiveDays: 365 },
    ]);
  });

  describe("from management's real config (graylogSpecOf)", () => {
    it("has one index set per stack of the address plan, with DEFAULT_INDEX_SETS for the stacks config does not name", () => {
      const sets = indexSetSpecsOf(management());
      expect(sets.map((s) => s.stack)).to.deep.equal(["management", "dev", "stage", "preprod", "prod"]);
      for (const s of sets) {
        expect(s.prefix).to.equal(indexPrefix(s.stack));
      }
      const dev = sets.find((s) => s.stack === "dev")!;
      expect({ hotDays: dev.hotDays, archiveDays: dev.archiveDays }).to.deep.equal(DEFAULT_INDEX_SETS.dev);
    });

    it("takes a stack's index set from config when named", () => {
      const cfg = management((raw) => {
        const obs = (raw.observability ??= {}) as Record<string, Record<string, unknown>>;
        obs.logging = { graylog: { indexSets: { stage: { hotDays: 21, archiveDays: 30 } } } };
      });
      expect(indexSetSpecsOf(cfg).find((s) => s.stack === "stage")).to.deep.equal({ stack: "stage", prefix: "tila-stage", hotDays: 21, archiveDays: 30 });
      expect(indexSetSpecsOf(cfg).find((s) => s.stack === "prod")).to.deep.include(DEFAULT_INDEX_SETS.prod);
    });

    it("has a stream and an alert for every service every environment's stack file runs", () => {
      const spec = graylogSpecOf(management());
      for (const env of ["dev", "stage", "preprod", "prod"]) {
        const services = catalogOf(env);
        expect(services.length, `${env} runs services`).to.be.greaterThan(0);
        for (const s of services) {
          expect(spec.streams.map((x) => x.title), `${env}/${s}`).to.include(`tila ${env} ${s}`);
          expect(spec.alerts.map((x) => x.title), `${env}/${s}`).to.include(`tila ${env} ${s} errors`);
        }
      }
      const serviceCount = ["dev", "stage", "preprod", "prod"].reduce((n, e) => n + catalogOf(e).length, 0);
      expect(spec.streams).to.have.length(5 + serviceCount);
      expect(spec.alerts).to.have.length(serviceCount + 1);
    });

    it("is an input the provisioner accepts whole (its zod schema and reference checks)", () => {
      const spec = graylogSpecOf(management());
      const parsed = SpecSchema.safeParse(JSON.parse(JSON.stringify(spec)));
      expect(parsed.success, parsed.success ? "" : parsed.error.message).to.equal(true);
      if (parsed.success) expect(specProblems(parsed.data)).to.deep.equal([]);
      expect(SpecSchema.safeParse({ ...spec, alerts: [{ ...spec.alerts[0], severity: "page" }] }).success).to.equal(false);
    });

    it("reads the alert threshold from observability.logging.graylog.alerts", () => {
      const cfg = management((raw) => {
        const obs = (raw.observability ??= {}) as Record<string, Record<string, unknown>>;
        obs.logging = { graylog: { alerts: { errorsPerFiveMinutes: 7 } } };
      });
      const spec = graylogSpecOf(cfg);
      expect(new Set(spec.alerts.filter((a) => a.severity === "warning").map((a) => a.threshold))).to.deep.equal(new Set([7]));
      expect(spec.alerts.find((a) => a.severity === "critical")!.threshold).to.equal(7 * SPIKE_FACTOR);
    });
  });
});
