/**
 * The hub roles on the captured graphs of all five real stacks (docs/architecture.md#identity):
 * every call an environment stack makes in the hub account is allowed to its own role, and nothing
 * that touches an environment's TGW route table or DNS names is allowed to any other environment's
 * role; only the environment's deploy role may assume it. Requests are evaluated against the
 * captured JSON documents with the pack's IAM evaluator (policy/rules/iam/evaluate.ts).
 */
import { expect } from "chai";
import { ENVIRONMENTS, EnvironmentName } from "../../config/schema";
import { deployRoleArn, hubRoleArn, hubRoleName, hubSessionName } from "../../components/security/hubIdentity";
import type { StackRun } from "../../offline/engine";
import { CapturedResource } from "../../offline/types";
import { IamRequest, evaluate } from "../../policy/rules/iam/evaluate";
import { runPack } from "../support/realPolicy";
import { ofType } from "../support/graph";
import { HubAccount, HubRequest, hubSideRequests, tableArn, zoneArn } from "../support/hubRequests";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

const REGION = "me-south-1";
const RECORD_TYPES = ["A", "AAAA", "CNAME", "NS", "TXT", "MX", "CAA"];

interface HubRole {
  role: CapturedResource;
  arn: string;
  trust: string;
  policy: string;
}

describe("hub roles (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  let management: string;
  const roles = {} as Record<EnvironmentName, HubRole>;
  const hubSide = {} as Record<EnvironmentName, CapturedResource[]>;
  const account = (env: EnvironmentName): string => stacks[env]!.config.accountId;
  const views = (env: EnvironmentName): HubAccount[] => [
    { region: REGION, managementAccountId: management, attachmentAccountId: account(env) },
    { region: REGION, managementAccountId: management, attachmentAccountId: management },
  ];
  const requestsOf = (env: EnvironmentName, view = views(env)[0]!): HubRequest[] => hubSide[env]!.flatMap((r) => hubSideRequests(r, view));
  const decide = (env: EnvironmentName, request: IamRequest): string => evaluate([roles[env]!.policy], request);

  before(async () => {
    stacks = await realStacks();
    management = stacks.management!.config.accountId;
    for (const env of ENVIRONMENTS) {
      const role = ofType(stacks.management!, "aws:iam/role:Role").find((r) => r.inputs.name === hubRoleName(env));
      expect(role, `hub role of ${env}`).to.not.equal(undefined);
      const policies = ofType(stacks.management!, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === hubRoleName(env));
      expect(policies, `inline policies of ${hubRoleName(env)}`).to.have.length(1);
      roles[env] = { role: role!, arn: String(role!.outputs.arn), trust: String(role!.inputs.assumeRolePolicy), policy: String(policies[0]!.inputs.policy) };
      const [provider] = ofType(stacks[env]!, "pulumi:providers:aws").filter((p) => p.name === "hub");
      expect(provider, `${env} hub provider`).to.not.equal(undefined);
      hubSide[env] = stacks[env]!.resources.filter((r) => r.custom && r.options.provider?.startsWith(`${provider!.urn}::`));
    }
  });

  it("creates one role per environment account in management, named by the convention, with one inline policy and no managed policy", () => {
    const all = ofType(stacks.management!, "aws:iam/role:Role").filter((r) => String(r.inputs.name).startsWith("tila-platform-hub-"));
    expect(all.map((r) => r.inputs.name).sort()).to.deep.equal(ENVIRONMENTS.map(hubRoleName).sort());
    for (const env of ENVIRONMENTS) {
      expect(roles[env].arn).to.equal(hubRoleArn(env, management));
      const only = ofType(stacks.management!, "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive").find((r) => r.inputs.roleName === hubRoleName(env));
      expect(only?.inputs.policyNames, env).to.deep.equal(["hub-access"]);
      const none = ofType(stacks.management!, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive").find((r) => r.inputs.roleName === hubRoleName(env));
      expect(none?.inputs.policyArns, env).to.deep.equal([]);
    }
    expect((stacks.management!.outputs.hubRoleArns as Record<string, string>).prod).to.equal(hubRoleArn("prod", management));
  });

  it("points each environment's hub provider at its own role, in management's account, with the session name the trust requires", () => {
    for (const env of ENVIRONMENTS) {
      const [provider] = ofType(stacks[env]!, "pulumi:providers:aws").filter((p) => p.name === "hub");
      // Provider inputs reach the engine as JSON strings.
      const assume = JSON.parse(String(provider!.inputs.assumeRoles)) as { roleArn: string; sessionName: string }[];
      expect(assume, env).to.deep.equal([{ roleArn: roles[env].arn, sessionName: hubSessionName(env) }]);
      expect(JSON.parse(String(provider!.inputs.allowedAccountIds)), env).to.deep.equal([management]);
    }
  });

  it("knows what every hub-side resource of every environment calls (nothing unmodelled goes through the hub role)", () => {
    for (const env of ENVIRONMENTS) {
      expect(hubSide[env].length, env).to.be.greaterThan(10);
      expect(() => requestsOf(env), env).to.not.throw();
    }
  });

  for (const env of ENVIRONMENTS) {
    it(`allows ${env}'s role every call ${env}'s stack makes in the hub account`, () => {
      for (const view of views(env)) {
        const denied = requestsOf(env, view).filter((r) => decide(env, r.request) !== "allow").map((r) => `${r.what} (attachment ARN in ${view.attachmentAccountId})`);
        expect(denied, env).to.deep.equal([]);
      }
    });
  }

  for (const owner of ENVIRONMENTS) {
    for (const other of ENVIRONMENTS.filter((e) => e !== owner)) {
      it(`denies ${other}'s role every change to ${owner}'s route table and ${owner}'s DNS names`, () => {
        const table = tableArn(views(owner)[0]!, (stacks.management!.outputs.transitRouteTableIds as Record<string, string>)[owner]!);
        for (const view of views(other)) {
          const anyAttachment = `arn:aws:ec2:${REGION}:${view.attachmentAccountId}:transit-gateway-attachment/tgw-attach-0123`;
          for (const action of ["Associate", "Disassociate", "Replace"].map((v) => `ec2:${v}TransitGatewayRouteTable`).concat(["Enable", "Disable"].map((v) => `ec2:${v}TransitGatewayRouteTablePropagation`), ["ec2:CreateTransitGatewayRoute", "ec2:DeleteTransitGatewayRoute"])) {
            expect(decide(other, { action, resources: [table, anyAttachment], context: { "aws:RequestedRegion": REGION } }), `${other} ${action} on ${owner}'s table`).to.equal("implicit-deny");
          }
        }
        const names = requestsOf(owner).filter((r) => r.request.action === "route53:ChangeResourceRecordSets").map((r) => r.request.context!["route53:ChangeResourceRecordSetsNormalizedRecordNames"] as string[]);
        expect(names.length, `${owner} writes names in the apex zone`).to.be.greaterThan(0);
        const zone = zoneArn(String(stacks.management!.outputs.publicZoneId));
        for (const [name] of names) {
          for (const type of RECORD_TYPES) {
            for (const action of ["CREATE", "UPSERT", "DELETE"]) {
              const request: IamRequest = {
                action: "route53:ChangeResourceRecordSets",
                resources: [zone],
                context: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [name!], "route53:ChangeResourceRecordSetsRecordTypes": [type], "route53:ChangeResourceRecordSetsActions": [action] },
              };
              expect(decide(other, request), `${other} ${action} ${type} ${name}`).to.equal("implicit-deny");
            }
          }
        }
      });
    }
  }

  it("keeps prod's apex names (and the apex itself) to prod", () => {
    const zone = zoneArn(String(stacks.management!.outputs.publicZoneId));
    const write = (name: string, type: string): IamRequest => ({
      action: "route53:ChangeResourceRecordSets",
      resources: [zone],
      context: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [name], "route53:ChangeResourceRecordSetsRecordTypes": [type] },
    });
    for (const host of ["api.tila.sa", "www.tila.sa"]) expect(decide("prod", write(host, "A")), host).to.equal("allow");
    for (const env of ENVIRONMENTS) {
      for (const type of RECORD_TYPES) expect(decide(env, write("tila.sa", type)), `${env} ${type} at the apex`).to.equal("implicit-deny");
      if (env === "prod") continue;
      for (const host of ["api.tila.sa", "www.tila.sa"]) expect(decide(env, write(host, "A")), `${env} ${host}`).to.equal("implicit-deny");
    }
  });

  it("shares between environments only the operations documented as shared, none on another's table or names", () => {
    // What another environment's role may also do to this environment's hub-side resources: the
    // propagation of an attachment into management's and the offices' tables, the endpoint-zone
    // authorisation of a VPC, and the management VPC's association with a private zone
    // (docs/architecture.md#identity explains why none of them can be scoped further).
    const shared = new Set([
      "ec2:EnableTransitGatewayRouteTablePropagation",
      "ec2:DisableTransitGatewayRouteTablePropagation",
      "route53:CreateVPCAssociationAuthorization",
      "route53:DeleteVPCAssociationAuthorization",
      "route53:AssociateVPCWithHostedZone",
      "route53:DisassociateVPCFromHostedZone",
    ]);
    const ownTable = (env: EnvironmentName): string => tableArn(views(env)[0]!, (stacks.management!.outputs.transitRouteTableIds as Record<string, string>)[env]!);
    for (const owner of ENVIRONMENTS) {
      for (const other of ENVIRONMENTS.filter((e) => e !== owner)) {
        const overlap = requestsOf(owner).filter((r) => r.kind === "write" && decide(other, r.request) === "allow");
        expect(overlap.filter((r) => !shared.has(r.request.action)).map((r) => r.what), `${owner}/${other}`).to.deep.equal([]);
        expect(overlap.filter((r) => r.request.resources.includes(ownTable(owner))).map((r) => r.what), `${owner}/${other}`).to.deep.equal([]);
      }
    }
  });

  it("admits only the environment's deploy role, with the hub session name", () => {
    const assume = (env: EnvironmentName, arn: string, acct: string, session = hubSessionName(env)): string =>
      evaluate([roles[env].trust], { action: "sts:AssumeRole", resources: [roles[env].arn], principal: { arn, account: acct }, context: { "aws:PrincipalArn": arn, "sts:RoleSessionName": session } });
    for (const env of ENVIRONMENTS) {
      expect(assume(env, deployRoleArn(env, account(env)), account(env)), env).to.equal("allow");
      expect(assume(env, deployRoleArn(env, account(env)), account(env), "operator"), env).to.equal("implicit-deny");
      expect(assume(env, `arn:aws:iam::${account(env)}:role/developer`, account(env)), env).to.equal("implicit-deny");
      expect(assume(env, `arn:aws:iam::${management}:role/tila-platform-deploy-${env}`, management), env).to.equal("implicit-deny");
      for (const other of ENVIRONMENTS.filter((e) => e !== env)) {
        expect(assume(env, deployRoleArn(other, account(other)), account(other), hubSessionName(env)), `${other} -> ${env}`).to.equal("implicit-deny");
      }
    }
  });

  it("associates every environment's private zone with the management VPC: authorised in the environment's account, associated from the hub", () => {
    const managementVpc = String(stacks.management!.outputs.managementVpcId);
    for (const env of ENVIRONMENTS) {
      const privateZone = String(stacks[env]!.outputs.privateZoneId);
      const auth = ofType(stacks[env]!, "aws:route53/vpcAssociationAuthorization:VpcAssociationAuthorization").filter((a) => a.inputs.zoneId === privateZone);
      expect(auth.map((a) => [a.inputs.vpcId, a.options.provider]), env).to.deep.equal([[managementVpc, undefined]]);
      const assoc = hubSide[env].filter((r) => r.type === "aws:route53/zoneAssociation:ZoneAssociation");
      expect(assoc.map((a) => [a.inputs.zoneId, a.inputs.vpcId]), env).to.deep.equal([[privateZone, managementVpc]]);
      expect(assoc[0]!.options.dependsOn, env).to.include(auth[0]!.urn);
    }
  });

  it("fails the plan when a hub role loses its scoping after the component built it", async () => {
    const { run, hits } = await planWeakened("management", (a) => {
      if (a.type !== "aws:iam/rolePolicy:RolePolicy" || a.props.name !== "hub-access") return undefined;
      const broad = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:*TransitGateway*", "route53:ChangeResourceRecordSets"], Resource: "*" }] };
      return { ...a.props, policy: JSON.stringify(broad) };
    });
    expect(hits).to.equal(ENVIRONMENTS.length);
    const found = runPack(run.resources, "management").violations.filter((v) => v.policy === "iam-cross-account-roles-scoped");
    expect(found.map((v) => v.level)).to.deep.equal(Array(ENVIRONMENTS.length * 3).fill("mandatory"));
    expect(found.map((v) => v.message).join("\n")).to.match(/without a route53:ChangeResourceRecordSetsNormalizedRecordNames condition/);
  });
});
