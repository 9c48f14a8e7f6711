import { expect } from "chai";
import { ecsContainersReadOnlyRootFilesystem as rule } from "../../../../policy/rules/compute/readOnlyRoot";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

describe("ecs-containers-read-only-root-filesystem", () => {
  it("accepts containers with a read-only root filesystem", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition())).to.deep.equal([]);
  });

  it("names each container whose root filesystem is writable or left at the default", () => {
    const out = checkResource(rule, TASK_DEFINITION, taskDefinition([container(), container({ name: "sidecar", readonlyRootFilesystem: false }), container({ name: "agent", readonlyRootFilesystem: undefined })]));
    expect(out).to.deep.equal(['container "sidecar" does not set readonlyRootFilesystem: true', 'container "agent" does not set readonlyRootFilesystem: true']);
  });

  it("reports container definitions that cannot be read, and notes unknown ones", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([], { containerDefinitions: "[{" }))).to.deep.equal(["containerDefinitions is not valid JSON"]);
    const out = checkResourceDetailed(rule, TASK_DEFINITION, taskDefinition([], { containerDefinitions: UNKNOWN }));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
