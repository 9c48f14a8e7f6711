import { expect } from "chai";
import { TLS12_POLICY, lbHttpsListenersUseTls12AndCertificate as rule } from "../../../../policy/rules/edge/httpsListenerTls";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";
import { ALB_LISTENER, LISTENER, httpListener, httpsListener } from "./fixtures";

describe("lb-https-listeners-use-tls12-and-certificate", () => {
  it("accepts an HTTPS listener with a TLS 1.2+ policy and a certificate, under both type tokens", () => {
    expect(checkResource(rule, LISTENER, httpsListener())).to.deep.equal([]);
    expect(checkResource(rule, ALB_LISTENER, httpsListener())).to.deep.equal([]);
    expect(checkResource(rule, LISTENER, httpsListener({ protocol: "TLS", sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }))).to.deep.equal([]);
  });

  it("rejects a listener without sslPolicy or without a certificate", () => {
    expect(checkResource(rule, LISTENER, httpsListener({ sslPolicy: undefined }))).to.have.length(1).and.match(/no sslPolicy/);
    expect(checkResource(rule, ALB_LISTENER, httpsListener({ certificateArn: undefined }))).to.deep.equal(["HTTPS listener has no certificateArn"]);
  });

  it("rejects policies that still accept TLS 1.0 or 1.1, including TLS13 families with a 1.0/1.1 floor", () => {
    for (const policy of ["ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ELBSecurityPolicy-TLS13-1-1-2021-06", "ELBSecurityPolicy-FS-1-1-2019-08", "ELBSecurityPolicy-TLS-1-1-2017-01"]) {
      expect(checkResource(rule, LISTENER, httpsListener({ sslPolicy: policy })), policy).to.have.length(1);
    }
  });

  it("allows the TLS 1.2 and 1.3 policy families", () => {
    for (const policy of ["ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10"]) {
      expect(TLS12_POLICY.test(policy), policy).to.equal(true);
    }
  });

  it("ignores plain-HTTP listeners and tolerates a certificate ARN unknown during preview", () => {
    expect(checkResource(rule, LISTENER, httpListener())).to.deep.equal([]);
    const out = checkResourceDetailed(rule, LISTENER, httpsListener({ certificateArn: UNKNOWN }));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.deep.equal([]);
  });
});
