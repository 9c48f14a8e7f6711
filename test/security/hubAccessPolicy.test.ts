import { expect } from "chai";
import { HubAccessInput, hubAccessIssues, hubPermissionPolicy, hubRecordGrants, hubTrustPolicy, normaliseName } from "../../components/security/hubAccessPolicy";
import { deployRoleArn, deployRoleName, hubRoleArn, hubRoleName, hubSessionName } from "../../components/security/hubIdentity";
import { IamRequest, evaluate } from "../../policy/rules/iam/evaluate";

const REGION = "me-south-1";
const MGMT = "111111111111";
const table = (id: string): string => `arn:aws:ec2:${REGION}:${MGMT}:transit-gateway-route-table/${id}`;
const attachment = (acct: string, id: string): string => `arn:aws:ec2:${REGION}:${acct}:transit-gateway-attachment/${id}`;

function input(over: Partial<HubAccessInput> = {}): HubAccessInput {
  return {
    environment: "dev",
    environmentAccountId: "222222222222",
    managementAccountId: MGMT,
    region: REGION,
    associationTableId: "tgw-rtb-0de0",
    propagationTableIds: ["tgw-rtb-0000", "tgw-rtb-0ff1"],
    endpointZoneIds: ["ZLOGS", "ZSTS"],
    publicZoneId: "ZAPEX",
    records: hubRecordGrants({ environment: "dev", domain: "tila.sa", delegatedSubdomain: true, apexHostnames: [] }),
    managementVpcId: "vpc-0abc",
    ...over,
  };
}

const change = (names: string, type: string, action = "CREATE", zone = "ZAPEX"): IamRequest => ({
  action: "route53:ChangeResourceRecordSets",
  resources: [`arn:aws:route53:::hostedzone/${zone}`],
  context: {
    "route53:ChangeResourceRecordSetsNormalizedRecordNames": [names],
    "route53:ChangeResourceRecordSetsRecordTypes": [type],
    "route53:ChangeResourceRecordSetsActions": [action],
  },
});

describe("hub identity names", () => {
  it("builds the deploy and hub role ARNs from one convention", () => {
    expect(deployRoleName("dev")).to.equal("tila-platform-deploy-dev");
    expect(deployRoleArn("dev", "222222222222")).to.equal("arn:aws:iam::222222222222:role/tila-platform-deploy-dev");
    expect(hubRoleName("prod")).to.equal("tila-platform-hub-prod");
    expect(hubRoleArn("prod", MGMT)).to.equal("arn:aws:iam::111111111111:role/tila-platform-hub-prod");
    expect(hubSessionName("stage")).to.equal("tila-platform-stage");
  });

  it("refuses an account or environment that cannot be in an ARN", () => {
    expect(() => deployRoleArn("dev", "2222")).to.throw(/accountId: "2222"/);
    expect(() => hubRoleArn("Dev Env", MGMT)).to.throw(/environment: "Dev Env"/);
  });
});

describe("hub record grants", () => {
  it("gives a delegated environment its NS record and its internal certificate's validation names", () => {
    expect(hubRecordGrants({ environment: "dev", domain: "Tila.sa.", delegatedSubdomain: true, apexHostnames: [] })).to.deep.equal([
      { sid: "SubdomainDelegation", names: ["dev.tila.sa"], types: ["NS"] },
      { sid: "CertificateValidation", names: ["_*.dev.internal.tila.sa"], types: ["CNAME"] },
    ]);
  });

  it("gives the apex publisher its hostnames as A records and their validation names, and no NS", () => {
    expect(hubRecordGrants({ environment: "prod", domain: "tila.sa", delegatedSubdomain: false, apexHostnames: ["api.tila.sa", "WWW.tila.sa"] })).to.deep.equal([
      { sid: "PublishedHostnames", names: ["api.tila.sa", "www.tila.sa"], types: ["A"] },
      { sid: "CertificateValidation", names: ["_*.api.tila.sa", "_*.www.tila.sa", "_*.prod.internal.tila.sa"], types: ["CNAME"] },
    ]);
    expect(() => hubRecordGrants({ environment: "prod", domain: "tila.sa", delegatedSubdomain: false, apexHostnames: ["api.example.com"] })).to.throw(/apexHostnames\[0\]/);
  });

  it("normalises names the way Route 53 does for its condition keys", () => {
    expect(normaliseName("_ABC.Api.Tila.SA.")).to.equal("_abc.api.tila.sa");
  });
});

