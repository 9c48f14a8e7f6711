import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * CloudWatch Logs associates a key only by its full key ARN: a key id, an alias or an alias ARN
 * fails at deploy time, after the rest of the stack has changed.
 */
export const logGroupKmsKeyIsArn: ResourceRule = {
  name: "log-group-kms-key-is-arn",
  description: "A CloudWatch log group's kmsKeyId, when set, must be a KMS key ARN (not a key id or alias), the only form CloudWatch Logs accepts for encryption.",
  meta: { category: "security", domain: "logging", appliesTo: [LOG_GROUP] },
  validateResource: forType(LOG_GROUP, (args, report) => {
    if (!("kmsKeyId" in args.props)) return;
    const key: unknown = args.props.kmsKeyId;
    if (typeof key !== "string" || !KMS_KEY_ARN.test(key)) {
      report(`log group ${args.name} has kmsKeyId "${String(key)}"; use the key's ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
    }
  }),
};
