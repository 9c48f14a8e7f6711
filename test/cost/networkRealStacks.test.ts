/**
 * The network, edge and services pricers on the real captured stacks: every type of this domain in the real plans
 * is priced or listed free, every key they ask for is in both regions' price files, and the files say where each
 * figure comes from (verified only when read from AWS).
 */
import { expect } from "chai";
import { DEFAULT_ASSUMPTIONS, estimateStack } from "../../offline/cost/estimate";
import { buildRegistry } from "../../offline/cost/pricers";
import { NETWORK_FREE_TYPES, NETWORK_PRICERS } from "../../offline/cost/pricers/network";
import { NETWORK_DERIVED, NETWORK_OFFERS } from "../../offline/cost/pricers/networkOffers";
import { loadSnapshot } from "../../offline/cost/snapshot";
import { parseSnapshotFile } from "../../offline/cost/snapshot";
import * as fs from "fs";
import * as path from "path";
import { realStacks } from "../support/realStacks";

/** Type families of this domain: VPC, routing, TGW, DNS, edge, ECS and Lambda. */
const DOMAIN_PREFIXES = ["aws:ec2transitgateway/", "aws:vpc/", "aws:lb/", "aws:wafv2/", "aws:ecs/", "aws:appautoscaling/", "aws:route53/", "aws:lambda/", "aws:acm/", "aws:ram/"];
/** aws:ec2/ types that belong to the data domain (instances and their disks, the account's IMDS default) or observability (flow logs). */
const EC2_NOT_OURS = new Set(["aws:ec2/instance:Instance", "aws:ec2/volumeAttachment:VolumeAttachment", "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "aws:ec2/flowLog:FlowLog", "aws:ec2/launchTemplate:LaunchTemplate"]);

function ours(type: string): boolean {
  if (DOMAIN_PREFIXES.some((p) => type.startsWith(p))) return true;
  return type.startsWith("aws:ec2/") && !EC2_NOT_OURS.has(type);
}

const registry = buildRegistry([{ name: "network", pricers: NETWORK_PRICERS, free: NETWORK_FREE_TYPES }]);

describe("network pricers on the real stacks", function () {
  this.timeout(300_000);

  it("prices or lists as free every network, edge and services type of the five real plans", async () => {
    const runs = await realStacks();
    const uncovered = new Set<string>();
    let seen = 0;
    for (const run of Object.values(runs)) {
      for (const r of run.resources) {
        if (!r.custom || r.read || !ours(r.type)) continue;
        seen++;
        if (!(r.type in NETWORK_PRICERS) && !NETWORK_FREE_TYPES.includes(r.type)) uncovered.add(r.type);
      }
    }
    expect(seen).to.be.greaterThan(1000);
    expect([...uncovered].sort()).to.deep.equal([]);
  });

  it("finds every price it asks for in both regions, for every real stack", async () => {
    const runs = await realStacks();
    for (const region of ["me-south-1", "me-central-1"]) {
      const snapshot = loadSnapshot(region);
      for (const [stack, run] of Object.entries(runs)) {
        const cost = estimateStack(stack, region, run.resources, snapshot, DEFAULT_ASSUMPTIONS, registry);
        expect(cost.missingPrices, `${stack} in ${region}`).to.deep.equal([]);
        expect(cost.items.length, `${stack} in ${region}`).to.be.greaterThan(5);
      }
    }
  });

  it("gives prod the line items its graph implies: 3 NAT gateways and EIPs, 1 TGW attachment, 12 Fargate services, a public ALB with 3 public addresses", async () => {
    const prod = (await realStacks()).prod;
    const cost = estimateStack("prod", "me-south-1", prod.resources, loadSnapshot("me-south-1"), DEFAULT_ASSUMPTIONS, registry);
    const count = (key: string) => cost.items.filter((i) => i.priceKey === key).length;
    expect(count("vpc.nat.hour")).to.equal(3);
    expect(count("tgw.attachment.hour")).to.equal(1);
    // 3 NAT EIPs + the public ALB's node per AZ (one item of 3 × 730 h)
    const ipv4 = cost.items.filter((i) => i.priceKey === "vpc.publicIpv4.hour");
    expect(ipv4.map((i) => i.quantity).sort((a, b) => a - b)).to.deep.equal([730, 730, 730, 2190]);
    // ten ARM microservices, the x86 Prometheus collector and the x86 Kafka Connect workers of the lake, all on-demand in prod
    const fargate = cost.items.filter((i) => i.priceKey.startsWith("fargate.vcpu-hour."));
    expect(fargate.length).to.equal(12);
    expect(fargate.filter((i) => i.tier === "analytics").map((i) => i.name)).to.deep.equal(["prod-connect-service"]);
    expect(fargate.filter((i) => i.priceKey === "fargate.vcpu-hour.arm").length).to.equal(10);
    expect(cost.items.some((i) => i.priceKey.includes("spot"))).to.equal(false);
    expect(count("waf.webAcl.month")).to.equal(1);
  });

  it("gives management its office VPNs with their TGW attachments and its ten interface endpoints in 3 AZs", async () => {
    const management = (await realStacks()).management;
    const cost = estimateStack("management", "me-south-1", management.resources, loadSnapshot("me-south-1"), DEFAULT_ASSUMPTIONS, registry);
    expect(cost.items.filter((i) => i.priceKey === "vpn.connection.hour").length).to.equal(6);
    // 6 VPN attachments + management's own VPC attachment
    expect(cost.items.filter((i) => i.priceKey === "tgw.attachment.hour").length).to.equal(7);
    const eni = cost.items.filter((i) => i.priceKey === "vpc.endpoint.interface.hour");
    expect(eni.length).to.equal(10);
    expect(eni.every((i) => i.quantity === 3 * 730)).to.equal(true);
  });
});

describe("network price files", () => {
  const dir = path.join(__dirname, "../../offline/cost/prices");
  const read = (region: string) => {
    const file = path.join(dir, region, "network.json");
    const parsed = parseSnapshotFile(file, region, JSON.parse(fs.readFileSync(file, "utf8")));
    expect(parsed.issues).to.deep.equal([]);
    return parsed.snapshot!;
  };

  it("price the same keys in me-south-1 and me-central-1", () => {
    expect(Object.keys(read("me-central-1").prices).sort()).to.deep.equal(Object.keys(read("me-south-1").prices).sort());
  });

  it("mark a price verified only when its source is AWS's, and say how every other one was derived", () => {
    for (const region of ["me-south-1", "me-central-1"]) {
      for (const [key, price] of Object.entries(read(region).prices)) {
        if (price.verified) expect(price.source, `${region} ${key}`).to.match(/AWS bulk-CSV rows|aws\.amazon\.com\//);
        else expect(price.source, `${region} ${key}`).to.match(/^assumption: /);
      }
    }
  });

  it("verify in me-south-1 only the NAT and load-balancer hours read from AWS's rows, and Route 53's global prices", () => {
    const verified = Object.entries(read("me-south-1").prices).filter(([, p]) => p.verified).map(([k]) => k).sort();
    expect(verified).to.deep.equal(["elb.alb.hour", "elb.nlb.hour", "route53.queries", "route53.zone.month", "vpc.nat.hour"]);
    const central = Object.entries(read("me-central-1").prices).filter(([, p]) => p.verified).map(([k]) => k).sort();
    expect(central).to.deep.equal(["route53.queries", "route53.zone.month"]);
  });

  it("name an offer row or a derivation for every price, and the derived figures follow it", () => {
    for (const region of ["me-south-1", "me-central-1"]) {
      const prices = read(region).prices;
      const mapped = [...Object.keys(NETWORK_OFFERS), ...Object.keys(NETWORK_DERIVED)].sort();
      expect(Object.keys(prices).sort(), region).to.deep.equal(mapped);
      for (const [key, d] of Object.entries(NETWORK_DERIVED)) {
        expect(prices[key].usd, `${region} ${key}`).to.be.closeTo(prices[d.from].usd * d.factor, 1e-9);
      }
    }
  });
});
