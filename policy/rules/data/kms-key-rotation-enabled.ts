import type { ResourceRule } from "../types";
import { KMS_KEY } from "./support";

/** Automatic rotation exists only for symmetric encryption keys with key material KMS generated. */
function rotatable(props: Record<string, any>): boolean {
  const spec: unknown = props.customerMasterKeySpec;
  if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return false;
  const usage: unknown = props.keyUsage;
  if (usage !== undefined && usage !== "ENCRYPT_DECRYPT") return false;
  return props.customKeyStoreId === undefined;
}

export const kmsKeyRotationEnabled: ResourceRule = {
  name: "kms-key-rotation-enabled",
  description: "Customer-managed symmetric KMS keys must enable automatic key rotation, so the key material protecting data at rest is renewed yearly and a leaked version protects only what it encrypted.",
  meta: { category: "security", domain: "data", appliesTo: [KMS_KEY], fsbp: "KMS.4" },
  validateResource: (args, report) => {
    if (args.type !== KMS_KEY) return;
    if (!rotatable(args.props)) return;
    if (args.props.enableKeyRotation !== true) report(`KMS key ${args.name}: set enableKeyRotation: true`);
  },
};
