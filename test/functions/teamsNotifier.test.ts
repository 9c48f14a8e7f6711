import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { Dependencies, makeHandler, webhookUrl } from "../../functions/teams-notifier/handler";
import { guardDutyEc2 } from "./incidentFixtures";
import {
  ACCOUNT,
  CRITICAL_TOPIC,
  FakeTeams,
  REGION,
  SECRET_ARN,
  SECURITY_TOPIC,
  WEBHOOK_PATH_TOKEN,
  WEBHOOK_SIG,
  compositeAlarm,
  metricAlarm,
  rootSignIn,
  securityHubFinding,
  snsEvent,
} from "./teamsNotifierFixtures";
import { failure } from "../support/failure";

const mockSecrets = () => mockClient(SecretsManagerClient);

const ENV = { WEBHOOK_SECRET_ARN: SECRET_ARN, ENVIRONMENT: "prod", MAX_ATTEMPTS: "3" };

type Card = { type: string; version: string; body: Record<string, unknown>[]; actions?: Record<string, unknown>[]; msteams: unknown; $schema: string };

/** The one Adaptive Card of a received message, after checking the envelope Teams requires. */
function cardOf(message: Record<string, unknown>): Card {
  expect(message.type).to.equal("message");
  const attachments = message.attachments as Record<string, unknown>[];
  expect(attachments).to.have.length(1);
  expect(attachments[0]!.contentType).to.equal("application/vnd.microsoft.card.adaptive");
  expect(attachments[0]!.contentUrl).to.equal(null);
  const card = attachments[0]!.content as Card;
  expect(card.type).to.equal("AdaptiveCard");
  expect(card.$schema).to.equal("http://adaptivecards.io/schemas/adaptive-card.json");
  expect(card.version).to.equal("1.4");
  return card;
}

function facts(card: Card): Record<string, string> {
  const set = card.body.find((b) => b.type === "FactSet") as { facts: { title: string; value: string }[] } | undefined;
  return Object.fromEntries((set?.facts ?? []).map((f) => [f.title, f.value]));
}

