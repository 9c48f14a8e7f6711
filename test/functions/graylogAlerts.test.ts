import { DynamoDBClient, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { FIRST_RUN_LOOKBACK_MS, OVERLAP_MS, makeHandler } from "../../functions/graylog-alerts/handler";
import { SENT_TTL_SECONDS } from "../../functions/graylog-alerts/store";
import { ADMIN, FakeGraylog } from "./graylogFake";

const mocks = { secrets: () => mockClient(SecretsManagerClient), sns: () => mockClient(SNSClient), dynamo: () => mockClient(DynamoDBClient) };
const REGION = "me-south-1";
const ACCOUNT = "111111111111";
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:tila/management/graylog-admin-AbCdEf`;
const WARNING = `arn:aws:sns:${REGION}:${ACCOUNT}:tila-management-warning`;
const CRITICAL = `arn:aws:sns:${REGION}:${ACCOUNT}:tila-management-critical`;
const TABLE = "tila-management-graylog-alerts";
const T0 = Date.parse("2026-12-05T01:00:00.000Z");

describe("functions/graylog-alerts: Graylog's alerts to the alert topics, each once", () => {
  const graylog = new FakeGraylog();
  let sm: ReturnType<typeof mocks.secrets>;
  let sns: ReturnType<typeof mocks.sns>;
  let ddb: ReturnType<typeof mocks.dynamo>;
  let table: Map<string, Record<string, unknown>>;
  let now: number;
  let logs: string[];

  before(async () => {
    sm = mocks.secrets();
    sns = mocks.sns();
    ddb = mocks.dynamo();
    await graylog.start();
  });
  after(async () => {
    sm.restore();
    sns.restore();
    ddb.restore();
    await graylog.stop();
  });
  beforeEach(() => {
    graylog.reset();
    sm.reset();
    sns.reset();
    ddb.reset();
    table = new Map();
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(ADMIN) });
    sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    ddb.on(GetItemCommand).callsFake((input: { Key: { pk: { S: string } } }) => ({ Item: table.get(input.Key.pk.S) }));
    ddb.on(PutItemCommand).callsFake((input: { Item: { pk: { S: string } } & Record<string, unknown> }) => {
      table.set(input.Item.pk.S, input.Item);
      return {};
    });
    graylog.definitions = [
      { id: "d-orders", title: "tila prod orders errors", description: "tila-platform: more than 50 error-level messages from orders in prod in 5 minutes" },
      { id: "d-spike", title: "tila prod error spike", description: "tila-platform: more than 250 error-level messages across all of prod" },
      { id: "d-hand", title: "made by hand", description: "an operator's own definition" },
    ];
    now = T0;
    logs = [];
  });

  function relay() {
    return makeHandler({
      env: { GRAYLOG_URL: graylog.url, ADMIN_SECRET_ARN: SECRET_ARN, TABLE_NAME: TABLE, WARNING_TOPIC_ARN: WARNING, CRITICAL_TOPIC_ARN: CRITICAL, MARKER: "tila-platform:", ENVIRONMENT: "management" },
      now: () => now,
      log: (l) => logs.push(l),
    });
  }

  function event(id: string, definition: string, at: number, priority: number, alert = true) {
    return { event: { id, event_definition_id: definition, timestamp: new Date(at).toISOString(), timerange_start: new Date(at - 300_000).toISOString(), timerange_end: new Date(at).toISOString(), message: `${definition} fired`, priority, alert, key: "", fields: {} } };
  }

  const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);

  it("publishes a service's alert to the warning topic and a prod spike to the critical topic, with a readable subject and message", async () => {
    graylog.events = [event("e1", "d-orders", T0 - 60_000, 2), event("e2", "d-spike", T0 - 30_000, 4)];
    const r = await relay()();
    expect(r).to.deep.include({ published: 2, skipped: 0 });
    const [warning, critical] = published();
    expect(warning).to.deep.include({ TopicArn: WARNING, Subject: "WARNING: tila prod orders errors" });
    expect(critical).to.deep.include({ TopicArn: CRITICAL, Subject: "CRITICAL: tila prod error spike" });
    expect(warning!.Message).to.contain("Graylog warning alert: tila prod orders errors").and.contain("Event: e1").and.contain("more than 50 error-level messages");
    expect(JSON.stringify(logs)).to.not.contain(ADMIN.password);
  });

  it("never relays an event twice: the second run over the same window publishes nothing", async () => {
    graylog.events = [event("e1", "d-orders", T0 - 60_000, 2)];
    await relay()();
    now = T0 + 60_000;
    const r = await relay()();
    expect(published()).to.have.length(1);
    expect(r).to.deep.include({ published: 0, skipped: 1 });
    expect(table.get("event#e1")).to.deep.include({ expiresAt: { N: String(Math.floor(T0 / 1000) + SENT_TTL_SECONDS) } });
  });

  it("searches from the watermark minus the overlap, so an event written late is still relayed, and moves the watermark to the window's end", async () => {
    await relay()();
    expect(table.get("watermark")).to.deep.include({ at: { S: new Date(T0).toISOString() } });
    const first = graylog.requests.find((x) => x.path === "/api/events/search")!.body as { timerange: { from: string; to: string }; filter: { alerts: string } };
    expect(first.timerange).to.deep.equal({ type: "absolute", from: new Date(T0 - FIRST_RUN_LOOKBACK_MS).toISOString(), to: new Date(T0).toISOString() });
    expect(first.filter.alerts).to.equal("only");

    // Written after the first run, with a timestamp before its window's end.
    graylog.events = [event("late", "d-orders", T0 - 120_000, 2)];
    graylog.requests = [];
    now = T0 + 60_000;
    await relay()();
    const second = graylog.requests.find((x) => x.path === "/api/events/search")!.body as { timerange: { from: string } };
    expect(second.timerange.from).to.equal(new Date(T0 - OVERLAP_MS).toISOString());
    expect(published().map((p) => p.Message)).to.have.length(1);
    expect(table.get("watermark")).to.deep.include({ at: { S: new Date(T0 + 60_000).toISOString() } });
  });

  it("ignores events of definitions it did not make, and events that are not alerts", async () => {
    graylog.events = [event("e-hand", "d-hand", T0 - 60_000, 4), event("e-quiet", "d-orders", T0 - 60_000, 2, false)];
    const r = await relay()();
    expect(published()).to.deep.equal([]);
    expect(r).to.deep.include({ published: 0, skipped: 1 });
  });

  it("keeps the watermark when a publish fails, and the next run sends only what was not sent", async () => {
    graylog.events = [event("e1", "d-orders", T0 - 60_000, 2), event("e2", "d-spike", T0 - 30_000, 4)];
    sns.on(PublishCommand, { TopicArn: CRITICAL }).rejects(new Error("KMSAccessDeniedException"));
    let thrown: Error | undefined;
    try {
      await relay()();
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).to.match(/^Graylog alert relay: 1 alert\(s\) not published .*tila prod error spike \(e2\): KMSAccessDeniedException/);
    expect(table.has("watermark")).to.equal(false);
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: "m-2" });
    now = T0 + 60_000;
    await relay()();
    expect(published().map((p) => p.TopicArn)).to.deep.equal([CRITICAL]);
  });

  it("fails loudly when misconfigured or when Graylog refuses the search", async () => {
    let e1: Error | undefined;
    try {
      await makeHandler({ env: { GRAYLOG_URL: graylog.url } })();
    } catch (e) {
      e1 = e as Error;
    }
    expect(e1?.message).to.match(/^Graylog alert relay misconfigured: ADMIN_SECRET_ARN/);
    graylog.failure = { method: "POST", path: /^\/api\/events\/search$/, status: 500 };
    let e2: Error | undefined;
    try {
      await relay()();
    } catch (e) {
      e2 = e as Error;
    }
    expect(e2?.message).to.match(/^searching Graylog's alerts: POST \/api\/events\/search answered 500/);
  });

  it("reads the admin secret once per container, and again after Graylog refuses it (a rotated password)", async () => {
    sm.reset();
    sm.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolvesOnce({ SecretString: JSON.stringify({ ...ADMIN, password: "old-password" }) }).resolves({ SecretString: JSON.stringify(ADMIN) });
    const run = relay();
    let thrown: Error | undefined;
    try {
      await run();
    } catch (e) {
      thrown = e as Error;
    }
    expect(thrown?.message).to.match(/answered 401/);
    graylog.events = [event("e1", "d-orders", T0 - 60_000, 2)];
    now = T0 + 60_000;
    expect(await run()).to.deep.include({ published: 1 });
    await run();
    expect(sm.commandCalls(GetSecretValueCommand)).to.have.length(2);
  });

  it("bundles", () => {
    expect(bundleFunction("graylog-alerts")).to.match(/index\.js$/);
  });
});
