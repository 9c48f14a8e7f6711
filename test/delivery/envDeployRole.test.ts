import { expect } from "chai";
import { EnvironmentDeployRole, EnvironmentDeployRoleArgs, environmentDeployRoleIssues } from "../../components/delivery/EnvironmentDeployRole";
import { CaptureResult } from "../../offline/types";
import { MANAGEMENT_ACCOUNT, capturer, expectRequiredTags, one, policyDocument } from "../support/graph";

const DEV = "222222222222";
const REGION = "me-south-1";
const KEY = `arn:aws:kms:${REGION}:${MANAGEMENT_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TAGS = { Environment: "dev", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const { run, captureError } = capturer({ stack: "dev", accountId: DEV });

function args(over: Partial<EnvironmentDeployRoleArgs> = {}): EnvironmentDeployRoleArgs {
  return {
    environment: "dev",
    service: "checkout",
    accountId: DEV,
    region: REGION,
    managementAccountId: MANAGEMENT_ACCOUNT,
    managementRegion: REGION,
    artifactKeyArn: KEY,
    taskRoleArn: `arn:aws:iam::${DEV}:role/dev-checkout-task-role-0a1b2c3`,
    executionRoleArn: `arn:aws:iam::${DEV}:role/tila-dev-checkout-execution`,
    tags: TAGS,
    ...over,
  };
}

describe("EnvironmentDeployRole", () => {
  let result: CaptureResult;
  before(async () => {
    result = await run(() => {
      const r = new EnvironmentDeployRole("dev-checkout-deploy", args());
      return { arn: r.roleArn };
    });
  });

  it("creates the role by the contract's name, trusted by the service's pipeline role, tagged and parented", () => {
    const role = one(result, "aws:iam/role:Role", "dev-checkout-deploy-role");
    const component = one(result, "tila:delivery:EnvironmentDeployRole", "dev-checkout-deploy");
    expect(role.inputs).to.include({ name: "tila-deploy-dev-checkout", path: "/", maxSessionDuration: 3600 });
    expect(role.parent).to.equal(component.urn);
    expectRequiredTags(role);
    expect((role.inputs.tags as Record<string, string>).Service).to.equal("checkout");
    const trust = policyDocument(role, "assumeRolePolicy");
    expect(trust.Statement.map((s) => [s.Principal, s.Condition])).to.deep.equal([
      [{ AWS: `arn:aws:iam::${MANAGEMENT_ACCOUNT}:root` }, { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/tila-pipeline-checkout` } }],
    ]);
    expect(result.outputs.arn).to.equal(`arn:aws:iam::${DEV}:role/tila-deploy-dev-checkout`);
  });

  it("gives it exactly one inline policy, built from the ARNs it was given, and no managed policy", () => {
    const policy = one(result, "aws:iam/rolePolicy:RolePolicy", "dev-checkout-deploy-policy");
    expect(policy.inputs).to.include({ name: "deploy", role: "tila-deploy-dev-checkout" });
    const doc = policyDocument(policy, "policy");
    expect(doc.Statement.find((s) => s.Sid === "PassOwnTaskRoles")!.Resource).to.deep.equal([`arn:aws:iam::${DEV}:role/dev-checkout-task-role-0a1b2c3`, `arn:aws:iam::${DEV}:role/tila-dev-checkout-execution`]);
    expect(doc.Statement.find((s) => s.Sid === "DecryptOwnArtifacts")!.Resource).to.equal(KEY);
    expect(one(result, "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive", "dev-checkout-deploy-inline-only").inputs.policyNames).to.deep.equal(["deploy"]);
    expect(one(result, "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "dev-checkout-deploy-no-managed").inputs.policyArns).to.deep.equal([]);
  });

  it("refuses bad arguments before creating anything, naming each field", async () => {
    expect(environmentDeployRoleIssues(args({ managementAccountId: "11", service: "Checkout", maxSessionDurationSeconds: 60, tags: { ...TAGS, Owner: "" } }))).to.deep.equal([
      'service: "Checkout" is not a lower-case service name',
      'managementAccountId: "11" is not a 12-digit AWS account id',
      "maxSessionDurationSeconds: 60 must be 3600 to 43200",
      "tags.Owner: required tag is missing",
    ]);
    const e = await captureError(() => new EnvironmentDeployRole("dev-checkout-deploy", args({ environment: "qa" as "dev" })));
    expect(e.message).to.match(/EnvironmentDeployRole "dev-checkout-deploy": environment: "qa" is not one of dev, stage, preprod, prod/);
  });
});
