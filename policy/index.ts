/**
 * The CrossGuard pack. The ONLY place that constructs PolicyPack: the constructor starts the
 * analyzer's gRPC server and reads ./package.json, so tests and the offline runner import
 * ./rules instead and never this file.
 *
 *   cd policy && npm ci
 *   pulumi preview --stack prod --policy-pack policy --policy-pack-config policy/config/prod.json
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME } from "./pack";
import { RULES } from "./rules";

new PolicyPack(PACK_NAME, {
  policies: RULES,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  description: PACK_DESCRIPTION,
});
