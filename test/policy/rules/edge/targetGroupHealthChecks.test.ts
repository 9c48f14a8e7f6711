import { expect } from "chai";
import { lbTargetGroupsHealthChecked as rule } from "../../../../policy/rules/edge/targetGroupHealthChecks";
import { checkResource } from "../../../../policy/testing";

const TG = "aws:lb/targetGroup:TargetGroup";
const ALB_TG = "aws:alb/targetGroup:TargetGroup";

describe("lb-target-groups-health-checked", () => {
  it("accepts enabled or default health checks", () => {
    expect(checkResource(rule, TG, { targetType: "ip", healthCheck: { enabled: true, path: "/health" } })).to.deep.equal([]);
    expect(checkResource(rule, ALB_TG, { targetType: "ip" })).to.deep.equal([]);
  });

  it("rejects disabled health checks on IP or instance targets", () => {
    expect(checkResource(rule, TG, { targetType: "ip", healthCheck: { enabled: false } })).to.deep.equal(["healthCheck.enabled is false"]);
    expect(checkResource(rule, ALB_TG, { healthCheck: { enabled: false } })).to.have.length(1);
  });

  it("does not apply to Lambda targets", () => {
    expect(checkResource(rule, TG, { targetType: "lambda", healthCheck: { enabled: false } })).to.deep.equal([]);
  });
});