describe("functions/teams-notifier: SNS messages become Teams cards", () => {
  const teams = new FakeTeams();
  // The class is mocked in before() and restored in after(), never while the file loads: a mock
  // made later of the same class (or of an instance) replaces any made before it.
  let sm: ReturnType<typeof mockSecrets>;
  let logs: string[];
  let sleeps: number[];

  before(async () => {
    sm = mockSecrets();
    await teams.start();
  });
  after(async () => {
    sm.restore();
    await teams.stop();
  });
  beforeEach(() => {
    teams.reset();
    sm.reset();
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: `${teams.url}\n` });
    logs = [];
    sleeps = [];
  });

  function handler(env: Record<string, string> = ENV, extra: Partial<Dependencies> = {}) {
    return makeHandler({
      env,
      log: (l) => logs.push(l),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
      ...extra,
    });
  }

  /** Nothing the handler logged or threw holds the webhook URL or its credential parts. */
  function expectNoUrlIn(...texts: string[]): void {
    for (const t of [...logs, ...texts]) {
      expect(t).to.not.contain(WEBHOOK_PATH_TOKEN);
      expect(t).to.not.contain(WEBHOOK_SIG);
      expect(t).to.not.contain("/triggers/manual");
    }
  }

  describe("cards, field by field", () => {
    it("draws a metric alarm: state, metric and condition, reason, runbook, console and runbook links", async () => {
      expect(await handler()(snsEvent(JSON.stringify(metricAlarm()), CRITICAL_TOPIC, 'ALARM: "tila-prod-orders-alb-5xx" in Middle East (Bahrain)'))).to.deep.equal({ status: "sent", cards: 1 });
      expect(teams.requests).to.have.length(1);
      expect(teams.requests[0]!.method).to.equal("POST");
      expect(teams.requests[0]!.contentType).to.equal("application/json");
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body[0]).to.deep.equal({ type: "TextBlock", text: "ALARM: tila-prod-orders-alb-5xx", size: "Large", weight: "Bolder", color: "attention", wrap: true });
      expect(card.body[1]).to.deep.include({ type: "TextBlock", text: "prod · tila-prod-critical", isSubtle: true });
      expect(facts(card)).to.deep.equal({
        State: "OK → ALARM",
        Since: "2026-12-04T10:00:00.123+0000",
        Region: REGION,
        Account: ACCOUNT,
        Metric: "AWS/ApplicationELB/HTTPCode_Target_5XX_Count (LoadBalancer=app/tila-prod-public/0123456789abcdef)",
        Condition: "SUM GreaterThanThreshold 5 over 3 x 60s",
      });
      expect(card.body[3]).to.deep.equal({ type: "TextBlock", text: "**Runbook:** check the orders tasks' logs, then roll back the last deploy https://runbooks.tila.sa/alb-5xx", wrap: true });
      expect(card.body[4]!.text).to.equal(
        "5xx responses of the orders service on the public ALB above 5 %.\n\nThreshold Crossed: 3 out of the last 3 datapoints [7.2 (04/12/26 09:58:00)] were greater than the threshold (5.0).",
      );
      expect(card.actions).to.deep.equal([
        { type: "Action.OpenUrl", title: "Open the alarm", url: `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/tila-prod-orders-alb-5xx` },
        { type: "Action.OpenUrl", title: "Runbook", url: "https://runbooks.tila.sa/alb-5xx" },
      ]);
    });

    it("colours a recovery green and a lack of data amber", async () => {
      await handler()(snsEvent(JSON.stringify(metricAlarm({ NewStateValue: "OK", OldStateValue: "ALARM" }))));
      await handler()(snsEvent(JSON.stringify(metricAlarm({ NewStateValue: "INSUFFICIENT_DATA" }))));
      const [ok, insufficient] = teams.bodies().map(cardOf);
      expect(ok!.body[0]).to.include({ text: "OK: tila-prod-orders-alb-5xx", color: "good" });
      expect(facts(ok!).State).to.equal("ALARM → OK");
      expect(insufficient!.body[0]).to.include({ text: "INSUFFICIENT_DATA: tila-prod-orders-alb-5xx", color: "warning" });
    });

    it("draws a composite alarm with the children that triggered it and its rule, and its inline runbook", async () => {
      await handler()(snsEvent(JSON.stringify(compositeAlarm())));
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body[0]).to.include({ text: "ALARM: tila-prod-orders-service-down", color: "attention" });
      expect(facts(card)).to.deep.equal({
        State: "OK → ALARM",
        Since: "2026-12-04T10:00:00.000+0000",
        Region: REGION,
        Account: ACCOUNT,
        "Triggered by": "tila-prod-orders-running-below-desired (ALARM)",
        Rule: 'ALARM("tila-prod-orders-running-below-desired") OR ALARM("tila-prod-orders-unhealthy-hosts")',
      });
      expect(facts(card)).to.not.have.property("Metric");
      expect(card.body[3]!.text).to.equal("**Runbook:** page the on-call, check the ECS service events");
      expect(card.body[4]!.text).to.match(/^The orders service is down\.\n\narn:aws:cloudwatch:me-south-1:444444444444:alarm:tila-prod-orders-running-below-desired transitioned to ALARM/);
      expect(card.actions).to.deep.equal([
        { type: "Action.OpenUrl", title: "Open the alarm", url: `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#alarmsV2:alarm/tila-prod-orders-service-down` },
      ]);
    });

    it("draws a GuardDuty finding from the security topic: severity band, type, resource, link", async () => {
      await handler()(snsEvent(JSON.stringify(guardDutyEc2()), SECURITY_TOPIC));
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body[0]).to.include({ text: "GuardDuty high finding: EC2 instance querying a command and control domain", color: "attention" });
      expect(card.body[1]).to.include({ text: "prod · tila-prod-security" });
      expect(facts(card)).to.deep.equal({
        Severity: "8 (high)",
        Type: "Backdoor:EC2/C&CActivity.B!DNS",
        Resource: "EC2 instance i-0abc1234def567890",
        Account: ACCOUNT,
        Region: REGION,
        Finding: "a4c3f1e2d5b6a7c8d9e0f1a2b3c4d5e6",
      });
      expect(card.actions).to.deep.equal([
        { type: "Action.OpenUrl", title: "Open in GuardDuty", url: `https://${REGION}.console.aws.amazon.com/guardduty/home?region=${REGION}#/findings?macros=current&fId=a4c3f1e2d5b6a7c8d9e0f1a2b3c4d5e6` },
      ]);
    });

    it("draws a medium GuardDuty finding amber, and a Security Hub finding with its remediation", async () => {
      await handler()(snsEvent(JSON.stringify(guardDutyEc2({ severity: 5 })), SECURITY_TOPIC));
      await handler()(snsEvent(JSON.stringify(securityHubFinding()), SECURITY_TOPIC));
      const [medium, hub] = teams.bodies().map(cardOf);
      expect(medium!.body[0]).to.include({ color: "warning" });
      expect(facts(medium!).Severity).to.equal("5 (medium)");
      expect(hub!.body[0]).to.include({ text: "Security Hub critical finding: Security groups should not allow unrestricted access to ports with high risk", color: "attention" });
      expect(facts(hub!)).to.include({ Severity: "CRITICAL", Resources: `AwsEc2SecurityGroup arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0123456789abcdef0`, Account: ACCOUNT });
      expect(hub!.actions!.map((a) => a.title)).to.deep.equal(["Open in Security Hub", "Remediation"]);
    });

    it("draws a root console sign-in", async () => {
      await handler()(snsEvent(JSON.stringify(rootSignIn()), SECURITY_TOPIC));
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body[0]).to.include({ text: "Console sign-in (Success) as root user", color: "attention" });
      expect(facts(card)).to.deep.equal({ Identity: "root user", Outcome: "Success", From: "198.51.100.7", At: "2026-12-04T09:00:00Z", Account: ACCOUNT });
    });

    it("sends any other message as a plain card: the subject as title, the text as is", async () => {
      await handler()(snsEvent("The weekly audit report is in s3://tila-logs/audit-reports/prod/.", SECURITY_TOPIC, "Audit report prod 2026-12-04"));
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body).to.deep.equal([
        { type: "TextBlock", text: "Audit report prod 2026-12-04", size: "Large", weight: "Bolder", color: "default", wrap: true },
        { type: "TextBlock", text: "prod · tila-prod-security", isSubtle: true, spacing: "None", wrap: true },
        { type: "FactSet", facts: [{ title: "Published", value: "2026-12-04T10:00:01.000Z" }] },
        { type: "TextBlock", text: "The weekly audit report is in s3://tila-logs/audit-reports/prod/.", wrap: true },
      ]);
      expect(card).to.not.have.property("actions");
    });

    it("shows unrecognised JSON (an isolation record) indented in monospace, under a default title", async () => {
      await handler()(snsEvent(JSON.stringify({ finding: { id: "f-1" }, outcome: "isolated" }), SECURITY_TOPIC));
      const card = cardOf(teams.bodies()[0]!);
      expect(card.body[0]).to.include({ text: "Notification" });
      expect(card.body[3]).to.deep.equal({ type: "TextBlock", text: '{\n  "finding": {\n    "id": "f-1"\n  },\n  "outcome": "isolated"\n}', wrap: true, fontType: "Monospace" });
    });

    it("keeps a huge message's card under the size Teams accepts", async () => {
      await handler()(snsEvent("x".repeat(200_000), SECURITY_TOPIC, "big"));
      expect(Buffer.byteLength(teams.requests[0]!.body)).to.be.below(20_000);
      expect(String(cardOf(teams.bodies()[0]!).body[3]!.text)).to.match(/x…$/);
    });
  });

  describe("delivery, retries and giving up", () => {
    const alarmEvent = () => snsEvent(JSON.stringify(metricAlarm()));

    it("retries a 429 after the Retry-After it was given, then succeeds", async () => {
      teams.respond({ status: 429, headers: { "retry-after": "7" }, body: "rate limited" });
      expect(await handler()(alarmEvent())).to.deep.equal({ status: "sent", cards: 1 });
      expect(teams.requests).to.have.length(2);
      expect(teams.requests[1]!.body).to.equal(teams.requests[0]!.body);
      expect(sleeps).to.deep.equal([7000]);
      expect(logs.some((l) => JSON.parse(l).retry === 1 && JSON.parse(l).status === 429)).to.equal(true);
    });

    it("caps a Retry-After longer than the longest wait", async () => {
      teams.respond({ status: 429, headers: { "retry-after": "3600" } });
      await handler(ENV, { maxDelayMs: 20_000 })(alarmEvent());
      expect(sleeps).to.deep.equal([20_000]);
    });

    it("treats an O365 connector's 200 that reports a 429 as throttling", async () => {
      teams.respond({ status: 200, body: "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0" });
      await handler()(alarmEvent());
      expect(teams.requests).to.have.length(2);
      expect(sleeps).to.deep.equal([1000]);
    });

    it("retries a 503 with exponential backoff MAX_ATTEMPTS times, then throws so Lambda retries and dead-letters", async () => {
      teams.respond({ status: 503, body: "busy" }, { status: 503, body: "busy" }, { status: 503, body: "busy" }, { status: 200 });
      const error = await failure(handler()(alarmEvent()));
      expect(teams.requests).to.have.length(3);
      expect(sleeps).to.deep.equal([1000, 2000]);
      expect(error.message).to.contain("1 of 1 cards not delivered").and.contain("failed 3 times").and.contain("HTTP 503: busy");
      expectNoUrlIn(error.message, String(error.stack));
    });

    it("does not retry a 400, throwing at once with the status", async () => {
      teams.respond({ status: 400, body: "Bad payload: AdaptiveCard body invalid" });
      const error = await failure(handler()(alarmEvent()));
      expect(teams.requests).to.have.length(1);
      expect(sleeps).to.deep.equal([]);
      expect(error.message).to.contain("not retried").and.contain("HTTP 400: Bad payload");
    });

    it("does not retry a 404 (a deleted webhook) and reads the secret again on the next invocation", async () => {
      teams.respond({ status: 404 });
      const handle = handler();
      await failure(handle(alarmEvent()));
      await handle(alarmEvent());
      expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(2);
    });

    it("reads the secret once per container while deliveries succeed", async () => {
      const handle = handler();
      await handle(alarmEvent());
      await handle(alarmEvent());
      await handle(alarmEvent());
      expect(sm.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).to.deep.equal([{ SecretId: SECRET_ARN }]);
      expect(teams.requests).to.have.length(3);
    });

    it("retries a refused connection and gives up without naming the URL", async () => {
      const closed = new FakeTeams();
      await closed.start();
      const url = closed.url;
      await closed.stop();
      sm.on(GetSecretValueCommand).resolves({ SecretString: url });
      const error = await failure(handler()(alarmEvent()));
      expect(sleeps).to.deep.equal([1000, 2000]);
      expect(error.message).to.contain("request failed");
      expectNoUrlIn(error.message);
    });

    it("stops waiting when the invocation would time out before the next attempt", async () => {
      teams.respond({ status: 429, headers: { "retry-after": "15" } });
      const error = await failure(handler()(alarmEvent(), { getRemainingTimeInMillis: () => 12_000 }));
      expect(teams.requests).to.have.length(1);
      expect(sleeps).to.deep.equal([]);
      expect(error.message).to.contain("no time left");
    });

    it("never logs the webhook URL, whatever happens", async () => {
      teams.respond({ status: 429 }, { status: 500, body: `upstream error for ${teams.url}` }, { status: 200 });
      await handler()(alarmEvent());
      teams.respond({ status: 400, body: `invalid request to ${teams.url}` });
      const error = await failure(handler()(alarmEvent()));
      expect(logs.length).to.be.greaterThan(3);
      expectNoUrlIn(error.message);
      expect(logs.join("\n")).to.contain("<webhook>");
    });
  });

  describe("what it refuses or ignores", () => {
    it("ignores an event that is not an SNS delivery, posting nothing", async () => {
      const result = await handler()({ source: "aws.events" });
      expect(result.status).to.equal("ignored");
      expect(teams.requests).to.have.length(0);
      expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(0);
    });

    it("throws, naming the secret, while no webhook URL has been put in it, and tries again next time", async () => {
      sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} }));
      const handle = handler();
      const error = await failure(handle(snsEvent("hello")));
      expect(error.message).to.contain(SECRET_ARN).and.contain("AWSCURRENT");
      await failure(handle(snsEvent("hello")));
      expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(2);
      expect(teams.requests).to.have.length(0);
    });

    it("refuses a secret that is not an https URL", async () => {
      sm.on(GetSecretValueCommand).resolves({ SecretString: "http://example.com/hook" });
      expect((await failure(handler()(snsEvent("hello")))).message).to.contain("http: URL; Teams webhooks are https");
      expect(() => webhookUrl("not a url")).to.throw("does not hold a URL");
      expect(webhookUrl(" https://tila.webhook.office.com/webhookb2/x \n")).to.equal("https://tila.webhook.office.com/webhookb2/x");
    });

    it("fails loudly when misconfigured, naming each key", async () => {
      const error = await failure(handler({ WEBHOOK_SECRET_ARN: "tila-webhook", ENVIRONMENT: "", MAX_ATTEMPTS: "0" })(snsEvent("hello")));
      expect(error.message).to.contain("WEBHOOK_SECRET_ARN: must be a Secrets Manager secret ARN").and.contain("ENVIRONMENT: must name the stack").and.contain("MAX_ATTEMPTS: must be a whole number from 1 to 10");
    });

    it("defaults to 4 attempts when MAX_ATTEMPTS is not set", async () => {
      teams.respond(...Array.from({ length: 5 }, () => ({ status: 502 })));
      await failure(handler({ WEBHOOK_SECRET_ARN: SECRET_ARN, ENVIRONMENT: "prod" })(snsEvent("hello")));
      expect(teams.requests).to.have.length(4);
    });
  });
});

describe("functions/teams-notifier: the bundle Lambda runs", () => {
  const saved = { ...process.env };
  after(() => {
    for (const k of ["WEBHOOK_SECRET_ARN", "ENVIRONMENT", "MAX_ATTEMPTS"]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("loads as index.handler and reads its settings from the environment", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundle = require(bundleFunction("teams-notifier")) as { handler: (event: unknown) => Promise<{ status: string }> };
    process.env.WEBHOOK_SECRET_ARN = SECRET_ARN;
    process.env.ENVIRONMENT = "prod";
    delete process.env.MAX_ATTEMPTS;
    expect(await bundle.handler({ source: "aws.events" })).to.deep.include({ status: "ignored" });
    process.env.MAX_ATTEMPTS = "zero";
    expect((await failure(bundle.handler(snsEvent("hello")))).message).to.contain("MAX_ATTEMPTS: must be a whole number from 1 to 10");
  });
});
