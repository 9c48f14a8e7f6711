/**
 * estimateStack on hand-built graphs with hand-built pricers: attribution to the top-level component and
 * its tier, the arithmetic of items and totals, missing and unverified prices, unpriced types, assumptions.
 */
import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS, estimateStack, resolveAssumptions, tierOf } from "../../offline/cost/estimate";
import { buildRegistry } from "../../offline/cost/pricers";
import type { Pricer, PriceSnapshot } from "../../offline/cost/types";
import { HOURS_PER_MONTH } from "../../offline/cost/types";
import type { CapturedResource } from "../../offline/types";
import { capturedResource } from "../support/captured";

const ROOT = "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod";

function res(type: string, name: string, parent: string | undefined, over: Partial<CapturedResource> = {}): CapturedResource {
  const urn = type === "pulumi:pulumi:Stack" ? ROOT : `urn:pulumi:prod::tila-platform::${type}::${name}`;
  return capturedResource({ urn, type, name, parent, custom: !type.startsWith("tila:") && type !== "pulumi:pulumi:Stack", id: `id-${name}`, ...over });
}

const snapshot: PriceSnapshot = {
  region: "me-south-1",
  currency: "USD",
  date: "2026-11-20",
  source: "test",
  prices: {
    "vpc.nat.hour": { usd: 0.0528, unit: "hour", source: "MES1-NatGateway-Hours", verified: true },
    "vpc.nat.gb": { usd: 0.0528, unit: "GB", source: "assumption: like the hourly rate", verified: false },
    "ec2.instance.m7g.large": { usd: 0.1, unit: "hour", source: "MES1-BoxUsage:m7g.large", verified: true },
  },
};

const nat: Pricer = (_r, ctx) => [
  { priceKey: "vpc.nat.hour", dimension: "gateway hours", quantity: HOURS_PER_MONTH },
  { priceKey: "vpc.nat.gb", dimension: "data processed", quantity: ctx.assumptions.natGatewayDataGb, assumption: "natGatewayDataGb" },
];
const instance: Pricer = (r) => [{ priceKey: `ec2.instance.${String(r.inputs.instanceType)}`, dimension: `instance hours (${String(r.inputs.instanceType)})`, quantity: HOURS_PER_MONTH }];
const registry = buildRegistry([
  { name: "net", pricers: { "aws:ec2/natGateway:NatGateway": nat }, free: ["aws:ec2/routeTable:RouteTable"] },
  { name: "data", pricers: { "aws:ec2/instance:Instance": instance }, free: [] },
]);

function graph(): CapturedResource[] {
  const root = res("pulumi:pulumi:Stack", "tila-platform-prod", undefined, { custom: false });
  const network = res("tila:network:EnvironmentNetwork", "prod", ROOT);
  const natGw = res("aws:ec2/natGateway:NatGateway", "prod-nat-a", network.urn);
  const rt = res("aws:ec2/routeTable:RouteTable", "prod-rt", network.urn);
  const cluster = res("tila:data:NoSqlCluster", "prod-kafka", ROOT);
  const inner = res("tila:data:ClusterNode", "prod-kafka-0", cluster.urn);
  const node0 = res("aws:ec2/instance:Instance", "prod-kafka-0-instance", inner.urn, { inputs: { instanceType: "m7g.large" } });
  const node1 = res("aws:ec2/instance:Instance", "prod-kafka-1-instance", cluster.urn, { inputs: { instanceType: "m7g.large" } });
  const odd = res("aws:ec2/instance:Instance", "loose-instance", ROOT, { inputs: { instanceType: "m7g.large" } });
  const unknownType = res("aws:appsync/graphQLApi:GraphQLApi", "api", ROOT);
  const provider = res("pulumi:providers:aws", "default", ROOT);
  const readNat = res("aws:ec2/natGateway:NatGateway", "looked-up", ROOT, { read: true });
  return [node1, root, odd, network, rt, natGw, cluster, inner, node0, unknownType, provider, readNat];
}

