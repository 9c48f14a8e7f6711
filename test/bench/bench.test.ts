import { expect } from "chai";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ScenarioResult, planNodeArgs, ratios } from "../../bench/cli";
import { median, perResource, speedup } from "../../bench/stats";
import { syntheticProd } from "../../bench/syntheticProd";

const PROD = fs.readFileSync(path.resolve(__dirname, "../../Pulumi.prod.yaml"), "utf8");

interface Service {
  name: string;
  exposure: string;
  routing: { priority: number; paths?: string[]; host?: string };
}

function catalog(yaml: string): Service[] {
  return (parse(yaml) as { config: Record<string, { catalog: Service[] }> }).config["tila-platform:services"].catalog;
}

describe("benchmark", () => {
  describe("stats", () => {
    it("takes the middle value, or the mean of the middle two", () => {
      expect(median([5, 1, 3])).to.equal(3);
      expect(median([4, 1, 3, 2])).to.equal(2.5);
      expect(() => median([])).to.throw("median of no values");
    });

    it("puts the median between the smallest and largest sample", () => {
      fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1 }), (xs) => {
        const m = median(xs);
        return m >= Math.min(...xs) && m <= Math.max(...xs);
      }));
    });

    it("prices per resource and compares costs", () => {
      expect(perResource(3000, 1500)).to.equal(2);
      expect(perResource(10, 0)).to.equal(undefined);
      expect(speedup(9, 3)).to.equal(3);
      expect(() => speedup(9, 0)).to.throw("cannot compare");
    });
  });

  describe("how the plan is run", () => {
    it("runs the plan with npm run plan's own Node arguments (V8 flags and loader), paths made absolute", () => {
      const script = (JSON.parse(fs.readFileSync(path.join(__dirname, "../../package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan;
      const args = planNodeArgs(script, "/repo");
      expect(args).to.include("--min-semi-space-size=16");
      expect(args.slice(-2)).to.deep.equal(["-r", "/repo/scripts/register-ts.cjs"]);
      expect(() => planNodeArgs("tsx offline/cli.ts", "/repo")).to.throw('package.json\'s plan script is not "node <options> offline/cli.ts"');
    });
  });

  describe("ratios", () => {
    const result = (name: string, wallMs: number, msPerResource: number): ScenarioResult => ({ name, what: "", runs: 1, wallMs, resources: 100, msPerResource, peakMb: 0 });

    it("reports the plan against each baseline present, per resource and in wall time", () => {
      expect(ratios([result("plan", 5000, 2), result("naive-programs", 15000, 6), result("naive-subnets", 9000, 5)])).to.deep.equal({
        "plan vs naive-programs (per resource)": 3,
        "plan vs naive-subnets (per resource)": 2.5,
        "plan vs naive-programs (wall)": 3,
      });
      expect(ratios([result("naive-subnets", 9000, 5)])).to.deep.equal({});
    });
  });

  describe("synthetic prod", () => {
    it("grows the real catalogue to the requested size with unique names and priorities", () => {
      const services = catalog(syntheticProd(PROD, 50));
      expect(services).to.have.length(50);
      expect(new Set(services.map((s) => s.name)).size).to.equal(50);
      expect(new Set(services.map((s) => s.routing.priority)).size).to.equal(50);
      expect(services.slice(0, 10)).to.deep.equal(catalog(PROD));
    });

    it("routes every added public service by its own path (no new host names)", () => {
      const added = catalog(syntheticProd(PROD, 30)).slice(10);
      for (const s of added.filter((x) => x.exposure === "public")) expect(s.routing).to.deep.equal({ priority: s.routing.priority, paths: [`/${s.name}/*`] });
    });

    it("gives every added service an image of its own repository, as config validation requires", () => {
      const services = catalog(syntheticProd(PROD, 30)) as unknown as { name: string; image: string }[];
      for (const s of services) expect(s.image, s.name).to.match(new RegExp(`/tila/${s.name}:[^/]+$`));
    });

    it("never shrinks the catalogue and refuses a count that is not a positive integer", () => {
      expect(catalog(syntheticProd(PROD, 3))).to.have.length(10);
      expect(() => syntheticProd(PROD, 0)).to.throw("positive integer");
      expect(() => syntheticProd("config: {}\n", 5)).to.throw("no services catalogue");
    });
  });
});
