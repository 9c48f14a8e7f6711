import { expect } from "chai";
import { hubPermissionPolicy, hubRecordGrants, hubTrustPolicy } from "../../../../components/security/hubAccessPolicy";
import { iamCrossAccountRolesScoped as rule, isWildcardResource, isWriteAction, unscopedStatementIssues } from "../../../../policy/rules/iam/crossAccountRolesScoped";
import { StackResourceSpec, checkStack } from "../../../../policy/testing";
import { ROLE, ROLE_POLICY, doc, ecsTrust } from "./fixtures";

const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const MANAGED = "aws:iam/policy:Policy";

const hubPolicy = JSON.stringify(
  hubPermissionPolicy({
    environment: "dev",
    environmentAccountId: "222222222222",
    managementAccountId: "111111111111",
    region: "me-south-1",
    associationTableId: "tgw-rtb-0de0",
    propagationTableIds: ["tgw-rtb-0a0a"],
    endpointZoneIds: ["ZLOGS"],
    publicZoneId: "ZAPEX",
    records: hubRecordGrants({ environment: "dev", domain: "tila.sa", delegatedSubdomain: true, apexHostnames: [] }),
    managementVpcId: "vpc-0abc",
  }),
);
const hubTrust = JSON.stringify(hubTrustPolicy({ environment: "dev", environmentAccountId: "222222222222" }));

/** A role in management's account (111111111111) with its inline policy as a RolePolicy. */
function roleStack(trust: string, policy: string | undefined, extra: StackResourceSpec[] = []): StackResourceSpec[] {
  return [
    { type: ROLE, name: "hub-dev-role", props: { name: "tila-platform-hub-dev", arn: "arn:aws:iam::111111111111:role/tila-platform-hub-dev", assumeRolePolicy: trust } },
    ...(policy ? [{ type: ROLE_POLICY, name: "hub-dev-policy", props: { name: "hub-access", role: "tila-platform-hub-dev", policy } }] : []),
    ...extra,
  ];
}

