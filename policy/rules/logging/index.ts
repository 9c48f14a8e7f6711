import type { Rule } from "../types";
import { alarmsRouted } from "./alarms-routed";
import { cloudtrailKmsEncrypted } from "./cloudtrail-kms-encrypted";
import { cloudtrailLogFileValidation } from "./cloudtrail-log-file-validation";
import { cloudtrailMultiRegion } from "./cloudtrail-multi-region";
import { flowLogsCaptureAllTraffic } from "./flow-logs-capture-all-traffic";
import { flowLogsRetainedForAudit } from "./flow-logs-retained-for-audit";
import { graylogArchiveOutlivesIndexSets } from "./graylog-archive-outlives-index-sets";
import { graylogIndexRetentionFloors } from "./graylog-index-retention-floors";
import { graylogIngressInputsOnly } from "./graylog-ingress-inputs-only";
import { logGroupKmsKeyIsArn } from "./log-group-kms-key-is-arn";
import { logGroupRetentionSet } from "./log-group-retention-set";
import { loggingFunctionsLogGroupsEncrypted } from "./logging-functions-log-groups-encrypted";
import { snsTopicCmkEncrypted } from "./sns-topic-cmk-encrypted";
import { vpcFlowLogsEnabled } from "./vpc-flow-logs-enabled";
import { vpnTunnelLoggingEnabled } from "./vpn-tunnel-logging-enabled";

/** Every logging rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  vpcFlowLogsEnabled,
  flowLogsCaptureAllTraffic,
  flowLogsRetainedForAudit,
  logGroupRetentionSet,
  logGroupKmsKeyIsArn,
  vpnTunnelLoggingEnabled,
  cloudtrailMultiRegion,
  cloudtrailLogFileValidation,
  cloudtrailKmsEncrypted,
  alarmsRouted,
  snsTopicCmkEncrypted,
  graylogIngressInputsOnly,
  graylogIndexRetentionFloors,
  graylogArchiveOutlivesIndexSets,
  loggingFunctionsLogGroupsEncrypted,
];
