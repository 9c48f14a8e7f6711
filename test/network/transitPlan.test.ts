import { expect } from "chai";
import * as fc from "fast-check";
import { DEFAULT_TUNNEL_OPTIONS, OfficeVpnInput, planOfficeVpn } from "../../components/network/officeVpnPlan";
import { HubInput, MANAGEMENT_TABLE, TransitPlanError, planSegmentWiring, planTransitHub } from "../../components/network/transitPlan";

const TAGS = { Environment: "management", Owner: "platform", CostCenter: "cc-100", ManagedBy: "pulumi" };
const ENVS = [
  { name: "dev", cidr: "10.10.0.0/16" },
  { name: "stage", cidr: "10.20.0.0/16" },
  { name: "preprod", cidr: "10.30.0.0/16" },
  { name: "prod", cidr: "10.40.0.0/16" },
];
const HUB: HubInput = {
  amazonSideAsn: 64512,
  management: { cidr: "10.0.0.0/16" },
  environments: ENVS,
  offices: [
    { name: "riyadh", cidrs: ["172.16.0.0/16"] },
    { name: "jeddah", cidrs: ["172.17.0.0/16"] },
  ],
  managementAccountId: "111111111111",
  tags: TAGS,
};

function issuesOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof TransitPlanError) return e.issues;
    throw e;
  }
  throw new Error("expected a TransitPlanError");
}

describe("planTransitHub", () => {
  it("plans a management table, one table per environment and one per office", () => {
    const plan = planTransitHub(HUB);
    expect(plan.routeTables.map((t) => t.key)).to.deep.equal([MANAGEMENT_TABLE, "dev", "stage", "preprod", "prod", "offices-riyadh", "offices-jeddah"]);
  });

  it("blackholes every other environment's CIDR in each environment table, and nothing else", () => {
    const plan = planTransitHub(HUB);
    for (const env of ENVS) {
      const cidrs = plan.blackholes.filter((b) => b.table === env.name).map((b) => b.cidr);
      expect(cidrs).to.have.members(ENVS.filter((e) => e !== env).map((e) => e.cidr));
    }
    expect(plan.blackholes.every((b) => ENVS.some((e) => e.name === b.table))).to.equal(true);
  });

  it("never blackholes an environment's own CIDR, for any set of environments", () => {
    const envs = fc.uniqueArray(fc.integer({ min: 1, max: 250 }), { minLength: 1, maxLength: 12 }).map((octets) =>
      octets.map((o, i) => ({ name: `env${i}`, cidr: `10.${o}.0.0/16` })),
    );
    fc.assert(
      fc.property(envs, (environments) => {
        const plan = planTransitHub({ ...HUB, environments, offices: [] });
        expect(plan.blackholes).to.have.length(environments.length * (environments.length - 1));
        for (const b of plan.blackholes) expect(b.table).to.not.equal(b.target);
      }),
    );
  });

  it("shares nothing and auto-accepts nothing when every environment is in the management account", () => {
    const plan = planTransitHub({ ...HUB, environments: ENVS.map((e) => ({ ...e, accountId: "111111111111" })) });
    expect(plan.foreignAccounts).to.deep.equal([]);
    expect(plan.autoAcceptSharedAttachments).to.equal("disable");
  });

  it("shares with each distinct foreign account once", () => {
    const environments = [
      { ...ENVS[0], accountId: "111111111111" },
      { ...ENVS[1], accountId: "333333333333" },
      { ...ENVS[2], accountId: "222222222222" },
      { ...ENVS[3], accountId: "222222222222" },
    ];
    const plan = planTransitHub({ ...HUB, environments });
    expect(plan.foreignAccounts).to.deep.equal(["222222222222", "333333333333"]);
    expect(plan.autoAcceptSharedAttachments).to.equal("enable");
  });

  it("reports every problem at once, each with its argument path", () => {
    const issues = issuesOf(() =>
      planTransitHub({
        ...HUB,
        amazonSideAsn: 65535,
        environments: [...ENVS, { name: "qa", cidr: "10.10.128.0/17" }, { name: "dev", cidr: "10.50.0.0/16" }],
        offices: [{ name: "riyadh", cidrs: ["172.16.0.1/16"] }],
        tags: { ...TAGS, Owner: "" },
      }),
    );
    expect(issues.some((i) => i.startsWith("amazonSideAsn:"))).to.equal(true);
    expect(issues.some((i) => i.startsWith("environments[5].name:") && i.includes("already used"))).to.equal(true);
    expect(issues.some((i) => i.startsWith("offices[0].cidrs[0]:") && i.includes("host bits"))).to.equal(true);
    expect(issues.some((i) => i.startsWith("tags.Owner:"))).to.equal(true);
  });

  it("rejects overlapping segments, naming both", () => {
    const issues = issuesOf(() => planTransitHub({ ...HUB, environments: [...ENVS, { name: "qa", cidr: "10.10.128.0/17" }] }));
    expect(issues).to.deep.equal(["environments[4].cidr: overlaps environments[0].cidr"]);
  });

  it("rejects an environment whose name would clash with another table key", () => {
    const issues = issuesOf(() => planTransitHub({ ...HUB, environments: [{ name: "management", cidr: "10.50.0.0/16" }] }));
    expect(issues[0]).to.match(/^environments\[0\]\.name: .*clashes/);
  });

  it("requires managementAccountId once an environment names its account", () => {
    const issues = issuesOf(() => planTransitHub({ ...HUB, managementAccountId: undefined, environments: [{ ...ENVS[0], accountId: "222222222222" }] }));
    expect(issues[0]).to.match(/^managementAccountId: required/);
  });

  it("rejects an account id that is not 12 digits", () => {
    const issues = issuesOf(() => planTransitHub({ ...HUB, environments: [{ ...ENVS[0], accountId: "12345" }] }));
    expect(issues[0]).to.match(/^environments\[0\]\.accountId:/);
  });

  it("refuses more route tables than the Transit Gateway quota", () => {
    const offices = Array.from({ length: 16 }, (_, i) => ({ name: `office${i}`, cidrs: [`172.${16 + i}.0.0/16`] }));
    expect(issuesOf(() => planTransitHub({ ...HUB, offices }))[0]).to.match(/^offices: 21 route tables exceed/);
  });
});

