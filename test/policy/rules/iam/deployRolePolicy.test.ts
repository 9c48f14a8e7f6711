/**
 * iam-deploy-role-policy-scoped, and the exemption it gives the wildcard rules: the deploy policy
 * the baseline builds passes all three only on its own deploy role; each missing part (the region
 * condition, a deny, the PassRole limits) or another environment's hub role fails, and the same
 * document on any other role is still a whole-service grant. (The deploy policy's only grants on
 * "*" are whole services and sts:GetCallerIdentity, so iam-resource-wildcard-only-for-unscopable-
 * actions needs no exemption.)
 */
import { expect } from "chai";
import { DeployPolicyInput, deployPermissionPolicy } from "../../../../components/security/baseline/deployPolicy";
import { deployPolicyIssues, iamDeployRolePolicyScoped as rule, isExactDeployPolicy } from "../../../../policy/rules/iam/deployRolePolicy";
import { iamNoServiceWildcardActions } from "../../../../policy/rules/iam/noServiceWildcards";
import { checkResource } from "../../../../policy/testing";
import { ROLE_POLICY } from "./fixtures";

type Doc = { Version: string; Statement: Record<string, unknown>[] };
const input = (over: Partial<DeployPolicyInput> = {}): DeployPolicyInput => ({
  stack: "dev",
  accountId: "222222222222",
  region: "me-south-1",
  resourceTypes: ["aws:ec2/vpc:Vpc", "aws:s3/bucket:Bucket", "aws:iam/role:Role", "aws:route53/zone:Zone", "aws:cloudtrail/trail:Trail"],
  passedToServices: ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"],
  hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-dev",
  ...over,
});
const built = (over: Partial<DeployPolicyInput> = {}): Doc => JSON.parse(JSON.stringify(deployPermissionPolicy(input(over)))) as Doc;
const props = (doc: Doc, role = "tila-platform-deploy-dev") => ({ name: "deploy", role, policy: JSON.stringify(doc) });
const without = (doc: Doc, sid: string): Doc => ({ ...doc, Statement: doc.Statement.filter((s) => s.Sid !== sid) });
const edit = (doc: Doc, sid: string, change: (s: Record<string, unknown>) => Record<string, unknown>): Doc => ({ ...doc, Statement: doc.Statement.map((s) => (s.Sid === sid ? change(s) : s)) });

