import { expect } from "chai";
import { mockClient } from "aws-sdk-client-mock";
import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient } from "@aws-sdk/client-iam";
import { Finding as InspectorFinding, Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { AwsSecurityFinding, GetFindingsCommand, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { credentialItems, parseCsv } from "../../functions/audit-report/collect";
import { makeHandler, reportKey } from "../../functions/audit-report/handler";

const ACCOUNT = "444444444444";
const TOPIC = `arn:aws:sns:me-south-1:${ACCOUNT}:tila-security`;
const NOW = new Date("2026-12-07T05:00:00Z");
const ENV = {
  TOPIC_ARN: TOPIC,
  REPORT_BUCKET: "tila-log-archive-111111111111",
  REPORT_PREFIX: `audit-reports/prod/${ACCOUNT}`,
  REPORT_KMS_KEY_ARN: "arn:aws:kms:me-south-1:111111111111:key/0a1b2c3d-1111-2222-3333-444455556666",
  ENVIRONMENT: "prod",
  ACCOUNT_ID: ACCOUNT,
};

function vuln(cve: string, severity: "CRITICAL" | "HIGH" | "LOW", fix: "YES" | "NO" | "PARTIAL", resource: "ecr" | "ec2"): InspectorFinding {
  return {
    findingArn: `arn:aws:inspector2:me-south-1:${ACCOUNT}:finding/${cve}`,
    awsAccountId: ACCOUNT,
    type: "PACKAGE_VULNERABILITY",
    description: "",
    title: `${cve} - openssl`,
    remediation: {},
    severity,
    fixAvailable: fix,
    firstObservedAt: NOW,
    lastObservedAt: NOW,
    status: "ACTIVE",
    packageVulnerabilityDetails: { vulnerabilityId: cve, source: "NVD", vulnerablePackages: [{ name: "openssl", version: "3.0.1", fixedInVersion: fix === "NO" ? undefined : "3.0.8" }] },
    resources:
      resource === "ecr"
        ? [{ type: "AWS_ECR_CONTAINER_IMAGE", id: "arn:aws:ecr:me-south-1:111111111111:repository/cart/sha256:abc", details: { awsEcrContainerImage: { repositoryName: "cart", imageTags: ["1.4.2"], imageHash: "sha256:abc", registry: "111111111111" } } }]
        : [{ type: "AWS_EC2_INSTANCE", id: "i-0abc1234def567890" }],
  };
}

function control(id: string, severity: "CRITICAL" | "HIGH"): AwsSecurityFinding {
  return {
    SchemaVersion: "2018-10-08",
    Id: `arn:aws:securityhub:me-south-1:${ACCOUNT}:security-control/${id}/finding/1`,
    ProductArn: "arn:aws:securityhub:me-south-1::product/aws/securityhub",
    GeneratorId: `security-control/${id}`,
    AwsAccountId: ACCOUNT,
    CreatedAt: NOW.toISOString(),
    UpdatedAt: NOW.toISOString(),
    Title: `${id} failed`,
    Description: "",
    Severity: { Label: severity },
    Compliance: { Status: "FAILED", SecurityControlId: id },
    Resources: [{ Type: "AwsS3Bucket", Id: "arn:aws:s3:::tila-artefacts" }],
  };
}

const CSV = [
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated",
  "<root_account>,arn:aws:iam::444444444444:root,2024-01-01T00:00:00+00:00,not_supported,2026-11-01T00:00:00+00:00,not_supported,not_supported,false,true,2025-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
  "alice,arn:aws:iam::444444444444:user/alice,2025-01-01T00:00:00+00:00,true,2026-12-01T00:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,false,true,2026-01-01T00:00:00+00:00,2026-12-01T00:00:00+00:00,me-south-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
  "bob,arn:aws:iam::444444444444:user/bob,2025-01-01T00:00:00+00:00,true,2026-12-01T00:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,true,false,N/A,N/A,N/A,N/A,true,2026-11-27T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A",
].join("\n");

const CLEAN_CSV = CSV.split("\n")[0] + "\n<root_account>,arn:aws:iam::444444444444:root,2024-01-01T00:00:00+00:00,not_supported,N/A,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";

function setup(env: Record<string, string> = ENV) {
  const clients = {
    inspector: new Inspector2Client({ region: "me-south-1" }),
    securityHub: new SecurityHubClient({ region: "me-south-1" }),
    iam: new IAMClient({ region: "me-south-1" }),
    s3: new S3Client({ region: "me-south-1" }),
    sns: new SNSClient({ region: "me-south-1" }),
  };
  const mocks = {
    inspector: mockClient(clients.inspector),
    securityHub: mockClient(clients.securityHub),
    iam: mockClient(clients.iam),
    s3: mockClient(clients.s3),
    sns: mockClient(clients.sns),
  };
  mocks.iam.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
  mocks.iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(CSV), ReportFormat: "text/csv" });
  mocks.inspector.on(ListFindingsCommand).resolves({ findings: [] });
  mocks.securityHub.on(GetFindingsCommand).resolves({ Findings: [] });
  mocks.s3.on(PutObjectCommand).resolves({});
  mocks.sns.on(PublishCommand).resolves({ MessageId: "m" });
  const sleeps: number[] = [];
  const logs: string[] = [];
  const handle = makeHandler({ clients, env, now: () => NOW, log: (l) => logs.push(l), sleep: async (ms) => void sleeps.push(ms) });
  return { mocks, handle, sleeps, logs };
}

