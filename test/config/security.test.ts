import { expect } from "chai";
import { readStackFiles } from "../../config/load";
import { RawConfig, validateStackConfig } from "../../config/validate";

const real = readStackFiles(require("path").resolve(__dirname, "../..")).raw;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function issuesFor(stack: string, raw: RawConfig, others = real): string[] {
  const r = validateStackConfig(stack, "me-south-1", raw, others);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

type Security = { gitlab: { projectPath?: string; url?: string; deployRefs: { type: string; name: string }[] }; trailLogRetentionDays?: number; memberEmails?: Record<string, string>; auditorPrincipals?: string[] };
const security = (raw: RawConfig): Security => raw.security as Security;

describe("config validation: security", () => {
  it("requires the security key, with the GitLab project and refs", () => {
    const raw = clone(real.dev!);
    delete raw.security;
    expect(issuesFor("dev", raw)).to.include("tila-platform:security: is required");
    const noProject = clone(real.dev!);
    delete security(noProject).gitlab.projectPath;
    expect(issuesFor("dev", noProject)).to.include("tila-platform:security.gitlab.projectPath: is required");
  });

  it("refuses a branch pattern, or every ref, for prod; allows a protected tag pattern", () => {
    const raw = clone(real.prod!);
    security(raw).gitlab.deployRefs = [{ type: "tag", name: "v*" }, { type: "branch", name: "release/*" }, { type: "tag", name: "*" }];
    expect(issuesFor("prod", raw)).to.deep.equal([
      'tila-platform:security.gitlab.deployRefs[1].name: prod deploys only from named protected branches or hotfix/*, not a pattern ("release/*")',
      "tila-platform:security.gitlab.deployRefs[2].name: prod cannot trust every ref",
    ]);
    const dev = clone(real.dev!);
    security(dev).gitlab.deployRefs = [{ type: "branch", name: "feature/*" }];
    expect(issuesFor("dev", dev)).to.deep.equal([]);
  });

  it("lets prod trust the hot-fix branches, and every environment does", () => {
    const raw = clone(real.prod!);
    security(raw).gitlab.deployRefs = [{ type: "tag", name: "v*" }, { type: "branch", name: "hotfix/*" }];
    expect(issuesFor("prod", raw)).to.deep.equal([]);
    security(raw).gitlab.deployRefs = [{ type: "branch", name: "hotfix*" }];
    expect(issuesFor("prod", raw)).to.deep.equal(['tila-platform:security.gitlab.deployRefs[0].name: prod deploys only from named protected branches or hotfix/*, not a pattern ("hotfix*")']);
    for (const env of ["dev", "stage", "preprod", "prod"] as const) {
      expect(security(real[env]!).gitlab.deployRefs, env).to.deep.include({ type: "branch", name: "hotfix/*" });
    }
    expect(security(real.management!).gitlab.deployRefs).to.not.deep.include({ type: "branch", name: "hotfix/*" });
  });

  it("takes the state backend the preview role reads, refusing a bad bucket or key by name", () => {
    const raw = clone(real.dev!);
    // A DIY backend's one organization (config/validate.ts DIY_ORGANIZATION).
    raw.managementStack = "organization/tila-platform/management";
    (raw.security as Record<string, unknown>).stateBackend = { bucket: "tila-pulumi-state", prefix: "platform", keyArn: "arn:aws:kms:me-south-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
    expect(issuesFor("dev", raw)).to.deep.equal([]);
    (raw.security as Record<string, unknown>).stateBackend = { bucket: "Tila_State", keyArn: "alias/state" };
    expect(issuesFor("dev", raw)).to.deep.equal([
      "tila-platform:security.stateBackend.bucket: must be an S3 bucket name",
      "tila-platform:security.stateBackend.keyArn: must be a KMS key ARN",
    ]);
  });

  it("refuses a trail log retention CloudWatch does not offer, and a GitLab URL with a path", () => {
    const raw = clone(real.stage!);
    security(raw).trailLogRetentionDays = 100;
    security(raw).gitlab.url = "https://gitlab.com/tila";
    const issues = issuesFor("stage", raw);
    expect(issues.some((i) => i.startsWith("tila-platform:security.trailLogRetentionDays: must be a CloudWatch Logs retention (1, 3, 5"))).to.equal(true);
    expect(issues).to.include("tila-platform:security.gitlab.url: must be the GitLab instance URL, https://<host> without a path");
  });

  it("requires management to name each environment account's e-mail, and nothing else", () => {
    const raw = clone(real.management!);
    const emails = security(raw).memberEmails!;
    delete emails.prod;
    emails.qa = "aws-qa@tila.sa";
    expect(issuesFor("management", raw)).to.deep.equal([
      "tila-platform:security.memberEmails.prod: required: prod is in account 444444444444, which management invites to GuardDuty (an invitation needs the account's e-mail)",
      "tila-platform:security.memberEmails.qa: not an environment in an account of its own (dev, stage, preprod, prod)",
    ]);
  });

  it("refuses management-only keys in an environment, and principals outside the account's IAM names", () => {
    const raw = clone(real.dev!);
    (security(raw) as Record<string, unknown>).memberEmails = {};
    security(raw).auditorPrincipals = ["arn:aws:iam::111111111111:role/auditor"];
    const issues = issuesFor("dev", raw);
    expect(issues.some((i) => i.startsWith("tila-platform:security: Unrecognized key") && i.includes("memberEmails"))).to.equal(true);
    expect(issues.some((i) => i.startsWith("tila-platform:security.auditorPrincipals[0]: must be an IAM name pattern"))).to.equal(true);
  });
});
