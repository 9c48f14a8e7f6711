import { expect } from "chai";
import {
  EnvironmentDeployInputs,
  artifactFolders,
  deployInputIssues,
  deployTrustPolicy,
  ecsServiceArn,
  environmentDeployPolicy,
  taskDefinitionFamilyArn,
} from "../../components/delivery/environmentDeployPolicy";
import { IamRequest, evaluate } from "../../policy/rules/iam/evaluate";
import { unscopedStatementIssues } from "../../policy/rules/iam/crossAccountRolesScoped";
import { UNSCOPABLE_ACTIONS } from "../../policy/rules/iam/resourceWildcard";

const MGMT = "111111111111";
const DEV = "222222222222";
const REGION = "me-south-1";
const KEY = `arn:aws:kms:${REGION}:${MGMT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TASK_ROLE = `arn:aws:iam::${DEV}:role/dev-checkout-task-role-0a1b2c3`;
const EXECUTION_ROLE = `arn:aws:iam::${DEV}:role/tila-dev-checkout-execution`;
const BUCKET = `arn:aws:s3:::tila-delivery-artifacts-${MGMT}-${REGION}`;

function input(over: Partial<EnvironmentDeployInputs> = {}): EnvironmentDeployInputs {
  return {
    partition: "aws",
    environment: "dev",
    service: "checkout",
    accountId: DEV,
    region: REGION,
    managementAccountId: MGMT,
    managementRegion: REGION,
    artifactKeyArn: KEY,
    taskRoleArn: TASK_ROLE,
    executionRoleArn: EXECUTION_ROLE,
    ...over,
  };
}

const policy = environmentDeployPolicy(input());
const allowed = (request: IamRequest): string => evaluate([policy], request);
const ecs = (action: string, resource: string): IamRequest => ({ action: `ecs:${action}`, resources: [resource] });
const SERVICE = `arn:aws:ecs:${REGION}:${DEV}:service/tila-dev/checkout`;
const REVISION = `arn:aws:ecs:${REGION}:${DEV}:task-definition/dev-checkout:42`;
const pass = (role: string, service = "ecs-tasks.amazonaws.com"): IamRequest => ({ action: "iam:PassRole", resources: [role], context: { "iam:PassedToService": service } });
const decrypt = (context: string, via = `s3.${REGION}.amazonaws.com`, key = KEY): IamRequest => ({
  action: "kms:Decrypt",
  resources: [key],
  context: { "kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": context },
});

describe("environmentDeployPolicy", () => {
  it("names the deploy scope's ECS service and every revision of its family, in the forms of the Service Authorization Reference", () => {
    expect(ecsServiceArn("aws", REGION, DEV, "dev", "checkout")).to.equal(SERVICE);
    expect(taskDefinitionFamilyArn("aws", REGION, DEV, "prod", "checkout")).to.equal(`arn:aws:ecs:${REGION}:${DEV}:task-definition/prod-checkout:*`);
  });

  it("lets the ECS deploy action do its steps on the service's own ECS service and family", () => {
    expect(allowed(ecs("DescribeServices", SERVICE))).to.equal("allow");
    expect(allowed(ecs("UpdateService", SERVICE))).to.equal("allow");
    expect(allowed(ecs("RegisterTaskDefinition", REVISION))).to.equal("allow");
    expect(allowed({ ...ecs("TagResource", REVISION), context: { "ecs:CreateAction": "RegisterTaskDefinition" } })).to.equal("allow");
    expect(allowed({ ...ecs("DescribeTaskDefinition", "*"), context: { "aws:RequestedRegion": REGION } })).to.equal("allow");
    expect(allowed({ ...ecs("DescribeTaskDefinition", "*"), context: { "aws:RequestedRegion": "eu-west-1" } })).to.equal("implicit-deny");
  });

  it("refuses another service, another environment's cluster and another family", () => {
    expect(allowed(ecs("UpdateService", `arn:aws:ecs:${REGION}:${DEV}:service/tila-dev/payments`))).to.equal("implicit-deny");
    expect(allowed(ecs("UpdateService", `arn:aws:ecs:${REGION}:${DEV}:service/tila-stage/checkout`))).to.equal("implicit-deny");
    expect(allowed(ecs("UpdateService", `arn:aws:ecs:${REGION}:555555555555:service/tila-dev/checkout`))).to.equal("implicit-deny");
    expect(allowed(ecs("RegisterTaskDefinition", `arn:aws:ecs:${REGION}:${DEV}:task-definition/dev-payments:3`))).to.equal("implicit-deny");
    // A family whose name starts with this one's is another family.
    expect(allowed(ecs("RegisterTaskDefinition", `arn:aws:ecs:${REGION}:${DEV}:task-definition/dev-checkout-worker:1`))).to.equal("implicit-deny");
  });

  it("never lets it create, delete or run anything, nor tag outside a registration", () => {
    for (const action of ["CreateService", "DeleteService", "DeregisterTaskDefinition", "RunTask", "StopTask", "ExecuteCommand"]) {
      expect(allowed(ecs(action, action.includes("Task") ? REVISION : SERVICE)), action).to.equal("implicit-deny");
    }
    expect(allowed(ecs("TagResource", REVISION))).to.equal("implicit-deny");
    expect(allowed(ecs("TagResource", SERVICE))).to.equal("implicit-deny");
  });

  it("passes only the service's own two roles, and only to ECS", () => {
    expect(allowed(pass(TASK_ROLE))).to.equal("allow");
    expect(allowed(pass(EXECUTION_ROLE))).to.equal("allow");
    expect(allowed(pass(`arn:aws:iam::${DEV}:role/tila-dev-payments-execution`))).to.equal("implicit-deny");
    expect(allowed(pass(`arn:aws:iam::${DEV}:role/tila-platform-deploy-dev`))).to.equal("implicit-deny");
    expect(allowed(pass(TASK_ROLE, "lambda.amazonaws.com"))).to.equal("implicit-deny");
    expect(allowed({ action: "iam:PassRole", resources: [TASK_ROLE] })).to.equal("implicit-deny");
  });

  it("reads and decrypts only the objects of the service's own pipeline, through S3", () => {
    const object = `${BUCKET}/tila-checkout/image/AbC123`;
    expect(allowed({ action: "s3:GetObject", resources: [object] })).to.equal("allow");
    expect(allowed({ action: "s3:GetObject", resources: [`${BUCKET}/tila-payments/image/AbC123`] })).to.equal("implicit-deny");
    expect(allowed({ action: "s3:PutObject", resources: [object] })).to.equal("implicit-deny");
    expect(allowed(decrypt(object))).to.equal("allow");
    expect(allowed(decrypt(BUCKET))).to.equal("allow");
    expect(allowed(decrypt(`${BUCKET}/tila-payments/image/AbC123`))).to.equal("implicit-deny");
    expect(allowed(decrypt(object, `secretsmanager.${REGION}.amazonaws.com`))).to.equal("implicit-deny");
    expect(allowed(decrypt(object, undefined, `arn:aws:kms:${REGION}:${MGMT}:key/another`))).to.equal("implicit-deny");
  });

  it("lists the pipeline's artefact folder as named and as cut to 20 characters, never a prefix of others", () => {
    expect(artifactFolders("checkout")).to.deep.equal(["tila-checkout"]);
    expect(artifactFolders("recommendations")).to.deep.equal(["tila-recommendations"]);
    expect(artifactFolders("recommendations-engine")).to.deep.equal(["tila-recommendations-engine", "tila-recommendations"]);
    const long = environmentDeployPolicy(input({ service: "recommendations-engine" }));
    expect(evaluate([long], { action: "s3:GetObject", resources: [`${BUCKET}/tila-recommendations/image/x`] })).to.equal("allow");
    expect(evaluate([long], { action: "s3:GetObject", resources: [`${BUCKET}/tila-recommendations-engine/image/x`] })).to.equal("allow");
    expect(evaluate([long], { action: "s3:GetObject", resources: [`${BUCKET}/tila-recommendations-other/image/x`] })).to.equal("implicit-deny");
  });

  it("passes the pack's cross-account scoping and uses \"*\" only for the read IAM cannot scope", () => {
    for (const s of policy.Statement) expect(unscopedStatementIssues(s), s.Sid).to.deep.equal([]);
    const wild = policy.Statement.filter((s) => s.Resource === "*" || (Array.isArray(s.Resource) && s.Resource.includes("*")));
    expect(wild.map((s) => s.Action)).to.deep.equal(["ecs:DescribeTaskDefinition"]);
    expect(UNSCOPABLE_ACTIONS).to.include("ecs:DescribeTaskDefinition");
  });

  it("is assumable only by the service's pipeline role in management", () => {
    const trust = deployTrustPolicy({ partition: "aws", managementAccountId: MGMT, service: "checkout" });
    const assume = (arn: string, account: string): IamRequest => ({ action: "sts:AssumeRole", resources: ["*"], principal: { arn, account }, context: { "aws:PrincipalArn": arn } });
    expect(evaluate([trust], assume(`arn:aws:iam::${MGMT}:role/tila-pipeline-checkout`, MGMT))).to.equal("allow");
    expect(evaluate([trust], assume(`arn:aws:iam::${MGMT}:role/tila-pipeline-payments`, MGMT))).to.equal("implicit-deny");
    expect(evaluate([trust], assume(`arn:aws:iam::${MGMT}:role/tila-delivery-jenkins`, MGMT))).to.equal("implicit-deny");
    expect(evaluate([trust], assume(`arn:aws:iam::${DEV}:role/tila-pipeline-checkout`, DEV))).to.equal("implicit-deny");
  });

  it("refuses inputs it cannot scope, naming each", () => {
    expect(deployInputIssues(input({ accountId: "22", artifactKeyArn: `arn:aws:kms:${REGION}:${MGMT}:alias/delivery`, taskRoleArn: `arn:aws:iam::${MGMT}:role/x` }))).to.deep.equal([
      'accountId: "22" is not a 12-digit AWS account id',
      `artifactKeyArn: "arn:aws:kms:${REGION}:${MGMT}:alias/delivery" is not a KMS key ARN (an alias is not recognised across accounts)`,
      `taskRoleArn: "arn:aws:iam::${MGMT}:role/x" is not in the environment's account 22`,
      `executionRoleArn: "${EXECUTION_ROLE}" is not in the environment's account 22`,
    ]);
    expect(deployInputIssues(input({ artifactKeyArn: `arn:aws:kms:${REGION}:${DEV}:key/abc` }))).to.deep.equal([`artifactKeyArn: "arn:aws:kms:${REGION}:${DEV}:key/abc" is not in the management account ${MGMT}`]);
    expect(() => environmentDeployPolicy(input({ executionRoleArn: "tila-dev-checkout-execution" }))).to.throw(/deploy role of dev\/checkout: executionRoleArn: "tila-dev-checkout-execution" is not an IAM role ARN/);
  });
});
