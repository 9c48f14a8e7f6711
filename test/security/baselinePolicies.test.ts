import { expect } from "chai";
import {
  accessLogBucketPolicy,
  auditKeyPolicy,
  configArchivePolicy,
  gitlabDeployTrust,
  gitlabSubject,
  humanRoleTrust,
  oidcHost,
  trailArchivePolicy,
  trailArn,
} from "../../components/security/baseline/policies";

const BUCKET = "arn:aws:s3:::management-baseline-log-trail-archive-1a2b3c";
const PROD_TRAIL = trailArn("aws", "me-south-1", "444444444444", "tila-prod-audit");
const MGMT_TRAIL = trailArn("aws", "me-south-1", "111111111111", "tila-management-audit");

describe("security baseline policy documents", () => {
  describe("trail archive bucket policy", () => {
    const doc = trailArchivePolicy({ bucketArn: BUCKET, trails: [{ accountId: "111111111111", trailArn: MGMT_TRAIL }, { accountId: "444444444444", trailArn: PROD_TRAIL }] });

    it("lets CloudTrail check the ACL only for the named trails (aws:SourceArn)", () => {
      const acl = doc.Statement.find((s) => s.Action === "s3:GetBucketAcl")!;
      expect(acl.Principal).to.deep.equal({ Service: "cloudtrail.amazonaws.com" });
      expect(acl.Resource).to.equal(BUCKET);
      expect(acl.Condition).to.deep.equal({ StringEquals: { "aws:SourceArn": [MGMT_TRAIL, PROD_TRAIL] } });
    });

    it("lets each trail write only under its own account's AWSLogs prefix, with bucket-owner-full-control", () => {
      const writes = doc.Statement.filter((s) => s.Action === "s3:PutObject");
      expect(writes.map((s) => s.Resource)).to.deep.equal([`${BUCKET}/cloudtrail/AWSLogs/111111111111/*`, `${BUCKET}/cloudtrail/AWSLogs/444444444444/*`]);
      expect(writes[1]!.Condition).to.deep.equal({ StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": PROD_TRAIL } });
    });

    it("denies every request without TLS, on the bucket and its objects", () => {
      const deny = doc.Statement.find((s) => s.Effect === "Deny")!;
      expect(deny).to.deep.include({ Principal: "*", Action: "s3:*", Resource: [BUCKET, `${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
    });

    it("grants nothing to anyone but CloudTrail", () => {
      const allows = doc.Statement.filter((s) => s.Effect === "Allow");
      expect(allows.every((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: "cloudtrail.amazonaws.com" }))).to.equal(true);
    });

    it("refuses an archive no trail delivers to", () => {
      expect(() => trailArchivePolicy({ bucketArn: BUCKET, trails: [] })).to.throw(/at least one trail/);
    });
  });

  describe("AWS Config archive bucket policy", () => {
    const doc = configArchivePolicy({ bucketArn: BUCKET, accounts: ["111111111111", "444444444444"] });

    it("pins the ACL and existence checks to the member accounts (aws:SourceAccount)", () => {
      for (const action of ["s3:GetBucketAcl", "s3:ListBucket"]) {
        const s = doc.Statement.find((x) => x.Action === action)!;
        expect(s.Condition).to.deep.equal({ StringEquals: { "aws:SourceAccount": ["111111111111", "444444444444"] } });
      }
    });

    it("lets each account deliver only under its own prefix", () => {
      const writes = doc.Statement.filter((s) => s.Action === "s3:PutObject");
      expect(writes.map((s) => [s.Resource, (s.Condition as { StringEquals: Record<string, string> }).StringEquals["aws:SourceAccount"]])).to.deep.equal([
        [`${BUCKET}/config/AWSLogs/111111111111/Config/*`, "111111111111"],
        [`${BUCKET}/config/AWSLogs/444444444444/Config/*`, "444444444444"],
      ]);
    });
  });

  it("adds the audit reports' grants to the Config archive, before the TLS deny", () => {
    const extra = [{ Sid: "AuditReportsprod", Effect: "Allow", Action: "s3:PutObject" }];
    const doc = configArchivePolicy({ bucketArn: BUCKET, accounts: ["111111111111"], extra });
    expect(doc.Statement.slice(-2).map((s) => s.Sid)).to.deep.equal(["AuditReportsprod", "DenyInsecureTransport"]);
  });

  it("admits S3 server access logs only from the archive buckets of this account", () => {
    const doc = accessLogBucketPolicy({ bucketArn: "arn:aws:s3:::logs", sourceBucketArns: [BUCKET], accountId: "111111111111" });
    expect(doc.Statement[0]).to.deep.include({ Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" });
    expect(doc.Statement[0]!.Condition).to.deep.equal({ ArnEquals: { "aws:SourceArn": [BUCKET] }, StringEquals: { "aws:SourceAccount": "111111111111" } });
  });

  describe("audit key policy", () => {
    const input = { partition: "aws", region: "me-south-1", accountId: "444444444444", trailArn: PROD_TRAIL, logGroupName: "/tila/prod/cloudtrail" };

    it("lets CloudTrail encrypt only for this account's trails, from the named trail", () => {
      const s = auditKeyPolicy(input).Statement.find((x) => x.Sid === "CloudTrailEncryptsLogs")!;
      expect(s.Condition).to.deep.equal({
        StringEquals: { "aws:SourceArn": PROD_TRAIL },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:444444444444:trail/*" },
      });
    });

    it("lets CloudWatch Logs use the key for the trail's log group only", () => {
      const s = auditKeyPolicy(input).Statement.find((x) => x.Sid === "CloudWatchLogsEncryptsTrailLogGroup")!;
      expect(s.Principal).to.deep.equal({ Service: "logs.me-south-1.amazonaws.com" });
      expect(s.Condition).to.deep.equal({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:me-south-1:444444444444:log-group:/tila/prod/cloudtrail" } });
    });

    it("lets management decrypt through S3 only, and only when management is another account", () => {
      const withReader = auditKeyPolicy({ ...input, archiveReaderAccountId: "111111111111" }).Statement.find((x) => x.Sid === "ArchiveAccountReadsThroughS3")!;
      expect(withReader.Principal).to.deep.equal({ AWS: "arn:aws:iam::111111111111:root" });
      expect(withReader.Condition).to.deep.equal({ StringEquals: { "kms:ViaService": "s3.me-south-1.amazonaws.com" } });
      expect(auditKeyPolicy({ ...input, archiveReaderAccountId: "444444444444" }).Statement.some((x) => x.Sid === "ArchiveAccountReadsThroughS3")).to.equal(false);
    });
  });

  describe("GitLab deploy trust", () => {
    const base = { providerArn: "arn:aws:iam::444444444444:oidc-provider/gitlab.com", url: "https://gitlab.com", audience: "sts.amazonaws.com", projectPath: "tila/tila-platform" };

    it("writes GitLab's documented sub claim format", () => {
      expect(gitlabSubject("tila/tila-platform", { type: "tag", name: "v1.2.0" })).to.equal("project_path:tila/tila-platform:ref_type:tag:ref:v1.2.0");
      expect(oidcHost("https://gitlab.example.sa/")).to.equal("gitlab.example.sa");
    });

    it("pins aud and exact subs with StringEquals, for web identity from the provider only", () => {
      const doc = gitlabDeployTrust({ ...base, refs: [{ type: "branch", name: "main" }] });
      expect(doc.Statement).to.deep.equal([{
        Effect: "Allow",
        Principal: { Federated: base.providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "gitlab.com:aud": "sts.amazonaws.com", "gitlab.com:sub": ["project_path:tila/tila-platform:ref_type:branch:ref:main"] } },
      }]);
    });

    it("puts protected tag patterns under StringLike, keeping aud exact", () => {
      const doc = gitlabDeployTrust({ ...base, refs: [{ type: "branch", name: "main" }, { type: "tag", name: "v*" }] });
      expect(doc.Statement).to.have.length(2);
      expect(doc.Statement[1]!.Condition).to.deep.equal({
        StringEquals: { "gitlab.com:aud": "sts.amazonaws.com" },
        StringLike: { "gitlab.com:sub": ["project_path:tila/tila-platform:ref_type:tag:ref:v*"] },
      });
    });

    it("refuses a role no ref may assume", () => {
      expect(() => gitlabDeployTrust({ ...base, refs: [] })).to.throw(/at least one ref/);
    });
  });

  describe("human role trust", () => {
    it("trusts only this account, pinned to the named principals, with MFA when asked", () => {
      const doc = humanRoleTrust({ partition: "aws", accountId: "444444444444", principalPatterns: ["user/break-glass-*"], requireMfa: true });
      expect(doc.Statement[0]!.Principal).to.deep.equal({ AWS: "arn:aws:iam::444444444444:root" });
      expect(doc.Statement[0]!.Condition).to.deep.equal({
        ArnLike: { "aws:PrincipalArn": ["arn:aws:iam::444444444444:user/break-glass-*"] },
        Bool: { "aws:MultiFactorAuthPresent": "true" },
        NumericLessThan: { "aws:MultiFactorAuthAge": "3600" },
      });
    });

    it("leaves out the MFA keys for Identity Center sessions, which carry none", () => {
      const doc = humanRoleTrust({ partition: "aws", accountId: "1", principalPatterns: ["role/x"], requireMfa: false });
      expect(Object.keys(doc.Statement[0]!.Condition as object)).to.deep.equal(["ArnLike"]);
      expect(() => humanRoleTrust({ partition: "aws", accountId: "1", principalPatterns: [], requireMfa: false })).to.throw(/at least one principal/);
    });
  });
});
