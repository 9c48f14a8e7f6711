/**
 * The deploy roles on the captured graphs of all five real stacks
 * (docs/security.md#deploy-roles-and-people): every resource type a stack manages maps to a
 * service its deploy role may use, only in the stack's region for regional services; each role may
 * pass the stack's roles only to the services they trust; each environment's deploy role may assume
 * only its own hub role (management's none); none may create a user, access key or login profile,
 * change the fixed identities or stop the trail; dev's deploy role reaches nothing of prod's.
 * Requests are evaluated against every document attached to the role with the pack's IAM
 * evaluator (policy/rules/iam/evaluate.ts).
 */
import { expect } from "chai";
import * as path from "path";
import { ENVIRONMENTS, STACKS } from "../../config/schema";
import { GLOBAL_PREFIXES, servicePrefixOf } from "../../components/security/baseline/deployPolicy";
import { BREAK_GLASS_ROLE_NAME } from "../../components/security/baseline/identity";
import { deployRoleArn, deployRoleName, hubRoleArn } from "../../components/security/hubIdentity";
import type { StackRun } from "../../offline/engine";
import { IamRequest, evaluate } from "../../policy/rules/iam/evaluate";
import { realStackPolicy, runPack } from "../support/realPolicy";
import { apmSchema } from "../../config/apmSchema";
import { loggingSchema } from "../../config/loggingSchema";
import { analyticsSchema, effectiveAnalytics } from "../../config/analyticsSchema";
import { readStackFiles } from "../../config/load";
import { deployedFor } from "../../stacks/deployServices";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

const ROOT = path.resolve(__dirname, "../..");
const REGION = "me-south-1";
const ROLE = "aws:iam/role:Role";

interface DeployRole {
  stack: string;
  account: string;
  arn: string;
  documents: unknown[];
}

const kindOf = (stack: string): "management" | "environment" => (stack === "management" ? "management" : "environment");
/** What the stack's deploy role is built from: its kind's types and services, plus those of the APM parts its file turns on. */
const deployedOf = (stack: string) => {
  const raw = readStackFiles(ROOT).raw[stack as keyof ReturnType<typeof readStackFiles>["raw"]];
  const observability = raw?.observability as { apm?: unknown; logging?: unknown } | undefined;
  const network = raw?.network as { flowLogs: { destination: "cloudwatch" | "s3" } } | undefined;
  const analytics = stack === "management" ? undefined : effectiveAnalytics(stack, analyticsSchema.parse(raw?.analytics ?? {}));
  return deployedFor(kindOf(stack), apmSchema.parse(observability?.apm), loggingSchema.parse(observability?.logging), network, analytics);
};

/** Every identity-based document that applies to the stack's deploy role: its inline policies and attachments. */
function deployRoleOf(stack: string, run: StackRun): DeployRole {
  const name = deployRoleName(stack);
  const role = run.resources.find((r) => r.type === ROLE && r.inputs.name === name);
  if (!role) throw new Error(`${stack}: no ${name}`);
  const inline = run.resources.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === name).map((r) => r.inputs.policy);
  const attached = run.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && (r.inputs.role === name || r.inputs.role === role.outputs.name));
  // A managed policy's statements are not in the plan: the deploy role must hold none.
  expect(attached.map((r) => r.inputs.policyArn), `${stack} deploy role attachments`).to.deep.equal([]);
  expect(role.inputs.managedPolicyArns ?? [], `${stack} deploy role managedPolicyArns`).to.deep.equal([]);
  expect(role.inputs.inlinePolicies ?? [], `${stack} deploy role inlinePolicies`).to.deep.equal([]);
  return { stack, account: run.config.accountId, arn: String(role.outputs.arn), documents: inline };
}

