import { expect } from "chai";
import { ECS_SERVICE_TYPE, TASK_DEFINITION_TYPE, hotfixTargetsFromGraph, hotfixViolations, typeOfUrn } from "../../automation/hotfix";
import type { StackRun } from "../../offline/engine";
import { realStacks } from "../support/realStacks";

const TD = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/taskDefinition:TaskDefinition::prod-checkout-task";
const SVC = "urn:pulumi:prod::tila-platform::tila:compute:MicroserviceService$aws:ecs/service:Service::prod-checkout-service";

describe("hot-fix scope", () => {
  it("reads the resource type from a URN with parent types", () => {
    expect(typeOfUrn(TD)).to.equal(TASK_DEFINITION_TYPE);
    expect(typeOfUrn("urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod")).to.equal("pulumi:pulumi:Stack");
  });

  it("accepts a new task-definition revision, a service update and the stack's outputs", () => {
    const steps = [
      { urn: "urn:pulumi:prod::tila-platform::pulumi:pulumi:Stack::tila-platform-prod", type: "pulumi:pulumi:Stack", op: "update" },
      { urn: TD, type: TASK_DEFINITION_TYPE, op: "create-replacement" },
      { urn: TD, type: TASK_DEFINITION_TYPE, op: "replace" },
      { urn: TD, type: TASK_DEFINITION_TYPE, op: "delete-replaced" },
      { urn: SVC, type: ECS_SERVICE_TYPE, op: "update" },
    ];
    expect(hotfixViolations(steps, [TD, SVC])).to.deep.equal([]);
  });

  it("names every step beyond that", () => {
    const steps = [
      { urn: SVC, type: ECS_SERVICE_TYPE, op: "replace" },
      { urn: TD, type: TASK_DEFINITION_TYPE, op: "create" },
      { urn: "urn:x::y::aws:iam/role:Role::r", type: "aws:iam/role:Role", op: "update" },
    ];
    expect(hotfixViolations(steps, [TD, SVC])).to.have.length(3);
  });

  describe("targets from the real prod graph", () => {
    let prod: StackRun;
    before(async function () {
      this.timeout(120_000);
      prod = (await realStacks()).prod!;
    });

    it("are checkout's task definition and ECS service, and nothing else", () => {
      const targets = hotfixTargetsFromGraph(prod.resources, "prod", "checkout");
      expect(targets.map(typeOfUrn)).to.deep.equal([TASK_DEFINITION_TYPE, ECS_SERVICE_TYPE]);
      expect(targets.every((u) => u.startsWith("urn:pulumi:prod::tila-platform::") && u.includes("checkout"))).to.equal(true);
      const catalog = hotfixTargetsFromGraph(prod.resources, "prod", "catalog");
      expect(catalog.filter((u) => targets.includes(u))).to.deep.equal([]);
    });

    it("name the known services when the service does not exist", () => {
      expect(() => hotfixTargetsFromGraph(prod.resources, "prod", "nope")).to.throw(/no service "nope".*checkout/);
    });
  });
});
