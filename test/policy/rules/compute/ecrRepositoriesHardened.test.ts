import { expect } from "chai";
import { ecrRepositoriesHardened as rule } from "../../../../policy/rules/compute/ecrRepositoriesHardened";
import { StackResourceSpec, UNKNOWN, checkStack } from "../../../../policy/testing";

const REPO = "aws:ecr/repository:Repository";
const POLICY = "aws:ecr/repositoryPolicy:RepositoryPolicy";
const LIFECYCLE = "aws:ecr/lifecyclePolicy:LifecyclePolicy";

const PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];
const pullStatement = {
  Sid: "PullByTheServiceExecutionRoles",
  Effect: "Allow",
  Principal: { AWS: ["arn:aws:iam::444444444444:root"] },
  Action: PULL,
  Condition: { ArnEquals: { "aws:PrincipalArn": ["arn:aws:iam::444444444444:role/tila-prod-cart-execution"] } },
};

function repository(over: Record<string, unknown> = {}, statements: unknown[] = [pullStatement], lifecycle = true): StackResourceSpec[] {
  const out: StackResourceSpec[] = [
    { type: REPO, name: "images-cart", props: { name: "tila/cart", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: "arn:aws:kms:me-south-1:111111111111:key/k" }], ...over } },
    { type: POLICY, name: "images-cart-policy", props: { repository: "tila/cart", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) } },
  ];
  if (lifecycle) out.push({ type: LIFECYCLE, name: "images-cart-lifecycle", props: { repository: "tila/cart", policy: "{}" } });
  return out;
}

const messages = (specs: StackResourceSpec[]): string[] => checkStack(rule, specs).map((v) => v.message);

describe("ecr-repositories-hardened", () => {
  it("accepts the management stack's repositories: immutable, scanned, KMS, a lifecycle policy, pull-only to named roles", () => {
    expect(messages(repository())).to.deep.equal([]);
  });

  it("refuses mutable tags, no scan on push, AES256 encryption and a missing lifecycle policy, on the repository", () => {
    expect(messages(repository({ imageTagMutability: "MUTABLE", imageScanningConfiguration: { scanOnPush: false }, encryptionConfigurations: [{ encryptionType: "AES256" }] }, [pullStatement], false))).to.deep.equal([
      "repository tila/cart: imageTagMutability is MUTABLE, not IMMUTABLE",
      "repository tila/cart: scan on push is off",
      "repository tila/cart: not encrypted with KMS (encryptionConfigurations.encryptionType KMS)",
      "repository tila/cart: no lifecycle policy",
    ]);
    expect(messages(repository({ imageTagMutability: undefined }))).to.deep.equal(["repository tila/cart: imageTagMutability is unset (MUTABLE), not IMMUTABLE"]);
  });

  it("refuses a repository policy that lets another account push or administer", () => {
    expect(messages(repository({}, [{ ...pullStatement, Action: [...PULL, "ecr:PutImage"] }]))).to.deep.equal([
      'repository policy of tila/cart: statement "PullByTheServiceExecutionRoles" grants ecr:PutImage; a repository policy may grant only pulls (ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer, ecr:DescribeImages, ecr:ListImages)',
    ]);
    expect(messages(repository({}, [{ ...pullStatement, Action: "ecr:*" }]))).to.have.length(1);
  });

  it("refuses pulls by any principal unless a condition narrows them", () => {
    expect(messages(repository({}, [{ Effect: "Allow", Principal: "*", Action: PULL }]))).to.deep.equal(['repository policy of tila/cart: a statement allows any principal ("*") without a condition']);
    expect(messages(repository({}, [{ Effect: "Allow", Principal: { AWS: "*" }, Action: PULL, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } }]))).to.deep.equal([]);
  });

  it("ignores Deny statements and reports nothing while a setting is unknown during preview", () => {
    expect(messages(repository({}, [pullStatement, { Effect: "Deny", Principal: "*", Action: "ecr:*" }]))).to.deep.equal([]);
    expect(messages(repository({ imageTagMutability: UNKNOWN, encryptionConfigurations: UNKNOWN }))).to.deep.equal([]);
  });
});
