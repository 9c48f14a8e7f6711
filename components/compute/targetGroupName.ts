/**
 * The physical name of a service's target group: explicit, because Pulumi's auto-name
 * (`<env>-<service>-tg-` + 7 hex) does not fit Elastic Load Balancing's 32 characters for longer
 * service names, and the provider refuses rather than truncates.
 *
 * The name is `<env>-<service>` (cut to fit) plus 5 hex characters hashed from the environment, the
 * full service name and the inputs whose change replaces a target group (port, protocol, protocol
 * version, target type). So the name is stable across ordinary updates, unique per environment and
 * service even when two long names are cut to the same prefix, and changes exactly when AWS needs
 * a new target group: Pulumi can then create the replacement before deleting the old one, which
 * the listener rule and the ECS service still use. A fixed name would force deleteBeforeReplace,
 * and AWS refuses to delete a target group a listener rule still forwards to.
 */
import { createHash } from "crypto";

/** Elastic Load Balancing CreateTargetGroup: at most 32 letters, digits and hyphens. */
export const TARGET_GROUP_NAME_MAX = 32;
const HASH_LENGTH = 5;

/** What makes a target group what it is; a change to any of these replaces it on AWS. */
export interface TargetGroupIdentity {
  readonly environment: string;
  readonly service: string;
  readonly port: number;
  readonly protocol: string;
  readonly protocolVersion: string;
  readonly targetType: string;
}

export function targetGroupName(t: TargetGroupIdentity): string {
  const hash = createHash("sha256")
    .update([t.environment, t.service, t.port, t.protocol, t.protocolVersion, t.targetType].join("|"))
    .digest("hex")
    .slice(0, HASH_LENGTH);
  // Trailing hyphens left by the cut are dropped so the name never shows `--` before the hash.
  const room = TARGET_GROUP_NAME_MAX - HASH_LENGTH - 1;
  const stem = `${t.environment}-${t.service}`.slice(0, room).replace(/-+$/, "");
  return `${stem}-${hash}`;
}
