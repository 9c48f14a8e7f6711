/**
 * The region catalogue's refresh script: parsing and merging of offering answers on small fixtures,
 * and the command line (usage errors, progress, files it will and will not write). No network.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  SourceFormatError,
  buildRegionFile,
  formatRegionFile,
  isGeneratedFile,
  matchZoneIds,
  parseOfferings,
  parseZones,
} from "../../scripts/regionCatalogueSource";

const ROOT = path.resolve(__dirname, "../..");
const FIXTURES = path.join(ROOT, "test/fixtures/region-catalogue");
const MOTO = path.join(FIXTURES, "moto");
const read = (...p: string[]): unknown => JSON.parse(fs.readFileSync(path.join(...p), "utf8"));

describe("region catalogue refresh", () => {
  describe("parsing", () => {
    it("reads moto's bare offering arrays and the CLI's InstanceTypeOfferings object alike", () => {
      const moto = parseOfferings(read(MOTO, "availability-zone/xx-test-1.json"), "az");
      expect([...moto.keys()]).to.deep.equal(["xx-test-1a", "xx-test-1b"]);
      expect([...(moto.get("xx-test-1a") ?? [])].sort()).to.deep.equal(["m7g.large", "r6i.large", "r7g.large"]);
      const cli = parseOfferings({ InstanceTypeOfferings: [{ InstanceType: "t3.small", LocationType: "availability-zone", Location: "xx-test-1a" }] }, "cli");
      expect([...(cli.get("xx-test-1a") ?? [])]).to.deep.equal(["t3.small"]);
    });

    it("names the input it cannot read, and refuses an empty answer", () => {
      expect(() => parseOfferings({ Reservations: [] }, "describe x")).to.throw(SourceFormatError, "describe x: expected an InstanceTypeOfferings list");
      expect(() => parseOfferings([{ InstanceType: "t3.small" }], "f.json")).to.throw("f.json: item 0 has no InstanceType and Location strings");
      expect(() => parseOfferings([], "f.json")).to.throw(/no offerings/);
    });

    it("takes AZ ids from DescribeAvailabilityZones and leaves Local Zones out", () => {
      expect([...parseZones(read(FIXTURES, "describe-availability-zones.json"), "zones")]).to.deep.equal([
        ["xx-test-1a", "xxt1-az1"],
        ["xx-test-1b", "xxt1-az2"],
      ]);
    });

    it("pairs moto's AZ names with AZ ids by identical offerings, and never guesses", () => {
      const byName = parseOfferings(read(MOTO, "availability-zone/xx-test-1.json"), "az");
      const byId = parseOfferings(read(MOTO, "availability-zone-id/xx-test-1.json"), "id");
      expect([...matchZoneIds(byName, byId)]).to.deep.equal([
        ["xx-test-1a", "xxt1-az1"],
        ["xx-test-1b", "xxt1-az2"],
      ]);
      const twins = new Map([["xxt1-az1", new Set(["a.large"])], ["xxt1-az2", new Set(["a.large"])]]);
      expect(() => matchZoneIds(new Map([["xx-test-1a", new Set(["a.large"])]]), twins)).to.throw("cannot tell the zone id of xx-test-1a: 2 zone id lists match its offerings");
    });
  });

  describe("building a region file", () => {
    const byZone = new Map([["xx-test-1b", new Set(["r6i.large", "m7g.large"])], ["xx-test-1a", new Set(["r7g.large"])]]);
    const zoneIds = new Map([["xx-test-1a", "xxt1-az1"], ["xx-test-1b", "xxt1-az2"]]);
    const built = buildRegionFile({ region: "xx-test-1", byZone, zoneIds, source: "fixture", sourceDate: "2026-01-02" });

    it("sorts zones and types and records source, date and its own marker", () => {
      expect(built.zones.map((z) => [z.name, z.zoneId, z.instanceTypes])).to.deep.equal([
        ["xx-test-1a", "xxt1-az1", ["r7g.large"]],
        ["xx-test-1b", "xxt1-az2", ["m7g.large", "r6i.large"]],
      ]);
      expect([built.source, built.sourceDate, isGeneratedFile(formatRegionFile(built))]).to.deep.equal(["fixture", "2026-01-02", true]);
    });

    it("writes JSON that reads back as the same file, one type list per line", () => {
      const text = formatRegionFile(built);
      expect(JSON.parse(text)).to.deep.equal(built);
      expect(text.split("\n").filter((l) => l.includes('"instanceTypes"'))).to.have.length(2);
    });

    it("refuses a zone of another region, a zone without id and a malformed date", () => {
      const foreign = new Map([["yy-test-1a", new Set(["t3.small"])]]);
      expect(() => buildRegionFile({ region: "xx-test-1", byZone: foreign, zoneIds, source: "s", sourceDate: "2026-01-02" })).to.throw("yy-test-1a is not an availability zone of xx-test-1");
      expect(() => buildRegionFile({ region: "xx-test-1", byZone, zoneIds: new Map(), source: "s", sourceDate: "2026-01-02" })).to.throw("no zone id for xx-test-1a");
      expect(() => buildRegionFile({ region: "xx-test-1", byZone, zoneIds, source: "s", sourceDate: "02/01/2026" })).to.throw(/not YYYY-MM-DD/);
    });

    it("tells its own files from anyone else's", () => {
      expect(isGeneratedFile('{"note":"hand-written"}')).to.equal(false);
      expect(isGeneratedFile("not json")).to.equal(false);
    });
  });

  describe("command line", () => {
    const SCRIPT = path.join(ROOT, "scripts/refresh-region-catalogue.ts");
    // The project's own loader, as npm run catalogue:refresh runs it: one Node process, no tsx CLI.
    const LOADER = path.join(ROOT, "scripts/register-ts.cjs");
    const run = (...args: string[]) => spawnSync(process.execPath, ["--require", LOADER, SCRIPT, ...args], { cwd: ROOT, encoding: "utf8" });
    const motoArgs = (out: string) => ["--from-moto", MOTO, "--source-ref", "fixture@0", "--source-date", "2026-01-02", "--region", "xx-test-1", "--out", out];
    let out: string;

    beforeEach(() => {
      out = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-"));
    });
    afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

    for (const [why, args, message] of [
      ["neither source", [], "give exactly one of --from-aws and --from-moto <dir>"],
      ["an unknown option", ["--from-aws", "--bogus"], "Unknown option '--bogus'"],
      ["moto without a date", ["--from-moto", MOTO, "--source-ref", "x"], "--from-moto needs --source-date YYYY-MM-DD"],
      ["a bad region", ["--from-aws", "--region", "Bahrain"], "--region Bahrain: not a region name"],
    ] as const) {
      it(`exits 2 with one line on a usage error: ${why}`, () => {
        const r = run(...args);
        expect(r.status).to.equal(2);
        expect(r.stderr.trim().split("\n")).to.have.length(1);
        expect(r.stderr).to.contain(message);
        expect(fs.readdirSync(out)).to.deep.equal([]);
      });
    }

    it("writes the region file from moto's files and reports progress with the per-zone counts", () => {
      const r = run(...motoArgs(out));
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^xx-test-1: reading offerings from .* wrote .*xx-test-1\.ec2\.json \(xx-test-1a 3, xx-test-1b 2\)\n$/);
      const file = JSON.parse(fs.readFileSync(path.join(out, "xx-test-1.ec2.json"), "utf8")) as { zones: { zoneId: string }[]; sourceDate: string };
      expect([file.zones.map((z) => z.zoneId), file.sourceDate]).to.deep.equal([["xxt1-az1", "xxt1-az2"], "2026-01-02"]);
    });

    it("overwrites its own file but never a file it did not write, and leaves other files alone", () => {
      fs.writeFileSync(path.join(out, "notes.txt"), "mine");
      expect(run(...motoArgs(out)).status).to.equal(0);
      expect(run(...motoArgs(out)).status, "its own file").to.equal(0);
      fs.writeFileSync(path.join(out, "xx-test-1.ec2.json"), '{"hand":"made"}');
      const r = run(...motoArgs(out));
      expect(r.status).to.equal(1);
      expect(r.stderr).to.contain("exists and was not written by this script");
      expect(fs.readFileSync(path.join(out, "xx-test-1.ec2.json"), "utf8")).to.equal('{"hand":"made"}');
      expect(fs.readdirSync(out).sort()).to.deep.equal(["notes.txt", "xx-test-1.ec2.json"]);
    });
  });
});
