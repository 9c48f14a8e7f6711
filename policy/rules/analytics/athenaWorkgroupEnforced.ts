/**
 * Rule athena-workgroup-enforced: an Athena workgroup overrides its clients' settings, writes its
 * results to an S3 location of its own and encrypts them with a customer KMS key.
 */
import type { ResourceRule } from "../types";
import { PENDING, peek } from "../data/support";
import { ATHENA_WORKGROUP, bucketOfLocation, configurationOf, outputLocationOf } from "./support";

/** SSE_KMS and CSE_KMS take a KMS key (AWS Athena EncryptionConfiguration); SSE_S3 uses S3's own key, which no key policy governs. */
const KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

/** Every problem of a workgroup's configuration (values not known until apply are not judged). */
export function workgroupProblems(props: Record<string, unknown>): string[] {
  const configuration = configurationOf(props);
  if (configuration === PENDING) return [];
  if (configuration === undefined || configuration === null) return ["has no configuration: set enforceWorkgroupConfiguration, a result location and its encryption"];
  const problems: string[] = [];
  const enforced = peek(configuration, "enforceWorkgroupConfiguration");
  // The provider defaults it to true when omitted; the rule asks for it explicitly so the choice is reviewable.
  if (enforced !== true && enforced !== PENDING) problems.push("configuration.enforceWorkgroupConfiguration is not true: a client could send its results elsewhere, unencrypted");
  const location = outputLocationOf(configuration);
  if (location !== PENDING && (typeof location !== "string" || bucketOfLocation(location) === undefined)) {
    problems.push("configuration.resultConfiguration.outputLocation is not an s3:// location");
  }
  const result = peek(configuration, "resultConfiguration");
  const encryption = result === PENDING ? PENDING : peek(result, "encryptionConfiguration");
  if (encryption === PENDING) return problems;
  const option = peek(encryption, "encryptionOption");
  const key = peek(encryption, "kmsKeyArn");
  if (option === PENDING) return problems;
  if (typeof option !== "string" || !KMS_OPTIONS.includes(option)) {
    problems.push(`results are encrypted with ${option === undefined ? "nothing" : JSON.stringify(option)}; set encryptionConfiguration.encryptionOption to SSE_KMS (or CSE_KMS) with kmsKeyArn`);
  } else if (key !== PENDING && (typeof key !== "string" || key === "" || /(^|:)alias\/aws\//.test(key))) {
    problems.push(`results use ${option} without a customer-managed kmsKeyArn`);
  }
  return problems;
}

export const athenaWorkgroupEnforced: ResourceRule = {
  name: "athena-workgroup-enforced",
  description:
    "Every Athena workgroup sets configuration.enforceWorkgroupConfiguration true, an s3:// result outputLocation and result encryption SSE_KMS or CSE_KMS with a customer-managed kmsKeyArn (not SSE_S3), so query results, which copy the data they read, land only where the workgroup says and under a key whose policy says who may read them.",
  meta: { category: "security", domain: "analytics", appliesTo: [ATHENA_WORKGROUP] },
  validateResource: (args, report) => {
    if (args.type !== ATHENA_WORKGROUP) return;
    const name = typeof peek(args.props, "name") === "string" ? String(args.props.name) : args.name;
    for (const problem of workgroupProblems(args.props)) report(`workgroup ${name}: ${problem}`);
  },
};
