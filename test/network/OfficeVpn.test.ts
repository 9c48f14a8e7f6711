import { expect } from "chai";
import { OfficeVpn, OfficeVpnArgs } from "../../components/network/OfficeVpn";
import { TransitHub } from "../../components/network/TransitHub";
import { RESERVED_INSIDE_CIDRS, tunnelInsideCidr } from "../../components/network/officeVpnPlan";
import { planSegmentWiring } from "../../components/network/transitPlan";
import { cidrContains } from "../../components/network/cidrPlan";
import type { CaptureResult, CapturedResource } from "../../offline/types";
import { ArgumentCase, childrenOf, expectRequiredTags, itRejectsEachArgument, ofType, one, run } from "./networkGraph";

const T = {
  office: "tila:network:OfficeVpn",
  hub: "tila:network:TransitHub",
  tgw: "aws:ec2transitgateway/transitGateway:TransitGateway",
  table: "aws:ec2transitgateway/routeTable:RouteTable",
  cgw: "aws:ec2/customerGateway:CustomerGateway",
  vpn: "aws:ec2/vpnConnection:VpnConnection",
  psk: "random:index/randomPassword:RandomPassword",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  association: "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
  propagation: "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
} as const;

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "cc-platform", ManagedBy: "pulumi" };
const ENVS = ["dev", "stage", "preprod", "prod"];
const OFFICES = [
  {
    office: "riyadh",
    cidrs: ["172.16.0.0/16", "172.31.0.0/24"],
    devices: [
      { name: "fw-a", ipAddress: "198.51.100.10", bgpAsn: 65010 },
      { name: "fw-b", ipAddress: "198.51.100.20", bgpAsn: 65010 },
    ],
    allowedEnvironments: ["dev", "stage"],
  },
  {
    office: "london",
    cidrs: ["172.18.0.0/16"],
    devices: [
      { name: "edge-1", ipAddress: "203.0.113.1", bgpAsn: 4200000001 },
      { name: "edge-2", ipAddress: "203.0.113.2", bgpAsn: 65020 },
    ],
    allowedEnvironments: [],
  },
];

const WEAK = { encryption: ["AES128", "AES128-GCM-16"], integrity: ["SHA1"], dh: [2, 5, 14, 15, 16, 17, 18, 22, 23, 24] };

