/**
 * The security baseline across the five real stacks: every account has its trail, detectors and
 * roles; management's archive admits exactly the trails the environments create; the deploy roles
 * are the ones hub's roles trust; and removing or weakening any baseline part fails the plan,
 * naming the rule.
 */
import { expect } from "chai";
import type { StackRun } from "../../offline/engine";
import { PolicyFinding } from "../../offline/policyRunner";
import { STACKS } from "../../config/schema";
import { RULES } from "../../policy/rules";
import { isStackRule } from "../../policy/rules/types";
import { deployRoleArn } from "../../components/security/hubIdentity";
import { ofType } from "../support/graph";
import { mandatoryFindings, realStackPolicy } from "../support/realPolicy";
import { realStacks } from "../support/realStacks";
import { planWeakened } from "../support/weaken";

const mandatory = mandatoryFindings;
const rulesHit = (findings: readonly PolicyFinding[]): string[] => [...new Set(findings.map((f) => f.policy))].sort();
const json = (v: unknown): Record<string, unknown> => (typeof v === "string" ? JSON.parse(v) : v) as Record<string, unknown>;
type Statement = { Sid?: string; Effect: string; Action: unknown; Resource?: unknown; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> };
const statements = (doc: unknown): Statement[] => (json(doc).Statement as Statement[]);

