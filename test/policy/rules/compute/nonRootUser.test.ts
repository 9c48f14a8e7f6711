import { expect } from "chai";
import { ecsContainersRunAsNonRoot as rule } from "../../../../policy/rules/compute/nonRootUser";
import { checkResource } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

describe("ecs-containers-run-as-non-root", () => {
  it("accepts a non-zero UID or a named user", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition())).to.deep.equal([]);
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ user: "app" })]))).to.deep.equal([]);
  });

  it("rejects root in every spelling and an unset user", () => {
    for (const user of ["root", "0", "0:0", "root:root", "0:1000"]) {
      expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ user })])), user).to.have.length(1).and.match(/runs as/);
    }
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ user: undefined })]))).to.have.length(1).and.match(/sets no user/);
  });

  it("does not apply to Windows task definitions", () => {
    const windows = taskDefinition([container({ user: undefined })], { runtimePlatform: { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" } });
    expect(checkResource(rule, TASK_DEFINITION, windows)).to.deep.equal([]);
  });
});
