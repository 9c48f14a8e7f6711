/**
 * The pack's identity, shared by policy/index.ts (the real pack) and the offline runner so both
 * resolve enforcement from the same default. Pure: constructing the pack lives in index.ts only.
 */
import type { EnforcementLevel } from "@pulumi/policy";

export const PACK_NAME = "tila-platform";

/**
 * Fail closed: a run without `--policy-pack-config`, or a rule missing from a stack's config,
 * is enforced. The generated per-stack configs name every rule explicitly, so in practice the
 * level always comes from policy/config/<stack>.json.
 */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "mandatory";

export const PACK_DESCRIPTION =
  "Tila platform guardrails: encryption, public exposure, logging, backups, deletion protection, " +
  "high availability, TLS, IAM, tagging and environment isolation. Levels per stack in policy/config/<stack>.json.";
