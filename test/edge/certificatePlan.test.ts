import { expect } from "chai";
import * as fc from "fast-check";
import { DEFAULT_KEY_ALGORITHM, resolveCertificate, validationDomain, validationRecords } from "../../components/edge/certificatePlan";
import { tagsFor } from "./edgeHarness";

describe("certificatePlan", () => {
  describe("validationRecords", () => {
    it("gives a wildcard and its apex one shared record", () => {
      expect(validationRecords(["tila.sa", "*.tila.sa"])).to.deep.equal([
        { domain: "tila.sa", coveredNames: ["tila.sa", "*.tila.sa"], slug: "tila-sa" },
      ]);
    });

    it("keeps one record per distinct base domain, in the order given", () => {
      const records = validationRecords(["api.tila.sa", "*.tila.sa", "www.tila.sa", "tila.sa"]);
      expect(records.map((r) => r.domain)).to.deep.equal(["api.tila.sa", "tila.sa", "www.tila.sa"]);
      expect(records.map((r) => r.slug)).to.deep.equal(["api-tila-sa", "tila-sa", "www-tila-sa"]);
    });

    it("validates a lone wildcard through its base domain", () => {
      expect(validationRecords(["*.dev.tila.sa"])).to.deep.equal([{ domain: "dev.tila.sa", coveredNames: ["*.dev.tila.sa"], slug: "dev-tila-sa" }]);
    });

    it("names each record after its domain, so reordering names never renames a record", () => {
      const label = fc.constantFrom("api", "www", "m", "static", "*");
      const names = fc.uniqueArray(fc.tuple(label, fc.constantFrom("tila.sa", "dev.tila.sa")).map(([l, d]) => `${l}.${d}`), { minLength: 1, maxLength: 8 });
      const listAndShuffle = names.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list, { minLength: list.length, maxLength: list.length })));
      fc.assert(fc.property(listAndShuffle, ([list, shuffled]) => {
        const slugsOf = (l: string[]): Record<string, string> => Object.fromEntries(validationRecords(l).map((r) => [r.domain, r.slug]));
        expect(slugsOf(shuffled)).to.deep.equal(slugsOf(list));
        // Exactly one record per distinct base domain, covering every name once.
        const records = validationRecords(list);
        expect(records.length).to.equal(new Set(list.map(validationDomain)).size);
        expect(records.flatMap((r) => r.coveredNames).sort()).to.deep.equal([...list].sort());
      }));
    });
  });

  describe("resolveCertificate", () => {
    it("defaults to RSA 2048 and keeps the names as given", () => {
      const r = resolveCertificate({ domainName: "tila.sa", subjectAlternativeNames: ["*.tila.sa"], tags: tagsFor("prod") });
      expect(r.ok).to.equal(true);
      if (!r.ok) return;
      expect(DEFAULT_KEY_ALGORITHM).to.equal("RSA_2048");
      expect(r.value).to.include({ domainName: "tila.sa", keyAlgorithm: "RSA_2048" });
      expect(r.value.validationRecords).to.have.length(1);
    });

    it("accepts an ECDSA key when asked", () => {
      const r = resolveCertificate({ domainName: "api.tila.sa", keyAlgorithm: "EC_prime256v1", tags: tagsFor("prod") });
      expect(r.ok && r.value.keyAlgorithm).to.equal("EC_prime256v1");
    });

    it("reports every bad field at once", () => {
      const r = resolveCertificate({
        domainName: "API.tila.sa.",
        subjectAlternativeNames: ["www.*.tila.sa", "API.tila.sa.", "ok.tila.sa", "ok.tila.sa"],
        keyAlgorithm: "RSA_1024",
        tags: { Environment: "prod", Owner: "", CostCenter: "cc", ManagedBy: "pulumi" },
      });
      expect(r.ok).to.equal(false);
      if (r.ok) return;
      const fields = r.issues.map((i) => i.split(":")[0]);
      expect(fields).to.include.members(["domainName", "subjectAlternativeNames[0]", "subjectAlternativeNames[1]", "subjectAlternativeNames[3]", "keyAlgorithm", "tags.Owner"]);
      expect(r.issues.join("\n")).to.match(/subjectAlternativeNames\[3\]: "ok.tila.sa" is already on the certificate/);
    });

    it("rejects more names than ACM's default quota", () => {
      const sans = Array.from({ length: 10 }, (_, i) => `h${i}.tila.sa`);
      const r = resolveCertificate({ domainName: "tila.sa", subjectAlternativeNames: sans, tags: tagsFor("prod") });
      expect(r.ok).to.equal(false);
      expect(r.ok ? [] : r.issues).to.deep.equal(["subjectAlternativeNames: 11 names exceed ACM's default quota of 10 per certificate"]);
    });
  });
});
