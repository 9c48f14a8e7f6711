import { expect } from "chai";
import { ecsContainersLogToAwslogs as rule } from "../../../../policy/rules/compute/awslogs";
import { checkResource } from "../../../../policy/testing";
import { TASK_DEFINITION, container, taskDefinition } from "./fixtures";

describe("ecs-containers-log-to-awslogs", () => {
  it("accepts awslogs with group, region and (on Fargate) stream prefix", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition())).to.deep.equal([]);
  });

  it("rejects a container without logging or with another driver", () => {
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ logConfiguration: undefined })]))).to.deep.equal(['container "cart" log driver is unset, not "awslogs"']);
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([container({ logConfiguration: { logDriver: "json-file" } })]))).to.have.length(1);
  });

  it("rejects awslogs without the options it needs, and needs no stream prefix off Fargate", () => {
    const noPrefix = container({ logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/g", "awslogs-region": "me-south-1" } } });
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([noPrefix]))).to.deep.equal(['container "cart" awslogs options lack awslogs-stream-prefix']);
    expect(checkResource(rule, TASK_DEFINITION, taskDefinition([noPrefix], { requiresCompatibilities: ["EC2"] }))).to.deep.equal([]);
  });
});