describe("planSegmentWiring", () => {
  const wiring = planSegmentWiring({
    environments: ["dev", "stage", "preprod", "prod"],
    offices: [
      { name: "riyadh", allowedEnvironments: ["dev", "stage"] },
      { name: "jeddah", allowedEnvironments: ["dev"] },
    ],
  });

  it("propagates an office into management and its allowed environments only", () => {
    expect(wiring.offices.riyadh).to.deep.equal({ associate: "offices-riyadh", propagateTo: ["management", "dev", "stage"] });
    expect(wiring.offices.jeddah.propagateTo).to.deep.equal(["management", "dev"]);
  });

  it("propagates an environment into management and the tables of offices allowed into it", () => {
    expect(wiring.environments.dev).to.deep.equal({ associate: "dev", propagateTo: ["management", "offices-riyadh", "offices-jeddah"] });
    expect(wiring.environments.stage.propagateTo).to.deep.equal(["management", "offices-riyadh"]);
    expect(wiring.environments.prod.propagateTo).to.deep.equal(["management"]);
  });

  it("never propagates an environment into another environment's table", () => {
    const envs = ["dev", "stage", "preprod", "prod"];
    for (const [env, w] of Object.entries(wiring.environments)) {
      expect(w.propagateTo.filter((t) => envs.includes(t) && t !== env)).to.deep.equal([]);
    }
  });

  it("propagates management into every environment and office table", () => {
    expect(wiring.management).to.deep.equal({
      associate: "management",
      propagateTo: ["dev", "stage", "preprod", "prod", "offices-riyadh", "offices-jeddah"],
    });
  });

  it("rejects an office allowed into an unknown environment", () => {
    const issues = issuesOf(() => planSegmentWiring({ environments: ["dev"], offices: [{ name: "riyadh", allowedEnvironments: ["dev", "qa"] }] }));
    expect(issues).to.deep.equal(['offices[0].allowedEnvironments[1]: "qa" is not an environment']);
  });
});

