import { expect } from "chai";
import { flowLogsRetainedForAudit as rule } from "../../../../policy/rules/logging/flow-logs-retained-for-audit";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const tags = (env: string) => ({ Environment: env });

/** A flow log to its own bucket whose lifecycle expires objects after `days` (none when undefined). */
function toS3(env: string, days: number | undefined, over: { status?: string; bucketRef?: unknown } = {}): StackResourceSpec[] {
  const bucket = `${env}-flow-logs-abc1234`;
  const out: StackResourceSpec[] = [
    { type: BUCKET, name: `${env}-flow-logs`, props: { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}`, tags: tags(env) } },
    { type: FLOW_LOG, name: `${env}-flow-log`, props: { logDestinationType: "s3", logDestination: `arn:aws:s3:::${bucket}`, trafficType: "ALL", tags: tags(env) } },
  ];
  if (days !== undefined) {
    out.push({
      type: LIFECYCLE,
      name: `${env}-flow-logs-lifecycle`,
      props: { bucket: over.bucketRef ?? bucket, rules: [{ id: "expire", status: over.status ?? "Enabled", filter: {}, expiration: { days }, noncurrentVersionExpiration: { noncurrentDays: 30 } }] },
    });
  }
  return out;
}

function toCloudWatch(env: string, retentionInDays: unknown): StackResourceSpec[] {
  const arn = `arn:aws:logs:me-south-1:111111111111:log-group:/tila/${env}/vpc-flow-logs`;
  return [
    { type: LOG_GROUP, name: `${env}-flow-log-group`, props: { arn, name: `/tila/${env}/vpc-flow-logs`, retentionInDays, tags: tags(env) } },
    { type: FLOW_LOG, name: `${env}-flow-log`, props: { logDestinationType: "cloud-watch-logs", logDestination: arn, tags: tags(env) } },
  ];
}

describe("flow-logs-retained-for-audit", () => {
  it("accepts the real stacks' retention: prod 365 and preprod 180 in S3, dev 14 in CloudWatch", () => {
    expect(checkStack(rule, toS3("prod", 365))).to.deep.equal([]);
    expect(checkStack(rule, toS3("preprod", 180))).to.deep.equal([]);
    expect(checkStack(rule, toCloudWatch("dev", 14))).to.deep.equal([]);
  });

  it("refuses a prod bucket that expires flow logs before a year, on the flow log", () => {
    const out = checkStack(rule, toS3("prod", 30));
    expect(out.map((v) => v.message)).to.deep.equal([
      "flow log prod-flow-log (prod) goes to bucket prod-flow-logs, whose lifecycle expires objects after 30 days; prod keeps flow logs at least 365",
    ]);
    expect(out[0].urn).to.match(/::prod-flow-log$/);
  });

  it("holds preprod to 90 days and leaves dev and stage without a floor", () => {
    expect(checkStack(rule, toS3("preprod", 60))).to.have.length(1);
    expect(checkStack(rule, toS3("preprod", 90))).to.deep.equal([]);
    expect(checkStack(rule, toS3("dev", 1))).to.deep.equal([]);
  });

  it("refuses a CloudWatch destination that drops events too soon", () => {
    expect(checkStack(rule, toCloudWatch("prod", 90)).map((v) => v.message)).to.deep.equal([
      "flow log prod-flow-log (prod) goes to log group prod-flow-log-group, which keeps events 90 days; prod keeps flow logs at least 365",
    ]);
    expect(checkStack(rule, toCloudWatch("prod", 400))).to.deep.equal([]);
  });

  it("counts a bucket or log group that never expires as kept long enough, and ignores disabled rules", () => {
    expect(checkStack(rule, toS3("prod", undefined))).to.deep.equal([]);
    expect(checkStack(rule, toS3("prod", 7, { status: "Disabled" }))).to.deep.equal([]);
    expect(checkStack(rule, toCloudWatch("prod", undefined))).to.deep.equal([]);
  });

  it("reads the bucket's own legacy lifecycle rules too", () => {
    const [bucket, log] = toS3("prod", undefined);
    const legacy = { ...bucket, props: { ...bucket.props, lifecycleRules: [{ enabled: true, expirations: [{ days: 30 }] }] } };
    expect(checkStack(rule, [legacy, log])).to.have.length(1);
  });

  it("takes the floors from config", () => {
    expect(checkStack(rule, toS3("dev", 7), { minimumDaysByEnvironment: { dev: 30 } })).to.have.length(1);
    expect(checkStack(rule, toS3("prod", 30), { minimumDaysByEnvironment: { dev: 30 } })).to.deep.equal([]);
  });

  it("reports nothing while the lifecycle's bucket or the retention is unknown during preview", () => {
    expect(checkStack(rule, toS3("prod", 30, { bucketRef: UNKNOWN }))).to.deep.equal([]);
    expect(checkStack(rule, toCloudWatch("prod", UNKNOWN))).to.deep.equal([]);
  });
});
