import type { ResourceRule } from "../types";
import { forType } from "../network/lib/values";

const TOPIC = "aws:sns/topic:Topic";
/** AWS-managed keys are addressed by their alias: `alias/aws/sns` or its ARN form. */
const AWS_MANAGED = /(^|:)alias\/aws\//;

/**
 * Alerts and findings carry resource names, hosts and error text. Encrypted with a customer-managed
 * key, reading a topic's stored messages also needs that key, whose policy says exactly which
 * services may publish; the AWS-managed `alias/aws/sns` key cannot grant CloudWatch or EventBridge
 * at all, so an alarm publishing to such a topic would silently deliver nothing.
 */
export const snsTopicCmkEncrypted: ResourceRule = {
  name: "sns-topic-cmk-encrypted",
  description: "SNS topics must be encrypted with a customer-managed KMS key (kmsMasterKeyId set, not an alias/aws/ key), so reading their messages needs that key and its policy names who may publish.",
  meta: { category: "security", domain: "logging", appliesTo: [TOPIC] },
  validateResource: forType(TOPIC, (args, report) => {
    const key: unknown = args.props.kmsMasterKeyId;
    if (key === undefined || key === null || key === "") report(`topic ${args.name} is not encrypted; set kmsMasterKeyId to a customer-managed KMS key`);
    else if (typeof key === "string" && AWS_MANAGED.test(key)) report(`topic ${args.name} uses the AWS-managed key ${key}; use a customer-managed key whose policy grants the publishing services`);
  }),
};
