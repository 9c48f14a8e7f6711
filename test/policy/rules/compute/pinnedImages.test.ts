import { expect } from "chai";
import { ecsContainerImagesPinned as rule, unpinnedReason } from "../../../../policy/rules/compute/pinnedImages";
import { checkResource } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

const REPO = "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/cart";
const DIGEST = `sha256:${"a".repeat(64)}`;

describe("ecs-container-images-pinned", () => {
  it("accepts digests, full semantic versions and git SHAs", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition())).to.deep.equal([]);
    for (const image of [`${REPO}@${DIGEST}`, `${REPO}:latest@${DIGEST}`, `${REPO}:v2.0.1-rc.1`, `${REPO}:3f2a9c1`, `${REPO}:sha-3f2a9c1d`, `${REPO}:3f2a9c1d0e4b-b57`, "localhost:5000/app:1.0.0"]) {
      expect(unpinnedReason(image), image).to.equal(undefined);
    }
  });

  it("rejects latest, a missing tag and floating tags", () => {
    for (const image of [`${REPO}:latest`, REPO, `${REPO}:1.4`, `${REPO}:stable`, `${REPO}:1.4.0-snapshot`, `${REPO}:3f2a9c1d0e4b-b`, `${REPO}:3f2a9c1d0e4b-build57`, "localhost:5000/app"]) {
      expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ image })])), image).to.have.length(1);
    }
  });

  it("rejects a container without an image", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ image: undefined })]))).to.deep.equal(['container "cart" names no image']);
  });
});
