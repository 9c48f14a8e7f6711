/**
 * Deliberately weakened programs, each caught by the rule meant for it, through the whole offline
 * pipeline: the real program (or a fixture) runs under the mocked engine, a legacy stack
 * transformation weakens one resource after the components have validated their arguments (as a
 * careless edit or a component bug would), and the pack runs with the stack's real config file.
 */
import { expect } from "chai";
import { capture } from "../../offline/capture";
import { PolicyFinding } from "../../offline/policyRunner";
import { handRolledZookeeper } from "../fixtures/weakened/handRolledZookeeper";
import { WORKLOAD_ACCOUNT, captureOptions } from "../support/graph";
import { mandatoryFindings, realStackPolicy } from "../support/realPolicy";
import { realStacks } from "../support/realStacks";
import { Weaken, planWeakened, planWeakenedTogether } from "../support/weaken";

const mandatory = mandatoryFindings;

function rulesHit(findings: readonly PolicyFinding[]): string[] {
  return [...new Set(findings.map((f) => f.policy))].sort();
}

describe("negative fixtures through the offline pipeline", () => {
  it("finds no mandatory violation in any real stack", async () => {
    const stacks = await realStacks();
    for (const name of Object.keys(stacks)) {
      // The whole pack over the unchanged stack, shared with the other tests that start from it.
      const result = await realStackPolicy(name);
      expect(result.errors, `${name}: policy run errors`).to.deep.equal([]);
      expect(result.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy}: ${v.message}`), name).to.deep.equal([]);
    }
  });

  describe("three weakenings of prod, in one run", () => {
    // The three weakenings touch three different resources, so one weakened run of prod carries
    // them all (one prod capture instead of three). Each test checks its weakening hit exactly its
    // resource and the findings about that resource; the last checks the run's findings are
    // exactly the union, so a finding a weakening causes on any other resource still fails.
    const weakenings: Record<string, Weaken> = {
      sshFromWorld: (a) =>
        a.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && a.name === "prod-checkout-ingress-alb"
          ? { ...a.props, referencedSecurityGroupId: undefined, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }
          : undefined,
      unencryptedVolume: (a) =>
        a.type === "aws:ebs/volume:Volume" && a.name.startsWith("prod-mongodb") && a.name.endsWith("-0") ? { ...a.props, encrypted: false } : undefined,
      singleAzMysql: (a) => (a.type === "aws:rds/instance:Instance" ? { ...a.props, multiAz: false } : undefined),
    };
    let hits: Record<string, string[]> = {};
    let found: PolicyFinding[];
    before(async () => {
      const weakened = await planWeakenedTogether("prod", weakenings);
      hits = weakened.hits;
      found = mandatory(weakened.run.resources, "prod");
    });
    const about = (names: readonly string[] | undefined) => found.filter((f) => f.name !== undefined && (names ?? []).includes(f.name));

    it("catches a security group opened to the world on port 22", () => {
      expect(hits.sshFromWorld).to.deep.equal(["prod-checkout-ingress-alb"]);
      expect(rulesHit(about(hits.sshFromWorld))).to.include.members(["sg-no-public-admin-ports", "sg-open-ingress-only-alb-web-ports"]);
    });

    it("catches an unencrypted data volume", () => {
      expect(hits.unencryptedVolume).to.have.lengthOf(1);
      expect(rulesHit(about(hits.unencryptedVolume))).to.deep.equal(["ebs-volume-encrypted"]);
    });

    it("catches a single-AZ prod MySQL", () => {
      expect(hits.singleAzMysql).to.have.lengthOf(1);
      expect(rulesHit(about(hits.singleAzMysql))).to.deep.equal(["rds-multi-az-in-prod"]);
    });

    it("and finds nothing else: every finding is about one of the three weakened resources", () => {
      const weakened = Object.values(hits).flat();
      expect(weakened).to.have.lengthOf(3);
      expect(found.filter((f) => !weakened.includes(f.name ?? "")).map((f) => `${f.policy} ${f.name ?? "(stack)"}`)).to.deep.equal([]);
      // The volume and the instance raise exactly their one rule each (the security group's findings are checked above).
      expect(about([...hits.unencryptedVolume!, ...hits.singleAzMysql!]).map((f) => f.policy).sort()).to.deep.equal(["ebs-volume-encrypted", "rds-multi-az-in-prod"]);
    });
  });

  it("catches a two-node ZooKeeper in prod that bypasses NoSqlCluster", async () => {
    const run = await capture(handRolledZookeeper, captureOptions("prod", WORKLOAD_ACCOUNT));
    const found = mandatory(run.resources, "prod");
    expect(rulesHit(found)).to.include("cluster-quorum-survives-az-loss");
    expect(found.find((f) => f.policy === "cluster-quorum-survives-az-loss")!.message).to.match(/prod-zookeeper/);
  });

  it("catches a Transit Gateway route that lets dev reach prod", async () => {
    const { run, hits } = await planWeakened("management", (a) =>
      a.type === "aws:ec2transitgateway/route:Route" && a.name === "hub-blackhole-dev-prod"
        ? { ...a.props, blackhole: false, transitGatewayAttachmentId: "tgw-attach-prod" }
        : undefined,
    );
    expect(hits).to.equal(1);
    expect(rulesHit(mandatory(run.resources, "management"))).to.include("environment-isolation");
  });
});