describe("iam-deploy-role-policy-scoped", () => {
  it("accepts the deploy policy the baseline builds, for an environment and for management", () => {
    expect(checkResource(rule, ROLE_POLICY, props(built()))).to.deep.equal([]);
    const management = built({ stack: "management", accountId: "111111111111", hubRoleArn: undefined });
    expect(checkResource(rule, ROLE_POLICY, props(management, "tila-platform-deploy-management"))).to.deep.equal([]);
  });

  it("exempts exactly that policy on a deploy role from the service-wildcard rule, and nothing else", () => {
    for (const wildcard of [iamNoServiceWildcardActions]) {
      expect(checkResource(wildcard, ROLE_POLICY, props(built())), wildcard.name).to.deep.equal([]);
      // The same document on a service role, or without its region condition, is a wildcard grant again.
      expect(checkResource(wildcard, ROLE_POLICY, props(built(), "dev-cart-task-role")), wildcard.name).to.not.deep.equal([]);
      const noRegion = edit(built(), "ManageStackServicesInRegion", (s) => ({ ...s, Condition: undefined }));
      expect(checkResource(wildcard, ROLE_POLICY, props(noRegion)), wildcard.name).to.not.deep.equal([]);
    }
    expect(isExactDeployPolicy("aws:iam/policy:Policy", props(built()))).to.equal(false);
  });

  it("rejects a regional grant without aws:RequestedRegion, with a wildcard region or with two regions", () => {
    const noRegion = edit(built(), "ManageStackServicesInRegion", (s) => ({ ...s, Condition: undefined }));
    expect(checkResource(rule, ROLE_POLICY, props(noRegion)).join("\n")).to.match(/allows cloudtrail, ec2, s3 without StringEquals aws:RequestedRegion/);
    const anyRegion = edit(built(), "ManageStackServicesInRegion", (s) => ({ ...s, Condition: { StringLike: { "aws:RequestedRegion": "*" } } }));
    expect(checkResource(rule, ROLE_POLICY, props(anyRegion))).to.have.length.greaterThan(0);
    const two = { ...built(), Statement: [...built().Statement, { Sid: "Other", Effect: "Allow", Action: "sns:*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } }] };
    expect(checkResource(rule, ROLE_POLICY, props(two)).join("\n")).to.match(/several regions/);
  });

  it("rejects sts:AssumeRole on another environment's hub role, on any role, or from management", () => {
    const prodHub = edit(built(), "AssumeOwnHubRole", (s) => ({ ...s, Resource: "arn:aws:iam::111111111111:role/tila-platform-hub-prod" }));
    expect(checkResource(rule, ROLE_POLICY, props(prodHub)).join("\n")).to.match(/sts:AssumeRole on arn:aws:iam::111111111111:role\/tila-platform-hub-prod/);
    const anyHub = edit(built(), "AssumeOwnHubRole", (s) => ({ ...s, Resource: "arn:aws:iam::111111111111:role/tila-platform-hub-*" }));
    expect(checkResource(rule, ROLE_POLICY, props(anyHub))).to.have.length(1);
    const stsStar = edit(built(), "WhoAmI", (s) => ({ ...s, Action: "sts:*" }));
    expect(checkResource(rule, ROLE_POLICY, props(stsStar)).length).to.be.greaterThan(0);
    const management = built({ stack: "management", accountId: "111111111111", hubRoleArn: undefined });
    const managementAssumes = { ...management, Statement: [...management.Statement, { Sid: "X", Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/tila-platform-hub-management" }] };
    expect(checkResource(rule, ROLE_POLICY, props(managementAssumes, "tila-platform-deploy-management")).join("\n")).to.match(/management's deploy role assume a role/);
  });

  it("rejects a deploy policy missing any of its denies", () => {
    const cases: Record<string, RegExp> = {
      NoHumanCredentials: /iam:CreateUser.*\n?.*iam:CreateAccessKey/s,
      NoChangesToFixedIdentities: /iam:UpdateAssumeRolePolicy on tila-platform-deploy-dev/,
      DetectiveControlsStayOn: /cloudtrail:StopLogging/,
      PassOnlyOwnRoles: /does not limit iam:PassRole to the stack's own roles/,
      PassOnlyToServicesThatTakeThem: /pass a stack role to a service none of its roles trusts/,
    };
    for (const [sid, message] of Object.entries(cases)) {
      const out = checkResource(rule, ROLE_POLICY, props(without(built(), sid)));
      expect(out.join("\n"), sid).to.match(message);
      // And the wildcard rules no longer exempt it.
      expect(checkResource(iamNoServiceWildcardActions, ROLE_POLICY, props(without(built(), sid))), sid).to.not.deep.equal([]);
    }
  });

  it("rejects a deploy policy that would let the deploy role change its stack's preview role (any branch may assume it)", () => {
    const open = edit(built(), "NoChangesToFixedIdentities", (st) => ({ ...st, Resource: (st.Resource as string[]).filter((r) => !r.includes("tila-platform-preview-")) }));
    const out = checkResource(rule, ROLE_POLICY, props(open)).join("\n");
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy"]) expect(out).to.include(`${action} on tila-platform-preview-dev`);
    expect(out).to.not.include("tila-platform-deploy-dev (");
  });

  it("rejects Action \"*\", NotAction, and an unreadable document; ignores other roles' policies", () => {
    const all = { ...built(), Statement: [...built().Statement, { Sid: "All", Effect: "Allow", Action: "*", Resource: "*" }] };
    expect(checkResource(rule, ROLE_POLICY, props(all)).join("\n")).to.match(/allows every action/);
    const notAction = { ...built(), Statement: [...built().Statement, { Sid: "Not", Effect: "Allow", NotAction: "iam:*", Resource: "*" }] };
    expect(checkResource(rule, ROLE_POLICY, props(notAction)).join("\n")).to.match(/NotAction/);
    expect(deployPolicyIssues("{", "dev")).to.deep.equal(["the policy is not valid JSON"]);
    expect(checkResource(rule, ROLE_POLICY, props(built(), "dev-cart-task-role"))).to.deep.equal([]);
  });
});
