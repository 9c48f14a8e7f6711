import type { PolicyResource } from "@pulumi/policy";
import type { StackRule } from "../types";
import { UNKNOWN, peek } from "../../lib/unknown";
import { LOG_GROUP, logGroupRetentionDays, stringProp } from "./lib/retention";

const FUNCTION = "aws:lambda/function:Function";

/** Central logging's functions: Graylog's provisioner and alert relay, and each environment's log shipper. */
const LOGGING_FUNCTION = /graylog|log-shipper/i;

/** The log group a function writes to: `loggingConfig.logGroup`, else Lambda's default `/aws/lambda/<name>`. */
function logGroupName(fn: PolicyResource): string | undefined | typeof UNKNOWN {
  const custom = peek(() => (fn.props.loggingConfig as Record<string, unknown> | undefined)?.logGroup);
  if (custom === UNKNOWN) return UNKNOWN;
  if (typeof custom === "string" && custom !== "") return custom;
  const name = stringProp(fn, "name");
  return typeof name === "string" ? `/aws/lambda/${name}` : name;
}

/**
 * The functions that move and provision logs write what they shipped, dropped or failed on; their
 * own logs are evidence of whether central logging kept its promise, and may carry excerpts of the
 * logs they handled. Lambda writes to `/aws/lambda/<function name>` unless `loggingConfig.logGroup`
 * says otherwise, and CloudWatch creates that group on first invocation with no retention and no
 * key when the stack has not declared it. So each logging function's group is declared in the
 * stack, with a KMS key and a retention period (log-group-retention-set then holds the period to
 * its floor).
 */
export const loggingFunctionsLogGroupsEncrypted: StackRule = {
  name: "logging-functions-log-groups-encrypted",
  description:
    "Central logging's Lambda functions (names with graylog or log-shipper: Graylog's provisioner and alert relay, the log shipper) write to a log group the stack declares (loggingConfig.logGroup, else /aws/lambda/<name>), encrypted with a KMS key and with a retention period, never one CloudWatch creates on first invocation without either.",
  meta: { category: "security", domain: "logging", appliesTo: [FUNCTION, LOG_GROUP] },
  validateStack: (args, report) => {
    const functions = args.resources.filter((r) => r.type === FUNCTION && (LOGGING_FUNCTION.test(r.name) || LOGGING_FUNCTION.test(String(peek(() => r.props.name)))));
    if (functions.length === 0) args.notApplicable("no central-logging function in this stack");
    const groups = args.resources.filter((r) => r.type === LOG_GROUP);
    for (const fn of functions) {
      const name = logGroupName(fn);
      if (name === UNKNOWN || name === undefined) continue;
      const group = groups.find((g) => stringProp(g, "name") === name);
      if (!group) {
        report(`function ${fn.name} writes to ${name}, which the stack does not declare: CloudWatch would create it unencrypted and never expiring`, fn.urn);
        continue;
      }
      const key = stringProp(group, "kmsKeyId");
      if (key === undefined) report(`log group ${group.name} of function ${fn.name} is not encrypted with a KMS key (kmsKeyId)`, group.urn);
      if (logGroupRetentionDays(group) === undefined) report(`log group ${group.name} of function ${fn.name} never expires its events (retentionInDays)`, group.urn);
    }
  },
};