describe("estimateStack", () => {
  it("prices each resource from the snapshot: quantity × unit price, per month", () => {
    const cost = estimateStack("prod", "me-south-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, registry);
    const natHours = cost.items.find((i) => i.priceKey === "vpc.nat.hour")!;
    expect(natHours.quantity).to.equal(730);
    expect(natHours.monthly).to.be.closeTo(38.544, 1e-9);
    const natData = cost.items.find((i) => i.priceKey === "vpc.nat.gb")!;
    expect(natData).to.include({ quantity: 100, unit: "GB", assumption: "natGatewayDataGb" });
    expect(natData.monthly).to.be.closeTo(5.28, 1e-9);
    // 3 instances × 730 h × $0.10 = $219; NAT $38.544 + $5.28 = $43.824
    expect(cost.total).to.be.closeTo(219 + 43.824, 1e-9);
  });

  it("attributes each item to the top-level component it sits under, and that component's tier", () => {
    const cost = estimateStack("prod", "me-south-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, registry);
    const byName = Object.fromEntries(cost.items.map((i) => [i.name, i]));
    expect(byName["prod-kafka-0-instance"]).to.include({ component: "prod-kafka", tier: "data" });
    expect(byName["prod-kafka-1-instance"]).to.include({ component: "prod-kafka", tier: "data" });
    expect(byName["loose-instance"]).to.include({ component: "loose-instance", tier: "other" });
    expect(byName["prod-nat-a"]).to.include({ component: "prod", tier: "network" });
    expect(cost.byComponent).to.deep.equal({ "loose-instance": 73, prod: cost.byTier.network, "prod-kafka": 146 });
    expect(cost.byTier.data).to.be.closeTo(146, 1e-9);
    expect(cost.byTier.other).to.be.closeTo(73, 1e-9);
    expect(cost.byTier.network).to.be.closeTo(43.824, 1e-9);
    expect(cost.byTier.services).to.equal(0);
    const sum = Object.values(cost.byTier).reduce((a, b) => a + b, 0);
    expect(sum).to.be.closeTo(cost.total, 1e-9);
  });

  it("maps the component type tokens of the platform to tiers", () => {
    expect(["tila:network:TransitHub", "tila:data:MySqlDatabase", "tila:compute:MicroserviceService", "tila:edge:WebAcl", "tila:observability:GraylogCluster", "tila:security:SecurityBaseline", "aws:ec2/vpc:Vpc"].map(tierOf)).to.deep.equal([
      "network",
      "data",
      "services",
      "edge",
      "observability",
      "security",
      "other",
    ]);
  });

  it("lists a price the snapshot lacks and leaves its item out; lists unverified prices used", () => {
    const g = graph();
    g.push(res("aws:ec2/instance:Instance", "big", ROOT, { inputs: { instanceType: "r7g.4xlarge" } }));
    const cost = estimateStack("prod", "me-south-1", g, snapshot, DEFAULT_ASSUMPTIONS, registry);
    expect(cost.missingPrices).to.deep.equal(["ec2.instance.r7g.4xlarge"]);
    expect(cost.items.some((i) => i.name === "big")).to.equal(false);
    expect(cost.unverifiedPrices).to.deep.equal(["vpc.nat.gb"]);
  });

  it("counts types without a pricer unless known free; skips components, reads and the engine's types", () => {
    const cost = estimateStack("prod", "me-south-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, registry);
    expect(cost.unpricedTypes).to.deep.equal({ "aws:appsync/graphQLApi:GraphQLApi": 1 });
    expect(cost.items.filter((i) => i.type === "aws:ec2/natGateway:NatGateway").map((i) => i.name)).to.deep.equal(["prod-nat-a", "prod-nat-a"]);
  });

  it("takes the stack's assumptions over the defaults and reports those used", () => {
    const assumptions = resolveAssumptions({ natGatewayDataGb: 1000 });
    expect(assumptions.endpointDataGb).to.equal(DEFAULT_ASSUMPTIONS.endpointDataGb);
    const cost = estimateStack("prod", "me-south-1", graph(), snapshot, assumptions, registry);
    expect(cost.items.find((i) => i.priceKey === "vpc.nat.gb")!.monthly).to.be.closeTo(52.8, 1e-9);
    expect(cost.assumptions.natGatewayDataGb).to.equal(1000);
  });

  it("gives the same items and totals whatever order the graph was captured in", () => {
    const a = estimateStack("prod", "me-south-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, registry);
    const b = estimateStack("prod", "me-south-1", graph().reverse(), snapshot, DEFAULT_ASSUMPTIONS, registry);
    expect(JSON.stringify(b)).to.equal(JSON.stringify(a));
  });

  it("refuses a snapshot of another region and a pricer's negative quantity", () => {
    expect(() => estimateStack("prod", "me-central-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, registry)).to.throw(/in me-central-1 but the price snapshot is for me-south-1/);
    const bad = buildRegistry([{ name: "bad", pricers: { "aws:ec2/natGateway:NatGateway": () => [{ priceKey: "vpc.nat.hour", dimension: "x", quantity: -1 }] }, free: [] }]);
    expect(() => estimateStack("prod", "me-south-1", graph(), snapshot, DEFAULT_ASSUMPTIONS, bad)).to.throw(/NatGateway gave prod-nat-a a quantity of -1/);
  });

  it("refuses a registry where two domains claim one type", () => {
    expect(() => buildRegistry([
      { name: "net", pricers: { "aws:ec2/eip:Eip": () => [] }, free: [] },
      { name: "data", pricers: {}, free: ["aws:ec2/eip:Eip"] },
    ])).to.throw("aws:ec2/eip:Eip is claimed by net (priced) and by data (free)");
  });
});
