/**
 * scripts/refresh-prices.ts on small offer-file-shaped fixtures, offline: arguments checked before any
 * download, prices read from products/terms.OnDemand, derived keys recomputed, and every key it cannot
 * refresh (missing row, ambiguous, implausible unit, no declared row) kept and reported.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { main, parseOptions } from "../../scripts/refresh-prices";
import { OFFER_INDEX_URL, findOfferPrice, unitMultiplier } from "../../offline/cost/refresh";
import { clearSnapshotCache, loadSnapshot } from "../../offline/cost/snapshot";
import { tempDirEach } from "../support/tempDir";

const price = (usd: number, unit: string) => ({ usd, unit, source: "assumption: test", verified: false });

function snapshot(): Record<string, unknown> {
  return {
    region: "me-south-1",
    currency: "USD",
    date: "2026-10-02",
    source: "test",
    prices: {
      "vpc.nat.hour": price(0.05, "hour"),
      "vpc.nat.data": price(0.05, "GB"),
      "fargate.vcpu-hour.x86": price(0.05, "vCPU-hour"),
      "fargate.vcpu-hour.spot-x86": price(0.015, "vCPU-hour"),
      "lambda.requests": price(0.2, "1M requests"),
      "tgw.attachment.hour": price(0.06, "hour"),
      "waf.webAcl.month": price(5, "month"),
      "custom.thing": price(1, "month"),
    },
  };
}

/** One regional offer file: products with attributes, and their on-demand terms. */
function offer(rows: { sku: string; usagetype: string; usd: string; family?: string; unit?: string }[]): unknown {
  return {
    products: Object.fromEntries(rows.map((r) => [r.sku, { sku: r.sku, productFamily: r.family ?? "Other", attributes: { usagetype: r.usagetype, ...(r.family ? { productFamily: r.family } : {}) } }])),
    terms: {
      OnDemand: Object.fromEntries(
        rows.map((r) => [r.sku, { [`${r.sku}.JRTCKXETXF`]: { priceDimensions: { [`${r.sku}.JRTCKXETXF.6YS6EN2CT7`]: { unit: r.unit ?? "Hrs", beginRange: "0", pricePerUnit: { USD: r.usd } } } } }]),
      ),
    },
  };
}

const OFFERS: Record<string, unknown> = {
  AmazonEC2: offer([
    { sku: "NAT1", usagetype: "MES1-NatGateway-Hours", usd: "0.0600000000", family: "NAT Gateway" },
    { sku: "NATUS", usagetype: "NatGateway-Hours-other", usd: "0.045", family: "NAT Gateway" },
  ]),
  AmazonECS: offer([{ sku: "F1", usagetype: "MES1-Fargate-vCPU-Hours:perCPU", usd: "0.0500000000" }]),
  AWSLambda: offer([{ sku: "L1", usagetype: "MES1-Request", usd: "0.0000002500", unit: "Requests" }]),
  AmazonVPC: offer([
    { sku: "T1", usagetype: "MES1-TransitGateway-Hours", usd: "0.06" },
    { sku: "T2", usagetype: "MES1-TransitGateway-Hours", usd: "0.07" },
  ]),
  awswaf: offer([{ sku: "W1", usagetype: "MES1-WebACLV2", usd: "500" }]),
};

function server(calls: string[]): (url: string) => Promise<unknown> {
  return async (url) => {
    calls.push(url);
    if (url === OFFER_INDEX_URL) return { offers: Object.fromEntries(Object.keys(OFFERS).map((o) => [o, { currentRegionIndexUrl: `/offers/v1.0/aws/${o}/current/region_index.json` }])) };
    const m = /\/offers\/v1\.0\/aws\/([^/]+)\/current\/region_index\.json$/.exec(url);
    if (m) return { regions: { "me-south-1": { regionCode: "me-south-1", currentVersionUrl: `/offers/v1.0/aws/${m[1]}/20261201/me-south-1/index.json` } } };
    const f = /\/offers\/v1\.0\/aws\/([^/]+)\/20261201\/me-south-1\/index\.json$/.exec(url);
    if (f && OFFERS[f[1]]) return OFFERS[f[1]];
    throw new Error(`${url}: HTTP 404`);
  };
}

