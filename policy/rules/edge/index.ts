import type { Rule } from "../types";
import { acmCertificatesDnsValidated } from "./acmDnsValidation";
import { albAccessLogsEnabled } from "./albAccessLogs";
import { albDesyncMitigationDefensiveOrStrictest } from "./albDesyncMitigation";
import { albDropsInvalidHeaderFields } from "./albDropInvalidHeaders";
import { albInternetFacingWafAssociated } from "./albWafAssociated";
import { edgeLogsRetainedForAudit } from "./edgeLogsRetainedForAudit";
import { lbHttpListenerRulesRedirectToHttps } from "./httpListenerRules";
import { lbHttpListenersRedirectToHttps } from "./httpListenerRedirect";
import { lbHttpsListenersUseTls12AndCertificate } from "./httpsListenerTls";
import { lbDeletionProtectionInProd } from "./lbDeletionProtection";
import { lbTargetGroupsHealthChecked } from "./targetGroupHealthChecks";
import { wafWebAclLoggingConfigured } from "./wafLogging";
import { wafWebAclRateLimitAndCommonRules } from "./wafWebAclRules";
import { wafRateLimitBounded } from "./wafRateLimitBounded";

/** Every edge rule, in catalogue order. Rule authors: import your rule and add it here. */
export const rules: Rule[] = [
  lbHttpsListenersUseTls12AndCertificate,
  lbHttpListenersRedirectToHttps,
  lbHttpListenerRulesRedirectToHttps,
  albDropsInvalidHeaderFields,
  albDesyncMitigationDefensiveOrStrictest,
  albAccessLogsEnabled,
  lbDeletionProtectionInProd,
  lbTargetGroupsHealthChecked,
  albInternetFacingWafAssociated,
  wafWebAclRateLimitAndCommonRules,
  wafRateLimitBounded,
  wafWebAclLoggingConfigured,
  edgeLogsRetainedForAudit,
  acmCertificatesDnsValidated,
];
