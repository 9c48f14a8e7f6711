import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { LOAD_BALANCER_TYPES, WEB_ACL_LOGGING_TYPE } from "./loadBalancers";
import {
  LIFECYCLE_TYPES,
  LOG_GROUP,
  RETENTION_CONFIG_SCHEMA,
  RetentionConfig,
  S3_BUCKETS,
  bucketExpiryDays,
  environmentOf,
  findBucket,
  findLogGroup,
  logGroupRetentionDays,
} from "../logging/lib/retention";
import { UNKNOWN, peek } from "../../lib/unknown";

/** The access-log bucket an ALB names, when logging is on and the name is known. */
function accessLogBucket(lb: PolicyResource): string | undefined {
  const logs = peek(() => lb.props.accessLogs as Record<string, unknown> | undefined);
  if (logs === UNKNOWN || logs === undefined || logs === null) return undefined;
  const enabled = peek(() => logs.enabled);
  const bucket = peek(() => logs.bucket);
  return enabled === true && typeof bucket === "string" && bucket !== "" ? bucket : undefined;
}

function logDestinations(config: PolicyResource): string[] {
  const list = peek(() => config.props.logDestinationConfigs);
  return Array.isArray(list) ? list.filter((d): d is string => typeof d === "string") : [];
}

/**
 * The edge's request records (ALB access logs in S3, WAF logs in CloudWatch Logs) are what an
 * incident or an audit reconstructs traffic from. The floors match config validation
 * (components/retentionFloors.ts: prod a year, preprod a quarter) and are checked on the
 * destination itself, so an expiry shortened outside config is caught too.
 */
export const edgeLogsRetainedForAudit: StackRule = {
  name: "edge-logs-retained-for-audit",
  description:
    "ALB access logs and WAF logs must be kept at least the floor of their Environment tag (prod 365 days, preprod 90): the access-log bucket must not expire objects sooner, and the WAF log group must not drop events sooner.",
  meta: { category: "security", domain: "edge", appliesTo: [...LOAD_BALANCER_TYPES, WEB_ACL_LOGGING_TYPE, ...S3_BUCKETS, ...LIFECYCLE_TYPES, LOG_GROUP] },
  configSchema: RETENTION_CONFIG_SCHEMA,
  validateStack: (args, report) => {
    const floors = args.getConfig<RetentionConfig>().minimumDaysByEnvironment;
    const floorOf = (r: PolicyResource): { env?: string; floor?: number } => {
      const env = environmentOf(r);
      return { env, floor: env === undefined ? undefined : floors[env] };
    };
    for (const lb of args.resources.filter((r) => LOAD_BALANCER_TYPES.includes(r.type))) {
      const { env, floor } = floorOf(lb);
      const name = accessLogBucket(lb);
      if (floor === undefined || name === undefined) continue;
      const bucket = findBucket(args.resources, name);
      const days = bucket && bucketExpiryDays(args.resources, bucket);
      if (bucket && typeof days === "number" && days < floor) {
        report(`load balancer ${lb.name} (${env}) logs to bucket ${bucket.name}, whose lifecycle expires objects after ${days} days; ${env} keeps access logs at least ${floor}`, lb.urn);
      }
    }
    for (const config of args.resources.filter((r) => r.type === WEB_ACL_LOGGING_TYPE)) {
      for (const destination of logDestinations(config)) {
        const group = findLogGroup(args.resources, destination);
        if (!group) continue;
        // The log group carries the environment; the logging configuration has no tags.
        const { env, floor } = floorOf(group);
        const days = logGroupRetentionDays(group);
        if (floor !== undefined && typeof days === "number" && days < floor) {
          report(`WAF logging ${config.name} (${env}) goes to log group ${group.name}, which keeps events ${days} days; ${env} keeps WAF logs at least ${floor}`, config.urn);
        }
      }
    }
  },
};
