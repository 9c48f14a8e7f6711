import { expect } from "chai";
import * as path from "path";
import { readStackFiles } from "../../config/load";
import { deployedImages, imageDeployments, managementImageIssues } from "../../config/images";
import { RawConfig, validateStackConfig } from "../../config/validate";

const real = readStackFiles(path.resolve(__dirname, "../..")).raw;
const REGISTRY = "111111111111.dkr.ecr.me-south-1.amazonaws.com";

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

type Catalog = { name: string; image: string }[];
const catalogOf = (raw: RawConfig): Catalog => (raw.services as { catalog: Catalog }).catalog;

/** The issues of `stack` whose key path contains `services.catalog` (other sections are not under test). */
function catalogIssues(stack: string, raw: RawConfig, others = real): string[] {
  const r = validateStackConfig(stack, "me-south-1", raw, others);
  return r.ok ? [] : r.issues.filter((i) => i.path.includes("services.catalog")).map((i) => `${i.path}: ${i.message}`);
}

describe("config: images come from the management account's repositories", () => {
  it("accepts every real environment's catalogue", () => {
    for (const env of ["dev", "stage", "preprod", "prod"]) expect(catalogIssues(env, real[env as "dev"]!), env).to.deep.equal([]);
  });

  it("refuses an image from another registry, account or service's repository, naming the key", () => {
    const raw = clone(real.prod!);
    const catalog = catalogOf(raw);
    const checkout = catalog.findIndex((s) => s.name === "checkout");
    const cart = catalog.findIndex((s) => s.name === "cart");
    const users = catalog.findIndex((s) => s.name === "users");
    catalog[checkout].image = "444444444444.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5";
    catalog[cart].image = `${REGISTRY}/tila/checkout:1.19.2`;
    catalog[users].image = "docker.io/tila/users:1.11.3";
    const issues = catalogIssues("prod", raw);
    expect(issues).to.have.length(3);
    expect(issues[0]).to.equal(
      `tila-platform:services.catalog[${cart}].image: "${REGISTRY}/tila/checkout:1.19.2" is not in the platform repository of cart: images come from ${REGISTRY}/tila/cart:<tag> in the management account`,
    );
    expect(issues.map((i) => i.split(":")[1])).to.deep.equal([`services.catalog[${cart}].image`, `services.catalog[${checkout}].image`, `services.catalog[${users}].image`]);
  });

  it("refuses an image pinned only by digest: the lifecycle policy keeps deployed images by tag", () => {
    const raw = clone(real.dev!);
    catalogOf(raw)[0].image = `${REGISTRY}/tila/storefront@sha256:${"b".repeat(64)}`;
    expect(catalogIssues("dev", raw)).to.deep.equal([
      `tila-platform:services.catalog[0].image: "${REGISTRY}/tila/storefront@sha256:${"b".repeat(64)}" names no tag; give the tag the image was pushed with (${REGISTRY}/tila/storefront:<tag>[@sha256:...]), which the repository's lifecycle policy keeps while it is deployed`,
    ]);
  });

  it("reads, for management, which tag of which service each environment runs", () => {
    const images = deployedImages(real);
    expect(images).to.have.length(40);
    const checkout = imageDeployments(images).filter((d) => d.service === "checkout");
    expect(checkout.map((d) => `${d.environment} ${d.accountId} ${d.tag}`)).to.deep.equal([
      `dev ${real.dev!.accountId} 1.7.5`,
      `stage ${real.stage!.accountId} 1.7.5`,
      `preprod ${real.preprod!.accountId} 1.7.5`,
      `prod ${real.prod!.accountId} 1.7.5`,
    ]);
    expect(managementImageIssues(images)).to.deep.equal([]);
  });

  it("refuses in management what it cannot build a repository or a keep rule from, naming the environment's key", () => {
    const dev = clone(real.dev!);
    catalogOf(dev)[1].name = "catalog-";
    catalogOf(dev)[2].image = `${REGISTRY}/tila/search`;
    const r = validateStackConfig("management", "me-south-1", real.management!, { ...real, dev });
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).to.deep.equal([
      'Pulumi.dev.yaml tila-platform:services.catalog[1].name: "catalog-" cannot name an ECR repository: ECR takes lower-case letters and digits joined by dots, dashes or underscores, never at the end; the management stack creates the repository tila/<service>',
      `Pulumi.dev.yaml tila-platform:services.catalog[2].image: "${REGISTRY}/tila/search" has no tag the management stack's lifecycle policy could keep`,
    ]);
  });

  it("gives the management stack the images and the environments none (their keys stay independent of each other's services)", () => {
    const mgmt = validateStackConfig("management", "me-south-1", real.management!, real);
    const prod = validateStackConfig("prod", "me-south-1", real.prod!, real);
    expect(mgmt.ok && mgmt.config.plan.images.length).to.equal(40);
    expect(prod.ok && prod.config.plan.images).to.deep.equal([]);
  });
});
