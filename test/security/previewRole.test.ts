/**
 * The read-only preview role (components/security/baseline/previewPolicy.ts, policies.ts
 * gitlabPreviewTrust): its trust admits a merge request's token from any branch of the project and
 * nothing else, its policy can only read (checked action by action and with the pack's IAM
 * evaluator), and in the five real stacks each stack has exactly one, which no deploy role may change
 * and whose trust leaves the deploy roles' protected refs as they were. An environment's preview
 * configures its hub provider with management's preview-hub role (PreviewHubRole.ts), which only
 * that preview role may assume and which allows nothing; the write-capable hub role still refuses it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseDocument } from "yaml";
import { gitlabDeployTrust, gitlabPreviewTrust, gitlabSubject } from "../../components/security/baseline/policies";
import { DATA_READ_ACTIONS, PreviewPolicyInput, previewPermissionPolicy, stateKeys } from "../../components/security/baseline/previewPolicy";
import { PREVIEW_ROLE_PREFIX, hubRoleForCaller, isPreviewSession, previewHubRoleArn, previewHubRoleName, previewRoleName } from "../../components/security/baseline/roleNames";
import { previewHubPermissionPolicy, previewHubTrustPolicy } from "../../components/security/baseline/PreviewHubRole";
import { hubTrustPolicy } from "../../components/security/hubAccessPolicy";
import { Decision, evaluate } from "../../policy/rules/iam/evaluate";
import { STACK_ORDER } from "../../offline/stackConfig";
import type { StackRun } from "../../offline/engine";
import { engineWithRealManagement, realStacks } from "../support/realStacks";
import { AMI_PARAMETERS } from "../../components/data/instanceTypes";
import { ofType } from "../support/graph";

type Statement = { Sid?: string; Effect: string; Action?: string | string[]; NotAction?: unknown; Principal?: { Federated?: string }; Condition?: Record<string, Record<string, unknown>> };
type Doc = { Version: string; Statement: Statement[] };
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

const PROVIDER = "arn:aws:iam::222222222222:oidc-provider/gitlab.com";
const PROJECT = "tila/tila-platform";
const STATE = { bucket: "tila-pulumi-state", keyArn: "arn:aws:kms:me-south-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab" };
const input = (over: Partial<PreviewPolicyInput> = {}): PreviewPolicyInput => ({
  stack: "dev", accountId: "222222222222", region: "me-south-1", project: "tila-platform", referencedStacks: ["management"], state: STATE, ...over,
});

/** Whether a GitLab ID token with this `sub` and `aud` may assume a role with this trust (Principal checked apart: the evaluator models AWS principals only). */
function admits(trust: Doc, sub: string, aud = "sts.amazonaws.com", provider = PROVIDER): boolean {
  const statements = trust.Statement.filter((s) => s.Principal?.Federated === provider).map(({ Principal: _p, ...rest }) => rest);
  if (statements.length === 0) return false;
  return evaluate([{ Version: "2012-10-17", Statement: statements }], {
    action: "sts:AssumeRoleWithWebIdentity",
    resources: ["arn:aws:iam::222222222222:role/x"],
    principal: { arn: provider, account: "222222222222" },
    context: { "gitlab.com:aud": aud, "gitlab.com:sub": sub },
  }) === "allow";
}

/** A read-only action: a Get, List or Describe call, or decryption of the state key (a read of the state). */
function isReadOnly(action: string): boolean {
  const [, name = ""] = action.split(":");
  return /^(Get|List|Describe)/.test(name) || action === "kms:Decrypt";
}

