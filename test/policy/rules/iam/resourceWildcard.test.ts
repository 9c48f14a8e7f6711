import { expect } from "chai";
import { UNSCOPABLE_ACTIONS, iamResourceWildcardOnlyForUnscopableActions as rule } from "../../../../policy/rules/iam/resourceWildcard";
import { checkResource } from "../../../../policy/testing";
import { POLICY, ROLE, ROLE_POLICY, doc, ecsTrust, executionPolicy } from "./fixtures";

describe("iam-resource-wildcard-only-for-unscopable-actions", () => {
  it("accepts * only for actions AWS cannot scope (case-insensitively)", () => {
    expect(checkResource(rule, ROLE_POLICY, { policy: executionPolicy })).to.deep.equal([]);
    expect(checkResource(rule, POLICY, { policy: doc({ Effect: "Allow", Action: ["CloudWatch:PutMetricData", "xray:PutTraceSegments"], Resource: ["*"] }) })).to.deep.equal([]);
    expect(UNSCOPABLE_ACTIONS).to.include("ecr:GetAuthorizationToken");
  });

  it("rejects scopable actions on * and on NotResource, listing only the scopable ones", () => {
    const out = checkResource(rule, ROLE_POLICY, { policy: doc({ Effect: "Allow", Action: ["ecr:GetAuthorizationToken", "secretsmanager:GetSecretValue"], Resource: "*" }) });
    expect(out).to.deep.equal(['policy Statement[0] allows secretsmanager:GetSecretValue on every resource; name the resources (only unscopable actions may use "*")']);
    const role = { assumeRolePolicy: ecsTrust, inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::private/*" }) }] };
    expect(checkResource(rule, ROLE, role)).to.have.length(1);
  });

  it("accepts the Prometheus collector's ECS discovery reads on * but not the ECS reads that take a resource", () => {
    const discovery = doc({ Effect: "Allow", Action: ["ecs:ListTasks", "ecs:ListServices", "ecs:DescribeTaskDefinition"], Resource: "*" });
    expect(checkResource(rule, ROLE_POLICY, { policy: discovery })).to.deep.equal([]);
    const describe = doc({ Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:DescribeServices"], Resource: "*" });
    expect(checkResource(rule, ROLE_POLICY, { policy: describe })).to.deep.equal(['policy Statement[0] allows ecs:DescribeTasks, ecs:DescribeServices on every resource; name the resources (only unscopable actions may use "*")']);
  });

  it("leaves whole-service and all-action grants to the wildcard-action rules", () => {
    expect(checkResource(rule, POLICY, { policy: doc({ Effect: "Allow", Action: ["*", "s3:*"], Resource: "*" }) })).to.deep.equal([]);
  });
});
