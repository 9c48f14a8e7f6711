/** The delivery contract: names within IAM's and S3's limits, and approvals right before preprod and prod. */
import { expect } from "chai";
import * as fc from "fast-check";
import { ENVIRONMENTS, EnvironmentName } from "../../components/environments";
import {
  MAX_ROLE_NAME,
  artifactBucketName,
  deployScope,
  environmentDeployRoleName,
  pipelineRoleName,
  pipelineStages,
  sourceBucketName,
} from "../../components/delivery/deliveryPlan";

const LONGEST_SERVICE = "a".repeat(25);

describe("delivery plan", () => {
  it("names every role within IAM's 64 characters for the longest service name config allows", () => {
    for (const env of ENVIRONMENTS) expect(environmentDeployRoleName(env, LONGEST_SERVICE).length).to.be.at.most(MAX_ROLE_NAME);
    expect(pipelineRoleName(LONGEST_SERVICE).length).to.be.at.most(MAX_ROLE_NAME);
  });

  it("names buckets within S3's 63 characters in the longest region name", () => {
    for (const name of [sourceBucketName("123456789012", "ap-southeast-5"), artifactBucketName("123456789012", "ap-southeast-5")]) {
      expect(name.length).to.be.at.most(63);
      expect(name).to.match(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    }
  });

  it("deploys in promotion order with an approval right before preprod and right before prod", () => {
    expect(pipelineStages([...ENVIRONMENTS]).map((s) => s.name)).to.deep.equal([
      "Source", "Deploy-dev", "Deploy-stage", "Approve-preprod", "Deploy-preprod", "Approve-prod", "Deploy-prod",
    ]);
  });

  it("never reaches preprod or prod without the approval right before it, whatever environments run the service", () => {
    fc.assert(fc.property(fc.subarray([...ENVIRONMENTS] as EnvironmentName[]), (envs) => {
      const stages = pipelineStages(envs);
      expect(stages[0]!.kind).to.equal("source");
      const deployed = stages.filter((s) => s.kind === "deploy").map((s) => s.environment);
      expect(deployed).to.deep.equal(ENVIRONMENTS.filter((e) => envs.includes(e)));
      stages.forEach((s, i) => {
        if (s.kind === "deploy" && (s.environment === "preprod" || s.environment === "prod")) {
          expect(stages[i - 1]).to.deep.include({ kind: "approval", environment: s.environment });
        }
      });
    }));
  });

  it("scopes a deploy to the fixed ECS names the services tier uses", () => {
    expect(deployScope("prod", "checkout")).to.deep.equal({ environment: "prod", service: "checkout", cluster: "tila-prod", ecsService: "checkout", family: "prod-checkout" });
  });
});
