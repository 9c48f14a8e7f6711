import { expect } from "chai";
import fc from "fast-check";
import { ecrRepositoryArn, imageIssues, isImmutableImage, parseImage } from "../../components/compute/imageRule";

const ECR = "111111111111.dkr.ecr.me-south-1.amazonaws.com";
const hex = (min: number, max: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(..."0123456789abcdef"), { minLength: min, maxLength: max }).map((a) => a.join(""));
const repo = fc.constantFrom(`${ECR}/tila/checkout`, "tila/checkout", "nginx", "public.ecr.aws/docker/library/nginx", "localhost:5000/app", "ghcr.io/tila-sa/cart");
const nat = fc.integer({ min: 0, max: 999 });
const semver = fc.tuple(fc.boolean(), nat, nat, nat, fc.option(fc.constantFrom("rc.1", "beta.2", "alpha", "hotfix-3"), { nil: undefined }))
  .map(([v, a, b, c, pre]) => `${v ? "v" : ""}${a}.${b}.${c}${pre ? `-${pre}` : ""}`);
const gitSha = fc.tuple(fc.boolean(), hex(7, 40), fc.option(fc.integer({ min: 1, max: 99999 }), { nil: undefined }))
  .map(([prefixed, h, build]) => `${prefixed ? "sha-" : ""}${h}${build === undefined ? "" : `-b${build}`}`);
const digest = hex(64, 64).map((h) => `sha256:${h}`);
const floating = fc.oneof(
  fc.constantFrom("latest", "stable", "main", "master", "prod", "release", "dev", "edge", "LATEST"),
  nat.map(String).filter((s) => s.length < 7),
  fc.tuple(nat, nat).map(([a, b]) => `${a}.${b}`),
  fc.tuple(nat, nat, nat, fc.constantFrom("SNAPSHOT", "latest", "nightly")).map(([a, b, c, p]) => `${a}.${b}.${c}-${p}`),
);

describe("imageRule", () => {
  describe("parseImage", () => {
    it("splits registry, repository, tag and digest", () => {
      expect(parseImage(`${ECR}/tila/checkout:1.7.5`)).to.deep.equal({ registry: ECR, repository: "tila/checkout", tag: "1.7.5", digest: undefined });
      expect(parseImage("localhost:5000/app")).to.deep.equal({ registry: "localhost:5000", repository: "app", tag: undefined, digest: undefined });
      expect(parseImage(`nginx:1.27.0@sha256:${"0".repeat(64)}`)).to.deep.equal({ registry: undefined, repository: "nginx", tag: "1.27.0", digest: `sha256:${"0".repeat(64)}` });
    });

    it("refuses what is not an image reference", () => {
      for (const bad of ["", "Tila/Checkout:1.0.0", "app:", "app@sha256:abc", "app:bad tag", `${ECR}/:1.0.0`]) expect(parseImage(bad), bad).to.equal(undefined);
    });
  });

  describe("immutability", () => {
    it("accepts every digest reference, even one that also carries a moving tag", () => {
      fc.assert(fc.property(repo, digest, fc.option(fc.constantFrom("latest", "main", "1.2.3"), { nil: undefined }), (r, d, tag) => {
        expect(imageIssues("image", `${r}${tag ? `:${tag}` : ""}@${d}`)).to.deep.equal([]);
      }));
    });

    it("accepts full semantic version tags and git SHA tags", () => {
      fc.assert(fc.property(repo, fc.oneof(semver, gitSha), (r, tag) => {
        expect(isImmutableImage(`${r}:${tag}`), `${r}:${tag}`).to.equal(true);
      }));
    });

    it("refuses latest, floating versions, branch names and re-pushed pre-releases, naming the field", () => {
      fc.assert(fc.property(repo, floating, (r, tag) => {
        const issues = imageIssues("services[3].image", `${r}:${tag}`);
        expect(issues, `${r}:${tag}`).to.have.length(1);
        expect(issues[0]).to.match(/^services\[3\]\.image: /);
      }));
    });

    it("refuses an image with no tag, which pulls latest", () => {
      fc.assert(fc.property(repo, (r) => {
        expect(imageIssues("image", r)[0]).to.include("has no tag or digest");
      }));
    });

    it("never throws, and agrees with parseImage on what is a reference at all (property)", () => {
      fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => {
        const issues = imageIssues("image", s);
        if (parseImage(s) === undefined) expect(issues[0]).to.include("is not a valid image reference");
        expect(isImmutableImage(s)).to.equal(issues.length === 0);
      }));
    });
  });

  describe("ecrRepositoryArn", () => {
    it("derives the repository ARN, in the registry's account, region and partition", () => {
      expect(ecrRepositoryArn(`${ECR}/tila/checkout:1.7.5`)).to.equal("arn:aws:ecr:me-south-1:111111111111:repository/tila/checkout");
      expect(ecrRepositoryArn(`222222222222.dkr.ecr.cn-north-1.amazonaws.com.cn/app@sha256:${"1".repeat(64)}`)).to.equal("arn:aws-cn:ecr:cn-north-1:222222222222:repository/app");
      expect(ecrRepositoryArn("333333333333.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1.0.0")).to.equal("arn:aws-us-gov:ecr:us-gov-west-1:333333333333:repository/app");
    });

    it("is undefined for registries other than private ECR", () => {
      for (const image of ["nginx:1.27.0", "public.ecr.aws/docker/library/nginx:1.27.0", "ghcr.io/tila-sa/cart:1.0.0"]) expect(ecrRepositoryArn(image), image).to.equal(undefined);
    });
  });
});
