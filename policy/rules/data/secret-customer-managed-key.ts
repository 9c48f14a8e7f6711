import type { StackRule } from "../types";
import { KMS_KEY, PENDING, SECRET, peek } from "./support";

/** The AWS managed key, by alias or by the service's default name. */
const AWS_MANAGED = /(^|\/)aws\/secretsmanager$/;

/**
 * "Where the program gives one": a stack that creates a customer-managed KMS key has one to give, so
 * every secret of that stack must use a customer key. A stack without keys is not judged (its
 * secrets may take a key of another stack by ARN, which this rule cannot see).
 */
export const secretCustomerManagedKey: StackRule = {
  name: "secret-customer-managed-key",
  description: "In a stack that creates a customer-managed KMS key, every Secrets Manager secret must be encrypted with a customer key (kmsKeyId, not aws/secretsmanager), so who can decrypt a credential is decided by our key policy and grants.",
  meta: { category: "security", domain: "data", appliesTo: [SECRET, KMS_KEY] },
  validateStack: (args, report) => {
    if (!args.resources.some((r) => r.type === KMS_KEY)) return;
    for (const secret of args.resources.filter((r) => r.type === SECRET)) {
      const key = peek(secret.props, "kmsKeyId");
      if (key === PENDING) continue;
      if (typeof key !== "string" || key === "") report(`secret ${secret.name} uses the AWS managed key: set kmsKeyId to the stack's customer key`, secret.urn);
      else if (AWS_MANAGED.test(key)) report(`secret ${secret.name}: kmsKeyId ${key} is the AWS managed key; use a customer-managed key`, secret.urn);
    }
  },
};
