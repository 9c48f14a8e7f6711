/**
 * The kafka-connect-config Lambda (functions/kafka-connect-config) against a mocked ECS client and a
 * fake Kafka Connect REST server on localhost: it finds a RUNNING worker's IP, creates a missing
 * connector, leaves an unchanged one alone (idempotent), updates a changed one, reports each, waits
 * for a worker that is not up yet, and fails with the REST API's own error message.
 */
import { expect } from "chai";
import * as http from "http";
import type { AddressInfo } from "net";
import { mockClient } from "aws-sdk-client-mock";
import { DescribeTasksCommand, ECSClient, ListTasksCommand } from "@aws-sdk/client-ecs";
import { MAX_ATTEMPTS, apply, nodeHttp, parseConnectors, sameConfig } from "../../functions/kafka-connect-config/handler";

const ecs = mockClient(ECSClient);
const S3 = { "connector.class": "io.confluent.connect.s3.S3SinkConnector", topics: "orders", "flush.size": "10000" };

/** A Kafka Connect REST API: GET / answers when `up`; configs stored by name; a config with `bad` is refused with 400. */
function fakeConnect(): { server: http.Server; store: Map<string, Record<string, string>>; puts: string[]; state: { up: boolean } } {
  const store = new Map<string, Record<string, string>>();
  const puts: string[] = [];
  const state = { up: true };
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => { res.writeHead(status, { "Content-Type": "application/json" }); res.end(JSON.stringify(body)); };
    if (!state.up) return send(503, { error_code: 503, message: "starting" });
    if (req.url === "/" && req.method === "GET") return send(200, { version: "7.7.1-ccs" });
    const m = /^\/connectors\/([^/]+)\/config$/.exec(req.url ?? "");
    if (!m) return send(404, { error_code: 404, message: "no such path" });
    const name = decodeURIComponent(m[1]!);
    if (req.method === "GET") return store.has(name) ? send(200, { ...store.get(name), name }) : send(404, { error_code: 404, message: `Connector ${name} not found` });
    let body = "";
    req.on("data", (c: Buffer) => { body += c.toString(); });
    req.on("end", () => {
      const config = JSON.parse(body) as Record<string, string>;
      if (config.bad !== undefined) return send(400, { error_code: 400, message: "Connector configuration is invalid and contains the following 1 error(s):\nbad: unknown" });
      puts.push(name);
      const existed = store.has(name);
      store.set(name, config);
      send(existed ? 200 : 201, { name, config, tasks: [] });
    });
  });
  return { server, store, puts, state };
}

function runningTask(ip: string): void {
  ecs.on(ListTasksCommand, { cluster: "tila-prod", serviceName: "analytics-connect", desiredStatus: "RUNNING" }).resolves({ taskArns: ["arn:aws:ecs:me-south-1:444444444444:task/tila-prod/abc"] });
  ecs.on(DescribeTasksCommand).resolves({ tasks: [{ lastStatus: "RUNNING", attachments: [{ type: "ElasticNetworkInterface", details: [{ name: "subnetId", value: "subnet-1" }, { name: "privateIPv4Address", value: ip }] }] }] });
}

describe("kafka-connect-config: applying connectors", () => {
  let fake: ReturnType<typeof fakeConnect>;
  let env: Record<string, string>;
  before(async () => {
    fake = fakeConnect();
    await new Promise<void>((r) => fake.server.listen(0, "127.0.0.1", r));
    env = { CLUSTER: "tila-prod", SERVICE: "analytics-connect", REST_PORT: String((fake.server.address() as AddressInfo).port) };
  });
  after(() => new Promise<void>((r) => fake.server.close(() => r())));
  beforeEach(() => { ecs.reset(); fake.store.clear(); fake.puts.length = 0; fake.state.up = true; });
  const run = (event: unknown, sleep: (ms: number) => Promise<void> = async () => undefined) => apply(event, { ecs: ecs as unknown as ECSClient, http: nodeHttp, env, sleep, log: () => undefined });

  it("creates a missing connector, then leaves it alone, then updates it when it changes", async () => {
    runningTask("127.0.0.1");
    const first = await run({ connectors: { "lake-s3-sink": S3 } });
    expect(first).to.deep.equal({ ok: true, worker: `http://127.0.0.1:${env.REST_PORT}`, changes: { "lake-s3-sink": "created" } });
    expect(fake.store.get("lake-s3-sink")).to.deep.equal(S3);
    const again = await run({ connectors: { "lake-s3-sink": S3 } });
    expect(again).to.deep.include({ ok: true, changes: { "lake-s3-sink": "unchanged" } });
    expect(fake.puts).to.deep.equal(["lake-s3-sink"]);
    const changed = await run({ connectors: { "lake-s3-sink": { ...S3, "flush.size": "5000" }, "search-queries-opensearch": { "connector.class": "io.aiven.kafka.connect.opensearch.OpenSearchSinkConnector" } } });
    expect(changed).to.deep.include({ ok: true, changes: { "lake-s3-sink": "updated", "search-queries-opensearch": "created" } });
    expect(fake.store.get("lake-s3-sink")!["flush.size"]).to.equal("5000");
  });

  it("fails with the REST API's error, naming the connector", async () => {
    runningTask("127.0.0.1");
    const r = await run({ connectors: { "lake-s3-sink": { ...S3, bad: "1" } } });
    expect(r.ok).to.equal(false);
    expect((r as { error: string }).error).to.match(/^PUT lake-s3-sink: 400 Connector configuration is invalid/);
  });

  it("waits for a worker that is not up yet, and gives up after its attempts", async () => {
    runningTask("127.0.0.1");
    fake.state.up = false;
    let sleeps = 0;
    const r = await run({ connectors: { "lake-s3-sink": S3 } }, async () => { sleeps++; if (sleeps === 2) fake.state.up = true; });
    expect(r).to.deep.include({ ok: true });
    expect(sleeps).to.equal(2);
    ecs.reset();
    ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    const none = await run({ connectors: { "lake-s3-sink": S3 } });
    expect((none as { error: string }).error).to.equal(`no worker of analytics-connect answered on ${env.REST_PORT} after ${MAX_ATTEMPTS} attempts (no RUNNING task)`);
  });

  it("asks ECS only about the workers' service in its cluster", async () => {
    runningTask("127.0.0.1");
    await run({ connectors: { "lake-s3-sink": S3 } });
    const list = ecs.commandCalls(ListTasksCommand)[0]!.args[0].input;
    expect(list).to.deep.equal({ cluster: "tila-prod", serviceName: "analytics-connect", desiredStatus: "RUNNING" });
    expect(ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input.cluster).to.equal("tila-prod");
  });

  it("refuses a malformed event whole, before calling anything", async () => {
    const r = await run({ connectors: { "bad name!": S3, ok: { "connector.class": "x", "tasks.max": 1 } } });
    expect(r).to.deep.equal({ ok: false, error: "connectors.bad name!: not a connector name; connectors.ok: values must be strings (tasks.max)" });
    expect(ecs.commandCalls(ListTasksCommand)).to.have.length(0);
    expect(() => parseConnectors({})).to.throw(/event.connectors must be an object/);
    expect(() => parseConnectors({ connectors: {} })).to.throw(/empty/);
  });

  it("compares configurations as Kafka Connect reports them back (with name)", () => {
    expect(sameConfig({ ...S3, name: "lake-s3-sink" }, S3, "lake-s3-sink")).to.equal(true);
    expect(sameConfig({ ...S3, name: "lake-s3-sink", extra: "1" }, S3, "lake-s3-sink")).to.equal(false);
  });
});