const WEEKLY = { report: "weekly" };

function written(m: ReturnType<typeof setup>, ext: "json" | "md"): string {
  const put = m.mocks.s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key?.endsWith(`.${ext}`));
  expect(put, `no .${ext} object was written`).to.not.equal(undefined);
  return String(put!.args[0].input.Body);
}

describe("audit-report", () => {
  it("collects every page of Inspector and Security Hub findings", async () => {
    const m = setup();
    m.mocks.inspector
      .on(ListFindingsCommand)
      .resolvesOnce({ findings: [vuln("CVE-2024-0001", "HIGH", "YES", "ecr")], nextToken: "i-2" })
      .resolvesOnce({ findings: [vuln("CVE-2024-0002", "CRITICAL", "NO", "ec2")], nextToken: "i-3" })
      .resolvesOnce({ findings: [vuln("CVE-2024-0003", "LOW", "PARTIAL", "ecr")] });
    m.mocks.securityHub
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [control("S3.5", "HIGH")], NextToken: "s-2" })
      .resolvesOnce({ Findings: [control("IAM.6", "CRITICAL")] });
    const result = await m.handle(WEEKLY);

    const listCalls = m.mocks.inspector.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    expect(listCalls.map((c) => c.nextToken)).to.deep.equal([undefined, "i-2", "i-3"]);
    expect(listCalls[0]!.filterCriteria?.resourceType?.map((f) => f.value)).to.have.members(["AWS_ECR_CONTAINER_IMAGE", "AWS_EC2_INSTANCE"]);
    expect(listCalls[0]!.filterCriteria?.findingStatus).to.deep.equal([{ comparison: "EQUALS", value: "ACTIVE" }]);
    expect(m.mocks.securityHub.commandCalls(GetFindingsCommand).map((c) => c.args[0].input.NextToken)).to.deep.equal([undefined, "s-2"]);
    expect(m.mocks.securityHub.commandCalls(GetFindingsCommand)[0]!.args[0].input.Filters?.ComplianceStatus).to.deep.equal([{ Value: "FAILED", Comparison: "EQUALS" }]);

    expect(result.status).to.equal("written");
    const report = JSON.parse(written(m, "json"));
    expect(report.vulnerabilities.map((v: { vulnerabilityId: string }) => v.vulnerabilityId)).to.deep.equal(["CVE-2024-0002", "CVE-2024-0001", "CVE-2024-0003"]);
    expect(report.vulnerabilities[0]).to.include({ severity: "CRITICAL", fixAvailable: "NO", resourceType: "EC2 instance", resource: "i-0abc1234def567890" });
    expect(report.vulnerabilities[1]).to.include({ fixAvailable: "YES", resourceType: "ECR image", resource: "cart:1.4.2", packages: "openssl 3.0.1 -> 3.0.8" });
    expect(report.counts).to.deep.equal({ vulnerabilities: { CRITICAL: 1, HIGH: 1, LOW: 1 }, fixable: 2, failedControls: { CRITICAL: 1, HIGH: 1 }, credentialItems: 5 });
    expect(report.failedControls.map((c: { controlId: string }) => c.controlId)).to.deep.equal(["IAM.6", "S3.5"]);
  });

  it("writes the dated report as JSON and Markdown under the environment's prefix, KMS-encrypted with a checksum", async () => {
    const m = setup();
    await m.handle(WEEKLY);
    const puts = m.mocks.s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).to.deep.equal([
      `audit-reports/prod/${ACCOUNT}/2026/12/07/audit-report-2026-12-07.json`,
      `audit-reports/prod/${ACCOUNT}/2026/12/07/audit-report-2026-12-07.md`,
    ]);
    for (const p of puts) {
      expect(p).to.deep.include({ Bucket: ENV.REPORT_BUCKET, ServerSideEncryption: "aws:kms", SSEKMSKeyId: ENV.REPORT_KMS_KEY_ARN, ChecksumAlgorithm: "SHA256" });
    }
    const md = written(m, "md");
    expect(md).to.match(/^# Security audit report: prod \(444444444444\), 2026-12-07/);
    expect(md).to.contain("| <root_account> | CRITICAL | root access key 1 is active |");
    expect(reportKey("p", "2027-01-02", "md")).to.equal("p/2027/01/02/audit-report-2027-01-02.md");
  });

  it("sends a summary to the security topic naming where the report is", async () => {
    const m = setup();
    m.mocks.inspector.on(ListFindingsCommand).resolves({ findings: [vuln("CVE-2024-9999", "CRITICAL", "YES", "ecr")] });
    await m.handle(WEEKLY);
    const pub = m.mocks.sns.commandCalls(PublishCommand);
    expect(pub).to.have.length(1);
    expect(pub[0]!.args[0].input.TopicArn).to.equal(TOPIC);
    expect(pub[0]!.args[0].input.Subject).to.equal("Audit report prod 2026-12-07: 3 critical");
    expect(pub[0]!.args[0].input.Message).to.contain("CRITICAL CVE-2024-9999 on ECR image cart:1.4.2 (fix: YES)");
    expect(pub[0]!.args[0].input.Message).to.contain(`s3://${ENV.REPORT_BUCKET}/audit-reports/prod/${ACCOUNT}/2026/12/07/audit-report-2026-12-07.md`);
  });

  it("writes a report for an empty week too, and says there is nothing to report", async () => {
    const m = setup();
    m.mocks.iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(CLEAN_CSV) });
    const result = await m.handle(WEEKLY);
    expect(result.status === "written" && result.counts).to.deep.equal({ vulnerabilities: {}, fixable: 0, failedControls: {}, credentialItems: 0 });
    expect(written(m, "md")).to.contain("No active package vulnerabilities.").and.contain("No failed controls.").and.contain("No credential issues.");
    expect(m.mocks.sns.commandCalls(PublishCommand)[0]!.args[0].input.Subject).to.equal("Audit report prod 2026-12-07: nothing to report");
  });

  it("waits for IAM to finish the credential report before reading it", async () => {
    const m = setup();
    m.mocks.iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: "STARTED" }).resolvesOnce({ State: "INPROGRESS" }).resolves({ State: "COMPLETE" });
    await m.handle(WEEKLY);
    expect(m.mocks.iam.commandCalls(GenerateCredentialReportCommand)).to.have.length(3);
    expect(m.sleeps).to.have.length(2);
    expect(m.mocks.iam.commandCalls(GetCredentialReportCommand)).to.have.length(1);
  });

  it("flags root keys and missing root MFA, humans without MFA, and every human access key (old ones higher)", () => {
    const items = credentialItems(parseCsv(CSV), NOW);
    expect(items).to.deep.equal([
      { user: "<root_account>", issue: "root user has no MFA", severity: "CRITICAL" },
      { user: "<root_account>", issue: "root access key 1 is active", severity: "CRITICAL" },
      { user: "alice", issue: "console password without MFA", severity: "HIGH" },
      { user: "alice", issue: "access key 1 is active (340 days old); humans use roles, not keys", severity: "HIGH" },
      { user: "bob", issue: "access key 2 is active (10 days old); humans use roles, not keys", severity: "MEDIUM" },
    ]);
    expect(parseCsv('a,b\n"x, y","z ""q"""\n')).to.deep.equal([{ a: "x, y", b: 'z "q"' }]);
  });

  for (const [source, fail] of [
    ["Inspector findings", (m: ReturnType<typeof setup>) => m.mocks.inspector.on(ListFindingsCommand).rejects(Object.assign(new Error("not subscribed"), { name: "AccessDeniedException" }))],
    ["Security Hub failed controls", (m: ReturnType<typeof setup>) => m.mocks.securityHub.on(GetFindingsCommand).rejects(Object.assign(new Error("hub not enabled"), { name: "InvalidAccessException" }))],
    ["IAM credential report", (m: ReturnType<typeof setup>) => m.mocks.iam.on(GetCredentialReportCommand).rejects(Object.assign(new Error("expired"), { name: "CredentialReportExpiredException" }))],
    ["s3://", (m: ReturnType<typeof setup>) => m.mocks.s3.on(PutObjectCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }))],
  ] as const) {
    it(`reports a failure of ${source} on the topic and throws, writing no partial report`, async () => {
      const m = setup();
      fail(m);
      let thrown: unknown;
      await m.handle(WEEKLY).catch((e: unknown) => (thrown = e));
      expect((thrown as Error | undefined)?.message, "the handler must throw").to.contain(source);
      const pub = m.mocks.sns.commandCalls(PublishCommand);
      expect(pub).to.have.length(1);
      expect(pub[0]!.args[0].input.Subject).to.equal("FAILED audit report prod 2026-12-07");
      expect(pub[0]!.args[0].input.Message).to.contain(source);
      if (source !== "s3://") expect(m.mocks.s3.commandCalls(PutObjectCommand)).to.have.length(0);
    });
  }

  it("gives up on a credential report that never completes, and says so", async () => {
    const m = setup();
    m.mocks.iam.on(GenerateCredentialReportCommand).resolves({ State: "INPROGRESS" });
    let thrown: unknown;
    await m.handle(WEEKLY).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.match(/IAM credential report: Error: the credential report was not ready after 10 attempts/);
  });

  it("logs and ignores any event that is not a report request, calling nothing", async () => {
    for (const event of [undefined, {}, { report: "daily" }, "weekly"]) {
      const m = setup();
      const result = await m.handle(event);
      expect(result.status).to.equal("ignored");
      const calls = Object.values(m.mocks).reduce((n, mock) => n + mock.calls().length, 0);
      expect(calls).to.equal(0);
    }
  });

  it("refuses to run with a broken configuration", async () => {
    const m = setup({ ...ENV, REPORT_PREFIX: "audit-reports/" });
    let thrown: unknown;
    await m.handle(WEEKLY).catch((e: unknown) => (thrown = e));
    expect((thrown as Error).message).to.match(/misconfigured: REPORT_PREFIX/);
  });
});
