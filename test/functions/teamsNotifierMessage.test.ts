import { expect } from "chai";
import { MAX_PAYLOAD_BYTES, teamsMessage } from "../../functions/teams-notifier/card";
import { guardDutyBand, readNotification, regionOfArn, splitRunbook } from "../../functions/teams-notifier/message";
import { redact, retryAfterMs } from "../../functions/teams-notifier/post";
import { guardDutyEcs } from "./incidentFixtures";
import { ACCOUNT, REGION, SECURITY_TOPIC, metricAlarm, securityHubFinding } from "./teamsNotifierFixtures";

const note = (message: unknown, subject: string | null = null) =>
  readNotification({ Message: typeof message === "string" ? message : JSON.stringify(message), Subject: subject, TopicArn: SECURITY_TOPIC, Timestamp: "2026-12-04T10:00:01.000Z" });

describe("functions/teams-notifier/message.ts: reading what a topic carries", () => {
  it("falls back to a plain card for an alarm-like message CloudWatch would not send", () => {
    const n = note(metricAlarm({ NewStateValue: "BROKEN" }), "ALARM");
    expect(n.kind).to.equal("text");
    expect(n.title).to.equal("ALARM");
    expect(n.text).to.contain('"NewStateValue": "BROKEN"');
  });

  it("describes a metric-math alarm by its series, and an extended statistic in the condition", () => {
    const math = note(metricAlarm({ Trigger: { Metrics: [{ Id: "e1" }, { Id: "m1" }], ComparisonOperator: "GreaterThanThreshold", Threshold: 1, Period: 60, EvaluationPeriods: 5 } }));
    expect(math.facts.find((f) => f.title === "Metric")!.value).to.equal("metric math over 2 series");
    const p99 = note(metricAlarm({ Trigger: { MetricName: "TargetResponseTime", Namespace: "AWS/ApplicationELB", ExtendedStatistic: "p99", Dimensions: [], Period: 60, EvaluationPeriods: 3, ComparisonOperator: "GreaterThanThreshold", Threshold: 1.5 } }));
    expect(p99.facts.find((f) => f.title === "Condition")!.value).to.equal("p99 GreaterThanThreshold 1.5 over 3 x 60s");
  });

  it("shows an alarm without a region code in its ARN by the region's display name, and no console link", () => {
    const n = note(metricAlarm({ AlarmArn: undefined }));
    expect(n.facts.find((f) => f.title === "Region")!.value).to.equal("Middle East (Bahrain)");
    expect(n.links.map((l) => l.title)).to.deep.equal(["Runbook"]);
  });

  it("names the ECS task of a GuardDuty runtime finding, and bands GuardDuty severities as GuardDuty does", () => {
    const n = note(guardDutyEcs());
    expect(n.kind).to.equal("guardduty");
    expect(n.facts.find((f) => f.title === "Resource")!.value).to.match(/^ECS task arn:aws:ecs:me-south-1:444444444444:task\/prod-services\//);
    expect([1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(guardDutyBand)).to.deep.equal(["low", "low", "medium", "medium", "high", "high", "critical", "critical"]);
  });

  it("says how many more findings a Security Hub event carried", () => {
    const e = securityHubFinding() as { detail: { findings: unknown[] } };
    e.detail.findings.push(e.detail.findings[0]);
    expect(note(e).text).to.match(/\(1 more findings in this event\)$/);
  });

  it("turns a Lambda on-failure record (the incident functions report to the security topic) into a failure card", () => {
    const n = note({
      version: "1.0",
      timestamp: "2026-12-04T10:05:00.000Z",
      requestContext: { requestId: "c0ffee00-0000-4000-8000-000000000001", functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:tila-prod-incident-isolation:$LATEST`, condition: "RetriesExhausted", approximateInvokeCount: 3 },
      requestPayload: { source: "aws.guardduty" },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: "StepError", errorMessage: "CreateSnapshot failed: AccessDenied" },
    });
    expect(n).to.deep.include({ kind: "lambda-failure", title: "Lambda tila-prod-incident-isolation failed (RetriesExhausted)", tone: "attention", text: "StepError: CreateSnapshot failed: AccessDenied" });
    expect(n.facts).to.deep.equal([
      { title: "Function", value: "tila-prod-incident-isolation" },
      { title: "Condition", value: "RetriesExhausted" },
      { title: "Attempts", value: "3" },
      { title: "At", value: "2026-12-04T10:05:00.000Z" },
      { title: "Request", value: "c0ffee00-0000-4000-8000-000000000001" },
    ]);
    expect(n.links).to.deep.equal([{ title: "Open the function", url: `https://${REGION}.console.aws.amazon.com/lambda/home?region=${REGION}#/functions/tila-prod-incident-isolation` }]);
  });

  it("reads a JSON array or a number as text, with a default title", () => {
    expect(note("[1,2]")).to.deep.include({ kind: "text", title: "Notification" });
    expect(note("42").text).to.equal("42");
  });

  it("finds the runbook line wherever the description puts it", () => {
    expect(splitRunbook("CPU high.\nRunbook: scale out")).to.deep.equal({ runbook: "scale out", rest: "CPU high." });
    expect(splitRunbook("runbook - restart the collector\nthen check")).to.deep.equal({ runbook: "restart the collector", rest: "then check" });
    expect(splitRunbook("Disk full. Runbook: grow the volume")).to.deep.equal({ runbook: "grow the volume", rest: "Disk full." });
    expect(splitRunbook("no runbook here")).to.deep.equal({ rest: "no runbook here" });
  });

  it("reads region codes from ARNs only when they are region codes", () => {
    expect(regionOfArn(`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:x`)).to.equal(REGION);
    expect(regionOfArn("arn:aws:iam::123456789012:role/x")).to.equal(undefined);
    expect(regionOfArn("not an arn")).to.equal(undefined);
  });
});

describe("functions/teams-notifier/card.ts and post.ts helpers", () => {
  it("keeps a card with a huge fact and a huge text within the payload limit, cutting both", () => {
    const n = { kind: "text" as const, title: "t".repeat(1000), tone: "default" as const, facts: Array.from({ length: 30 }, (_, i) => ({ title: `f${i}`, value: "v".repeat(5000) })), text: "x".repeat(100_000), links: [] };
    const m = teamsMessage(n, { environment: "prod", topic: "tila-prod-warning" });
    expect(Buffer.byteLength(JSON.stringify(m))).to.be.at.most(MAX_PAYLOAD_BYTES);
    expect(String(m.attachments[0].content.body[0]!.text)).to.have.length(300);
  });

  it("reads Retry-After as seconds or as an HTTP date, and ignores nonsense", () => {
    const now = Date.parse("2026-12-04T10:00:00Z");
    expect(retryAfterMs("12", now)).to.equal(12_000);
    expect(retryAfterMs("Fri, 04 Dec 2026 10:00:30 GMT", now)).to.equal(30_000);
    expect(retryAfterMs("Fri, 04 Dec 2026 09:00:00 GMT", now)).to.equal(0);
    expect(retryAfterMs("soon", now)).to.equal(undefined);
    expect(retryAfterMs(null, now)).to.equal(undefined);
  });

  it("redacts the URL, its path and its signature, plain or percent-encoded", () => {
    const url = "https://x.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/abc123/triggers/manual/paths/invoke?api-version=1&sig=S1g+N/a=";
    const text = `failed ${url}; path /powerautomate/automations/direct/workflows/abc123/triggers/manual/paths/invoke; sig ${encodeURIComponent("S1g+N/a=")} and S1g+N/a=`;
    const out = redact(text, url);
    expect(out).to.not.contain("abc123").and.not.contain("S1g").and.not.contain("sig%3D");
    expect(out).to.contain("<webhook>");
  });
});
