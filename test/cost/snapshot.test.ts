/**
 * The price snapshot loader: a region's domain files validated and merged, and every bad file refused
 * naming its file and key.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PriceSnapshotError, clearSnapshotCache, loadSnapshot, mergeSnapshotFiles, parseSnapshotFile, snapshotRegions } from "../../offline/cost/snapshot";

function price(usd: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { usd, unit: "hour", source: "MES1-NatGateway-Hours", verified: true, ...extra };
}

function file(prices: Record<string, unknown>, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { region: "me-south-1", currency: "USD", date: "2026-11-20", source: "AWS Price List API offer files", prices, ...over };
}

describe("cost snapshot", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tila-prices-"));
    clearSnapshotCache();
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    clearSnapshotCache();
  });
  const write = (region: string, name: string, content: unknown): string => {
    fs.mkdirSync(path.join(dir, region), { recursive: true });
    const f = path.join(dir, region, name);
    fs.writeFileSync(f, typeof content === "string" ? content : JSON.stringify(content));
    return f;
  };

  it("merges a region's domain files into one snapshot dated by the oldest file", () => {
    write("me-south-1", "network.json", file({ "vpc.nat.hour": price(0.0528) }, { date: "2026-11-20" }));
    write("me-south-1", "data.json", file({ "rds.storage.gp3": price(0.138, { unit: "GB-month", verified: false, source: "assumption: derived" }) }, { date: "2026-10-02" }));
    const s = loadSnapshot("me-south-1", dir);
    expect(s.region).to.equal("me-south-1");
    expect(s.currency).to.equal("USD");
    expect(s.date).to.equal("2026-10-02");
    expect(Object.keys(s.prices)).to.deep.equal(["rds.storage.gp3", "vpc.nat.hour"]);
    expect(s.prices["vpc.nat.hour"]).to.deep.equal({ usd: 0.0528, unit: "hour", source: "MES1-NatGateway-Hours", verified: true });
    expect(s.source).to.contain("data.json: AWS Price List API").and.contain("network.json: AWS Price List API");
  });

  it("refuses a key that two files both price, naming both files", () => {
    const a = write("me-south-1", "network.json", file({ "vpc.nat.hour": price(0.0528) }));
    const b = write("me-south-1", "data.json", file({ "vpc.nat.hour": price(0.05) }));
    expect(() => loadSnapshot("me-south-1", dir))
      .to.throw(PriceSnapshotError)
      .with.property("message")
      .that.contains("prices.vpc.nat.hour: is in both")
      .and.contains(a)
      .and.contains(b);
  });

  it("refuses prices that are not positive numbers or have no source, naming each key", () => {
    write(
      "me-south-1",
      "network.json",
      file({ "vpc.nat.hour": price(0), "vpc.nat.gb": price("0.05"), "tgw.attachment.hour": price(0.05, { source: "" }), "vpn.connection.hour": price(-1) }),
    );
    try {
      loadSnapshot("me-south-1", dir);
      expect.fail("loaded");
    } catch (e) {
      expect(e).to.be.instanceOf(PriceSnapshotError);
      const issues = (e as PriceSnapshotError).issues;
      expect(issues).to.have.length(4);
      expect(issues.join("\n")).to.contain("prices.vpc.nat.hour.usd: must be a positive number (found 0)");
      expect(issues.join("\n")).to.contain('prices.vpc.nat.gb.usd: must be a positive number (found "0.05")');
      expect(issues.join("\n")).to.contain("prices.tgw.attachment.hour.source: is required");
      expect(issues.join("\n")).to.contain("prices.vpn.connection.hour.usd: must be a positive number (found -1)");
    }
  });

  it("refuses a file of another region, currency or undated, and invalid JSON, listing every problem", () => {
    write("me-south-1", "network.json", file({}, { region: "me-central-1", currency: "EUR", date: "last week", source: undefined }));
    write("me-south-1", "data.json", "{ not json");
    try {
      loadSnapshot("me-south-1", dir);
      expect.fail("loaded");
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).to.contain('region: is "me-central-1" but the file is filed under me-south-1');
      expect(msg).to.contain('currency: must be "USD" (found "EUR")');
      expect(msg).to.contain('date: must be an ISO date such as 2026-12-01 (found "last week")');
      expect(msg).to.contain("source: is required");
      expect(msg).to.contain("data.json: is not valid JSON");
    }
  });

  it("names the regions that have prices when asked for one that has none", () => {
    write("me-south-1", "network.json", file({ "vpc.nat.hour": price(0.0528) }));
    expect(snapshotRegions(dir)).to.deep.equal(["me-south-1"]);
    expect(() => loadSnapshot("eu-west-1", dir)).to.throw(/no price files in .*eu-west-1; regions with prices: me-south-1/);
  });

  it("parses one file alone and merges with the oldest date", () => {
    const one = parseSnapshotFile("a.json", "me-central-1", file({ "vpc.nat.hour": price(0.06) }, { region: "me-central-1", date: "2026-12-01" }));
    const two = parseSnapshotFile("b.json", "me-central-1", file({ "vpc.nat.gb": price(0.06, { unit: "GB" }) }, { region: "me-central-1", date: "2026-11-30" }));
    expect(one.issues).to.deep.equal([]);
    const merged = mergeSnapshotFiles("me-central-1", [one.snapshot!, two.snapshot!]);
    expect(merged.date).to.equal("2026-11-30");
    expect(Object.keys(merged.prices)).to.deep.equal(["vpc.nat.gb", "vpc.nat.hour"]);
  });

  it("the committed snapshots load for every region they cover", () => {
    for (const region of snapshotRegions()) {
      const s = loadSnapshot(region);
      expect(s.region).to.equal(region);
      for (const [key, p] of Object.entries(s.prices)) expect(p.usd, key).to.be.greaterThan(0);
    }
  });
});
