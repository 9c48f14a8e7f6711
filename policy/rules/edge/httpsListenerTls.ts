import type { ResourceRule } from "../types";
import { LISTENER_TYPES } from "./loadBalancers";
import { present } from "./unknowns";

/**
 * TLS 1.2 or newer only. Matching whole families by prefix would be wrong: `ELBSecurityPolicy-TLS13-1-0-*`
 * and `-TLS13-1-1-*` support TLS 1.3 but still accept 1.0/1.1, and `-FS-1-1-*` accepts 1.1. So the
 * allow-list is the families whose minimum is 1.2 or 1.3 (`-TLS13-1-2-*` incl. Res/Ext/FIPS/PQ
 * variants, `-TLS13-1-3-*`, `-TLS-1-2-*`, `-FS-1-2-*`).
 */
export const TLS12_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]|TLS-1-2|FS-1-2)-[A-Za-z0-9-]+$/;

const TLS_PROTOCOLS = ["HTTPS", "TLS"];

export const lbHttpsListenersUseTls12AndCertificate: ResourceRule = {
  name: "lb-https-listeners-use-tls12-and-certificate",
  description:
    "HTTPS and TLS listeners name an ELB security policy whose minimum is TLS 1.2 (TLS13-1-2/1-3, TLS-1-2 or FS-1-2 families) and a certificate, so clients never negotiate TLS 1.0/1.1 and the provider's older default policy is never used.",
  meta: { category: "security", domain: "edge", appliesTo: LISTENER_TYPES, fsbp: "ELB.17" },
  validateResource: (args, report) => {
    if (!LISTENER_TYPES.includes(args.type)) return;
    const props = args.props;
    if (!TLS_PROTOCOLS.includes(props.protocol)) return;
    const policy: unknown = props.sslPolicy;
    if (typeof policy !== "string" || policy === "") {
      report(`${props.protocol} listener has no sslPolicy, so AWS picks its default; set a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`);
    } else if (!TLS12_POLICY.test(policy)) {
      report(`sslPolicy "${policy}" accepts TLS versions below 1.2; use a TLS13-1-2, TLS13-1-3, TLS-1-2 or FS-1-2 policy`);
    }
    // Presence only: the ARN is usually the output of a certificate and unknown during preview.
    if (!present(props, "certificateArn")) {
      report(`${props.protocol} listener has no certificateArn`);
    }
  },
};
