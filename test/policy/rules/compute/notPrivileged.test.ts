import { expect } from "chai";
import { ecsContainersNotPrivileged as rule } from "../../../../policy/rules/compute/notPrivileged";
import { checkResource } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

describe("ecs-containers-not-privileged", () => {
  it("accepts containers that are not privileged (unset or false)", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container(), container({ name: "b", privileged: false })]))).to.deep.equal([]);
  });

  it("rejects a privileged container", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ privileged: true })]))).to.deep.equal(['container "cart" sets privileged: true']);
  });
});
