import { expect } from "chai";
import { deployRoleTarget, pipelineDeployRoleScoped as rule } from "../../../../policy/rules/delivery/deployRoleScoped";
import { StackResourceSpec, checkStack } from "../../../../policy/testing";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ACCOUNT = "555555555555";
const SERVICE_ARN = `arn:aws:ecs:me-south-1:${ACCOUNT}:service/tila-prod/checkout`;
const TASK_ROLES = [`arn:aws:iam::${ACCOUNT}:role/prod-checkout-task`, `arn:aws:iam::${ACCOUNT}:role/prod-checkout-execution`];

type Statement = Record<string, unknown>;
const scoped: Statement[] = [
  { Sid: "Register", Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition"], Resource: "*" },
  { Sid: "Update", Effect: "Allow", Action: ["ecs:UpdateService", "ecs:DescribeServices"], Resource: SERVICE_ARN },
  { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: TASK_ROLES, Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } },
];

function stack(statements: Statement[], roleName = "tila-deploy-prod-checkout"): StackResourceSpec[] {
  return [
    { type: ROLE, name: "deploy-role", props: { name: roleName, arn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`, assumeRolePolicy: "{}" } },
    { type: ROLE_POLICY, name: "deploy-policy", props: { role: roleName, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }, dependencies: ["deploy-role"] },
  ];
}
const messages = (statements: Statement[], roleName?: string) => checkStack(rule, stack(statements, roleName)).map((v) => v.message);
const replace = (sid: string, s: Statement): Statement[] => scoped.map((x) => (x.Sid === sid ? s : x));

describe("pipeline-deploy-role-scoped", () => {
  it("reads the environment and service from the role name", () => {
    expect(deployRoleTarget("tila-deploy-preprod-checkout")).to.deep.equal({ environment: "preprod", service: "checkout" });
    expect(deployRoleTarget("tila-deploy-prod-order-api")).to.deep.equal({ environment: "prod", service: "order-api" });
    expect(deployRoleTarget("tila-platform-deploy-prod")).to.equal(undefined);
  });

  it("accepts the service's own scope: UpdateService on its ARN, RegisterTaskDefinition on *, PassRole to ECS tasks", () => {
    expect(messages(scoped)).to.deep.equal([]);
  });

  it("refuses ecs:* and *", () => {
    expect(messages([...scoped, { Effect: "Allow", Action: "ecs:*", Resource: SERVICE_ARN }])).to.deep.equal([
      'deploy role of checkout in prod (deploy-role): deploy-policy Statement[3] allows ecs:*; name the actions the deploy needs',
    ]);
    expect(messages([...scoped, { Effect: "Allow", Action: "*", Resource: "*" }])).to.have.length(1);
  });

  it("refuses UpdateService on every resource, another service, or another environment's cluster", () => {
    expect(messages(replace("Update", { Sid: "Update", Effect: "Allow", Action: "ecs:UpdateService", Resource: "*" }))).to.deep.equal([
      'deploy role of checkout in prod (deploy-role): deploy-policy statement "Update" allows ecs:UpdateService on *; only the service\'s own ARN (service/tila-prod/checkout) is in its scope',
    ]);
    expect(messages(replace("Update", { Sid: "Update", Effect: "Allow", Action: "ecs:Update*", Resource: SERVICE_ARN.replace("checkout", "payments") }))).to.have.length(1);
    expect(messages(replace("Update", { Sid: "Update", Effect: "Allow", Action: "ecs:UpdateService", Resource: SERVICE_ARN.replace("tila-prod", "tila-dev") }))).to.have.length(1);
  });

  it("accepts RegisterTaskDefinition on the service's own family, refuses another family", () => {
    const family = (f: string) => `arn:aws:ecs:me-south-1:${ACCOUNT}:task-definition/${f}:*`;
    expect(messages(replace("Register", { Sid: "Register", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: family("prod-checkout") }))).to.deep.equal([]);
    expect(messages(replace("Register", { Sid: "Register", Effect: "Allow", Action: "ecs:RegisterTaskDefinition", Resource: family("prod-payments") }))).to.deep.equal([
      `deploy role of checkout in prod (deploy-role): deploy-policy statement "Register" allows ecs:RegisterTaskDefinition on ${family("prod-payments")}; only "*" or the service's own family (task-definition/prod-checkout:*) is in its scope`,
    ]);
  });

  it("refuses other ECS writes on every resource", () => {
    expect(messages([...scoped, { Sid: "Delete", Effect: "Allow", Action: "ecs:DeleteService", Resource: "*" }])[0]).to.include("allows ecs:DeleteService on every resource");
  });

  it("accepts ecs:TagResource on * only under an ecs:CreateAction condition", () => {
    const tag = { Sid: "Tag", Effect: "Allow", Action: "ecs:TagResource", Resource: "*" };
    expect(messages([...scoped, { ...tag, Condition: { StringEquals: { "ecs:CreateAction": "RegisterTaskDefinition" } } }])).to.deep.equal([]);
    expect(messages([...scoped, tag])).to.have.length(1);
  });

  it("refuses PassRole without iam:PassedToService ecs-tasks.amazonaws.com, or on every role", () => {
    expect(messages(replace("Pass", { Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: TASK_ROLES }))[0]).to.include("without iam:PassedToService limited to ecs-tasks.amazonaws.com / ecs.amazonaws.com");
    expect(messages(replace("Pass", { ...scoped[2], Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"] } } }))).to.have.length(1);
    expect(messages(replace("Pass", { ...scoped[2], Condition: { StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com"] } } }))).to.deep.equal([]);
    expect(messages(replace("Pass", { ...scoped[2], Resource: "*" }))[0]).to.include("allows iam:PassRole on every role");
  });

  it("refuses NotAction", () => {
    expect(messages([...scoped, { Effect: "Allow", NotAction: "iam:*", Resource: SERVICE_ARN }])[0]).to.include("uses NotAction");
  });

  it("leaves other roles alone", () => {
    expect(messages([{ Effect: "Allow", Action: "ecs:UpdateService", Resource: "*" }], "tila-pipeline-checkout")).to.deep.equal([]);
  });
});
