/**
 * An environment's log shipper (docs/observability-logging.md, "Flow logs and ALB access logs"):
 * what it reads, from the stack's components (the VPC's flow-log bucket or log group, the public
 * and internal ALBs' access-log buckets), and where it sends, from the shipping target. Nothing
 * without a target (shipping off) or without the services' load balancers.
 */
import * as pulumi from "@pulumi/pulumi";
import { ValidatedConfig } from "../config/validate";
import { LogShipper, LogShipperBucket } from "../components/observability/logging/LogShipper";
import { AlertTopics } from "../components/observability/types";
import { ObservabilityParts } from "./observability";
import { commonTags } from "./shared";

/** Created after the services; returns the stack outputs it adds. */
export function buildLogShipper(cfg: ValidatedConfig, parts: ObservabilityParts, topics: AlertTopics | undefined): Record<string, pulumi.Input<unknown>> {
  if (cfg.kind !== "environment" || !parts.logTarget) return {};
  const env = cfg.stack;
  const flow = parts.network.flowLogDestination;
  const buckets: LogShipperBucket[] = [];
  if (flow.kind === "s3") {
    buckets.push({ label: "flow-logs", kind: "flow-log", bucketName: flow.bucketName, bucketArn: flow.bucketArn, prefix: "AWSLogs/", ...(flow.kmsKeyArn !== undefined ? { kmsKeyArn: flow.kmsKeyArn } : {}) });
  }
  const services = parts.services;
  if (services) {
    for (const [label, alb] of [["public-alb", services.publicAlb], ["internal-alb", services.internalAlb]] as const) {
      buckets.push({ label, kind: "alb-access", bucketName: alb.accessLogBucket, bucketArn: alb.accessLogBucketArn, prefix: `${alb.accessLogPrefix}/AWSLogs/` });
    }
  }
  const shipper = new LogShipper(`${env}-log-shipper`, {
    environment: env,
    vpcId: parts.network.vpcId,
    subnetIds: parts.network.subnetIds.app,
    target: parts.logTarget,
    s3PrefixListId: parts.network.s3PrefixListId,
    buckets,
    ...(flow.kind === "cloudwatch" ? { flowLogGroup: { name: flow.logGroupName, arn: flow.logGroupArn } } : {}),
    logRetentionDays: cfg.settings.incidentResponse.logRetentionDays,
    ...(topics ? { alarmTopicArn: topics.warning } : {}),
    protect: env === "prod",
    tags: commonTags(env, cfg.settings.tags),
  });
  return { logShipperFunctionName: shipper.functionName };
}