describe("planOfficeVpn", () => {
  const OFFICE: OfficeVpnInput = {
    office: "riyadh",
    cidrs: ["172.16.0.0/16", "172.31.0.0/24"],
    devices: [
      { name: "fw-b", ipAddress: "198.51.100.20", bgpAsn: 4200000001 },
      { name: "fw-a", ipAddress: "198.51.100.10", bgpAsn: 65010 },
    ],
    propagationLabels: ["management", "dev"],
    logRetentionDays: 90,
    tags: TAGS,
  };

  it("uses the strong tunnel defaults when no overrides are given", () => {
    expect(planOfficeVpn(OFFICE).tunnel).to.deep.equal(DEFAULT_TUNNEL_OPTIONS);
  });

  it("keeps defaults for options an override leaves undefined", () => {
    const plan = planOfficeVpn({ ...OFFICE, tunnel: { phase1LifetimeSeconds: 14400, dpdTimeoutSeconds: undefined } });
    expect(plan.tunnel.phase1LifetimeSeconds).to.equal(14400);
    expect(plan.tunnel.dpdTimeoutSeconds).to.equal(30);
  });

  it("joins the advertised CIDRs with single spaces for the AdvertisedCidrs tag", () => {
    expect(planOfficeVpn(OFFICE).advertisedCidrs).to.equal("172.16.0.0/16 172.31.0.0/24");
  });

  it("puts 4-byte ASNs in bgpAsnExtended and 2-byte ASNs in bgpAsn", () => {
    const byName = Object.fromEntries(planOfficeVpn(OFFICE).devices.map((d) => [d.name, d.asnField]));
    expect(byName).to.deep.equal({ "fw-a": "bgpAsn", "fw-b": "bgpAsnExtended" });
  });

  it("gives the same inside CIDRs whatever order the devices are listed in", () => {
    const a = planOfficeVpn(OFFICE).devices;
    const b = planOfficeVpn({ ...OFFICE, devices: [...OFFICE.devices].reverse() }).devices;
    for (const d of a) expect(b.find((x) => x.name === d.name)?.insideCidrs).to.deep.equal(d.insideCidrs);
  });

  const bad: [string, Partial<OfficeVpnInput>, RegExp][] = [
    ["one device", { devices: OFFICE.devices.slice(0, 1) }, /^devices: exactly two/],
    ["two devices on one address", { devices: [OFFICE.devices[0], { ...OFFICE.devices[1], ipAddress: "198.51.100.20" }] }, /^devices\[1\]\.ipAddress: .*also devices\[0\]/],
    ["a private device address", { devices: [OFFICE.devices[0], { ...OFFICE.devices[1], ipAddress: "192.168.1.1" }] }, /^devices\[1\]\.ipAddress: .*not a public/],
    ["a malformed device address", { devices: [{ ...OFFICE.devices[0], ipAddress: "198.51.100" }, OFFICE.devices[1]] }, /^devices\[0\]\.ipAddress: .*not an IPv4/],
    ["a public ASN", { devices: [{ ...OFFICE.devices[0], bgpAsn: 16509 }, OFFICE.devices[1]] }, /^devices\[0\]\.bgpAsn: 16509 is not a private ASN/],
    ["an invalid CIDR", { cidrs: ["172.16.0.0/33"] }, /^cidrs\[0\]:/],
    ["overlapping CIDRs", { cidrs: ["172.16.0.0/16", "172.16.4.0/24"] }, /^cidrs\[1\]: overlaps cidrs\[0\]/],
    ["no CIDRs", { cidrs: [] }, /^cidrs: at least one/],
    ["no propagation tables", { propagationLabels: [] }, /^propagationRouteTableIds: at least/],
    ["IKEv1", { tunnel: { ikeVersions: ["ikev1" as "ikev2"] } }, /^tunnel\.ikeVersions: ikev1 not allowed/],
    ["AES128 in phase 1", { tunnel: { phase1EncryptionAlgorithms: ["AES128" as "AES256"] } }, /^tunnel\.phase1EncryptionAlgorithms: AES128 not allowed/],
    ["SHA1 in phase 2", { tunnel: { phase2IntegrityAlgorithms: ["SHA1" as "SHA2-256"] } }, /^tunnel\.phase2IntegrityAlgorithms: SHA1 not allowed/],
    ["DH group 14", { tunnel: { phase2DhGroupNumbers: [14 as 19] } }, /^tunnel\.phase2DhGroupNumbers: 14 not allowed/],
    ["a DPD timeout under 30 s", { tunnel: { dpdTimeoutSeconds: 10 } }, /^tunnel\.dpdTimeoutSeconds: 10 is outside 30-/],
    ["a phase 2 lifetime over 3600 s", { tunnel: { phase2LifetimeSeconds: 7200 } }, /^tunnel\.phase2LifetimeSeconds: 7200 is outside 900-3600/],
    ["a rekey margin over half phase 2", { tunnel: { phase2LifetimeSeconds: 900, rekeyMarginTimeSeconds: 540 } }, /^tunnel\.rekeyMarginTimeSeconds: 540 is outside 60-450/],
    ["an unknown log retention", { logRetentionDays: 45 }, /^logRetentionDays: 45/],
    ["an office name with capitals", { office: "Riyadh" }, /^office: "Riyadh"/],
    ["a missing CostCenter tag", { tags: { ...TAGS, CostCenter: "" } }, /^tags\.CostCenter: required/],
  ];
  for (const [what, change, expected] of bad) {
    it(`rejects ${what}`, () => {
      const issues = issuesOf(() => planOfficeVpn({ ...OFFICE, ...change }));
      expect(issues.some((i) => expected.test(i)), issues.join("\n")).to.equal(true);
    });
  }
});
