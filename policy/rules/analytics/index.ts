/**
 * The analytics rules (docs/analytics.md#safety-cost-and-the-plan): the Athena workgroups' enforced,
 * encrypted results and scan limit, and the lake buckets' key and privacy.
 */
import type { Rule } from "../types";
import { athenaWorkgroupEnforced } from "./athenaWorkgroupEnforced";
import { athenaWorkgroupScanLimit } from "./athenaWorkgroupScanLimit";
import { lakeBucketsEncryptedPrivate } from "./lakeBucketsEncryptedPrivate";

/** Every analytics rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [athenaWorkgroupEnforced, athenaWorkgroupScanLimit, lakeBucketsEncryptedPrivate];
