import { expect } from "chai";
import { ecsServicesCircuitBreakerRollback as rule } from "../../../../policy/rules/compute/circuitBreaker";
import { checkResource } from "../../../../policy/testing";
import { SERVICE, service } from "./fixtures";

describe("ecs-services-circuit-breaker-rollback", () => {
  it("accepts the ECS controller (explicit or default) with circuit breaker and rollback", () => {
    expect(checkResource(rule, SERVICE, service())).to.deep.equal([]);
    expect(checkResource(rule, SERVICE, service({ deploymentController: undefined }))).to.deep.equal([]);
  });

  it("rejects a missing breaker or one without rollback", () => {
    expect(checkResource(rule, SERVICE, service({ deploymentCircuitBreaker: undefined }))).to.have.length(2);
    expect(checkResource(rule, SERVICE, service({ deploymentCircuitBreaker: { enable: true, rollback: false } }))).to.deep.equal(["deploymentCircuitBreaker.rollback is not true"]);
  });

  it("rejects CODE_DEPLOY and EXTERNAL controllers, where the breaker does not apply", () => {
    expect(checkResource(rule, SERVICE, service({ deploymentController: { type: "CODE_DEPLOY" } }))).to.have.length(1).and.match(/CODE_DEPLOY/);
  });
});
