/**
 * New Relic's facts and the documents built from them, as pure functions (no Pulumi): the agent
 * settings of a service, the integration role's trust and read permissions, the metric stream and
 * Firehose roles, and the endpoint of each data centre. Sources are in docs/observability-apm.md.
 */
import { denyInsecureTransport } from "../../security/baseline/policies";

/** New Relic's own AWS account, the principal of the integration role's trust (New Relic's CloudFormation templates). */
export const NEW_RELIC_AWS_ACCOUNT_ID = "754728514883";

export type NewRelicRegion = "US" | "EU";

/** Firehose HTTP endpoint of CloudWatch metric streams per New Relic data centre ("Integrate manually from AWS console"). */
export const METRIC_STREAM_ENDPOINTS: Readonly<Record<NewRelicRegion, string>> = {
  US: "https://aws-api.newrelic.com/cloudwatch-metrics/v1",
  EU: "https://aws-api.eu01.nr-data.net/cloudwatch-metrics/v1",
};

/** New Relic takes OpenTelemetry 1.0 from metric streams; JSON is not supported. */
export const METRIC_STREAM_OUTPUT_FORMAT = "opentelemetry1.0";

/**
 * The license key secret is one JSON document `{"api_key": "<license key>"}`: the format Firehose
 * requires of a Secrets Manager secret for New Relic and HTTP endpoints, and the key the services'
 * task definitions read (`valueFrom: <arn>:api_key::`).
 */
export const LICENSE_SECRET_JSON_KEY = "api_key";

/** The env var the New Relic agents read the license key from (injected from the secret, never a value). */
export const LICENSE_KEY_VARIABLE = "NEW_RELIC_LICENSE_KEY";

/** Expands `{service}` and `{environment}` in an app name pattern. */
export function newRelicAppName(pattern: string, service: string, environment: string): string {
  return pattern.replace(/\{service\}/g, service).replace(/\{environment\}/g, environment);
}

export interface AgentSettingsInput {
  readonly appName: string;
  readonly logLevel: string;
}

/**
 * Plain environment of a service's New Relic agent. The license key is not here: it is a secret.
 * `NEW_RELIC_LOG=stdout` sends the agent's log to the container's stdout (the root filesystem is
 * read-only, and stdout goes to the service's log group).
 */
export function newRelicAgentEnvironment(i: AgentSettingsInput): Record<string, string> {
  return {
    NEW_RELIC_APP_NAME: i.appName,
    NEW_RELIC_DISTRIBUTED_TRACING_ENABLED: "true",
    NEW_RELIC_LOG: "stdout",
    NEW_RELIC_LOG_LEVEL: i.logLevel,
  };
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
}

const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/** Trust of the integration role: New Relic's account, only with this New Relic account id as external id. */
export function integrationTrustPolicy(newRelicAccountId: string, partition = "aws"): PolicyDocument {
  if (!/^[0-9]{1,12}$/.test(newRelicAccountId)) throw new Error(`newRelicAccountId: "${newRelicAccountId}" is not a New Relic account id`);
  return doc({
    Sid: "NewRelicWithOurAccountId",
    Effect: "Allow",
    Principal: { AWS: `arn:${partition}:iam::${NEW_RELIC_AWS_ACCOUNT_ID}:root` },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": newRelicAccountId } },
  });
}

/**
 * What New Relic documents as "Required by CloudWatch metric streams and all API polling
 * integrations" (integrations-managed-policies): metrics, the Config inventory and tags. None of
 * these actions has a resource type, so `Resource` is `*`; the region condition keeps the third
 * party to this stack's region. Not the ReadOnlyAccess New Relic recommends: that policy reads every
 * S3 object and table of the account, far more than a metrics vendor needs.
 */
export const INTEGRATION_READ_ACTIONS: readonly string[] = [
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:ListMetrics",
  "config:BatchGetResourceConfig",
  "config:ListDiscoveredResources",
  "tag:GetResources",
];

export function integrationReadPolicy(region: string): PolicyDocument {
  return doc({ Sid: "NewRelicMetricsAndInventory", Effect: "Allow", Action: [...INTEGRATION_READ_ACTIONS], Resource: "*", Condition: { StringEquals: { "aws:RequestedRegion": region } } });
}

/** Trust of the metric stream's role, exactly as CloudWatch documents it ("Trust between CloudWatch and Firehose"). */
export function metricStreamTrustPolicy(): PolicyDocument {
  return doc({ Sid: "CloudWatchMetricStreams", Effect: "Allow", Principal: { Service: "streams.metrics.cloudwatch.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/** The metric stream writes to its one delivery stream. */
export function metricStreamPolicy(deliveryStreamArn: string): PolicyDocument {
  return doc({ Sid: "PutToDeliveryStream", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: deliveryStreamArn });
}

/** Trust of the delivery stream's role: Firehose, on behalf of this account only (sts:ExternalId = account, as Firehose's guide shows). */
export function firehoseTrustPolicy(accountId: string): PolicyDocument {
  return doc({ Sid: "FirehoseForThisAccount", Effect: "Allow", Principal: { Service: "firehose.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": accountId } } });
}

export interface FirehosePolicyInput {
  readonly bucketArn: string;
  readonly secretArn: string;
  readonly secretKeyArn: string;
  readonly region: string;
  readonly partition: string;
}

/**
 * The delivery stream's role: back up failed batches to its own bucket, read the license key secret
 * and decrypt it through Secrets Manager only. Nothing else.
 */
export function firehosePolicy(p: FirehosePolicyInput): PolicyDocument {
  const suffix = p.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
  return doc(
    { Sid: "BackupBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], Resource: p.bucketArn },
    { Sid: "BackupObjects", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: `${p.bucketArn}/*` },
    { Sid: "ReadLicenseKey", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: p.secretArn },
    { Sid: "DecryptLicenseKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: p.secretKeyArn, Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${p.region}.${suffix}` } } },
  );
}

/** The backup bucket admits TLS only. */
export function backupBucketPolicy(bucketArn: string): PolicyDocument {
  return doc(denyInsecureTransport(bucketArn));
}

/** Days a failed metric batch stays in the backup bucket: long enough to replay after an outage. */
export const BACKUP_RETENTION_DAYS = 14;

/** Firehose's buffering limit: a record older than this is late (Firehose, "best practices with CloudWatch alarms"). */
export const DELIVERY_FRESHNESS_SECONDS = 900;
