import { expect } from "chai";
import { edgeLogsRetainedForAudit as rule } from "../../../../policy/rules/edge/edgeLogsRetainedForAudit";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";

function alb(env: string, days: number, accessLogs: Record<string, unknown> = {}): StackResourceSpec[] {
  const bucket = `${env}-public-access-logs-abc1234`;
  return [
    { type: BUCKET, name: `${env}-public-access-logs`, props: { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}`, tags: { Environment: env } } },
    { type: LIFECYCLE, name: `${env}-public-access-logs-lifecycle`, props: { bucket, rules: [{ id: "expire", status: "Enabled", filter: {}, expiration: { days } }] } },
    { type: LB, name: `${env}-public-alb`, props: { loadBalancerType: "application", accessLogs: { bucket, enabled: true, prefix: `${env}-public`, ...accessLogs }, tags: { Environment: env } } },
  ];
}

function waf(env: string, retentionInDays: unknown): StackResourceSpec[] {
  const arn = `arn:aws:logs:me-south-1:444444444444:log-group:aws-waf-logs-${env}`;
  return [
    { type: LOG_GROUP, name: `${env}-waf-logs`, props: { arn, name: `aws-waf-logs-${env}`, retentionInDays, tags: { Environment: env } } },
    { type: WAF_LOGGING, name: `${env}-waf-logging`, props: { logDestinationConfigs: [arn], resourceArn: "arn:aws:wafv2:me-south-1:444444444444:web-acl/x" } },
  ];
}

describe("edge-logs-retained-for-audit", () => {
  it("accepts the real stacks' retention (prod 365, preprod 90, dev 30)", () => {
    expect(checkStack(rule, [...alb("prod", 365), ...waf("prod", 365)])).to.deep.equal([]);
    expect(checkStack(rule, [...alb("preprod", 90), ...waf("preprod", 90)])).to.deep.equal([]);
    expect(checkStack(rule, [...alb("dev", 30), ...waf("dev", 30)])).to.deep.equal([]);
  });

  it("refuses a prod access-log bucket that expires logs before a year, on the load balancer", () => {
    const out = checkStack(rule, alb("prod", 90));
    expect(out.map((v) => v.message)).to.deep.equal([
      "load balancer prod-public-alb (prod) logs to bucket prod-public-access-logs, whose lifecycle expires objects after 90 days; prod keeps access logs at least 365",
    ]);
    expect(out[0].urn).to.match(/::prod-public-alb$/);
  });

  it("refuses a preprod access-log bucket under a quarter", () => {
    expect(checkStack(rule, alb("preprod", 30))).to.have.length(1);
  });

  it("refuses a WAF log group that drops prod events before a year, on the logging configuration", () => {
    const out = checkStack(rule, waf("prod", 90));
    expect(out.map((v) => v.message)).to.deep.equal([
      "WAF logging prod-waf-logging (prod) goes to log group prod-waf-logs, which keeps events 90 days; prod keeps WAF logs at least 365",
    ]);
  });

  it("ignores a load balancer whose access logs are off (alb-access-logs-enabled reports that)", () => {
    expect(checkStack(rule, alb("prod", 7, { enabled: false }))).to.deep.equal([]);
  });

  it("reports nothing while the bucket name or the retention is unknown during preview", () => {
    expect(checkStack(rule, alb("prod", 7, { bucket: UNKNOWN }))).to.deep.equal([]);
    expect(checkStack(rule, waf("prod", UNKNOWN))).to.deep.equal([]);
  });
});
