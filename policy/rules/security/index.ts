import type { Rule } from "../types";
import { baselineAccountHardening } from "./baseline-account-hardening";
import { baselineAnalyzersEnabled } from "./baseline-analyzers-enabled";
import { baselineConfigRecordingAll } from "./baseline-config-recording-all";
import { baselineGuardDutyEnabled } from "./baseline-guardduty-enabled";
import { baselineSecurityHubStandards } from "./baseline-securityhub-standards";
import { baselineTrailEnabled } from "./baseline-trail-enabled";
import { newRelicLicenseKeyNotInClear } from "./new-relic-license-key-not-in-clear";
import { noWebhookUrlInClear } from "./no-webhook-url-in-clear";

/** Every security-baseline rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  baselineTrailEnabled,
  baselineGuardDutyEnabled,
  baselineSecurityHubStandards,
  baselineConfigRecordingAll,
  baselineAccountHardening,
  baselineAnalyzersEnabled,
  noWebhookUrlInClear,
  newRelicLicenseKeyNotInClear,
];
