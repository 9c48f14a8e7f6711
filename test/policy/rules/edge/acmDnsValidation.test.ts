import { expect } from "chai";
import { acmCertificatesDnsValidated as rule } from "../../../../policy/rules/edge/acmDnsValidation";
import { checkResource } from "../../../../policy/testing";

const CERT = "aws:acm/certificate:Certificate";

describe("acm-certificates-dns-validated", () => {
  it("accepts a DNS-validated certificate", () => {
    expect(checkResource(rule, CERT, { domainName: "api.tila.sa", validationMethod: "DNS" })).to.deep.equal([]);
  });

  it("rejects e-mail validation and an unset method", () => {
    expect(checkResource(rule, CERT, { domainName: "api.tila.sa", validationMethod: "EMAIL" })).to.have.length(1).and.match(/"EMAIL"/);
    expect(checkResource(rule, CERT, { domainName: "api.tila.sa" })).to.have.length(1).and.match(/unset/);
  });

  it("skips imported and private-CA certificates", () => {
    expect(checkResource(rule, CERT, { certificateBody: "-----BEGIN", privateKey: "k" })).to.deep.equal([]);
    expect(checkResource(rule, CERT, { domainName: "x.internal", certificateAuthorityArn: "arn:aws:acm-pca:..." })).to.deep.equal([]);
  });
});
