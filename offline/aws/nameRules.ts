/**
 * AWS's own rules for the names this program gives (or lets Pulumi give) its resources: one entry
 * per type and field, each citing the AWS page it was read from. Data and small predicates only;
 * offline/aws/names.ts applies them to a captured stack.
 */

/** One AWS naming rule; `problems` lists every way a name breaks it (empty when it complies). */
export interface NameRule {
  /** Pulumi input property holding the name. */
  readonly field: string;
  /** What a person calls it, for messages: `target group name`. */
  readonly label: string;
  readonly minLength: number;
  readonly maxLength: number;
  /** Every character must match; described in words by `charsetText`. */
  readonly charset?: RegExp;
  readonly charsetText?: string;
  /** Further constraints, each returning a sentence when broken. */
  readonly extra?: readonly ((name: string) => string | undefined)[];
  /** AWS API or guide the rule comes from: `Elastic Load Balancing CreateTargetGroup`. */
  readonly source: string;
  readonly url: string;
}

const noEdgeHyphen = (name: string): string | undefined => (/^-|-$/.test(name) ? "must not begin or end with a hyphen" : undefined);
const startsWithLetter = (name: string): string | undefined => (/^[A-Za-z]/.test(name) ? undefined : "must start with a letter");
const noTrailingOrDoubleHyphen = (name: string): string | undefined =>
  /-$/.test(name) || name.includes("--") ? "must not end with a hyphen or contain two consecutive hyphens" : undefined;
const notPrefixed = (...prefixes: string[]) => (name: string): string | undefined => {
  const hit = prefixes.find((p) => name.startsWith(p));
  return hit ? `must not start with "${hit}"` : undefined;
};
const notSuffixed = (...suffixes: string[]) => (name: string): string | undefined => {
  const hit = suffixes.find((s) => name.endsWith(s));
  return hit ? `must not end with "${hit}"` : undefined;
};

const IAM_NAME = /^[\w+=,.@-]$/;
const IAM_TEXT = "letters, digits and _+=,.@-";
const ALNUM_HYPHEN = /^[A-Za-z0-9-]$/;
const ECS_NAME = /^[A-Za-z0-9_-]$/;

/** A DNS name as Route 53 takes it: at most 255 bytes with the dots, labels of at most 63. */
const dnsLabels = (name: string): string | undefined => {
  const long = name.replace(/\.$/, "").split(".").find((label) => Buffer.byteLength(label) > 63);
  return long !== undefined ? `has a label "${long}" longer than 63 bytes` : undefined;
};

const ELB_API = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";
const IAM_API = "https://docs.aws.amazon.com/IAM/latest/APIReference";
const RDS_API = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference";
const ECS_API = "https://docs.aws.amazon.com/AmazonECS/latest/APIReference";

const ecsName = (field: string, label: string, api: string): NameRule => ({
  field, label, minLength: 1, maxLength: 255, charset: ECS_NAME, charsetText: "letters, digits, hyphens and underscores",
  source: `Amazon ECS ${api}`, url: `${ECS_API}/API_${api}.html`,
});

const rdsIdentifier = (field: string, label: string, maxLength: number, api: string): NameRule => ({
  field, label, minLength: 1, maxLength, charset: ALNUM_HYPHEN, charsetText: "letters, digits and hyphens",
  extra: [startsWithLetter, noTrailingOrDoubleHyphen], source: `Amazon RDS ${api}`, url: `${RDS_API}/API_${api}.html`,
});

const route53Name = (label: string): NameRule => ({
  field: "name", label, minLength: 1, maxLength: 255, charset: /^[!-~]$/, charsetText: "printable ASCII without spaces",
  extra: [dnsLabels], source: "Amazon Route 53 Developer Guide, DNS domain name format",
  url: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html",
});

