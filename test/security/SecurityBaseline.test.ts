import { expect } from "chai";
import { SecurityBaseline, SecurityBaselineArgs } from "../../components/security/SecurityBaseline";
import { BREAK_GLASS_ROLE_NAME } from "../../components/security/baseline/identity";
import { summarizeSecurity } from "../../offline/securitySummary";
import { CaptureResult } from "../../offline/types";
import { captureError, ofType, run } from "../support/graph";

const TAGS = { Environment: "prod", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const args = (over: Partial<SecurityBaselineArgs> = {}): SecurityBaselineArgs => ({
  stack: "prod",
  region: "me-south-1",
  accountId: "444444444444",
  managementAccountId: "111111111111",
  logArchive: { kind: "remote", trailBucketName: "archive", configBucketName: "config-archive" },
  trailLogRetentionDays: 365,
  configRules: [{ name: "encrypted-volumes", identifier: "ENCRYPTED_VOLUMES", description: "x" }],
  gitlab: { url: "https://gitlab.com", audience: "sts.amazonaws.com", projectPath: "tila/tila-platform", refs: [{ type: "tag", name: "v*" }] },
  auditorPrincipals: ["role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*"],
  breakGlassPrincipals: ["user/break-glass-*"],
  deployPolicy: { resourceTypes: ["aws:s3/bucket:Bucket", "aws:iam/role:Role"], passedToServices: ["lambda.amazonaws.com"], hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-prod" },
  tags: TAGS,
  ...over,
});

describe("SecurityBaseline", () => {
  let prod: CaptureResult;
  before(async () => {
    prod = await run(() => {
      const b = new SecurityBaseline("prod-baseline", args({ alarmTopicArn: "arn:aws:sns:me-south-1:444444444444:security" }));
      return { trail: b.trailArn, breakGlass: b.breakGlassRoleArn };
    });
  });

  it("builds every part in the account, parented to the component", () => {
    const [component] = ofType(prod, "tila:security:SecurityBaseline");
    for (const type of ["aws:cloudtrail/trail:Trail", "aws:guardduty/detector:Detector", "aws:cfg/recorder:Recorder", "aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "aws:iam/openIdConnectProvider:OpenIdConnectProvider"]) {
      const [r] = ofType(prod, type);
      expect(r, type).to.not.equal(undefined);
      expect(r!.parent, type).to.equal(component!.urn);
    }
    expect(prod.outputs.trail).to.equal("arn:aws:cloudtrail:me-south-1:444444444444:trail/tila-prod-audit");
  });

  it("encrypts the trail with an audit key whose policy admits this trail, and protects the keys", () => {
    const keys = ofType(prod, "aws:kms/key:Key");
    expect(keys.map((k) => k.options.protect)).to.deep.equal([true, true]);
    const audit = keys.find((k) => typeof k.inputs.policy === "string")!;
    expect(String(audit.inputs.policy)).to.include("arn:aws:cloudtrail:me-south-1:444444444444:trail/tila-prod-audit");
  });

  it("skips the AWS Config rules the region does not offer", async () => {
    const r = await run(() => {
      new SecurityBaseline("b", args({ configRules: [{ name: "runtime", identifier: "GUARDDUTY_RUNTIME_MONITORING_ENABLED", description: "x" }, { name: "ebs", identifier: "ENCRYPTED_VOLUMES", description: "x" }] }));
      return {};
    });
    expect(ofType(r, "aws:cfg/rule:Rule").map((x) => (x.inputs.source as { sourceIdentifier: string }).sourceIdentifier)).to.deep.equal(["ENCRYPTED_VOLUMES"]);
  });

  it("alarms on every use of the break-glass role through the given topic", () => {
    const [rule] = ofType(prod, "aws:cloudwatch/eventRule:EventRule");
    const pattern = JSON.parse(String(rule!.inputs.eventPattern)) as { detail: { eventName: string[]; requestParameters: { roleArn: string[] } } };
    expect(pattern.detail.eventName).to.deep.equal(["AssumeRole"]);
    expect(pattern.detail.requestParameters.roleArn).to.deep.equal([prod.outputs.breakGlass]);
    expect(ofType(prod, "aws:cloudwatch/eventTarget:EventTarget")[0]!.inputs.arn).to.equal("arn:aws:sns:me-south-1:444444444444:security");
    expect(ofType(prod, "aws:iam/role:Role").some((r) => r.inputs.name === BREAK_GLASS_ROLE_NAME && r.inputs.maxSessionDuration === 3600)).to.equal(true);
  });

  it("in an account another stack's baseline holds, builds only the deploy and preview roles, trusting the existing provider", async () => {
    const r = await run(() => {
      new SecurityBaseline("stage-baseline", args({ stack: "stage", accountControlsIn: "management", deployPolicy: { ...args().deployPolicy, hubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-stage" } }));
      return {};
    }, "stage");
    const custom = r.resources.filter((x) => x.custom && !x.read).map((x) => x.type);
    expect([...custom].sort()).to.deep.equal(["aws:iam/role:Role", "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicy:RolePolicy"]);
    expect(ofType(r, "aws:iam/role:Role").map((x) => x.inputs.name)).to.deep.equal(["tila-platform-deploy-stage", "tila-platform-preview-stage"]);
    for (const role of ofType(r, "aws:iam/role:Role")) expect(String(role.inputs.assumeRolePolicy)).to.include("arn:aws:iam::444444444444:oidc-provider/gitlab.com");
    expect(summarizeSecurity(r.resources)[0]).to.deep.equal({ control: "account controls", state: "in the management stack's baseline (shared account)" });
  });

  it("refuses bad arguments whole, naming each", async () => {
    const e = await captureError(() => new SecurityBaseline("b", args({ region: "eu-west-9", gitlab: { ...args().gitlab, refs: [] }, breakGlassPrincipals: ["arn:aws:iam::1:user/x"], logArchive: { kind: "host", retentionDays: 1, accessLogRetentionDays: 1, trails: [], configAccounts: [] } })));
    for (const part of ["region: eu-west-9 has no entry", "gitlab.refs: at least one protected ref", 'principal pattern "arn:aws:iam::1:user/x"', "logArchive: only the management account hosts the archive"]) {
      expect(e.message).to.include(part);
    }
  });
});
