import { expect } from "chai";
import * as fc from "fast-check";
import { readStackFiles } from "../../config/load";
import { ENVIRONMENTS } from "../../config/schema";
import { engineInstanceTypeIssue } from "../../components/data/clusterPlan";
import { ENGINE_PROFILES, EngineName } from "../../components/data/engines";
import { AMI_PARAMETERS, Architecture, hasInstanceStore, instanceArchitecture, instanceTypeIssue } from "../../components/data/instanceTypes";

/** Instance type -> architecture, as AWS documents each family's processor. */
const TABLE: Record<string, Architecture | undefined> = {
  // Graviton: the `g` processor letter, with or without network/storage letters after it.
  "m7g.large": "arm64", "r7g.xlarge": "arm64", "c7g.large": "arm64", "c7gn.2xlarge": "arm64", "r7gd.xlarge": "arm64",
  "m6g.large": "arm64", "c6gn.xlarge": "arm64", "r8g.large": "arm64", "m8g.medium": "arm64", "x8g.xlarge": "arm64",
  "t4g.large": "arm64", "m7g.medium": "arm64",
  // Intel (`i`) and AMD (`a`).
  "m7i.large": "x86_64", "r7i.xlarge": "x86_64", "c7i.large": "x86_64", "m6i.large": "x86_64", "r6i.2xlarge": "x86_64",
  "c6in.xlarge": "x86_64", "r7iz.large": "x86_64", "m7i-flex.large": "x86_64", "c7i-flex.xlarge": "x86_64", "x2iezn.2xlarge": "x86_64",
  "m7a.large": "x86_64", "r7a.medium": "x86_64", "c7a.xlarge": "x86_64", "m6a.large": "x86_64", "m5a.large": "x86_64", "t3a.large": "x86_64",
  // Intel before the processor letter existed.
  "m5.large": "x86_64", "c5.xlarge": "x86_64", "r5.large": "x86_64", "c5n.large": "x86_64", "r5b.large": "x86_64", "m5zn.large": "x86_64", "t3.large": "x86_64",
  // Unknown: older or unmarked generations, families outside m/c/r/x/t, and non-names.
  "m4.large": undefined, "t2.micro": undefined, "x1.16xlarge": undefined, "a1.large": undefined, "g5g.xlarge": undefined,
  "hpc7g.4xlarge": undefined, "p4d.24xlarge": undefined, "i4g.large": undefined, "mac2.metal": undefined,
  "r7g": undefined, "R7G.large": undefined, "r7g.xlarge ": undefined, "": undefined, "db.r7g.large": undefined, "r7g.large.search": undefined,
};

describe("instance types", () => {
  describe("instanceArchitecture", () => {
    for (const [type, arch] of Object.entries(TABLE)) {
      it(`reads "${type}" as ${arch ?? "unknown"}`, () => {
        expect(instanceArchitecture(type)).to.equal(arch);
      });
    }

    it("follows the processor letter after the generation, whatever attributes come after it", () => {
      const name = fc.record({
        family: fc.constantFrom("m", "c", "r", "x", "t"),
        generation: fc.integer({ min: 1, max: 9 }),
        processor: fc.constantFrom("g", "i", "a"),
        rest: fc.constantFrom("", "n", "d", "dn", "e", "z", "b", "-flex"),
        size: fc.constantFrom("medium", "large", "xlarge", "12xlarge", "metal"),
      });
      fc.assert(fc.property(name, (t) => {
        const type = `${t.family}${t.generation}${t.processor}${t.rest}.${t.size}`;
        expect(instanceArchitecture(type), type).to.equal(t.processor === "g" ? "arm64" : "x86_64");
      }));
    });
  });

  describe("instanceTypeIssue", () => {
    it("accepts EBS-only types of either architecture", () => {
      for (const type of ["r7g.xlarge", "c7gn.large", "t4g.large", "r7i.xlarge", "m7a.large", "m5zn.large", "t3.large"]) {
        expect(instanceTypeIssue(type), type).to.equal(undefined);
      }
    });

    it("refuses instance store types, which EC2 auto-recovery cannot move, whichever letter or family says so", () => {
      for (const type of ["r7gd.xlarge", "m6idn.large", "c5d.large", "m5ad.large", "x2gd.xlarge", "i4i.large", "i3en.large", "im4gn.large", "is4gen.medium", "d3.xlarge", "h1.2xlarge"]) {
        expect(hasInstanceStore(type), type).to.equal(true);
        expect(instanceTypeIssue(type), type).to.equal(`"${type}" has instance store volumes, which EC2 auto-recovery does not support`);
      }
      for (const type of ["r7g.xlarge", "c7gn.large", "r7iz.large", "m7i-flex.large", "x2iezn.2xlarge"]) expect(hasInstanceStore(type), type).to.equal(false);
    });

    it("refuses a name that is not an instance type, and one whose architecture is unknown, saying what would do", () => {
      expect(instanceTypeIssue("r7g")).to.equal('"r7g" is not an EC2 instance type such as "r7g.xlarge"');
      expect(instanceTypeIssue("db.r7g.large")).to.match(/is not an EC2 instance type/);
      for (const type of ["m4.large", "t2.micro", "g5g.xlarge", "p5.48xlarge", "a1.large"]) {
        expect(instanceTypeIssue(type), type).to.match(new RegExp(`^"${type.replace(".", "\\.")}" is not a type whose CPU architecture is known here: .*"r7g\\.xlarge" or "r6i\\.xlarge"$`));
      }
    });
  });

  it("boots the AL2023 AMI of each architecture", () => {
    expect(AMI_PARAMETERS).to.deep.equal({
      arm64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      x86_64: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    });
  });

  describe("in the stack files", () => {
    const { raw, issues } = readStackFiles();
    const clusters = ENVIRONMENTS.flatMap((env) => {
      const data = raw[env]?.data as { clusters?: { engine: EngineName; name?: string; instanceType?: string }[] } | undefined;
      return (data?.clusters ?? []).map((c) => ({ env, name: c.name ?? c.engine, engine: c.engine, instanceType: c.instanceType ?? ENGINE_PROFILES[c.engine].defaultInstanceType }));
    });

    it("reads every environment's clusters", () => {
      expect(issues).to.deep.equal([]);
      expect(new Set(clusters.map((c) => c.env))).to.have.keys(...ENVIRONMENTS);
    });

    it("gives every cluster an EBS-only type of known architecture that its engine runs on", () => {
      for (const c of clusters) {
        expect(instanceArchitecture(c.instanceType), `${c.env} ${c.name} ${c.instanceType}`).to.be.oneOf(["arm64", "x86_64"]);
        expect(engineInstanceTypeIssue(ENGINE_PROFILES[c.engine], c.instanceType), `${c.env} ${c.name}`).to.equal(undefined);
      }
    });

    it("runs ArangoDB on x86_64 and every other engine on Graviton", () => {
      for (const c of clusters) {
        expect(instanceArchitecture(c.instanceType), `${c.env} ${c.name} ${c.instanceType}`).to.equal(c.engine === "arangodb" ? "x86_64" : "arm64");
      }
      expect(clusters.filter((c) => c.engine === "arangodb").map((c) => [c.env, c.instanceType])).to.deep.equal([
        ["dev", "r6i.large"], ["stage", "r6i.large"], ["preprod", "r6i.xlarge"], ["prod", "r6i.xlarge"],
      ]);
    });
  });
});
