/**
 * Deliberately weakened programs, each caught by the rule meant for it, through the whole offline
 * pipeline: the real program (or a fixture) runs under the mocked engine, a legacy stack
 * transformation weakens one resource after the components have validated their arguments (as a
 * careless edit or a component bug would), and the pack runs with the stack's real config file.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { capture } from "../../offline/capture";
import { PolicyFinding, runPolicies } from "../../offline/policyRunner";
import { CapturedResource } from "../../offline/types";
import { RULES } from "../../policy/rules";
import { handRolledZookeeper } from "../fixtures/weakened/handRolledZookeeper";
import { WORKLOAD_ACCOUNT, captureOptions } from "../support/graph";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

const ROOT = path.resolve(__dirname, "../..");

function packConfig(stack: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "policy", "config", `${stack}.json`), "utf8"));
}

function mandatory(resources: readonly CapturedResource[], stack: string): PolicyFinding[] {
  const result = runPolicies(resources, RULES, packConfig(stack), { packEnforcementLevel: "mandatory" });
  expect(result.errors, "policy run errors").to.deep.equal([]);
  return result.violations.filter((v) => v.level === "mandatory");
}

function rulesHit(findings: readonly PolicyFinding[]): string[] {
  return [...new Set(findings.map((f) => f.policy))].sort();
}

describe("negative fixtures through the offline pipeline", () => {
  it("finds no mandatory violation in any real stack", async () => {
    const stacks = await realStacks();
    for (const [name, run] of Object.entries(stacks)) expect(mandatory(run.resources, name).map((v) => `${v.policy}: ${v.message}`), name).to.deep.equal([]);
  });

  it("catches a security group opened to the world on port 22", async () => {
    const { run, hits } = await planWeakened("prod", (a) =>
      a.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && a.name === "prod-checkout-ingress-alb"
        ? { ...a.props, referencedSecurityGroupId: undefined, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 }
        : undefined,
    );
    expect(hits).to.equal(1);
    const found = mandatory(run.resources, "prod");
    expect(rulesHit(found)).to.include.members(["sg-no-public-admin-ports", "sg-open-ingress-only-alb-web-ports"]);
    expect(found.every((f) => f.name === "prod-checkout-ingress-alb")).to.equal(true);
  });

  it("catches an unencrypted data volume", async () => {
    const { run, hits } = await planWeakened("prod", (a) =>
      a.type === "aws:ebs/volume:Volume" && a.name.startsWith("prod-mongodb") && a.name.endsWith("-0") ? { ...a.props, encrypted: false } : undefined,
    );
    expect(hits).to.equal(1);
    expect(rulesHit(mandatory(run.resources, "prod"))).to.deep.equal(["ebs-volume-encrypted"]);
  });

  it("catches a single-AZ prod MySQL", async () => {
    const { run, hits } = await planWeakened("prod", (a) => (a.type === "aws:rds/instance:Instance" ? { ...a.props, multiAz: false } : undefined));
    expect(hits).to.equal(1);
    expect(rulesHit(mandatory(run.resources, "prod"))).to.deep.equal(["rds-multi-az-in-prod"]);
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
