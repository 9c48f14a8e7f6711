import { expect } from "chai";
import { ecsServicesAutoscaled as rule } from "../../../../policy/rules/compute/autoscalingTarget";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { CLUSTER, SERVICE, service } from "./fixtures";

const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";
const CLUSTER_ARN = "arn:aws:ecs:me-south-1:444444444444:cluster/prod-ecs-cluster-b80350fe";
const scaling = { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount" };

function stack(opts: { targetId?: string; policy?: boolean; targetDeps?: string[]; policyDeps?: string[] } = {}) {
  const targetId = opts.targetId ?? "service/tila-prod/cart";
  return [
    // The cluster's ARN need not end in its name (the mocks' does not): resolve the name from the cluster.
    { type: CLUSTER, name: "cluster", props: { arn: CLUSTER_ARN, name: "tila-prod" } },
    { type: SERVICE, name: "cart-service", props: service({ cluster: CLUSTER_ARN }) },
    { type: TARGET, name: "cart-target", props: { ...scaling, resourceId: targetId, minCapacity: 3, maxCapacity: 30 }, dependencies: opts.targetDeps ?? [] },
    ...(opts.policy === false ? [] : [{ type: POLICY, name: "cart-cpu", props: { ...scaling, resourceId: targetId, policyType: "TargetTrackingScaling" }, dependencies: opts.policyDeps ?? [] }]),
  ];
}

describe("ecs-services-autoscaled", () => {
  it("accepts a service with a desired-count target and a scaling policy", () => {
    expect(checkStack(rule, stack())).to.deep.equal([]);
  });

  it("rejects a service whose target scales another service, naming the service", () => {
    const out = checkStack(rule, stack({ targetId: "service/tila-prod/orders" }));
    expect(out).to.have.length(1);
    expect(out[0].message).to.match(/no aws:appautoscaling\/target:Target for service\/tila-prod\/cart/);
    expect(out[0].urn).to.match(/::cart-service$/);
  });

  it("rejects a target without any scaling policy or scheduled action", () => {
    expect(checkStack(rule, stack({ policy: false }))[0].message).to.match(/but no scaling policy/);
  });

  it("falls back to the dependency graph when resource ids are unknown during preview", () => {
    expect(checkStack(rule, stack({ targetId: UNKNOWN, targetDeps: ["cart-service"], policyDeps: ["cart-target"] }))).to.deep.equal([]);
    expect(checkStack(rule, stack({ targetId: UNKNOWN }))).to.have.length(1);
  });
});
