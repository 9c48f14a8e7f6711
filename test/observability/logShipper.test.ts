import { createHash } from "crypto";
import * as fs from "fs";
import { expect } from "chai";
import { bundleFunction } from "../../components/data/functionBundle";
import { GELF_TCP_PORT } from "../../components/observability/logging/graylogPlan";
import { ASYNC_RETRIES, DEAD_LETTER_RETENTION_SECONDS, LogShipper, LogShipperArgs, shipperNames } from "../../components/observability/logging/LogShipper";
import { shipperKeyPolicy, shipperPolicy } from "../../components/observability/logging/logShipperPolicy";
import { nameLimitCheck } from "../../offline/aws/names";
import { CaptureResult } from "../../offline/types";
import { ArgumentCase, WORKLOAD_ACCOUNT, expectRequiredTags, itRejectsEachArgument, ofType, only, policyDocument, run } from "../support/graph";
import { resourceRuleFindings } from "../support/realPolicy";

const TAGS = { Environment: "dev", Owner: "platform-team", CostCenter: "cc", ManagedBy: "pulumi" };
const REGION = "me-south-1";
const WARNING = `arn:aws:sns:${REGION}:${WORKLOAD_ACCOUNT}:tila-dev-warning`;
const FLOW_BUCKET_ARN = "arn:aws:s3:::dev-flow-logs-abc";
const ALB_BUCKET_ARN = "arn:aws:s3:::dev-public-access-logs-def";
const BUCKET_KEY = `arn:aws:kms:${REGION}:${WORKLOAD_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const FLOW_GROUP_ARN = `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/tila/dev/dev/vpc-flow-logs`;

function args(over: Partial<LogShipperArgs> = {}): LogShipperArgs {
  return {
    environment: "dev",
    vpcId: "vpc-0123",
    subnetIds: ["subnet-a", "subnet-b"],
    target: { host: "graylog.dev.internal.tila.sa", port: GELF_TCP_PORT, managementCidr: "10.0.0.0/16" },
    s3PrefixListId: "pl-63a5400a",
    buckets: [
      { label: "flow-logs", kind: "flow-log", bucketName: "dev-flow-logs-abc", bucketArn: FLOW_BUCKET_ARN, prefix: "AWSLogs/", kmsKeyArn: BUCKET_KEY },
      { label: "public-alb", kind: "alb-access", bucketName: "dev-public-access-logs-def", bucketArn: ALB_BUCKET_ARN, prefix: "dev-public/AWSLogs/" },
    ],
    flowLogGroup: { name: "/tila/dev/dev/vpc-flow-logs", arn: FLOW_GROUP_ARN },
    logRetentionDays: 30,
    alarmTopicArn: WARNING,
    tags: TAGS,
    ...over,
  };
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>>; Principal?: unknown };

describe("LogShipper", () => {
  let dev: CaptureResult;
  before(async () => {
    dev = await run(() => {
      const s = new LogShipper("dev-log-shipper", args());
      return { fn: s.functionArn, sg: s.securityGroupId };
    }, "dev");
  });

  const fn = () => only(dev, "aws:lambda/function:Function");
  const sg = () => only(dev, "aws:ec2/securityGroup:SecurityGroup");
  const statements = (): Statement[] => policyDocument<{ Statement: Statement[] }>(only(dev, "aws:iam/rolePolicy:RolePolicy"), "policy").Statement;

  it("runs functions/log-shipper in the app subnets with its group, the target and the buckets it reads", () => {
    const f = fn();
    expect(f.inputs).to.deep.include({ name: "tila-dev-log-shipper", runtime: "nodejs22.x", handler: "index.handler", architectures: ["arm64"], timeout: 300, memorySize: 512 });
    expect(f.inputs.sourceCodeHash).to.equal(createHash("sha256").update(fs.readFileSync(bundleFunction("log-shipper"))).digest("base64"));
    expect(f.inputs.vpcConfig).to.deep.equal({ subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: [sg().id] });
    const vars = (f.inputs.environment as { variables: Record<string, string> }).variables;
    expect(vars).to.deep.equal({
      ENVIRONMENT: "dev",
      GELF_HOST: "graylog.dev.internal.tila.sa",
      GELF_PORT: "12201",
      S3_SOURCES: JSON.stringify({ "dev-flow-logs-abc": "flow-log", "dev-public-access-logs-def": "alb-access" }),
      FLOW_LOG_GROUP: "/tila/dev/dev/vpc-flow-logs",
      MAX_ATTEMPTS: "4",
      BATCH_SIZE: "500",
    });
  });

  it("opens its group towards management on the GELF port and to S3 through the gateway endpoint's prefix list, and nothing else", () => {
    expect(sg().inputs.ingress ?? []).to.deep.equal([]);
    expect(ofType(dev, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).to.have.length(0);
    const egress = ofType(dev, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
    expect(egress.map(({ securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4, prefixListId }) => ({ securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4, prefixListId }))).to.deep.equal([
      { securityGroupId: sg().id, ipProtocol: "tcp", fromPort: 12201, toPort: 12201, cidrIpv4: "10.0.0.0/16", prefixListId: undefined },
      { securityGroupId: sg().id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: undefined, prefixListId: "pl-63a5400a" },
    ]);
  });

  it("reads exactly the buckets' log prefixes, decrypts a bucket's key through S3 only, and writes only its own log group and queue", () => {
    const s = statements();
    expect(s.find((x) => x.Sid === "ReadLogObjects")).to.deep.include({ Action: "s3:GetObject", Resource: [`${FLOW_BUCKET_ARN}/AWSLogs/*`, `${ALB_BUCKET_ARN}/dev-public/AWSLogs/*`] });
    const decrypt = s.filter((x) => String(x.Sid).startsWith("DecryptLogObjects"));
    expect(decrypt).to.have.length(1);
    expect(decrypt[0]).to.deep.include({ Action: "kms:Decrypt", Resource: BUCKET_KEY });
    expect(decrypt[0]!.Condition).to.deep.equal({
      StringEquals: { "kms:ViaService": `s3.${REGION}.amazonaws.com` },
      StringLike: { "kms:EncryptionContext:aws:s3:arn": [FLOW_BUCKET_ARN, `${FLOW_BUCKET_ARN}/AWSLogs/*`] },
    });
    for (const x of s) for (const a of ([] as string[]).concat(x.Action)) expect(a, String(x.Sid)).to.not.include("*");
    expect(s.find((x) => x.Sid === "OwnLogs")!.Resource).to.deep.equal([
      `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/aws/lambda/tila-dev-log-shipper`,
      `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/aws/lambda/tila-dev-log-shipper:log-stream:*`,
    ]);
    const trust = policyDocument<{ Statement: Statement[] }>(only(dev, "aws:iam/role:Role"), "assumeRolePolicy").Statement;
    expect(trust).to.deep.equal([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": WORKLOAD_ACCOUNT } } }]);
  });

  it("a bucket's notification invokes it for new log files under the prefix, only from that bucket in this account", () => {
    const notifications = ofType(dev, "aws:s3/bucketNotification:BucketNotification");
    expect(notifications.map((n) => n.inputs.bucket)).to.deep.equal(["dev-flow-logs-abc", "dev-public-access-logs-def"]);
    expect(notifications[1]!.inputs.lambdaFunctions).to.deep.equal([{ lambdaFunctionArn: fn().outputs.arn, events: ["s3:ObjectCreated:*"], filterPrefix: "dev-public/AWSLogs/", filterSuffix: ".log.gz" }]);
    const permissions = ofType(dev, "aws:lambda/permission:Permission");
    const s3 = permissions.filter((p) => p.inputs.principal === "s3.amazonaws.com");
    expect(s3.map((p) => [p.inputs.sourceArn, p.inputs.sourceAccount])).to.deep.equal([[FLOW_BUCKET_ARN, WORKLOAD_ACCOUNT], [ALB_BUCKET_ARN, WORKLOAD_ACCOUNT]]);
    // Created after its permission, or S3 refuses the configuration (it checks it may invoke the function).
    notifications.forEach((n, i) => expect(n.options.dependsOn).to.include(s3[i]!.urn));
  });

  it("subscribes to the flow logs' log group with every event, CloudWatch Logs allowed for that group only", () => {
    const filter = only(dev, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
    expect(filter.inputs).to.deep.include({ name: "tila-dev-log-shipper", logGroup: "/tila/dev/dev/vpc-flow-logs", filterPattern: "", destinationArn: fn().outputs.arn });
    const permission = ofType(dev, "aws:lambda/permission:Permission").find((p) => p.inputs.principal === "logs.amazonaws.com")!;
    expect(permission.inputs).to.deep.include({ action: "lambda:InvokeFunction", sourceArn: `${FLOW_GROUP_ARN}:*`, sourceAccount: WORKLOAD_ACCOUNT });
  });

  it("keeps failed events: two retries, then a KMS-encrypted, TLS-only queue for 14 days; its own logs KMS-encrypted with retention", () => {
    const queue = only(dev, "aws:sqs/queue:Queue");
    const key = only(dev, "aws:kms/key:Key");
    expect(queue.inputs).to.deep.include({ name: "tila-dev-log-shipper-dlq", messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS, kmsMasterKeyId: key.outputs.arn });
    expect(fn().inputs.deadLetterConfig).to.deep.equal({ targetArn: queue.outputs.arn });
    const async = only(dev, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(async.inputs).to.deep.include({ maximumRetryAttempts: ASYNC_RETRIES, destinationConfig: { onFailure: { destination: queue.outputs.arn } } });
    const logs = only(dev, "aws:cloudwatch/logGroup:LogGroup");
    expect(logs.inputs).to.deep.include({ name: "/aws/lambda/tila-dev-log-shipper", retentionInDays: 30, kmsKeyId: key.outputs.arn });
    const keyPolicy = policyDocument<{ Statement: Statement[] }>(key, "policy").Statement;
    expect(keyPolicy.find((s) => s.Sid === "CloudWatchLogsEncryptsShipperLogs")!.Condition).to.deep.equal({
      ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/aws/lambda/tila-dev-log-shipper` },
    });
    expect(policyDocument<{ Statement: Statement[] }>(only(dev, "aws:sqs/queuePolicy:QueuePolicy"), "policy").Statement[0]).to.deep.include({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  it("alarms on its errors and on dead letters to the warning topic", () => {
    const alarms = ofType(dev, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => [a.inputs.name, a.inputs.metricName, a.inputs.alarmActions])).to.deep.equal([
      ["tila-dev-log-shipper-errors", "Errors", [WARNING]],
      ["tila-dev-log-shipper-dead-letters", "ApproximateNumberOfMessagesVisible", [WARNING]],
    ]);
  });

  it("is tagged, within AWS's name limits, and clean under the policy pack's resource rules", () => {
    for (const r of [fn(), sg(), only(dev, "aws:sqs/queue:Queue"), only(dev, "aws:iam/role:Role"), only(dev, "aws:cloudwatch/logGroup:LogGroup")]) expectRequiredTags(r);
    for (const env of ["dev", "stage", "preprod", "prod"]) expect(shipperNames(env).functionName.length, env).to.be.at.most(64);
    expect(nameLimitCheck(dev.resources, { stack: "dev", region: REGION, accountId: WORKLOAD_ACCOUNT })).to.deep.equal([]);
    expect(resourceRuleFindings(dev.resources)).to.deep.equal([]);
  });

  describe("refuses bad arguments", () => {
    const cases: ArgumentCase<LogShipperArgs>[] = [
      ["an upper-case environment", { environment: "Dev" }, /environment: "Dev"/],
      ["no subnets", { subnetIds: [] }, /subnetIds:/],
      ["nothing to ship", { buckets: [], flowLogGroup: undefined }, /buckets: nothing to ship/],
      ["a bucket label twice", { buckets: [args().buckets[1]!, args().buckets[1]!] }, /buckets\[1\]\.label: "public-alb" is listed twice/],
      ["a prefix that is not where logs are written", { buckets: [{ ...args().buckets[1]!, prefix: "dev-public/" }] }, /buckets\[0\]\.prefix:/],
      ["a target CIDR that is not one", { target: { host: "graylog.dev.internal.tila.sa", port: 12201, managementCidr: "management" } }, /target\.managementCidr:/],
      ["too many attempts", { maxAttempts: 11 }, /maxAttempts: must be 1 to 10/],
      ["tags without the common keys", { tags: { Environment: "dev" } as never }, /Owner|CostCenter/],
    ];
    itRejectsEachArgument((b) => run(b, "dev"), cases, (change, i) => new LogShipper(`bad-${i}`, args(change)));
  });
});

describe("logShipperPolicy", () => {
  const scope = { partition: "aws", region: REGION, accountId: WORKLOAD_ACCOUNT };

  it("gives an SSE-S3 bucket no key permission, and a KMS bucket decryption through S3 for that bucket only", () => {
    const p = shipperPolicy(scope, { functionName: "f", queueArn: "q", keyArn: "k", buckets: [{ bucketArn: ALB_BUCKET_ARN, prefix: "x/AWSLogs/" }] });
    expect(p.Statement.filter((s) => String(s.Sid).startsWith("DecryptLogObjects"))).to.deep.equal([]);
    expect(JSON.stringify(p)).to.not.include("kms:Decrypt\",\"Resource\":\"*");
  });

  it("lets CloudWatch Logs use the key for the shipper's log group only", () => {
    const k = shipperKeyPolicy(scope, "tila-prod-log-shipper");
    const logs = k.Statement.find((s) => s.Sid === "CloudWatchLogsEncryptsShipperLogs")!;
    expect(logs.Principal).to.deep.equal({ Service: `logs.${REGION}.amazonaws.com` });
    expect(logs.Condition).to.deep.equal({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${REGION}:${WORKLOAD_ACCOUNT}:log-group:/aws/lambda/tila-prod-log-shipper` } });
  });
});
