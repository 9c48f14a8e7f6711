import { expect } from "chai";
import { HubAccessRole, HubAccessRoleArgs, hubAccessRoleIssues } from "../../components/security/HubAccessRole";
import { hubRecordGrants } from "../../components/security/hubAccessPolicy";
import { CaptureResult } from "../../offline/types";
import { MANAGEMENT_ACCOUNT, capturer, expectRequiredTags, one, policyDocument } from "../support/graph";

const TAGS = { Environment: "management", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const { run, captureError } = capturer({ stack: "management", accountId: MANAGEMENT_ACCOUNT });

function args(over: Partial<HubAccessRoleArgs> = {}): HubAccessRoleArgs {
  return {
    environment: "dev",
    environmentAccountId: "222222222222",
    managementAccountId: MANAGEMENT_ACCOUNT,
    region: "me-south-1",
    transit: { associationTableId: "tgw-rtb-0de0", propagationTableIds: ["tgw-rtb-0a0a", "tgw-rtb-0b0b"] },
    endpointZoneIds: ["ZLOGS"],
    publicZoneId: "ZAPEX",
    records: hubRecordGrants({ environment: "dev", domain: "tila.sa", delegatedSubdomain: true, apexHostnames: [] }),
    managementVpcId: "vpc-0abc",
    tags: TAGS,
    ...over,
  };
}

describe("HubAccessRole", () => {
  let result: CaptureResult;
  before(async () => {
    result = await run(() => {
      const r = new HubAccessRole("hub-dev", args());
      return { arn: r.roleArn };
    });
  });

  it("creates the role by the convention, tagged, with the trust and session limit, parented to the component", () => {
    const role = one(result, "aws:iam/role:Role", "hub-dev-role");
    const component = one(result, "tila:security:HubAccessRole", "hub-dev");
    expect(role.inputs).to.include({ name: "tila-platform-hub-dev", path: "/", maxSessionDuration: 3600 });
    expect(role.parent).to.equal(component.urn);
    expectRequiredTags(role);
    const trust = policyDocument(role, "assumeRolePolicy");
    expect(trust.Statement.map((s) => s.Principal)).to.deep.equal([{ AWS: "arn:aws:iam::222222222222:root" }]);
    expect(result.outputs.arn).to.equal("arn:aws:iam::111111111111:role/tila-platform-hub-dev");
  });

  it("gives it exactly one inline policy, built from the ids it was given, and no managed policy", () => {
    const policy = one(result, "aws:iam/rolePolicy:RolePolicy", "hub-dev-policy");
    expect(policy.inputs).to.include({ name: "hub-access", role: "tila-platform-hub-dev" });
    const doc = policyDocument(policy, "policy");
    expect(doc.Statement.find((s) => s.Sid === "AssociateWithOwnRouteTable")!.Resource).to.deep.equal([
      "arn:aws:ec2:me-south-1:111111111111:transit-gateway-route-table/tgw-rtb-0de0",
      "arn:aws:ec2:me-south-1:*:transit-gateway-attachment/*",
    ]);
    expect(one(result, "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "hub-dev-inline-only").inputs.policyNames).to.deep.equal(["hub-access"]);
    expect(one(result, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "hub-dev-no-managed").inputs.policyArns).to.deep.equal([]);
  });

  it("refuses bad arguments before creating anything, naming each field", async () => {
    expect(hubAccessRoleIssues(args({ environmentAccountId: "22", maxSessionDurationSeconds: 60, tags: { ...TAGS, Owner: "" } }))).to.deep.equal([
      'environmentAccountId: "22" is not a 12-digit AWS account id',
      "maxSessionDurationSeconds: 60 must be 3600 to 43200",
      "tags.Owner: required tag is missing",
    ]);
    const e = await captureError(() => new HubAccessRole("hub-dev", args({ environmentAccountId: MANAGEMENT_ACCOUNT })));
    expect(e.message).to.match(/HubAccessRole "hub-dev": environmentAccountId: the environment shares the management account/);
  });
});