describe("iam-cross-account-roles-scoped", () => {
  it("accepts the hub role as the management stack builds it", () => {
    expect(checkStack(rule, roleStack(hubTrust, hubPolicy))).to.deep.equal([]);
  });

  it("does not apply to roles trusted by services or by their own account", () => {
    expect(checkStack(rule, roleStack(ecsTrust, doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" })))).to.deep.equal([]);
    const sameAccount = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" });
    expect(checkStack(rule, roleStack(sameAccount, doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" })))).to.deep.equal([]);
  });

  it("rejects a trust that admits a whole foreign account", () => {
    const open = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole" });
    const out = checkStack(rule, roleStack(open, hubPolicy)).map((v) => v.message);
    expect(out).to.deep.equal(["hub-dev-role assumeRolePolicy Statement[0] admits every identity of 222222222222; pin the caller with aws:PrincipalArn (or sts:ExternalId)"]);
    const byId = doc({ Effect: "Allow", Principal: { AWS: "222222222222" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } });
    expect(checkStack(rule, roleStack(byId, hubPolicy))).to.deep.equal([]);
  });

  it("rejects the unscoped hub role this issue replaced: any table, any record, any zone", () => {
    const broad = doc(
      { Sid: "Tgw", Effect: "Allow", Action: ["ec2:AssociateTransitGatewayRouteTable", "ec2:EnableTransitGatewayRouteTablePropagation"], Resource: "*" },
      { Sid: "Dns", Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: "arn:aws:route53:::hostedzone/ZAPEX" },
      { Sid: "Zones", Effect: "Allow", Action: "route53:AssociateVPCWithHostedZone", Resource: "arn:aws:route53:::hostedzone/*" },
    );
    const out = checkStack(rule, roleStack(hubTrust, broad)).map((v) => v.message);
    expect(out).to.have.length(5);
    expect(out[0]).to.match(/^hub-dev-policy statement "Tgw" of cross-account role hub-dev-role allows ec2:AssociateTransitGatewayRouteTable, ec2:EnableTransitGatewayRouteTablePropagation on every resource/);
    expect(out[1]).to.match(/"Tgw" .* without naming the route tables$/);
    expect(out[2]).to.match(/"Dns" .* without a route53:ChangeResourceRecordSetsNormalizedRecordNames condition/);
    expect(out[3]).to.match(/"Zones" .* allows route53:AssociateVPCWithHostedZone on every resource without a condition$/);
    expect(out[4]).to.match(/"Zones" .* without a route53:VPCs condition/);
  });

  it("rejects a record-name condition that is not ForAllValues, or that allows any name", () => {
    const single = doc({ Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: "arn:aws:route53:::hostedzone/Z", Condition: { StringLike: { "route53:ChangeResourceRecordSetsNormalizedRecordNames": "dev.tila.sa" } } });
    expect(checkStack(rule, roleStack(hubTrust, single))[0].message).to.match(/without ForAllValues/);
    const any = doc({ Effect: "Allow", Action: "route53:*", Resource: "arn:aws:route53:::hostedzone/Z", Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": "*" } } });
    expect(checkStack(rule, roleStack(hubTrust, any)).map((v) => v.message).join("\n")).to.match(/be any name/);
  });

  it("reads managed policies of the stack, and refuses what it cannot read", () => {
    const policy = { type: MANAGED, name: "extra", props: { arn: "arn:aws:iam::111111111111:policy/extra", policy: doc({ Effect: "Allow", Action: "ec2:DeleteVpc", Resource: "*" }) } };
    const attach = { type: ATTACH, name: "attach", props: { role: "tila-platform-hub-dev", policyArn: "arn:aws:iam::111111111111:policy/extra" } };
    expect(checkStack(rule, roleStack(hubTrust, hubPolicy, [policy, attach])).map((v) => v.message)).to.deep.equal([
      "extra Statement[0] of cross-account role hub-dev-role allows ec2:DeleteVpc on every resource without a condition",
    ]);
    const awsManaged = { type: ATTACH, name: "attach", props: { role: "tila-platform-hub-dev", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } };
    expect(checkStack(rule, roleStack(hubTrust, hubPolicy, [awsManaged]))[0].message).to.match(/cannot be shown to be scoped: attach attaches arn:aws:iam::aws:policy\/ReadOnlyAccess/);
  });

  it("classifies actions and resources as the checks need", () => {
    expect(isWriteAction("ec2:DescribeVpcs")).to.equal(false);
    expect(isWriteAction("route53:ListHostedZonesByVPC")).to.equal(false);
    expect(isWriteAction("ec2:Get*")).to.equal(true);
    expect(isWriteAction("route53:ChangeResourceRecordSets")).to.equal(true);
    expect(isWildcardResource("arn:aws:route53:::hostedzone/*")).to.equal(true);
    expect(isWildcardResource("arn:aws:ec2:me-south-1:*:transit-gateway-attachment/*")).to.equal(true);
    expect(isWildcardResource("arn:aws:ec2:me-south-1:1:transit-gateway-route-table/tgw-rtb-1")).to.equal(false);
    expect(unscopedStatementIssues({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })).to.deep.equal(["uses NotAction, which allows everything not listed"]);
    // A wildcard action is read as every action it covers; a region condition does not name tables.
    expect(unscopedStatementIssues({ Effect: "Allow", Action: "ec2:*TransitGateway*", Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": "me-south-1" } } })).to.deep.equal([
      "writes TGW route-table associations, propagations or routes without naming the route tables",
    ]);
    expect(unscopedStatementIssues({ Effect: "Allow", Action: "route53:Change*", Resource: "arn:aws:route53:::hostedzone/Z" })[0]).to.match(/without a route53:ChangeResourceRecordSetsNormalizedRecordNames condition/);
  });
});