describe("OfficeVpn", () => {
  let result: CaptureResult;
  let riyadh: CapturedResource;
  let tableIds: Record<string, string>;

  before(async () => {
    result = await run(() => {
      const hub = new TransitHub("hub", {
        management: { cidr: "10.0.0.0/16" },
        environments: ENVS.map((name, i) => ({ name, cidr: `10.${(i + 1) * 10}.0.0/16` })),
        offices: OFFICES.map((o) => ({ name: o.office, cidrs: o.cidrs })),
        tags: TAGS,
      });
      const wiring = planSegmentWiring({ environments: ENVS, offices: OFFICES.map((o) => ({ name: o.office, allowedEnvironments: o.allowedEnvironments })) });
      const vpns = OFFICES.map(
        (o) =>
          new OfficeVpn(o.office, {
            office: o.office,
            cidrs: o.cidrs,
            devices: o.devices,
            transitGatewayId: hub.transitGatewayId,
            associationRouteTableId: hub.routeTableIds[wiring.offices[o.office].associate],
            propagationRouteTableIds: Object.fromEntries(wiring.offices[o.office].propagateTo.map((k) => [k, hub.routeTableIds[k]])),
            tags: TAGS,
          }),
      );
      return { routeTableIds: hub.routeTableIds, riyadhTunnels: vpns[0].tunnelAddresses, riyadhAttachments: vpns[0].attachmentIds };
    });
    riyadh = one(result, T.office, "riyadh");
    tableIds = result.outputs.routeTableIds as Record<string, string>;
  });

  describe("customer gateways", () => {
    it("creates two ipsec.1 customer gateways per office, one per device address", () => {
      const cgws = childrenOf(result, riyadh, T.cgw);
      expect(cgws.map((c) => c.inputs.ipAddress)).to.have.members(["198.51.100.10", "198.51.100.20"]);
      for (const c of cgws) expect(c.inputs).to.include({ type: "ipsec.1", bgpAsn: "65010" });
    });

    it("puts a 4-byte ASN in bgpAsnExtended", () => {
      const edge1 = one(result, T.cgw, "london-cgw-edge-1");
      expect(edge1.inputs.bgpAsnExtended).to.equal("4200000001");
      expect(edge1.inputs.bgpAsn).to.equal(undefined);
      expect(one(result, T.cgw, "london-cgw-edge-2").inputs.bgpAsn).to.equal("65020");
    });
  });

  describe("VPN connections", () => {
    it("creates two BGP connections to the transit gateway, one per customer gateway", () => {
      const vpns = childrenOf(result, riyadh, T.vpn);
      const tgwId = ofType(result, T.tgw)[0].id;
      expect(vpns).to.have.length(2);
      expect(vpns.map((v) => v.inputs.customerGatewayId)).to.have.members(childrenOf(result, riyadh, T.cgw).map((c) => c.id));
      for (const v of vpns) expect(v.inputs).to.include({ type: "ipsec.1", staticRoutesOnly: false, transitGatewayId: tgwId });
    });

    it("tags each connection with its Office and the advertised CIDRs joined by a space", () => {
      for (const v of childrenOf(result, riyadh, T.vpn)) {
        expect(v.inputs.tags).to.include({ Office: "riyadh", AdvertisedCidrs: "172.16.0.0/16 172.31.0.0/24" });
      }
    });

    it("allows only IKEv2 and no weak algorithm or DH group on all four tunnels", () => {
      for (const v of childrenOf(result, riyadh, T.vpn)) {
        for (const n of [1, 2]) {
          const at = (k: string): unknown[] => v.inputs[`tunnel${n}${k}`] as unknown[];
          expect(at("IkeVersions"), `${v.name} t${n}`).to.deep.equal(["ikev2"]);
          for (const phase of ["Phase1", "Phase2"]) {
            expect(at(`${phase}EncryptionAlgorithms`)).to.have.members(["AES256", "AES256-GCM-16"]);
            expect(at(`${phase}IntegrityAlgorithms`)).to.have.members(["SHA2-256", "SHA2-384"]);
            expect(at(`${phase}DhGroupNumbers`)).to.have.members([19, 20, 21]);
            expect(at(`${phase}EncryptionAlgorithms`).filter((a) => WEAK.encryption.includes(a as string))).to.deep.equal([]);
            expect(at(`${phase}IntegrityAlgorithms`).filter((a) => WEAK.integrity.includes(a as string))).to.deep.equal([]);
            expect(at(`${phase}DhGroupNumbers`).filter((g) => WEAK.dh.includes(g as number))).to.deep.equal([]);
          }
        }
      }
    });

    it("sets lifetimes, DPD and startup action explicitly on both tunnels", () => {
      for (const v of childrenOf(result, riyadh, T.vpn)) {
        for (const n of [1, 2]) {
          expect(v.inputs).to.include({
            [`tunnel${n}Phase1LifetimeSeconds`]: 28800,
            [`tunnel${n}Phase2LifetimeSeconds`]: 3600,
            [`tunnel${n}DpdTimeoutSeconds`]: 30,
            [`tunnel${n}DpdTimeoutAction`]: "restart",
            [`tunnel${n}StartupAction`]: "add",
          });
        }
      }
    });

    it("sends tunnel and BGP logs of both tunnels to the office's log group, kept 90 days", () => {
      const [logGroup] = childrenOf(result, riyadh, T.logGroup);
      expect(logGroup.inputs.retentionInDays).to.equal(90);
      for (const v of childrenOf(result, riyadh, T.vpn)) {
        for (const n of [1, 2]) {
          const cw = (v.inputs[`tunnel${n}LogOptions`] as { cloudwatchLogOptions: Record<string, unknown> }).cloudwatchLogOptions;
          expect(cw).to.include({ logEnabled: true, logGroupArn: logGroup.outputs.arn, bgpLogEnabled: true, bgpLogGroupArn: logGroup.outputs.arn });
        }
      }
    });

    it("gives the four tunnels distinct /30 inside CIDRs in 169.254.0.0/16, none reserved", () => {
      const cidrs = childrenOf(result, riyadh, T.vpn).flatMap((v) => [v.inputs.tunnel1InsideCidr, v.inputs.tunnel2InsideCidr] as string[]);
      expect(new Set(cidrs).size).to.equal(4);
      for (const c of cidrs) {
        expect(c).to.match(/\/30$/);
        expect(cidrContains("169.254.0.0/16", c)).to.equal(true);
        expect(RESERVED_INSIDE_CIDRS).to.not.include(c);
      }
      expect(one(result, T.vpn, "riyadh-vpn-fw-a").inputs.tunnel2InsideCidr).to.equal(tunnelInsideCidr("riyadh", 0, 2));
    });
  });

  describe("pre-shared keys", () => {
    it("passes both tunnels' keys to the connection as secrets", () => {
      for (const v of childrenOf(result, riyadh, T.vpn)) expect(v.secretInputs).to.include.members(["tunnel1PresharedKey", "tunnel2PresharedKey"]);
    });

    it("generates each key as 32 letters, so it is alphanumeric and never starts with 0", () => {
      const psks = childrenOf(result, riyadh, T.psk);
      expect(psks).to.have.length(4);
      for (const p of psks) expect(p.inputs).to.include({ length: 32, special: false, numeric: false });
    });

    it("uses a different generated key for every tunnel", () => {
      const a = one(result, T.vpn, "riyadh-vpn-fw-a");
      expect(a.inputs.tunnel1PresharedKey).to.equal(one(result, T.psk, "riyadh-psk-fw-a-t1").outputs.result);
      expect(a.inputs.tunnel2PresharedKey).to.equal(one(result, T.psk, "riyadh-psk-fw-a-t2").outputs.result);
      const keys = childrenOf(result, riyadh, T.vpn).flatMap((v) => [v.inputs.tunnel1PresharedKey, v.inputs.tunnel2PresharedKey]);
      expect(new Set(keys).size).to.equal(4);
    });

    it("never exposes a key in the component's outputs", () => {
      const outputs = JSON.stringify(riyadh.outputs);
      expect(outputs).to.contain("tgw-attach-");
      for (const p of childrenOf(result, riyadh, T.psk)) expect(outputs).to.not.contain(String(p.outputs.result));
    });

    it("outputs tunnel addresses as plain values, with the inside CIDRs", () => {
      expect(result.secretOutputs).to.not.include("riyadhTunnels");
      const tunnels = result.outputs.riyadhTunnels as { device: string; tunnel: number; outsideAddress: string; insideCidr: string }[];
      expect(tunnels).to.have.length(4);
      const fwA = one(result, T.vpn, "riyadh-vpn-fw-a");
      expect(tunnels.find((t) => t.device === "fw-a" && t.tunnel === 1)).to.deep.equal({
        device: "fw-a",
        tunnel: 1,
        outsideAddress: fwA.outputs.tunnel1Address,
        insideCidr: fwA.inputs.tunnel1InsideCidr,
      });
    });
  });

  describe("transit gateway wiring", () => {
    it("associates each connection's attachment with the office's own table", () => {
      const associations = childrenOf(result, riyadh, T.association);
      const attachments = childrenOf(result, riyadh, T.vpn).map((v) => v.outputs.transitGatewayAttachmentId);
      expect(associations.map((a) => a.inputs.transitGatewayAttachmentId)).to.have.members(attachments);
      for (const a of associations) expect(a.inputs.transitGatewayRouteTableId).to.equal(tableIds["offices-riyadh"]);
    });

    it("propagates each attachment into management and the allowed environments, nowhere else", () => {
      const props = childrenOf(result, riyadh, T.propagation);
      for (const v of childrenOf(result, riyadh, T.vpn)) {
        const tables = props.filter((p) => p.inputs.transitGatewayAttachmentId === v.outputs.transitGatewayAttachmentId).map((p) => p.inputs.transitGatewayRouteTableId);
        expect(tables, v.name).to.have.members([tableIds.management, tableIds.dev, tableIds.stage]);
      }
    });

    it("propagates an office with no allowed environment into management only", () => {
      const london = one(result, T.office, "london");
      expect(childrenOf(result, london, T.propagation).map((p) => p.inputs.transitGatewayRouteTableId)).to.deep.equal([tableIds.management, tableIds.management]);
    });

    it("outputs the attachment ids keyed by device", () => {
      expect(result.outputs.riyadhAttachments).to.deep.equal({
        "fw-a": one(result, T.vpn, "riyadh-vpn-fw-a").outputs.transitGatewayAttachmentId,
        "fw-b": one(result, T.vpn, "riyadh-vpn-fw-b").outputs.transitGatewayAttachmentId,
      });
    });
  });

  describe("ownership and tags", () => {
    it("creates 17 resources for an office propagating into three tables, all parented to it", () => {
      const children = childrenOf(result, riyadh);
      expect(children).to.have.length(1 + 2 + 4 + 2 + 2 + 2 * 3);
      const custom = result.resources.filter((r) => r.custom && r.name.startsWith("riyadh-"));
      expect(custom.map((r) => r.name)).to.have.members(children.map((r) => r.name));
    });

    it("tags the log group, customer gateways and connections with the required tags and a Name", () => {
      const taggable = [T.logGroup, T.cgw, T.vpn].flatMap((t) => childrenOf(result, riyadh, t));
      expect(taggable).to.have.length(5);
      for (const r of taggable) expectRequiredTags(r, ["Name", "Office"]);
    });
  });

  describe("argument validation", () => {
    const base: OfficeVpnArgs = {
      office: "riyadh",
      cidrs: OFFICES[0].cidrs,
      devices: OFFICES[0].devices,
      transitGatewayId: "tgw-1",
      associationRouteTableId: "tgw-rtb-1",
      propagationRouteTableIds: { management: "tgw-rtb-2" },
      tags: TAGS,
    };
    const cases: ArgumentCase<OfficeVpnArgs>[] = [
      ["a single device", { devices: OFFICES[0].devices.slice(0, 1) }, /devices: exactly two devices/],
      ["two devices on one address", { devices: [OFFICES[0].devices[0], { ...OFFICES[0].devices[1], ipAddress: "198.51.100.10" }] }, /devices\[1\]\.ipAddress:/],
      ["an invalid CIDR", { cidrs: ["172.16.0.0/16", "172.31.0.300/24"] }, /cidrs\[1\]:/],
      ["an ASN outside the private ranges", { devices: [{ ...OFFICES[0].devices[0], bgpAsn: 64511 }, OFFICES[0].devices[1]] }, /devices\[0\]\.bgpAsn: 64511/],
      ["IKEv1", { tunnel: { ikeVersions: ["ikev1" as "ikev2"] } }, /tunnel\.ikeVersions:/],
      ["SHA1 integrity", { tunnel: { phase1IntegrityAlgorithms: ["SHA1" as "SHA2-256"] } }, /tunnel\.phase1IntegrityAlgorithms:/],
      ["a 10-second DPD timeout", { tunnel: { dpdTimeoutSeconds: 10 } }, /tunnel\.dpdTimeoutSeconds:/],
      ["no propagation tables", { propagationRouteTableIds: {} }, /propagationRouteTableIds:/],
    ];
    itRejectsEachArgument(run, cases, (change, i) => new OfficeVpn(`bad-${i}`, { ...base, ...change }));
  });
});
