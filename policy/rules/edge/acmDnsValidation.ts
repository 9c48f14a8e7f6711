import type { ResourceRule } from "../types";

const CERTIFICATE = "aws:acm/certificate:Certificate";

export const acmCertificatesDnsValidated: ResourceRule = {
  name: "acm-certificates-dns-validated",
  description:
    "ACM certificates that Amazon issues use DNS validation, so they renew automatically without anyone answering validation e-mail and cannot lapse unnoticed; imported and private-CA certificates are not validated by ACM and are skipped.",
  meta: { category: "security", domain: "edge", appliesTo: [CERTIFICATE] },
  validateResource: (args, report) => {
    if (args.type !== CERTIFICATE) return;
    const props = args.props;
    if ("certificateBody" in props || "privateKey" in props || "certificateAuthorityArn" in props) return;
    const method: unknown = props.validationMethod;
    if (method !== "DNS") report(`validationMethod is ${method === undefined ? "unset" : `"${String(method)}"`}; use "DNS" so renewal is automatic`);
  },
};