describe("npm run prices:refresh", () => {
  const tmp = tempDirEach("tila-prices-refresh-");
  const setup = (): string => {
    fs.mkdirSync(path.join(tmp(), "me-south-1"), { recursive: true });
    fs.writeFileSync(path.join(tmp(), "me-south-1", "network.json"), JSON.stringify(snapshot(), null, 2));
    return path.join(tmp(), "me-south-1", "network.json");
  };
  const run = async (argv: string[], calls: string[] = []) => {
    let out = "";
    let err = "";
    const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s), get: server(calls), today: "2026-12-05", pricesDir: tmp() });
    return { code, out, err, calls };
  };

  it("checks its arguments before any download (exit 2)", async () => {
    setup();
    for (const argv of [["--region", "eu-west-1"], ["--bogus"], ["--region"]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).to.equal(2);
      expect(r.calls, argv.join(" ")).to.deep.equal([]);
      expect(r.err).to.match(/^prices:refresh: /).and.contain("usage: npm run prices:refresh");
    }
    expect(parseOptions(["--region", "eu-west-1"], tmp())).to.match(/--region eu-west-1: no snapshot folder .*; regions: me-south-1/);
  });

  it("rewrites the prices the offers give, recomputes derived ones and keeps and reports the rest", async () => {
    const file = setup();
    const r = await run([]);
    expect(r.code, r.err).to.equal(0);
    const written = JSON.parse(fs.readFileSync(file, "utf8")) as { date: string; source: string; prices: Record<string, { usd: number; unit: string; source: string; verified: boolean }> };
    expect(written.date).to.equal("2026-12-05");
    expect(written.prices["vpc.nat.hour"]).to.deep.equal({ usd: 0.06, unit: "hour", source: "AmazonEC2 offer file, usagetype MES1-NatGateway-Hours, sku NAT1, read 2026-12-05", verified: true });
    // $0.00000025 a request is $0.25 per million, the unit of the file.
    expect(written.prices["lambda.requests"].usd).to.equal(0.25);
    expect(written.prices["fargate.vcpu-hour.spot-x86"]).to.include({ usd: 0.015, verified: false });
    expect(written.prices["fargate.vcpu-hour.spot-x86"].source).to.match(/^derived: fargate\.vcpu-hour\.x86 x 0\.3/);
    // Kept as they were, each reported with why.
    const before = snapshot().prices as Record<string, unknown>;
    for (const key of ["vpc.nat.data", "tgw.attachment.hour", "waf.webAcl.month", "custom.thing"]) expect(written.prices[key], key).to.deep.equal(before[key]);
    expect(r.out).to.contain("network.json: 4 refreshed, 2 changed, 4 kept");
    expect(r.out).to.contain("changed vpc.nat.hour: 0.05 -> 0.06");
    expect(r.out).to.contain("changed lambda.requests: 0.2 -> 0.25");
    expect(r.out).to.match(/kept vpc\.nat\.data: no AmazonEC2 product with usagetype MES1-NatGateway-Bytes/);
    expect(r.out).to.match(/kept tgw\.attachment\.hour: ambiguous: 2 different on-demand prices/);
    expect(r.out).to.match(/kept waf\.webAcl\.month: the offer gives 500 per Hrs .* check the unit/);
    expect(r.out).to.contain("kept custom.thing: no offer row declared for it");
    expect(r.err).to.match(/offer AWSELB: not in https:\/\/pricing\.us-east-1\.amazonaws\.com\/offers\/v1\.0\/aws\/index\.json/);
    clearSnapshotCache();
    expect(loadSnapshot("me-south-1", tmp()).prices["vpc.nat.hour"].usd).to.equal(0.06);
    clearSnapshotCache();
  });

  it("writes nothing with --dry-run", async () => {
    const file = setup();
    const before = fs.readFileSync(file, "utf8");
    const r = await run(["--dry-run", "--region", "me-south-1"]);
    expect(r.code).to.equal(0);
    expect(r.out).to.contain("changed vpc.nat.hour: 0.05 -> 0.06").and.contain("dry run: nothing written");
    expect(fs.readFileSync(file, "utf8")).to.equal(before);
  });

  it("exits 1 when the offer index cannot be read, writing nothing", async () => {
    const file = setup();
    const before = fs.readFileSync(file, "utf8");
    let err = "";
    const code = await main([], { out: () => undefined, err: (s) => (err += s), get: async () => Promise.reject(new Error("offline")), today: "2026-12-05", pricesDir: tmp() });
    expect(code).to.equal(1);
    expect(err).to.contain("the offer index could not be read: offline");
    expect(fs.readFileSync(file, "utf8")).to.equal(before);
  });

  it("matches rows by usage type, region prefix and attributes; units by their multiplier", () => {
    const file = OFFERS.AmazonEC2 as Parameters<typeof findOfferPrice>[0];
    expect(findOfferPrice(file, { offer: "AmazonEC2", usagetypeSuffix: "NatGateway-Hours", attributes: { productFamily: "NAT Gateway" } }, "MES1-")).to.deep.include({ ok: true, usd: 0.06, sku: "NAT1" });
    expect(findOfferPrice(file, { offer: "AmazonEC2", usagetypeSuffix: "NatGateway-Hours", attributes: { productFamily: "Other" } }, "MES1-").ok).to.equal(false);
    expect(findOfferPrice(file, { offer: "AmazonEC2", usagetypeSuffix: "NatGateway-Hours" }, "MEC1-").ok).to.equal(false);
    expect([unitMultiplier("hour"), unitMultiplier("1M requests"), unitMultiplier("10M samples"), unitMultiplier("1K metric updates")]).to.deep.equal([1, 1e6, 1e7, 1e3]);
  });
});
