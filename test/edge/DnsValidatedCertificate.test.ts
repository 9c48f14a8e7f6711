import * as aws from "@pulumi/aws";
import { expect } from "chai";
import { DnsValidatedCertificate } from "../../components/edge/DnsValidatedCertificate";
import { CaptureResult } from "../../offline/types";
import { T, captureError, expectParentedAndTagged, ofType, one, only, providerRef, run, tagsFor } from "./edgeHarness";

const COMPONENT = "tila:edge:DnsValidatedCertificate";
const HUB_ZONE = "Z0HUBPUBLICZONE";

interface Dvo {
  domainName: string;
  resourceRecordName: string;
  resourceRecordType: string;
  resourceRecordValue: string;
}

describe("DnsValidatedCertificate", () => {
  describe("for the apex, its wildcard and the API name, validated in the hub account's zone", () => {
    let result: CaptureResult;
    let dvos: Dvo[];

    before(async () => {
      result = await run(() => {
        const hub = new aws.Provider("hub", { region: "me-south-1" });
        const cert = new DnsValidatedCertificate("prod-public-cert", {
          domainName: "tila.sa",
          subjectAlternativeNames: ["*.tila.sa", "api.tila.sa"],
          zoneId: HUB_ZONE,
          zoneProvider: hub,
          tags: tagsFor("prod"),
        });
        return { certificateArn: cert.certificateArn, validationRecordFqdns: cert.validationRecordFqdns };
      });
      dvos = only(result, T.CERTIFICATE).outputs.domainValidationOptions as Dvo[];
    });

    it("requests a DNS-validated RSA 2048 certificate for every name", () => {
      expect(only(result, T.CERTIFICATE).inputs).to.deep.include({
        domainName: "tila.sa", subjectAlternativeNames: ["*.tila.sa", "api.tila.sa"], validationMethod: "DNS", keyAlgorithm: "RSA_2048",
      });
    });

    it("writes one record per distinct validation name: the wildcard shares the apex's", () => {
      const records = ofType(result, T.RECORD);
      expect(records.map((r) => r.name)).to.deep.equal(["prod-public-cert-validation-tila-sa", "prod-public-cert-validation-api-tila-sa"]);
      const apex = dvos.find((d) => d.domainName === "tila.sa") as Dvo;
      const api = dvos.find((d) => d.domainName === "api.tila.sa") as Dvo;
      expect(records[0].inputs).to.deep.include({ name: apex.resourceRecordName, type: "CNAME", records: [apex.resourceRecordValue], ttl: 300, allowOverwrite: true });
      expect(records[1].inputs).to.deep.include({ name: api.resourceRecordName, type: "CNAME", records: [api.resourceRecordValue] });
    });

    it("writes the records into the given zone through the zone's provider", () => {
      const hub = one(result, T.AWS_PROVIDER, "hub");
      for (const r of ofType(result, T.RECORD)) {
        expect(r.inputs.zoneId, r.name).to.equal(HUB_ZONE);
        expect(r.options.provider, r.name).to.equal(providerRef(hub));
      }
      // The certificate stays with the load balancer's (default) provider.
      expect(only(result, T.CERTIFICATE).options.provider).not.to.equal(providerRef(hub));
      expect(only(result, T.CERTIFICATE_VALIDATION).options.provider).not.to.equal(providerRef(hub));
    });

    it("validates the certificate only after the records exist, naming them", () => {
      const validation = only(result, T.CERTIFICATE_VALIDATION);
      const records = ofType(result, T.RECORD);
      expect(validation.inputs.certificateArn).to.equal(only(result, T.CERTIFICATE).outputs.arn);
      expect(validation.inputs.validationRecordFqdns).to.have.members(records.map((r) => r.inputs.name));
      expect(validation.options.dependsOn).to.include.members(records.map((r) => r.urn));
    });

    it("outputs the validated certificate's ARN and the record names", () => {
      expect(result.outputs.certificateArn).to.equal(only(result, T.CERTIFICATE).outputs.arn);
      expect(result.outputs.validationRecordFqdns).to.deep.equal(ofType(result, T.RECORD).map((r) => r.inputs.name));
    });

    it("parents every resource to the component and tags the certificate", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-public-cert");
      expect((only(result, T.CERTIFICATE).inputs.tags as Record<string, string>).Name).to.equal("tila.sa");
    });
  });

  it("refuses bad names, listing every field", async () => {
    const err = await captureError(() => new DnsValidatedCertificate("bad-cert", {
      domainName: "Tila.SA", subjectAlternativeNames: ["api..tila.sa"], zoneId: "Z1", tags: { ...tagsFor("prod"), Owner: "" },
    }));
    expect(err.message).to.include('DnsValidatedCertificate "bad-cert"');
    expect(err.message).to.match(/domainName: "Tila.SA".*subjectAlternativeNames\[0\]: "api..tila.sa".*tags.Owner: required tag is missing/s);
  });
});
