/**
 * Sample flow-log and ALB access-log content for the log shipper's tests, written from the
 * documented formats (VPC user guide "Flow log records" and "Flow log files"; ELB user guide
 * "Access logs for your Application Load Balancer"), and the events that carry them (an S3 event
 * notification, a CloudWatch Logs subscription delivery).
 */
import { gzipSync } from "zlib";

export const ACCOUNT = "444444444444";
export const REGION = "me-south-1";
export const FLOW_BUCKET = "prod-flow-logs-0a1b2c3";
export const ALB_BUCKET = "prod-public-access-logs-4d5e6f7";
export const FLOW_KEY = `AWSLogs/${ACCOUNT}/vpcflowlogs/${REGION}/2026/12/05/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0123456789abcdef0_20261205T0005Z_1a2b3c4d.log.gz`;
export const ALB_KEY = `prod-public/AWSLogs/${ACCOUNT}/elasticloadbalancing/${REGION}/2026/12/05/${ACCOUNT}_elasticloadbalancing_${REGION}_app.prod-public.50dc6c495c0c9188_20261205T0005Z_157.175.10.20_2x3y4z5w.log.gz`;
export const FLOW_LOG_GROUP = "/tila/dev/dev/vpc-flow-logs";

/** A flow-log file as delivered to S3: the default format's header line, then one record a line. */
export const FLOW_FILE = [
  "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
  `2 ${ACCOUNT} eni-0a1b2c3d4e5f60718 10.40.1.23 10.40.33.7 49152 443 6 10 5200 1796428800 1796428860 ACCEPT OK`,
  `2 ${ACCOUNT} eni-0a1b2c3d4e5f60718 203.0.113.9 10.40.1.23 51514 22 6 1 40 1796428801 1796428861 REJECT OK`,
  `2 ${ACCOUNT} eni-0f9e8d7c6b5a40312 - - - - - - - 1796428800 1796428860 - NODATA`,
].join("\n");

/** A 200 through the public ALB, a 502 with no target, and an entry with a field AWS added since. */
export const ALB_LINES = [
  `h2 2026-12-05T00:05:01.123456Z app/prod-public/50dc6c495c0c9188 203.0.113.10:52144 10.40.11.5:8080 0.001 0.045 0.000 200 200 312 1840 "GET https://api.tila.sa:443/v1/catalog?page=2&token=abc HTTP/2.0" "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/prod-catalog/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "api.tila.sa" "arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012" 10 2026-12-05T00:05:01.077000Z "forward" "-" "-" "10.40.11.5:8080" "200" "-" "-" TID_1234abcd`,
  `https 2026-12-05T00:05:02.500000Z app/prod-public/50dc6c495c0c9188 198.51.100.7:40000 - -1 -1 -1 502 - 120 272 "POST https://api.tila.sa:443/v1/orders HTTP/1.1" "okhttp/4.12.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-58337262-0000000000000000000000aa" "api.tila.sa" "arn:aws:acm:${REGION}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012" 20 2026-12-05T00:05:02.499000Z "forward" "-" "-" "-" "-" "-" "-" TID_5678efgh`,
  `https 2026-12-05T00:05:03.000000Z app/prod-public/50dc6c495c0c9188 198.51.100.8:40001 10.40.12.6:8080 0.000 0.010 0.000 404 404 90 150 "GET https://api.tila.sa:443/missing HTTP/1.1" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.3 arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/prod-catalog/73e2d6bc24d8a067 "Root=1-58337262-0000000000000000000000bb" "api.tila.sa" "-" 10 2026-12-05T00:05:02.990000Z "forward" "-" "-" "10.40.12.6:8080" "404" "-" "-" TID_9abc "-" "-" "NEW_FIELD"`,
];

export const gz = (text: string): Buffer => gzipSync(Buffer.from(text, "utf8"));

export function s3Event(objects: readonly { bucket: string; key: string; eventName?: string }[]): unknown {
  return {
    Records: objects.map((o) => ({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: REGION,
      eventTime: "2026-12-05T00:05:30.000Z",
      eventName: o.eventName ?? "ObjectCreated:Put",
      userIdentity: { principalId: "AWS:AROAEXAMPLE" },
      requestParameters: { sourceIPAddress: "10.0.0.1" },
      responseElements: { "x-amz-request-id": "EXAMPLE123456789", "x-amz-id-2": "EXAMPLE123/abc" },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "log-shipper",
        bucket: { name: o.bucket, ownerIdentity: { principalId: "EXAMPLE" }, arn: `arn:aws:s3:::${o.bucket}` },
        // Keys arrive URL-encoded, a space as "+".
        object: { key: encodeURIComponent(o.key).replace(/%2F/g, "/").replace(/%20/g, "+"), size: 1024, eTag: "d41d8cd98f00b204e9800998ecf8427e", sequencer: "0A1B2C3D4E5F678901" },
      },
    })),
  };
}

/** What a subscription filter hands Lambda: base64 of gzip of the delivery's JSON. */
export function cloudWatchEvent(delivery: { messageType: "DATA_MESSAGE" | "CONTROL_MESSAGE"; logGroup: string; messages: readonly string[] }): unknown {
  const data = {
    owner: ACCOUNT,
    logGroup: delivery.logGroup,
    logStream: "eni-0a1b2c3d4e5f60718-all",
    subscriptionFilters: ["dev-log-shipper"],
    messageType: delivery.messageType,
    logEvents: delivery.messages.map((message, i) => ({ id: `3795310660696698337880902507980421114328961542429822156${i}`, timestamp: 1796428860000 + i, message })),
  };
  return { awslogs: { data: gz(JSON.stringify(data)).toString("base64") } };
}
