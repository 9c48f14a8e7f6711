import { expect } from "chai";
import { LOG_FIELDS } from "../../components/observability/logging/graylogPlan";
import { GELF_FIELDS, gelfFrame, toGelf } from "../../functions/log-shipper/gelf";
import { ALB_FIELDS, FLOW_LOG_DEFAULT_FIELDS, LogRecord, albTokens, flowLogHeader, parseAlbLog, parseFlowLog } from "../../functions/log-shipper/records";
import { ALB_LINES, FLOW_FILE } from "./logShipperFixtures";

function record(r: ReturnType<typeof parseFlowLog>): LogRecord {
  if (!r.ok) throw new Error(`expected a record, got: ${r.reason}`);
  return r.record;
}

describe("functions/log-shipper: flow-log and ALB access-log records", () => {
  const [header, accepted, rejected, nodata] = FLOW_FILE.split("\n") as [string, string, string, string];

  describe("VPC flow logs", () => {
    it("reads the header line of a file as its field names, and a record line as no header", () => {
      expect(flowLogHeader(header)).to.deep.equal([...FLOW_LOG_DEFAULT_FIELDS]);
      expect(flowLogHeader(accepted)).to.equal(undefined);
    });

    it("reads a default-format record into typed fields named for Graylog", () => {
      const r = record(parseFlowLog(accepted));
      expect(r.fields).to.deep.equal({
        version: 2, account_id: "444444444444", interface_id: "eni-0a1b2c3d4e5f60718", srcaddr: "10.40.1.23", dstaddr: "10.40.33.7",
        srcport: 49152, dstport: 443, protocol: 6, packets: 10, bytes: 5200, start: 1796428800, end: 1796428860, action: "ACCEPT", log_status: "OK",
      });
      expect(r).to.deep.include({ kind: "flow-log", host: "eni-0a1b2c3d4e5f60718", timestamp: 1796428800, level: 6 });
      expect(r.shortMessage).to.equal("ACCEPT tcp 10.40.1.23:49152 -> 10.40.33.7:443 (5200 bytes)");
    });

    it("marks a rejected flow as a notice, and leaves out the fields a NODATA record has no value for", () => {
      expect(record(parseFlowLog(rejected)).level).to.equal(5);
      const r = record(parseFlowLog(nodata));
      expect(r.fields).to.deep.equal({ version: 2, account_id: "444444444444", interface_id: "eni-0f9e8d7c6b5a40312", start: 1796428800, end: 1796428860, log_status: "NODATA" });
      expect(r.shortMessage).to.equal("NODATA eni-0f9e8d7c6b5a40312");
    });

    it("reads a custom format by the names its header gives", () => {
      const names = flowLogHeader("version vpc-id srcaddr dstaddr action start tcp-flags")!;
      const r = record(parseFlowLog("5 vpc-0abc 10.0.0.1 10.0.0.2 ACCEPT 1796428800 2", names));
      expect(r.fields).to.deep.include({ version: 5, vpc_id: "vpc-0abc", tcp_flags: 2 });
      expect(r.host).to.equal("vpc-flow-logs");
    });

    it("refuses a line with the wrong number of fields or a non-number count, without quoting it", () => {
      const short = parseFlowLog("2 444444444444 eni-1 10.0.0.1");
      expect(short).to.deep.equal({ ok: false, reason: "expected 14 fields, found 4" });
      const bad = parseFlowLog(accepted.replace(" 5200 ", " lots "));
      expect(bad).to.deep.equal({ ok: false, reason: "field bytes is not a whole number" });
    });
  });

  describe("ALB access logs", () => {
    it("splits an entry into bare and quoted fields, a backslash escaping a quote", () => {
      expect(albTokens(`http 2026 "GET / HTTP/1.1" "a \\"b\\" c" -`)).to.deep.equal(["http", "2026", "GET / HTTP/1.1", `a "b" c`, "-"]);
      expect(albTokens(`http "unterminated`)).to.equal(undefined);
      expect(albTokens(ALB_LINES[0]!)).to.have.length(ALB_FIELDS.length);
    });

    it("reads an entry's fields in the documented order, splitting ip:port pairs and the request line", () => {
      const r = record(parseAlbLog(ALB_LINES[0]!));
      expect(r.fields).to.deep.include({
        type: "h2", time: "2026-12-05T00:05:01.123456Z", elb: "app/prod-public/50dc6c495c0c9188",
        client_ip: "203.0.113.10", client_port: 52144, target_ip: "10.40.11.5", target_port: 8080,
        request_processing_time: 0.001, target_processing_time: 0.045, response_processing_time: 0,
        elb_status_code: 200, target_status_code: 200, received_bytes: 312, sent_bytes: 1840,
        request_method: "GET", request_url: "https://api.tila.sa:443/v1/catalog?page=2&token=abc", request_protocol: "HTTP/2.0",
        user_agent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)", ssl_protocol: "TLSv1.2",
        trace_id: "Root=1-58337262-36d228ad5d99923122bbe354", domain_name: "api.tila.sa", matched_rule_priority: 10,
        actions_executed: "forward", target_port_list: "10.40.11.5:8080", target_status_code_list: "200", conn_trace_id: "TID_1234abcd",
      });
      expect(r.fields).to.not.have.any.keys("redirect_url", "error_reason", "classification");
      expect(r).to.deep.include({ kind: "alb-access", host: "app/prod-public/50dc6c495c0c9188", level: 6 });
      expect(r.timestamp).to.be.closeTo(Date.UTC(2026, 11, 5, 0, 5, 1, 123) / 1000, 0.001);
      // The summary drops the query string (it may carry tokens); request_url keeps it.
      expect(r.shortMessage).to.equal("200 GET https://api.tila.sa:443/v1/catalog");
    });

    it("marks a 5xx as a warning and a 4xx as a notice, and keeps a -1 timing as a number", () => {
      const failed = record(parseAlbLog(ALB_LINES[1]!));
      expect(failed.level).to.equal(4);
      expect(failed.fields).to.deep.include({ elb_status_code: 502, target_processing_time: -1 });
      expect(failed.fields).to.not.have.any.keys("target_ip", "target_status_code", "target_group_arn");
      expect(record(parseAlbLog(ALB_LINES[2]!)).level).to.equal(5);
    });

    it("ignores fields AWS appends after the documented ones", () => {
      const r = record(parseAlbLog(ALB_LINES[2]!));
      expect(Object.values(r.fields)).to.not.include("NEW_FIELD");
      expect(r.fields.conn_trace_id).to.equal("TID_9abc");
    });

    it("refuses a truncated entry or one whose time does not read, without quoting it", () => {
      expect(parseAlbLog("https 2026-12-05T00:05:01Z app/x/1 1.2.3.4:5")).to.deep.equal({ ok: false, reason: "expected at least 13 fields, found 4" });
      expect(parseAlbLog(ALB_LINES[0]!.replace("2026-12-05T00:05:01.123456Z", "yesterday"))).to.deep.equal({ ok: false, reason: "field time is not an ISO 8601 time" });
    });
  });

  describe("GELF", () => {
    it("sets the contract's environment and log_kind fields (the same names as LOG_FIELDS)", () => {
      expect(GELF_FIELDS).to.deep.equal({ environment: LOG_FIELDS.environment, kind: LOG_FIELDS.kind });
    });

    it("writes version 1.1 with host, short_message, timestamp and level, every other field prefixed with an underscore", () => {
      const m = toGelf(record(parseFlowLog(accepted)), { environment: "prod", source: "s3://b/k" }) as unknown as Record<string, unknown>;
      expect(m).to.deep.include({ version: "1.1", host: "eni-0a1b2c3d4e5f60718", short_message: "ACCEPT tcp 10.40.1.23:49152 -> 10.40.33.7:443 (5200 bytes)", timestamp: 1796428800, level: 6 });
      expect(m).to.deep.include({ _environment: "prod", _log_kind: "flow-log", _log_source: "s3://b/k", _srcaddr: "10.40.1.23", _bytes: 5200 });
      const plain = Object.keys(m).filter((k) => !k.startsWith("_"));
      expect(plain.sort()).to.deep.equal(["host", "level", "short_message", "timestamp", "version"]);
      for (const k of Object.keys(m).filter((k) => k.startsWith("_"))) expect(k).to.match(/^_[\w.-]+$/).and.not.equal("_id");
    });

    it("never lets a record override the contract's fields or use the reserved _id", () => {
      const r: LogRecord = { kind: "alb-access", host: "h", shortMessage: "s", timestamp: 1, level: 6, fields: { environment: "spoofed", log_kind: "service", id: "x", "bad name": "y", ok: 1 } };
      const m = toGelf(r, { environment: "dev", source: "src" }) as unknown as Record<string, unknown>;
      expect(m).to.deep.include({ _environment: "dev", _log_kind: "alb-access", _ok: 1 });
      expect(m).to.not.have.any.keys("_id", "_bad name");
    });

    it("frames a message as its JSON and one null byte, a NUL inside a value escaped", () => {
      const r: LogRecord = { kind: "flow-log", host: "h", shortMessage: "a\0b", timestamp: 1.2345, level: 6, fields: {} };
      const frame = gelfFrame(toGelf(r, { environment: "dev", source: "src" }));
      expect(frame[frame.length - 1]).to.equal(0);
      expect(frame.subarray(0, -1).includes(0)).to.equal(false);
      const parsed = JSON.parse(frame.subarray(0, -1).toString("utf8")) as Record<string, unknown>;
      expect(parsed.short_message).to.equal("a\0b");
      expect(parsed.timestamp).to.equal(1.235);
    });
  });
});
