import type { StackRule } from "../types";
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
  stringProp,
} from "./lib/retention";
import { UNKNOWN } from "../../lib/unknown";

const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/**
 * Flow logs are the record of who talked to what: an intrusion found months later, or a yearly
 * audit, needs them for the whole look-back. The floors are the ones config validation applies
 * (components/retentionFloors.ts: a year in prod, a quarter in preprod), checked here on the
 * destination itself, so a lifecycle or log group edited by hand or by a component bug is caught.
 */
export const flowLogsRetainedForAudit: StackRule = {
  name: "flow-logs-retained-for-audit",
  description:
    "VPC flow logs must be kept at least the floor of their Environment tag (prod 365 days, preprod 90): the S3 bucket they are delivered to must not expire objects sooner, and the CloudWatch log group must not drop events sooner.",
  meta: { category: "security", domain: "logging", appliesTo: [FLOW_LOG, ...S3_BUCKETS, ...LIFECYCLE_TYPES, LOG_GROUP] },
  configSchema: RETENTION_CONFIG_SCHEMA,
  validateStack: (args, report) => {
    const floors = args.getConfig<RetentionConfig>().minimumDaysByEnvironment;
    const logs = args.resources.filter((r) => r.type === FLOW_LOG);
    if (logs.length === 0) args.notApplicable("no flow log in this stack");
    for (const log of logs) {
      const env = environmentOf(log);
      const floor = env === undefined ? undefined : floors[env];
      const destination = stringProp(log, "logDestination");
      if (floor === undefined || destination === undefined || destination === UNKNOWN) continue;
      const type = stringProp(log, "logDestinationType");
      if (type === "s3") {
        const bucket = findBucket(args.resources, destination);
        const days = bucket && bucketExpiryDays(args.resources, bucket);
        if (bucket && typeof days === "number" && days < floor) {
          report(`flow log ${log.name} (${env}) goes to bucket ${bucket.name}, whose lifecycle expires objects after ${days} days; ${env} keeps flow logs at least ${floor}`, log.urn);
        }
      } else if (type === undefined || type === "cloud-watch-logs") {
        const group = findLogGroup(args.resources, destination);
        const days = group && logGroupRetentionDays(group);
        if (group && typeof days === "number" && days < floor) {
          report(`flow log ${log.name} (${env}) goes to log group ${group.name}, which keeps events ${days} days; ${env} keeps flow logs at least ${floor}`, log.urn);
        }
      }
    }
  },
};
