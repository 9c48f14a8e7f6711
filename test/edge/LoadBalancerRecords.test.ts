import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { LoadBalancerRecords, loadBalancerRecordsIssues } from "../../components/edge/LoadBalancerRecords";
import { CaptureResult } from "../../offline/types";
import { T, captureError, one, ofType, providerRef, run } from "./edgeHarness";

const COMPONENT = "tila:edge:LoadBalancerRecords";
const PUBLIC_ALB = { dnsName: "prod-public-alb-123.me-south-1.elb.amazonaws.com", zoneId: "Z3ULH7SSC9OV64" };
const INTERNAL_ALB = { dnsName: "internal-prod-internal-alb-456.me-south-1.elb.amazonaws.com", zoneId: "Z3ULH7SSC9OV64" };

describe("LoadBalancerRecords", () => {
  describe("public names in the hub's public zone and service names in the private zone", () => {
    let result: CaptureResult;

    before(async () => {
      result = await run(() => {
        const hub = new aws.Provider("hub", { region: "me-south-1" });
        const pub = new LoadBalancerRecords("prod-public-dns", {
          zoneId: "ZPUBLIC", zoneName: "tila.sa", hostnames: ["tila.sa", "www.tila.sa", "api.tila.sa"], target: PUBLIC_ALB, zoneProvider: hub,
        });
        const priv = new LoadBalancerRecords("prod-internal-dns", {
          zoneId: "ZPRIVATE", zoneName: "prod.internal.tila.sa", hostnames: ["payments.prod.internal.tila.sa"], target: INTERNAL_ALB,
        });
        return { public: pub.fqdns, private: priv.fqdns };
      });
    });

    it("points the web and API names (apex included) at the public load balancer with alias A records", () => {
      const names = ["tila-sa", "www-tila-sa", "api-tila-sa"].map((s) => one(result, T.RECORD, `prod-public-dns-${s}-a`));
      expect(names.map((r) => r.inputs.name)).to.deep.equal(["tila.sa", "www.tila.sa", "api.tila.sa"]);
      for (const r of names) {
        expect(r.inputs).to.deep.include({ zoneId: "ZPUBLIC", type: "A", aliases: [{ name: PUBLIC_ALB.dnsName, zoneId: PUBLIC_ALB.zoneId, evaluateTargetHealth: true }] });
        expect(r.inputs.records, r.name).to.equal(undefined);
      }
    });

    it("writes public records through the zone's provider and private ones through the stack's", () => {
      const hub = one(result, T.AWS_PROVIDER, "hub");
      const records = ofType(result, T.RECORD);
      expect(records.filter((r) => r.options.provider === providerRef(hub)).map((r) => r.inputs.zoneId)).to.deep.equal(["ZPUBLIC", "ZPUBLIC", "ZPUBLIC"]);
      expect(one(result, T.RECORD, "prod-internal-dns-payments-prod-internal-tila-sa-a").options.provider).not.to.equal(providerRef(hub));
    });

    it("points internal service names at the internal load balancer in the private zone", () => {
      expect(one(result, T.RECORD, "prod-internal-dns-payments-prod-internal-tila-sa-a").inputs).to.deep.include({
        zoneId: "ZPRIVATE", name: "payments.prod.internal.tila.sa", type: "A", aliases: [{ name: INTERNAL_ALB.dnsName, zoneId: INTERNAL_ALB.zoneId, evaluateTargetHealth: true }],
      });
      expect(result.outputs).to.deep.equal({ public: ["tila.sa", "www.tila.sa", "api.tila.sa"], private: ["payments.prod.internal.tila.sa"] });
    });

    it("parents each record to its component and publishes no AAAA for an IPv4 load balancer", () => {
      const pub = one(result, COMPONENT, "prod-public-dns");
      const priv = one(result, COMPONENT, "prod-internal-dns");
      for (const r of ofType(result, T.RECORD)) expect(r.parent, r.name).to.equal(r.inputs.zoneId === "ZPUBLIC" ? pub.urn : priv.urn);
      expect(ofType(result, T.RECORD).filter((r) => r.inputs.type !== "A")).to.deep.equal([]);
    });
  });

  it("adds AAAA aliases for a dual-stack load balancer", async () => {
    const result = await run(() => {
      new LoadBalancerRecords("dev-public-dns", { zoneId: "ZDEV", zoneName: "dev.tila.sa", hostnames: ["api.dev.tila.sa"], target: PUBLIC_ALB, ipv6: true });
      return {};
    }, "dev");
    expect(ofType(result, T.RECORD).map((r) => [r.name, r.inputs.type])).to.deep.equal([["dev-public-dns-api-dev-tila-sa-a", "A"], ["dev-public-dns-api-dev-tila-sa-aaaa", "AAAA"]]);
  });

  it("refuses names outside the zone, duplicates and an empty list", async () => {
    expect(loadBalancerRecordsIssues({ zoneName: "tila.sa", hostnames: [] })).to.deep.equal(["hostnames: at least one hostname is required"]);
    expect(loadBalancerRecordsIssues({ zoneName: "tila.sa", hostnames: ["api.tila.sa", "api.example.com", "api.tila.sa", "notila.sa"] })).to.deep.equal([
      'hostnames[1]: "api.example.com" is not in the zone tila.sa',
      'hostnames[2]: "api.tila.sa" is listed twice',
      'hostnames[3]: "notila.sa" is not in the zone tila.sa',
    ]);
    const err = await captureError(() => new LoadBalancerRecords("bad-dns", { zoneId: "Z", zoneName: "tila.sa", hostnames: ["API.tila.sa"], target: PUBLIC_ALB }));
    expect(err.message).to.include('LoadBalancerRecords "bad-dns": hostnames[0]: "API.tila.sa" is not a lower-case DNS name');
  });
});