/** Rules by type token. A type appears once per named field it has. */
export const NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  "aws:lb/loadBalancer:LoadBalancer": [{
    field: "name", label: "load balancer name", minLength: 1, maxLength: 32, charset: ALNUM_HYPHEN, charsetText: "letters, digits and hyphens",
    extra: [noEdgeHyphen, notPrefixed("internal-")], source: "Elastic Load Balancing CreateLoadBalancer", url: `${ELB_API}/API_CreateLoadBalancer.html`,
  }],
  "aws:lb/targetGroup:TargetGroup": [{
    field: "name", label: "target group name", minLength: 1, maxLength: 32, charset: ALNUM_HYPHEN, charsetText: "letters, digits and hyphens",
    extra: [noEdgeHyphen], source: "Elastic Load Balancing CreateTargetGroup", url: `${ELB_API}/API_CreateTargetGroup.html`,
  }],
  "aws:iam/role:Role": [{ field: "name", label: "IAM role name", minLength: 1, maxLength: 64, charset: IAM_NAME, charsetText: IAM_TEXT, source: "IAM CreateRole", url: `${IAM_API}/API_CreateRole.html` }],
  "aws:iam/instanceProfile:InstanceProfile": [{
    field: "name", label: "instance profile name", minLength: 1, maxLength: 128, charset: IAM_NAME, charsetText: IAM_TEXT,
    source: "IAM CreateInstanceProfile", url: `${IAM_API}/API_CreateInstanceProfile.html`,
  }],
  "aws:iam/rolePolicy:RolePolicy": [{
    field: "name", label: "inline policy name", minLength: 1, maxLength: 128, charset: IAM_NAME, charsetText: IAM_TEXT,
    source: "IAM PutRolePolicy", url: `${IAM_API}/API_PutRolePolicy.html`,
  }],
  "aws:cloudwatch/logGroup:LogGroup": [{
    field: "name", label: "log group name", minLength: 1, maxLength: 512, charset: /^[.\-_/#A-Za-z0-9]$/, charsetText: "letters, digits and ._-/#",
    source: "CloudWatch Logs CreateLogGroup", url: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html",
  }],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [{
    field: "name", label: "alarm name", minLength: 1, maxLength: 255, source: "CloudWatch PutMetricAlarm",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
  }],
  "aws:appautoscaling/policy:Policy": [{
    field: "name", label: "scaling policy name", minLength: 1, maxLength: 256, charset: /^[\x20-\x7e]$/, charsetText: "printable ASCII",
    source: "Application Auto Scaling PutScalingPolicy", url: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html",
  }],
  "aws:ec2/securityGroup:SecurityGroup": [{
    field: "name", label: "security group name", minLength: 1, maxLength: 255, charset: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]$/,
    charsetText: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*", extra: [notPrefixed("sg-")],
    source: "Amazon EC2 CreateSecurityGroup", url: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
  }],
  "aws:ecs/cluster:Cluster": [ecsName("name", "ECS cluster name", "CreateCluster")],
  "aws:ecs/service:Service": [ecsName("name", "ECS service name", "CreateService")],
  "aws:ecs/taskDefinition:TaskDefinition": [ecsName("family", "task definition family", "RegisterTaskDefinition")],
  "aws:elasticache/replicationGroup:ReplicationGroup": [{
    field: "replicationGroupId", label: "replication group id", minLength: 1, maxLength: 40, charset: ALNUM_HYPHEN, charsetText: "letters, digits and hyphens",
    extra: [startsWithLetter, noTrailingOrDoubleHyphen], source: "Amazon ElastiCache CreateReplicationGroup",
    url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html",
  }],
  "aws:elasticache/subnetGroup:SubnetGroup": [{
    field: "name", label: "cache subnet group name", minLength: 1, maxLength: 255, charset: ALNUM_HYPHEN, charsetText: "letters, digits and hyphens",
    source: "Amazon ElastiCache CreateCacheSubnetGroup", url: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html",
  }],
  "aws:rds/instance:Instance": [
    rdsIdentifier("identifier", "DB instance identifier", 63, "CreateDBInstance"),
    rdsIdentifier("finalSnapshotIdentifier", "final snapshot identifier", 255, "CreateDBSnapshot"),
  ],
  "aws:rds/parameterGroup:ParameterGroup": [rdsIdentifier("name", "DB parameter group name", 255, "CreateDBParameterGroup")],
  "aws:rds/subnetGroup:SubnetGroup": [{
    field: "name", label: "DB subnet group name", minLength: 1, maxLength: 255, charset: /^[A-Za-z0-9._ -]$/,
    charsetText: "letters, digits, periods, underscores, spaces and hyphens",
    extra: [startsWithLetter, (n) => (n.toLowerCase() === "default" ? 'must not be "default"' : undefined)],
    source: "Amazon RDS CreateDBSubnetGroup", url: `${RDS_API}/API_CreateDBSubnetGroup.html`,
  }],
  "aws:opensearch/domain:Domain": [{
    field: "domainName", label: "OpenSearch domain name", minLength: 3, maxLength: 28, charset: /^[a-z0-9-]$/, charsetText: "lower-case letters, digits and hyphens",
    extra: [(n) => (/^[a-z]/.test(n) ? undefined : "must start with a lower-case letter")],
    source: "Amazon OpenSearch Service CreateDomain", url: "https://docs.aws.amazon.com/opensearch-service/latest/APIReference/API_CreateDomain.html",
  }],
  "aws:s3/bucket:Bucket": [s3Bucket()],
  "aws:s3/bucketV2:BucketV2": [s3Bucket()],
  "aws:secretsmanager/secret:Secret": [{
    field: "name", label: "secret name", minLength: 1, maxLength: 512, charset: /^[A-Za-z0-9/_+=.@-]$/, charsetText: "ASCII letters, digits and /_+=.@-",
    source: "AWS Secrets Manager CreateSecret", url: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html",
  }],
  "aws:ecr/repository:Repository": [{
    field: "name", label: "ECR repository name", minLength: 2, maxLength: 256, charset: /^[a-z0-9._/-]$/, charsetText: "lower-case letters, digits and ._-/",
    extra: [(n) => (n.split("/").every((part) => /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/.test(part)) ? undefined : "must be /-separated parts of letters and digits joined by single ., _, __ or dashes, none at either end")],
    source: "Amazon ECR CreateRepository (API model shape RepositoryName)", url: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html",
  }],
  "aws:kms/alias:Alias": [{
    field: "name", label: "KMS alias", minLength: 1, maxLength: 256, charset: /^[A-Za-z0-9/_-]$/, charsetText: "letters, digits and /_-",
    extra: [(n) => (n.startsWith("alias/") ? undefined : 'must begin with "alias/"'), notPrefixed("alias/aws/")],
    source: "AWS KMS Developer Guide, Create aliases", url: "https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html",
  }],
  "aws:wafv2/webAcl:WebAcl": [{
    field: "name", label: "web ACL name", minLength: 1, maxLength: 128, charset: /^[\w-]$/, charsetText: "letters, digits, underscores and hyphens",
    source: "AWS WAFV2 CreateWebACL", url: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html",
  }],
  "aws:route53/zone:Zone": [route53Name("hosted zone name")],
  "aws:route53/record:Record": [route53Name("record name")],
  // The Graylog alert relay's watermark table (components/observability/logging/GraylogProvisioning.ts).
  "aws:dynamodb/table:Table": [{
    field: "name", label: "DynamoDB table name", minLength: 3, maxLength: 255, charset: /^[A-Za-z0-9_.-]$/, charsetText: "letters, digits, underscores, hyphens and dots",
    source: "Amazon DynamoDB CreateTable (TableName: length 3-255, pattern [a-zA-Z0-9_.-]+)", url: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateTable.html",
  }],
  // Incident response and audit reports (components/security/incident/).
  "aws:cloudwatch/eventRule:EventRule": [{
    field: "name", label: "EventBridge rule name", minLength: 1, maxLength: 64, charset: /^[.\-_A-Za-z0-9]$/, charsetText: "letters, digits and .-_",
    source: "Amazon EventBridge PutRule", url: "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html",
  }],
  "aws:lambda/function:Function": [{
    field: "name", label: "Lambda function name", minLength: 1, maxLength: 64, charset: /^[A-Za-z0-9_-]$/, charsetText: "letters, digits, hyphens and underscores",
    source: "AWS Lambda CreateFunction", url: "https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html",
  }],
  "aws:sns/topic:Topic": [{
    field: "name", label: "SNS topic name", minLength: 1, maxLength: 256, charset: /^[A-Za-z0-9_.-]$/, charsetText: "ASCII letters, digits, underscores and hyphens (and .fifo)",
    extra: [(n) => (n.includes(".") && !/^[^.]+\.fifo$/.test(n) ? 'may contain "." only in a ".fifo" suffix' : undefined)],
    source: "Amazon SNS CreateTopic", url: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html",
  }],
  // The Teams notifier's dead-letter queue (components/observability/TeamsNotifier.ts).
  "aws:sqs/queue:Queue": [{
    field: "name", label: "SQS queue name", minLength: 1, maxLength: 80, charset: /^[A-Za-z0-9_.-]$/, charsetText: "letters, digits, hyphens and underscores (and .fifo)",
    extra: [(n) => (n.includes(".") && !/^[^.]+\.fifo$/.test(n) ? 'may contain "." only in a ".fifo" suffix, which counts toward the 80' : undefined)],
    source: "Amazon SQS CreateQueue", url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html",
  }],
  // Security baseline (components/security/SecurityBaseline.ts): the trail's name is fixed, because
  // the archive's bucket policy names the trail ARN before the trail exists.
  "aws:cloudtrail/trail:Trail": [{
    field: "name", label: "trail name", minLength: 3, maxLength: 128, charset: /^[A-Za-z0-9._-]$/, charsetText: "ASCII letters, digits, periods, underscores and dashes",
    extra: [
      (n) => (/^[A-Za-z0-9].*[A-Za-z0-9]$/.test(n) ? undefined : "must start and end with a letter or number"),
      (n) => (/[._-]{2}/.test(n) ? "must have no adjacent periods, underscores or dashes" : undefined),
      (n) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(n) ? "must not be in IP address format" : undefined),
    ],
    source: "AWS CloudTrail CreateTrail", url: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html",
  }],
  "aws:scheduler/schedule:Schedule": [{
    field: "name", label: "EventBridge Scheduler schedule name", minLength: 1, maxLength: 64, charset: /^[0-9A-Za-z_.-]$/, charsetText: "letters, digits and -_.",
    source: "Amazon EventBridge Scheduler CreateSchedule", url: "https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html",
  }],
};