describe("hub role documents", () => {
  const policy = hubPermissionPolicy(input());

  it("trusts only the environment's deploy role, with the hub provider's session name", () => {
    const trust = hubTrustPolicy({ environment: "dev", environmentAccountId: "222222222222" });
    const assume = (arn: string, account: string, session = "tila-platform-dev"): IamRequest => ({
      action: "sts:AssumeRole",
      resources: ["arn:aws:iam::111111111111:role/tila-platform-hub-dev"],
      principal: { arn, account },
      context: { "aws:PrincipalArn": arn, "sts:RoleSessionName": session },
    });
    expect(evaluate([trust], assume("arn:aws:iam::222222222222:role/tila-platform-deploy-dev", "222222222222"))).to.equal("allow");
    expect(evaluate([trust], assume("arn:aws:iam::222222222222:role/tila-platform-deploy-dev", "222222222222", "someone"))).to.equal("implicit-deny");
    expect(evaluate([trust], assume("arn:aws:iam::222222222222:role/developer", "222222222222"))).to.equal("implicit-deny");
    expect(evaluate([trust], assume("arn:aws:iam::444444444444:role/tila-platform-deploy-prod", "444444444444"))).to.equal("implicit-deny");
    expect(evaluate([trust], assume("arn:aws:iam::444444444444:role/tila-platform-deploy-dev", "444444444444"))).to.equal("implicit-deny");
  });

  it("associates only with the environment's own table and propagates only into the given tables", () => {
    const att = attachment("222222222222", "tgw-attach-1");
    const tgw = (action: string, t: string): IamRequest => ({ action, resources: [table(t), att] });
    expect(evaluate([policy], tgw("ec2:AssociateTransitGatewayRouteTable", "tgw-rtb-0de0"))).to.equal("allow");
    expect(evaluate([policy], tgw("ec2:DisassociateTransitGatewayRouteTable", "tgw-rtb-0de0"))).to.equal("allow");
    expect(evaluate([policy], tgw("ec2:AssociateTransitGatewayRouteTable", "tgw-rtb-0000"))).to.equal("implicit-deny");
    expect(evaluate([policy], tgw("ec2:AssociateTransitGatewayRouteTable", "tgw-rtb-0f0d"))).to.equal("implicit-deny");
    expect(evaluate([policy], tgw("ec2:EnableTransitGatewayRouteTablePropagation", "tgw-rtb-0000"))).to.equal("allow");
    expect(evaluate([policy], tgw("ec2:EnableTransitGatewayRouteTablePropagation", "tgw-rtb-0de0"))).to.equal("implicit-deny");
    expect(evaluate([policy], tgw("ec2:EnableTransitGatewayRouteTablePropagation", "tgw-rtb-0f0d"))).to.equal("implicit-deny");
    expect(evaluate([policy], tgw("ec2:CreateTransitGatewayRoute", "tgw-rtb-0de0"))).to.equal("implicit-deny");
    expect(evaluate([policy], { action: "ec2:AssociateTransitGatewayRouteTable", resources: [table("tgw-rtb-0de0").replace(REGION, "eu-west-1"), att] })).to.equal("implicit-deny");
  });

  it("writes only its own names, with their record types, in the apex zone only", () => {
    expect(evaluate([policy], change("dev.tila.sa", "NS"))).to.equal("allow");
    expect(evaluate([policy], change("dev.tila.sa", "NS", "DELETE"))).to.equal("allow");
    expect(evaluate([policy], change("_0a1b.dev.internal.tila.sa", "CNAME", "UPSERT"))).to.equal("allow");
    expect(evaluate([policy], change("dev.tila.sa", "A"))).to.equal("implicit-deny");
    expect(evaluate([policy], change("_0a1b.dev.internal.tila.sa", "NS"))).to.equal("implicit-deny");
    for (const name of ["api.tila.sa", "www.tila.sa", "tila.sa", "prod.tila.sa", "_0a1b.prod.internal.tila.sa", "_0a1b.api.tila.sa", "x.dev.tila.sa"]) {
      expect(evaluate([policy], change(name, "NS")), name).to.equal("implicit-deny");
      expect(evaluate([policy], change(name, "CNAME")), name).to.equal("implicit-deny");
    }
    expect(evaluate([policy], change("dev.tila.sa", "NS", "CREATE", "ZOTHER"))).to.equal("implicit-deny");
  });

  it("authorises VPCs of its region into the endpoint zones only, and associates only the management VPC", () => {
    const auth = (zone: string, vpc: string, region = REGION): IamRequest => ({
      action: "route53:CreateVPCAssociationAuthorization",
      resources: [`arn:aws:route53:::hostedzone/${zone}`],
      context: { "route53:VPCs": [`VPCId=${vpc},VPCRegion=${region}`] },
    });
    expect(evaluate([policy], auth("ZLOGS", "vpc-0dev"))).to.equal("allow");
    expect(evaluate([policy], auth("ZAPEX", "vpc-0dev"))).to.equal("implicit-deny");
    expect(evaluate([policy], auth("ZLOGS", "vpc-0dev", "eu-west-1"))).to.equal("implicit-deny");
    const associate = (vpc: string): IamRequest => ({
      action: "route53:AssociateVPCWithHostedZone",
      resources: ["arn:aws:route53:::hostedzone/ZDEVPRIVATE"],
      context: { "route53:VPCs": [`VPCId=${vpc},VPCRegion=${REGION}`] },
    });
    expect(evaluate([policy], associate("vpc-0abc"))).to.equal("allow");
    expect(evaluate([policy], associate("vpc-0dev"))).to.equal("implicit-deny");
    expect(evaluate([policy], { ...associate("vpc-0abc"), context: {} })).to.equal("implicit-deny");
  });

  it("reads back only in its region, and nothing else in the account", () => {
    const read = (action: string, region = REGION): IamRequest => ({ action, resources: ["*"], context: { "aws:RequestedRegion": region } });
    expect(evaluate([policy], read("ec2:GetTransitGatewayRouteTablePropagations"))).to.equal("allow");
    expect(evaluate([policy], read("ec2:DescribeVpcs"))).to.equal("allow");
    expect(evaluate([policy], read("ec2:DescribeVpcs", "us-east-1"))).to.equal("implicit-deny");
    for (const action of ["ec2:DescribeInstances", "iam:PassRole", "route53:CreateHostedZone", "route53:DeleteHostedZone", "sts:AssumeRole", "ec2:DeleteTransitGatewayRouteTable"]) {
      expect(evaluate([policy], read(action)), action).to.equal("implicit-deny");
    }
  });

  it("leaves out the endpoint statements for an environment with its own endpoints", () => {
    const local = hubPermissionPolicy(input({ endpointZoneIds: [] }));
    expect(local.Statement.map((s) => s.Sid)).to.not.include("AuthoriseVpcIntoEndpointZones");
    expect(policy.Statement.map((s) => s.Sid)).to.include("AuthoriseVpcIntoEndpointZones");
  });

  it("names every bad field and builds nothing from a bad input", () => {
    const bad = input({ environmentAccountId: MGMT, associationTableId: "rtb-1", propagationTableIds: ["tgw-rtb-0de0"], publicZoneId: "zapex", records: [{ sid: "X", names: ["*"], types: ["ns"] }] });
    const issues = hubAccessIssues({ ...bad, propagationTableIds: ["tgw-rtb-1", "tgw-rtb-1"], associationTableId: "tgw-rtb-1" });
    expect(issues.join("\n")).to.include("environmentAccountId: the environment shares the management account");
    expect(issues.join("\n")).to.include("propagationTableIds: must not include the association table");
    expect(issues.join("\n")).to.include('publicZoneId: "zapex" is not a hosted zone id');
    expect(issues.join("\n")).to.include('records[0].names[0]: "*" is not a normalised record name');
    expect(issues.join("\n")).to.include("records[0].types: must list upper-case record types");
    expect(() => hubPermissionPolicy(bad)).to.throw(/associationTableId: "rtb-1"/);
  });
});