describe("the preview role", () => {
  describe("trust (gitlabPreviewTrust)", () => {
    const trust = gitlabPreviewTrust({ providerArn: PROVIDER, url: "https://gitlab.com", audience: "sts.amazonaws.com", projectPath: PROJECT }) as unknown as Doc;
    const mr = (branch: string, project = PROJECT) => gitlabSubject(project, { type: "branch", name: branch });

    it("admits a merge request's token from any branch of the project, protected or not", () => {
      for (const branch of ["feature/checkout-retry", "fix-typo", "main", "hotfix/cart"]) expect(admits(trust, mr(branch)), branch).to.equal(true);
    });

    it("refuses another project, a fork, a longer project path, a tag, another audience and another provider", () => {
      expect(admits(trust, mr("feature/x", "tila/other"))).to.equal(false);
      expect(admits(trust, mr("feature/x", "someone/tila-platform"))).to.equal(false);
      expect(admits(trust, mr("feature/x", "tila/tila-platform-fork"))).to.equal(false);
      expect(admits(trust, gitlabSubject(PROJECT, { type: "tag", name: "v1.2.3" }))).to.equal(false);
      expect(admits(trust, mr("feature/x"), "https://gitlab.com")).to.equal(false);
      expect(admits(trust, mr("feature/x"), "sts.amazonaws.com", "arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com")).to.equal(false);
    });

    it("leaves the deploy role where it was: an unprotected branch's token still cannot deploy", () => {
      const deploy = gitlabDeployTrust({ providerArn: PROVIDER, url: "https://gitlab.com", audience: "sts.amazonaws.com", projectPath: PROJECT, refs: [{ type: "branch", name: "main" }, { type: "branch", name: "hotfix/*" }] }) as unknown as Doc;
      expect(admits(deploy, mr("feature/x"))).to.equal(false);
      expect(admits(deploy, mr("main"))).to.equal(true);
      expect(admits(deploy, mr("hotfix/cart"))).to.equal(true);
    });
  });

  describe("permissions (previewPermissionPolicy)", () => {
    const doc = previewPermissionPolicy(input()) as unknown as Doc;
    const decide = (action: string, resource: string, context: Record<string, string> = {}, extra: unknown[] = []): Decision =>
      evaluate([doc, ...extra], { action, resources: [resource], context });
    const keys = stateKeys("tila-platform", ["dev", "management"]);

    it("allows only Get, List and Describe calls and the state key's decryption, never with NotAction", () => {
      const allows = doc.Statement.filter((s) => s.Effect === "Allow");
      expect(allows.every((s) => s.NotAction === undefined)).to.equal(true);
      const actions = allows.flatMap((s) => list(s.Action));
      expect(actions.filter((a) => !isReadOnly(a))).to.deep.equal([]);
      expect(actions.filter((a) => a.includes("*"))).to.deep.equal([]);
      expect(actions.sort()).to.deep.equal(["kms:Decrypt", "s3:GetObject", "s3:ListBucket", "ssm:GetParameter", "ssm:GetParameters", "sts:GetCallerIdentity"]);
    });

    it("never passes or assumes a role, even beside a policy that allows everything", () => {
      const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
      for (const action of ["iam:PassRole", "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:GetSessionToken"]) {
        expect(decide(action, "*"), action).to.not.equal("allow");
        expect(decide(action, "arn:aws:iam::111111111111:role/tila-platform-hub-dev", {}, [everything]), action).to.equal("explicit-deny");
      }
    });

    it("denies secrets and data whatever else is attached: secret values, account parameters, other objects, other keys, logs", () => {
      const everything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
      const cases: [string, string][] = [
        ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:me-south-1:222222222222:secret:tila/dev/mysql-AbCdEf"],
        ["ssm:GetParameter", "arn:aws:ssm:me-south-1:222222222222:parameter/tila/dev/token"],
        ["ssm:GetParametersByPath", "arn:aws:ssm:me-south-1:222222222222:parameter/tila"],
        ["s3:GetObject", "arn:aws:s3:::tila-dev-audit-reports/report.json"],
        ["s3:GetObject", `arn:aws:s3:::${STATE.bucket}/.pulumi/stacks/tila-platform/prod.json`],
        ["kms:Decrypt", "arn:aws:kms:me-south-1:222222222222:key/0000aaaa-0000-0000-0000-000000000000"],
        ["logs:GetLogEvents", "*"],
        ["ec2:GetPasswordData", "*"],
        ["lambda:GetFunction", "*"],
        ["ecr:GetAuthorizationToken", "*"],
      ];
      for (const [action, resource] of cases) {
        expect(decide(action, resource, {}, [everything]), `${action} ${resource}`).to.equal("explicit-deny");
        expect(decide(action, resource), `${action} ${resource}`).to.not.equal("allow");
      }
      for (const action of DATA_READ_ACTIONS) expect(decide(action, "arn:aws:s3:::other/x", {}, [everything]), action).to.equal("explicit-deny");
    });

    it("reads what a preview reads: the caller, AWS's public AMI parameters, its own and management's checkpoints through the state key", () => {
      expect(decide("sts:GetCallerIdentity", "*")).to.equal("allow");
      expect(decide("ssm:GetParameter", "arn:aws:ssm:me-south-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")).to.equal("allow");
      expect(decide("ssm:GetParameter", "arn:aws:ssm:eu-west-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64")).to.not.equal("allow");
      for (const key of [keys.meta, ".pulumi/stacks/tila-platform/dev.json", ".pulumi/stacks/tila-platform/dev.json.gz", ".pulumi/stacks/tila-platform/management.json"]) {
        expect(decide("s3:GetObject", `arn:aws:s3:::${STATE.bucket}/${key}`), key).to.equal("allow");
      }
      expect(decide("s3:ListBucket", `arn:aws:s3:::${STATE.bucket}`, { "s3:prefix": ".pulumi/stacks/tila-platform/dev.json" })).to.equal("allow");
      expect(decide("s3:ListBucket", `arn:aws:s3:::${STATE.bucket}`, { "s3:prefix": ".pulumi/stacks/tila-platform/" })).to.not.equal("allow");
      expect(decide("kms:Decrypt", STATE.keyArn, { "kms:ViaService": "s3.me-south-1.amazonaws.com" })).to.equal("allow");
      expect(decide("kms:Decrypt", STATE.keyArn)).to.not.equal("allow");
    });

    it("reads no state without a backend, and under a backend prefix only below it", () => {
      const none = previewPermissionPolicy(input({ state: undefined }));
      expect(evaluate([none], { action: "s3:GetObject", resources: [`arn:aws:s3:::${STATE.bucket}/.pulumi/meta.yaml`] })).to.equal("explicit-deny");
      const prefixed = previewPermissionPolicy(input({ state: { bucket: STATE.bucket, prefix: "/platform/" } }));
      expect(evaluate([prefixed], { action: "s3:GetObject", resources: [`arn:aws:s3:::${STATE.bucket}/platform/.pulumi/stacks/tila-platform/dev.json`] })).to.equal("allow");
      expect(evaluate([prefixed], { action: "s3:GetObject", resources: [`arn:aws:s3:::${STATE.bucket}/.pulumi/stacks/tila-platform/dev.json`] })).to.equal("explicit-deny");
    });

    it("assumes only its own preview-hub role in management, when given one", () => {
      const hub = previewHubRoleArn("dev", "111111111111");
      const withHub = previewPermissionPolicy(input({ previewHubRoleArn: hub }));
      expect(evaluate([withHub], { action: "sts:AssumeRole", resources: [hub] })).to.equal("allow");
      for (const other of ["arn:aws:iam::111111111111:role/tila-platform-hub-dev", previewHubRoleArn("prod", "111111111111"), "arn:aws:iam::222222222222:role/tila-platform-deploy-dev"]) {
        expect(evaluate([withHub, { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "*" }] }], { action: "sts:AssumeRole", resources: [other] }), other).to.equal("explicit-deny");
      }
      expect(() => previewPermissionPolicy(input({ previewHubRoleArn: "arn:aws:iam::111111111111:role/tila-platform-hub-dev" }))).to.throw(/not dev's preview-hub role/);
    });

    it("covers every data source the program invokes: a new one fails here until the preview policy is reviewed", () => {
      // Invokes run in a preview with the caller's credentials; these three are what the policy allows for.
      const known = new Map([["getCallerIdentity", "sts:GetCallerIdentity"], ["getRegion", "no call (SDK endpoint table)"], ["ssm.getParameter", "ssm:GetParameter"]]);
      const found = new Set<string>();
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []));
      for (const file of [...walk(path.resolve(__dirname, "../../components")), ...walk(path.resolve(__dirname, "../../stacks"))]) {
        const text = fs.readFileSync(file, "utf8");
        for (const m of text.matchAll(/\baws\.((?:[a-z0-9]+\.)?get[A-Z][A-Za-z0-9]*?)(?:Output)?\(/g)) found.add(m[1]!);
        // A resource read by id (`aws.ec2.Vpc.get(...)`) is a Read call in every preview.
        for (const m of text.matchAll(/\baws\.[a-z0-9]+\.([A-Z][A-Za-z0-9]*)\.get\(/g)) found.add(`${m[1]!}.get`);
      }
      expect([...found].filter((f) => !known.has(f)), "invokes the preview role was not checked against").to.deep.equal([]);
      expect(found.size).to.be.greaterThan(0);
      for (const name of Object.values(AMI_PARAMETERS)) {
        expect(decide("ssm:GetParameter", `arn:aws:ssm:me-south-1::parameter${name}`), name).to.equal("allow");
      }
    });

    it("refuses a bad account, bucket or key, naming it", () => {
      expect(() => previewPermissionPolicy(input({ accountId: "1" }))).to.throw(/accountId "1"/);
      expect(() => previewPermissionPolicy(input({ state: { bucket: "Bad_Bucket" } }))).to.throw(/state.bucket "Bad_Bucket"/);
      expect(() => previewPermissionPolicy(input({ state: { bucket: "ok-bucket", keyArn: "alias/state" } }))).to.throw(/state.keyArn "alias\/state"/);
    });
  });

  describe("the hub provider of an environment's preview", () => {
    const preview = { arn: "arn:aws:iam::222222222222:role/tila-platform-preview-dev", account: "222222222222" };
    const deploy = { arn: "arn:aws:iam::222222222222:role/tila-platform-deploy-dev", account: "222222222222" };
    const assume = (trust: unknown, principal: { arn: string; account: string }, session = "tila-platform-dev"): Decision =>
      evaluate([trust], { action: "sts:AssumeRole", resources: ["arn:aws:iam::111111111111:role/x"], principal, context: { "aws:PrincipalArn": principal.arn, "sts:RoleSessionName": session } });

    it("assumes the preview-hub role in a preview session and the hub role otherwise", () => {
      const hub = "arn:aws:iam::111111111111:role/tila-platform-hub-dev";
      expect(isPreviewSession("arn:aws:sts::222222222222:assumed-role/tila-platform-preview-dev/gitlab-123", "dev")).to.equal(true);
      expect(isPreviewSession("arn:aws:sts::222222222222:assumed-role/tila-platform-preview-devx/gitlab-123", "dev")).to.equal(false);
      expect(hubRoleForCaller("arn:aws:sts::222222222222:assumed-role/tila-platform-preview-dev/gitlab-123", "dev", hub, "111111111111")).to.equal(previewHubRoleArn("dev", "111111111111"));
      expect(hubRoleForCaller("arn:aws:sts::222222222222:assumed-role/tila-platform-deploy-dev/gitlab-123", "dev", hub, "111111111111")).to.equal(hub);
      expect(hubRoleForCaller("arn:aws:sts::222222222222:assumed-role/tila-platform-preview-prod/gitlab-1", "dev", hub, "111111111111")).to.equal(hub);
    });

    it("lets only the environment's preview role, with the hub session name, assume the preview-hub role, which allows nothing", () => {
      const trust = previewHubTrustPolicy({ environment: "dev", environmentAccountId: "222222222222" });
      expect(assume(trust, preview)).to.equal("allow");
      expect(assume(trust, deploy)).to.not.equal("allow");
      expect(assume(trust, preview, "other-session")).to.not.equal("allow");
      expect(assume(trust, { arn: "arn:aws:iam::444444444444:role/tila-platform-preview-dev", account: "444444444444" })).to.not.equal("allow");
      for (const action of ["ec2:DescribeTransitGateways", "route53:ChangeResourceRecordSets", "ec2:AssociateTransitGatewayRouteTable"]) {
        expect(evaluate([previewHubPermissionPolicy()], { action, resources: ["*"] }), action).to.equal("explicit-deny");
      }
    });

    it("keeps the write-capable hub role closed to the preview role", () => {
      const trust = hubTrustPolicy({ environment: "dev", environmentAccountId: "222222222222" });
      expect(assume(trust, deploy)).to.equal("allow");
      expect(assume(trust, preview)).to.not.equal("allow");
    });
  });

  describe("in the five real stacks", () => {
    let stacks: Record<string, StackRun>;
    before(async () => {
      stacks = await realStacks();
    });
    const roles = (stack: string) => ofType(stacks[stack]!, "aws:iam/role:Role").filter((r) => String(r.inputs.name).startsWith(PREVIEW_ROLE_PREFIX) && !String(r.inputs.name).startsWith(previewHubRoleName("")));
    const json = (v: unknown): Doc => (typeof v === "string" ? JSON.parse(v) : v) as Doc;

    it("gives every stack exactly one preview role, for its own name, trusting any branch of the project for an hour", () => {
      for (const stack of STACK_ORDER) {
        const found = roles(stack);
        expect(found.map((r) => r.inputs.name), stack).to.deep.equal([previewRoleName(stack)]);
        expect(found[0]!.inputs.maxSessionDuration, stack).to.equal(3600);
        const trust = json(found[0]!.inputs.assumeRolePolicy);
        expect(trust.Statement.map((s) => s.Condition?.StringLike?.["gitlab.com:sub"]), stack).to.deep.equal([`project_path:${PROJECT}:ref_type:branch:ref:*`]);
        expect(trust.Statement.map((s) => s.Condition?.StringEquals?.["gitlab.com:aud"]), stack).to.deep.equal(["sts.amazonaws.com"]);
        const policies = ofType(stacks[stack]!, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === previewRoleName(stack));
        expect(policies.map((p) => p.inputs.name), stack).to.deep.equal(["preview"]);
        const allows = json(policies[0]!.inputs.policy).Statement.filter((s) => s.Effect === "Allow") as (Statement & { Resource?: string | string[] })[];
        // Everything it allows reads, but one AssumeRole of an environment's own preview-hub role in management.
        const writes = allows.flatMap((s) => list(s.Action).filter((a) => !isReadOnly(a)).map((a) => `${a} ${list(s.Resource).join(",")}`));
        expect(writes, stack).to.deep.equal(stack === "management" ? [] : [`sts:AssumeRole ${previewHubRoleArn(stack, "111111111111")}`]);
        // Nothing attaches a managed policy to it.
        const attached = ofType(stacks[stack]!, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => String(a.inputs.role).startsWith(PREVIEW_ROLE_PREFIX));
        expect(attached, stack).to.deep.equal([]);
      }
    });

    it("gives management one preview-hub role per environment in its own account, trusting only that environment's preview role and allowing nothing", () => {
      const hubRoles = ofType(stacks.management!, "aws:iam/role:Role").filter((r) => String(r.inputs.name).startsWith(previewHubRoleName("")));
      expect(hubRoles.map((r) => r.inputs.name)).to.deep.equal(["dev", "stage", "preprod", "prod"].map(previewHubRoleName));
      for (const env of ["dev", "stage", "preprod", "prod"]) {
        const role = hubRoles.find((r) => r.inputs.name === previewHubRoleName(env))!;
        const account = String((stacks[env]!.outputs.securityBaseline as Record<string, string>).deployRoleArn).split(":")[4]!;
        const principal = { arn: `arn:aws:iam::${account}:role/${previewRoleName(env)}`, account };
        const d = evaluate([role.inputs.assumeRolePolicy], { action: "sts:AssumeRole", resources: ["*"], principal, context: { "aws:PrincipalArn": principal.arn, "sts:RoleSessionName": `tila-platform-${env}` } });
        expect(d, env).to.equal("allow");
        const policy = ofType(stacks.management!, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === previewHubRoleName(env))!;
        expect(json(policy.inputs.policy).Statement.map((s) => s.Effect), env).to.deep.equal(["Deny"]);
        // The environment's hub provider is the same provider a deploy uses; offline the caller is no preview session.
        const provider = ofType(stacks[env]!, "pulumi:providers:aws").find((p) => p.name === "hub")!;
        expect(JSON.parse(String(provider.inputs.assumeRoles))[0].roleArn, env).to.equal(`arn:aws:iam::111111111111:role/tila-platform-hub-${env}`);
      }
    });

    it("reads the state named in security.stateBackend: dev's own and management's checkpoints, nothing of stage's", async () => {
      const doc = parseDocument(fs.readFileSync(path.resolve(__dirname, "../../Pulumi.dev.yaml"), "utf8"));
      doc.setIn(["config", "tila-platform:security", "stateBackend"], { bucket: STATE.bucket, prefix: "platform" });
      doc.setIn(["config", "tila-platform:managementStack"], "organization/tila-platform/management");
      const file = path.join(os.tmpdir(), `tila-preview-state-${process.pid}.yaml`);
      fs.writeFileSync(file, doc.toString());
      let dev: StackRun;
      try {
        dev = await (await engineWithRealManagement({ configFiles: { dev: file } })).run("dev");
      } finally {
        fs.rmSync(file, { force: true });
      }
      const policy = ofType(dev, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === previewRoleName("dev"))!;
      const read = (key: string) => evaluate([policy.inputs.policy], { action: "s3:GetObject", resources: [`arn:aws:s3:::${STATE.bucket}/platform/${key}`] });
      expect(read(".pulumi/meta.yaml")).to.equal("allow");
      expect(read(".pulumi/stacks/tila-platform/dev.json")).to.equal("allow");
      expect(read(".pulumi/stacks/tila-platform/management.json.gz")).to.equal("allow");
      expect(read(".pulumi/stacks/tila-platform/stage.json")).to.equal("explicit-deny");
      expect(evaluate([policy.inputs.policy], { action: "s3:ListBucket", resources: [`arn:aws:s3:::${STATE.bucket}`], context: { "s3:prefix": "platform/.pulumi/stacks/tila-platform/management.json" } })).to.equal("allow");
    });

    it("lets no deploy role change any preview role, and no deploy role trust an unprotected branch", () => {
      for (const stack of STACK_ORDER) {
        const deployPolicy = ofType(stacks[stack]!, "aws:iam/rolePolicy:RolePolicy").find((p) => p.inputs.role === `tila-platform-deploy-${stack}`)!;
        for (const target of [...STACK_ORDER, "hub-dev"]) {
          for (const action of ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy"]) {
            const d = evaluate([deployPolicy.inputs.policy], { action, resources: [`arn:aws:iam::222222222222:role/${previewRoleName(target)}`], context: { "aws:RequestedRegion": "us-east-1" } });
            expect(d, `${stack}'s deploy role: ${action} on ${previewRoleName(target)}`).to.equal("explicit-deny");
          }
        }
        const deployRole = ofType(stacks[stack]!, "aws:iam/role:Role").find((r) => r.inputs.name === `tila-platform-deploy-${stack}`)!;
        const trust = json(deployRole.inputs.assumeRolePolicy);
        const provider = trust.Statement[0]!.Principal!.Federated!;
        expect(admits(trust, gitlabSubject(PROJECT, { type: "branch", name: "feature/x" }), "sts.amazonaws.com", provider), stack).to.equal(false);
      }
    });
  });
});