function s3Bucket(): NameRule {
  return {
    field: "bucket", label: "bucket name", minLength: 3, maxLength: 63, charset: /^[a-z0-9.-]$/, charsetText: "lower-case letters, digits, periods and hyphens",
    extra: [
      (n) => (/^[a-z0-9].*[a-z0-9]$/.test(n) ? undefined : "must begin and end with a letter or digit"),
      (n) => (n.includes("..") ? "must not contain two adjacent periods" : undefined),
      (n) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(n) ? "must not be formatted as an IP address" : undefined),
      notPrefixed("xn--", "sthree-", "amzn-s3-demo-"),
      notSuffixed("-s3alias", "--ol-s3", ".mrap", "--x-s3"),
    ],
    source: "Amazon S3 User Guide, general purpose bucket naming rules", url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
  };
}

/** Every way `name` breaks `rule`, as sentences; empty when it complies. */
export function ruleProblems(rule: NameRule, name: string): string[] {
  const problems: string[] = [];
  if (name.length > rule.maxLength) problems.push(`is ${name.length} characters; AWS allows at most ${rule.maxLength}`);
  if (name.length < rule.minLength) problems.push(`is ${name.length} characters; AWS requires at least ${rule.minLength}`);
  if (rule.charset) {
    const bad = [...new Set([...name].filter((c) => !rule.charset!.test(c)))];
    if (bad.length > 0) problems.push(`contains ${bad.map((c) => JSON.stringify(c)).join(", ")}; AWS allows only ${rule.charsetText}`);
  }
  for (const check of rule.extra ?? []) {
    const p = check(name);
    if (p !== undefined) problems.push(p);
  }
  return problems;
}

/** How many rules and types the table holds, for the docs and the plan's notes. */
export function ruleCounts(): { types: number; rules: number } {
  const lists = Object.values(NAME_RULES);
  return { types: lists.length, rules: lists.reduce((n, l) => n + l.length, 0) };
}