describe("deploy roles (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  const roles: Record<string, DeployRole> = {};
  const decide = (stack: string, request: IamRequest) => evaluate(roles[stack]!.documents, { ...request, context: { "aws:RequestedRegion": REGION, ...request.context } });
  const management = () => stacks.management!.config.accountId;

  before(async () => {
    stacks = await realStacks();
    for (const stack of STACKS) roles[stack] = deployRoleOf(stack, stacks[stack]!);
  });

  it("every stack's deploy role has exactly one inline policy, in its own account", () => {
    for (const stack of STACKS) {
      expect(roles[stack]!.documents, stack).to.have.length(1);
      expect(roles[stack]!.arn, stack).to.equal(deployRoleArn(stack, roles[stack]!.account));
    }
  });

  it("covers every resource type the stack manages, and lists no type it does not", () => {
    for (const stack of STACKS) {
      const types = [...new Set(stacks[stack]!.resources.filter((r) => r.custom && !r.read && r.type.startsWith("aws:")).map((r) => r.type))].sort();
      expect(types, `${stack}: stacks/deployServices.ts`).to.deep.equal([...deployedOf(stack).resourceTypes].sort());
      for (const type of types) {
        const prefix = servicePrefixOf(type);
        expect(prefix, `${stack}: ${type} has no IAM prefix in SERVICE_PREFIXES`).to.be.a("string");
        expect(decide(stack, { action: `${prefix}:AnyAction`, resources: ["*"] }), `${stack}: ${type} (${prefix})`).to.equal("allow");
      }
    }
  });

  it("regional services only in the stack's region; global ones (IAM, Route 53) from us-east-1 too", () => {
    for (const stack of STACKS) {
      expect(decide(stack, { action: "ec2:RunInstances", resources: ["*"], context: { "aws:RequestedRegion": "eu-west-1" } }), stack).to.equal("implicit-deny");
      expect(decide(stack, { action: "s3:CreateBucket", resources: ["*"], context: { "aws:RequestedRegion": "us-east-1" } }), stack).to.equal("implicit-deny");
      expect(decide(stack, { action: "iam:CreateRole", resources: [`arn:aws:iam::${roles[stack]!.account}:role/${stack}-x`], context: { "aws:RequestedRegion": "us-east-1" } }), stack).to.equal("allow");
      expect(decide(stack, { action: "route53:ChangeResourceRecordSets", resources: ["*"], context: { "aws:RequestedRegion": "us-east-1" } }), stack).to.equal("allow");
      // A service the stack does not manage is not allowed even in its region (management's Graylog alert relay keeps a DynamoDB table).
      for (const prefix of [...(stack === "management" ? [] : ["dynamodb"]), "redshift", "sagemaker", "organizations"]) expect(decide(stack, { action: `${prefix}:Create`, resources: ["*"] }), `${stack} ${prefix}`).to.equal("implicit-deny");
    }
    expect(GLOBAL_PREFIXES).to.include.members(["iam", "route53"]);
  });

  it("each environment's deploy role may assume only its own hub role; management's none", () => {
    for (const stack of STACKS) {
      for (const env of ENVIRONMENTS) {
        const hub = hubRoleArn(env, management());
        const expected = stack === env ? "allow" : "implicit-deny";
        expect(decide(stack, { action: "sts:AssumeRole", resources: [hub] }), `${stack} -> ${hub}`).to.equal(expected);
      }
      for (const other of STACKS) expect(decide(stack, { action: "sts:AssumeRole", resources: [deployRoleArn(other, roles[other]!.account)] }), `${stack} -> deploy ${other}`).to.equal("implicit-deny");
      expect(decide(stack, { action: "sts:AssumeRole", resources: [`arn:aws:iam::${management()}:role/${BREAK_GLASS_ROLE_NAME}`] }), stack).to.equal("implicit-deny");
    }
  });

  it("dev's deploy role cannot act in prod's account or on prod's hub role", () => {
    const prod = stacks.prod!;
    const dev = roles.dev!;
    expect(dev.account).to.not.equal(prod.config.accountId);
    // No role in prod's account lets dev's deploy role in (identity policies alone never cross accounts)...
    for (const r of prod.resources.filter((x) => x.type === ROLE)) {
      const d = evaluateTrust(String(r.inputs.assumeRolePolicy), dev);
      expect(d, String(r.outputs.arn)).to.not.equal("allow");
    }
    // ...no resource policy of prod names dev's account, and management's prod hub role trusts only prod's deploy role.
    const prodText = JSON.stringify(prod.resources.map((x) => x.inputs));
    expect(prodText.includes(dev.account), "prod's inputs mention dev's account").to.equal(false);
    const hub = stacks.management!.resources.find((x) => x.type === ROLE && x.inputs.name === "tila-platform-hub-prod")!;
    expect(evaluateTrust(String(hub.inputs.assumeRolePolicy), dev, "tila-platform-prod")).to.equal("implicit-deny");
    expect(evaluateTrust(String(hub.inputs.assumeRolePolicy), roles.prod!, "tila-platform-prod")).to.equal("allow");
    // ...and dev's own policy does not reach for prod's roles.
    expect(decide("dev", { action: "sts:AssumeRole", resources: [hubRoleArn("prod", management()), deployRoleArn("prod", prod.config.accountId)] })).to.equal("implicit-deny");
  });

  it("no deploy role can create a user, an access key or a login profile, change the fixed identities or stop its trail", () => {
    for (const stack of STACKS) {
      const account = roles[stack]!.account;
      const user = `arn:aws:iam::${account}:user/someone`;
      for (const action of ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:AttachUserPolicy"]) {
        expect(decide(stack, { action, resources: [user] }), `${stack} ${action}`).to.equal("explicit-deny");
      }
      for (const name of [deployRoleName(stack), BREAK_GLASS_ROLE_NAME, "tila-platform-auditor"]) {
        for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRole"]) {
          expect(decide(stack, { action, resources: [`arn:aws:iam::${account}:role/${name}`] }), `${stack} ${action} ${name}`).to.equal("explicit-deny");
        }
      }
      expect(decide(stack, { action: "iam:AttachRolePolicy", resources: [`arn:aws:iam::${account}:role/${stack}-x`], context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } }), stack).to.equal("explicit-deny");
      expect(decide(stack, { action: "cloudtrail:StopLogging", resources: [`arn:aws:cloudtrail:${REGION}:${account}:trail/tila-${stack}-audit`] }), stack).to.equal("explicit-deny");
      expect(decide(stack, { action: "cloudtrail:UpdateTrail", resources: [`arn:aws:cloudtrail:${REGION}:${account}:trail/tila-${stack}-audit`] }), stack).to.equal("allow");
    }
  });

  it("passes the stack's roles only to the services its roles trust, and never a fixed identity", () => {
    const byKind = { management: new Set<string>(), environment: new Set<string>() };
    for (const stack of STACKS) {
      const trusted = byKind[kindOf(stack)];
      for (const r of stacks[stack]!.resources.filter((x) => x.type === ROLE)) {
        const trust = JSON.parse(String(r.inputs.assumeRolePolicy)) as { Statement: { Principal?: { Service?: string | string[] } }[] };
        const services = trust.Statement.flatMap((s) => (s.Principal?.Service === undefined ? [] : ([] as string[]).concat(s.Principal.Service)));
        const arn = String(r.outputs.arn);
        for (const service of services) {
          trusted.add(service);
          expect(decide(stack, { action: "iam:PassRole", resources: [arn], context: { "iam:PassedToService": service } }), `${stack} ${arn} -> ${service}`).to.equal("allow");
        }
        // The service list is the stack's, not the role's (docs/security.md#open-points): a service none of its roles trusts is refused.
        expect(decide(stack, { action: "iam:PassRole", resources: [arn], context: { "iam:PassedToService": "glue.amazonaws.com" } }), `${stack} ${arn} -> glue`).to.equal("explicit-deny");
        // The fixed identities (deploy, hub, auditor, break-glass roles) are never passed, to any service.
        if (String(r.inputs.name ?? "").startsWith("tila-platform-")) {
          for (const service of deployedOf(stack).passedToServices) expect(decide(stack, { action: "iam:PassRole", resources: [arn], context: { "iam:PassedToService": service } }), `${stack} ${arn} -> ${service}`).to.equal("explicit-deny");
        }
      }
    }
    // The lists name exactly the services some stack of the kind passes roles to (preprod and prod, say, may differ in flow-log delivery).
    for (const kind of ["management", "environment"] as const) expect([...byKind[kind]].sort(), `${kind}: stacks/deployServices.ts passedToServices`).to.deep.equal([...new Set(STACKS.filter((s) => kindOf(s) === kind).flatMap((s) => deployedOf(s).passedToServices))].sort());
  });

  it("the pack accepts the real deploy and break-glass roles, and names a deploy policy that loses its region condition", async () => {
    for (const stack of STACKS) {
      // The whole pack over the real stack, run once per test process and shared.
      const found = (await realStackPolicy(stack)).violations.filter((v) => v.policy.startsWith("iam-"));
      expect(found.map((v) => v.message), stack).to.deep.equal([]);
      // The break-glass rule has something to check in every stack: AdministratorAccess by name, and the alarm on the role.
      const resources = stacks[stack]!.resources;
      const grant = resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === BREAK_GLASS_ROLE_NAME);
      expect(grant.map((r) => r.inputs.policyArn), stack).to.deep.equal(["arn:aws:iam::aws:policy/AdministratorAccess"]);
      const arn = `arn:aws:iam::${roles[stack]!.account}:role/${BREAK_GLASS_ROLE_NAME}`;
      expect(resources.some((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && String(r.inputs.eventPattern).includes(arn)), `${stack} break-glass alarm`).to.equal(true);
    }
    const { run, hits } = await planWeakened("dev", (a) => {
      if (a.type !== "aws:iam/rolePolicy:RolePolicy" || a.props.role !== deployRoleName("dev")) return undefined;
      const doc = JSON.parse(String(a.props.policy)) as { Statement: Record<string, unknown>[] };
      return { ...a.props, policy: JSON.stringify({ ...doc, Statement: doc.Statement.map((s) => ({ ...s, Condition: s.Effect === "Allow" ? undefined : s.Condition })) }) };
    });
    expect(hits).to.equal(1);
    const found = runPack(run.resources, "dev").violations;
    expect([...new Set(found.map((v) => v.policy))].sort()).to.deep.equal(["iam-deploy-role-policy-scoped", "iam-no-service-wildcard-actions"]);
    expect(found.map((v) => v.message).join("\n")).to.match(/without StringEquals aws:RequestedRegion/);
  });
});

/** A trust policy's decision on an AssumeRole by the given deploy role (with the hub provider's session name when given). */
function evaluateTrust(trust: string, caller: DeployRole, sessionName?: string): string {
  const doc = JSON.parse(trust) as { Statement: { Principal?: unknown }[] };
  // Only AWS principals can be a deploy role's session; service and federated statements never match it.
  const aws = { ...doc, Statement: doc.Statement.filter((s) => typeof s.Principal === "object" && s.Principal !== null && "AWS" in s.Principal) };
  if (aws.Statement.length === 0) return "implicit-deny";
  const context = { "aws:PrincipalArn": caller.arn, "aws:PrincipalAccount": caller.account, ...(sessionName ? { "sts:RoleSessionName": sessionName } : {}), "aws:MultiFactorAuthPresent": "false" };
  return evaluate([aws], { action: "sts:AssumeRole", resources: ["*"], principal: { arn: caller.arn, account: caller.account }, context });
}