describe("the security baseline (all five real stacks)", () => {
  let stacks: Record<string, StackRun>;
  before(async () => {
    stacks = await realStacks();
  });
  const baselineOutputs = (stack: string) => stacks[stack]!.outputs.securityBaseline as Record<string, string>;

  it("gives every stack its own account controls, trail and deploy role", () => {
    for (const stack of STACKS) {
      const run = stacks[stack]!;
      const out = baselineOutputs(stack);
      expect(out.accountControlsIn, stack).to.equal(stack);
      const [trail] = ofType(run, "aws:cloudtrail/trail:Trail");
      expect(trail!.inputs).to.deep.include({ name: `tila-${stack}-audit`, isMultiRegionTrail: true, enableLogFileValidation: true, includeGlobalServiceEvents: true, s3KeyPrefix: "cloudtrail" });
      expect(String(trail!.inputs.kmsKeyId)).to.match(/^arn:aws:kms:me-south-1:\d{12}:key\//);
      const selectors = trail!.inputs.advancedEventSelectors as { fieldSelectors: { field: string; equals?: string[] }[] }[];
      expect(selectors.map((s) => s.fieldSelectors.find((f) => f.field === "eventCategory")!.equals)).to.deep.include.members([["Management"], ["Data"]]);
      for (const type of ["aws:guardduty/detector:Detector", "aws:securityhub/account:Account", "aws:cfg/recorder:Recorder", "aws:accessanalyzer/analyzer:Analyzer", "aws:inspector2/enabler:Enabler"]) {
        expect(ofType(run, type), `${stack} ${type}`).to.have.length(1);
      }
      // GitLab's provider; management also trusts Jenkins' issuer for the service pipelines (stacks/delivery.ts).
      expect(ofType(run, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").filter((p) => p.name.endsWith("gitlab-oidc")), `${stack} GitLab OIDC provider`).to.have.length(1);
      expect(ofType(run, "aws:guardduty/detectorFeature:DetectorFeature").map((f) => f.inputs.name)).to.include.members(["S3_DATA_EVENTS", "EBS_MALWARE_PROTECTION", "RUNTIME_MONITORING"]);
    }
  });

  it("admits to management's trail archive exactly the trails the stacks create, each under its own account", () => {
    const mgmt = stacks.management!;
    const bucketName = mgmt.outputs.trailArchiveBucket;
    const bucket = ofType(mgmt, "aws:s3/bucket:Bucket").find((b) => b.outputs.bucket === bucketName)!;
    const policy = ofType(mgmt, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === bucket.id)!;
    const writes = statements(policy.inputs.policy).filter((s) => s.Action === "s3:PutObject");
    const admitted = writes.map((s) => s.Condition!.StringEquals!["aws:SourceArn"]).sort();
    const created = STACKS.map((s) => baselineOutputs(s).trailArn).sort();
    expect(admitted).to.deep.equal(created);
    for (const s of writes) {
      const account = /:(\d{12}):trail\//.exec(String(s.Condition!.StringEquals!["aws:SourceArn"]))![1];
      expect(s.Resource).to.equal(`${bucket.outputs.arn}/cloudtrail/AWSLogs/${account}/*`);
    }
    for (const env of STACKS.filter((s) => s !== "management")) {
      expect(ofType(stacks[env]!, "aws:cloudtrail/trail:Trail")[0]!.inputs.s3BucketName, env).to.equal(bucketName);
    }
  });

  it("lets each stack's audit-report role write to the Config archive under its own prefix, and never to the trail archive", () => {
    const mgmt = stacks.management!;
    const policyOf = (bucketName: unknown) => {
      const bucket = ofType(mgmt, "aws:s3/bucket:Bucket").find((b) => b.outputs.bucket === bucketName)!;
      return { bucket, doc: statements(ofType(mgmt, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.inputs.bucket === bucket.id)!.inputs.policy) };
    };
    const config = policyOf(mgmt.outputs.configArchiveBucket);
    const reports = config.doc.filter((s) => String(s.Sid).startsWith("AuditReports"));
    expect(reports.map((s) => s.Resource)).to.have.length(STACKS.length);
    for (const stack of STACKS) {
      const account = stack === "management" ? "111111111111" : String(baselineOutputs(stack).deployRoleArn).split(":")[4];
      const grant = reports.find((s) => s.Resource === `${config.bucket.outputs.arn}/audit-reports/${stack}/${account}/*`);
      expect(grant, stack).to.not.equal(undefined);
      expect(grant!.Condition).to.deep.equal({ ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${account}:role/tila-${stack}-audit-report` } });
    }
    const trail = policyOf(mgmt.outputs.trailArchiveBucket);
    const principals = trail.doc.filter((s) => s.Effect === "Allow").map((s) => JSON.stringify(s.Principal));
    expect([...new Set(principals)]).to.deep.equal([JSON.stringify({ Service: "cloudtrail.amazonaws.com" })]);
  });

  it("lets each account's AWS Config role deliver to management's Config archive under its own prefix only, with its audit key", () => {
    const bucket = String(stacks.management!.outputs.configArchiveBucket);
    for (const stack of STACKS) {
      const run = stacks[stack]!;
      const account = stack === "management" ? "111111111111" : String(baselineOutputs(stack).deployRoleArn).split(":")[4];
      const delivery = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name.endsWith("-config-role-delivery"))!;
      const doc = statements(delivery.inputs.policy);
      expect(doc.find((s) => s.Sid === "ArchiveDelivery")!.Resource, stack).to.equal(`arn:aws:s3:::${bucket}/config/AWSLogs/${account}/*`);
      expect(doc.find((s) => s.Sid === "AuditKey")!.Resource, stack).to.equal(ofType(run, "aws:cfg/deliveryChannel:DeliveryChannel")[0]!.inputs.s3KmsKeyArn);
    }
  });

  it("locks the trail archive in governance mode for the configured days, versioned and access-logged", () => {
    const mgmt = stacks.management!;
    const lock = ofType(mgmt, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
    expect(lock).to.have.length(1);
    expect(lock[0]!.inputs.rule).to.deep.equal({ defaultRetention: { mode: "GOVERNANCE", days: 400 } });
    const locked = ofType(mgmt, "aws:s3/bucket:Bucket").filter((b) => b.inputs.objectLockEnabled === true);
    expect(locked.map((b) => b.outputs.bucket)).to.deep.equal([mgmt.outputs.trailArchiveBucket]);
    const logged = ofType(mgmt, "aws:s3/bucketLogging:BucketLogging").map((l) => l.inputs.bucket);
    expect(logged).to.include(locked[0]!.id);
  });

  it("creates the deploy roles hub's roles trust, assumable only from the GitLab project's protected refs", () => {
    const hubTrusts = ofType(stacks.management!, "aws:iam/role:Role").map((r) => JSON.stringify(r.inputs.assumeRolePolicy ?? ""));
    for (const env of STACKS.filter((s) => s !== "management")) {
      const account = String(stacks[env]!.outputs.securityBaseline && baselineOutputs(env).deployRoleArn).split(":")[4]!;
      expect(baselineOutputs(env).deployRoleArn).to.equal(deployRoleArn(env, account));
      expect(hubTrusts.some((t) => t.includes(deployRoleArn(env, account))), `a hub role trusts ${env}'s deploy role`).to.equal(true);
    }
    const prodRole = ofType(stacks.prod!, "aws:iam/role:Role").find((r) => r.inputs.name === "tila-platform-deploy-prod")!;
    const trust = statements(prodRole.inputs.assumeRolePolicy);
    expect(trust.map((s) => s.Action)).to.deep.equal(["sts:AssumeRoleWithWebIdentity"]);
    const subs = trust.flatMap((s) => Object.values(s.Condition!).flatMap((block) => (block["gitlab.com:sub"] as string[] | undefined) ?? []));
    // Release tags, and the hot-fix branches (GitLab protects the pattern; the job runs in the protected prod environment).
    expect(subs).to.deep.equal(["project_path:tila/tila-platform:ref_type:tag:ref:v*", "project_path:tila/tila-platform:ref_type:branch:ref:hotfix/*"]);
    expect(trust.every((s) => s.Condition!.StringEquals!["gitlab.com:aud"] === "sts.amazonaws.com")).to.equal(true);
  });

  it("makes management the GuardDuty and Security Hub administrator of every environment account", () => {
    const members = ofType(stacks.management!, "aws:guardduty/member:Member").map((m) => m.inputs.accountId).sort();
    const accounts = STACKS.filter((s) => s !== "management").map((s) => String(baselineOutputs(s).deployRoleArn).split(":")[4]).sort();
    expect(members).to.deep.equal(accounts);
    expect(ofType(stacks.management!, "aws:securityhub/member:Member")).to.have.length(accounts.length);
    expect(ofType(stacks.management!, "aws:securityhub/findingAggregator:FindingAggregator")).to.have.length(1);
    for (const env of STACKS.filter((s) => s !== "management")) {
      expect(ofType(stacks[env]!, "aws:guardduty/inviteAccepter:InviteAccepter")[0]!.inputs.masterAccountId, env).to.equal("111111111111");
      expect(ofType(stacks[env]!, "aws:securityhub/inviteAccepter:InviteAccepter")[0]!.inputs.masterId, env).to.equal("111111111111");
    }
  });

  describe("removing a part of the baseline fails the plan, naming the rule", () => {
    const removals: [string, string][] = [
      ["aws:cloudtrail/trail:Trail", "baseline-trail-enabled"],
      ["aws:guardduty/detector:Detector", "baseline-guardduty-enabled"],
      ["aws:guardduty/detectorFeature:DetectorFeature", "baseline-guardduty-enabled"],
      ["aws:securityhub/account:Account", "baseline-securityhub-standards"],
      ["aws:securityhub/standardsSubscription:StandardsSubscription", "baseline-securityhub-standards"],
      ["aws:cfg/recorder:Recorder", "baseline-config-recording-all"],
      ["aws:cfg/recorderStatus:RecorderStatus", "baseline-config-recording-all"],
      ["aws:iam/accountPasswordPolicy:AccountPasswordPolicy", "baseline-account-hardening"],
      ["aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults", "baseline-account-hardening"],
      ["aws:accessanalyzer/analyzer:Analyzer", "baseline-analyzers-enabled"],
      ["aws:inspector2/enabler:Enabler", "baseline-analyzers-enabled"],
    ];
    // Only the stack rules run over each reduced graph, and this is the whole pack's verdict: a
    // resource rule judges each resource alone (its inputs and its provider's, policyRunner's
    // toInput), so over a graph with some non-provider resources removed it reports exactly what
    // it reported over the whole graph minus its findings on the removed ones; the whole pack
    // over each whole stack, checked once here, reports nothing and throws nothing. A resource
    // rule cannot throw on a subset either: it sees the same inputs it saw over the whole stack.
    const stackRules = RULES.filter(isStackRule);
    it("the whole pack finds nothing in management and prod before any removal (the premise of the removals)", async () => {
      for (const stack of ["management", "prod"]) {
        const whole = await realStackPolicy(stack);
        expect(whole.errors, `${stack}: policy run errors`).to.deep.equal([]);
        expect(whole.violations.filter((v) => v.level === "mandatory"), stack).to.deep.equal([]);
      }
      for (const [type] of removals) expect(type.startsWith("pulumi:providers:"), type).to.equal(false);
    });
    for (const [type, rule] of removals) {
      it(`${type} -> ${rule}`, () => {
        for (const stack of ["management", "prod"]) {
          const run = stacks[stack]!;
          const kept = run.resources.filter((r) => r.type !== type);
          expect(kept.length, `${stack} has ${type}`).to.be.lessThan(run.resources.length);
          expect(rulesHit(mandatory(kept, stack, stackRules)), stack).to.deep.equal([rule]);
        }
      });
    }
  });

  it("catches a trail whose validation was switched off, and a detector switched off, after the component built them", async () => {
    const { run, hits } = await planWeakened("prod", (a) => {
      if (a.type === "aws:cloudtrail/trail:Trail") return { ...a.props, enableLogFileValidation: false };
      if (a.type === "aws:guardduty/detector:Detector") return { ...a.props, enable: false };
      return undefined;
    });
    expect(hits).to.equal(2);
    expect(rulesHit(mandatory(run.resources, "prod"))).to.deep.equal(["baseline-guardduty-enabled", "baseline-trail-enabled", "cloudtrail-log-file-validation"]);
  });
});
