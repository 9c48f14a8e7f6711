/**
 * Region offerings through the whole engine: the mocks hand out the region's real zones, prod moved
 * to me-central-1 (aws:region only) plans there, stage moved there fails with precise config
 * errors, and the engine check catches what config validation cannot see.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { AWS_CHECKS } from "../../offline/aws";
import { regionOfferingCheck } from "../../offline/aws/offerings";
import { invokeResult } from "../../offline/mockValues";
import { describeFailure } from "../../offline/plan";
import { engineWithRealManagement } from "../support/realStacks";
import { runWeakened } from "../support/weaken";
import { tempDirOnce } from "../support/tempDir";

const ROOT = path.resolve(__dirname, "../..");
const AZ_TOKEN = "aws:index/getAvailabilityZones:getAvailabilityZones";

/** The real stack file with only `aws:region` changed, written to a temporary folder. */
function movedTo(stack: string, region: string, dir: string): string {
  const text = fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8");
  // The images move with it: their repositories live in management's region, which the environment shares.
  const moved = text.replace(/^ {2}aws:region: me-south-1$/m, `  aws:region: ${region}`).replace(/\.dkr\.ecr\.me-south-1\./g, `.dkr.ecr.${region}.`);
  expect(moved, "the stack file sets aws:region once").to.not.equal(text);
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  fs.writeFileSync(file, moved);
  return file;
}

describe("region offerings through the engine", () => {
  const dir = tempDirOnce("region-move-");

  it("the mocks answer getAvailabilityZones with the region's own zone names and ids", () => {
    const acct = (region: string) => ({ stack: "dev", region, accountId: "222222222222" });
    expect(invokeResult(acct("me-central-1"), AZ_TOKEN, {})).to.deep.equal({
      names: ["me-central-1a", "me-central-1b", "me-central-1c"],
      zoneIds: ["mec1-az1", "mec1-az2", "mec1-az3"],
      id: "me-central-1",
    });
    expect(invokeResult(acct("me-south-1"), AZ_TOKEN, {}).zoneIds).to.deep.equal(["mes1-az1", "mes1-az2", "mes1-az3"]);
  });

  it("runs the region offering check on every stack", () => {
    expect(AWS_CHECKS).to.include(regionOfferingCheck);
  });

  it("plans prod moved to me-central-1: every node in that region's zones, no region-offering finding", async () => {
    const engine = await engineWithRealManagement({ configFiles: { prod: movedTo("prod", "me-central-1", dir()) } });
    const run = await engine.run("prod");
    expect(run.config.region).to.equal("me-central-1");
    const zones = (type: string, key = "availabilityZone") => [...new Set(run.resources.filter((r) => r.type === type).map((r) => r.inputs[key]))].sort();
    expect(zones("aws:ec2/subnet:Subnet", "availabilityZoneId")).to.deep.equal(["mec1-az1", "mec1-az2", "mec1-az3"]);
    expect(zones("aws:ec2/instance:Instance")).to.deep.equal(["me-central-1a", "me-central-1b", "me-central-1c"]);
    expect(regionOfferingCheck(run.resources, { stack: "prod", region: "me-central-1", accountId: run.config.accountId })).to.deep.equal([]);
  });

  it("fails stage moved to me-central-1 before any resource, with each refused class's key path", async () => {
    const engine = await engineWithRealManagement({ configFiles: { stage: movedTo("stage", "me-central-1", dir()) } });
    const error = await engine.run("stage").then(() => undefined, (e: unknown) => e);
    const { failure, errors } = describeFailure(error);
    expect(failure).to.equal("config");
    expect(errors.map((e) => e.path)).to.deep.equal([
      "tila-platform:data.mysql.instanceClass",
      "tila-platform:data.redis.nodeType",
      "tila-platform:data.opensearch.dataNodeType",
    ]);
    expect(errors[0].message).to.equal(
      '"db.t4g.large" cannot run in me-central-1 (me-central-1a, me-central-1b): its hardware, EC2 t4g.large, is not offered in me-central-1; no type of the same family and size is offered there, in any generation',
    );
  });

  it("fails dev when its ArangoDB nodes are built on r7i after config validation (what config cannot see)", async () => {
    const { error, hits } = await runWeakened("dev", (a) =>
      a.type === "aws:ec2/instance:Instance" && a.name.startsWith("dev-arangodb-node-") ? { ...a.props, instanceType: "r7i.large" } : undefined,
    );
    expect(hits).to.equal(3);
    const { failure, errors } = describeFailure(error);
    expect(failure).to.equal("aws");
    expect(errors.map((e) => e.path)).to.deep.equal(["dev-arangodb-node-0", "dev-arangodb-node-1", "dev-arangodb-node-2"].map((n) => `${n} (aws:ec2/instance:Instance)`));
    expect(errors[0].message).to.equal(
      '[region-offering] instanceType "r7i.large" is not offered in me-south-1 (placed in me-south-1a). Offered nearby: r7g.large, r6i.large, r6g.large, r5.large.',
    );
  });
});
