import { expect } from "chai";
import {
  executionRoleArn,
  executionRoleName,
  executionRoleNameIssue,
  imageRegistry,
  imageRepositoryName,
  imageTag,
  partitionOf,
  platformImageIssue,
  platformImagePrefix,
  repositoryNameIssue,
} from "../../components/compute/imageNames";

const WHERE = { accountId: "111111111111", region: "me-south-1", service: "checkout" };

describe("image names shared by the management stack and the environments", () => {
  it("names the repository, the registry and the execution role the same way on both sides", () => {
    expect(imageRepositoryName("checkout")).to.equal("tila/checkout");
    expect(imageRegistry("111111111111", "me-south-1")).to.equal("111111111111.dkr.ecr.me-south-1.amazonaws.com");
    expect(imageRegistry("111111111111", "cn-north-1")).to.equal("111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn");
    expect(platformImagePrefix("111111111111", "me-south-1", "checkout")).to.equal("111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout");
    expect(executionRoleName("prod", "checkout")).to.equal("tila-prod-checkout-execution");
    expect(executionRoleArn("aws", "444444444444", "prod", "checkout")).to.equal("arn:aws:iam::444444444444:role/tila-prod-checkout-execution");
    expect([partitionOf("me-south-1"), partitionOf("cn-north-1"), partitionOf("us-gov-west-1")]).to.deep.equal(["aws", "aws-cn", "aws-us-gov"]);
  });

  it("fits every execution role name in IAM's 64 characters for the longest service name", () => {
    expect(executionRoleNameIssue("preprod", "a".repeat(25))).to.equal(undefined);
    expect(executionRoleNameIssue("preprod", "a".repeat(50))).to.match(/is 73 characters; IAM allows 64/);
  });

  it("takes as repository names only what ECR's CreateRepository pattern accepts", () => {
    for (const ok of ["checkout", "a--b", "web_app", "v2.api"]) expect(repositoryNameIssue(ok), ok).to.equal(undefined);
    for (const bad of ["cart-", "-cart", "Cart", "a_-b"]) expect(repositoryNameIssue(bad), bad).to.match(/cannot name an ECR repository/);
  });

  it("accepts a tagged image of the service's own repository in the management account, with or without a digest", () => {
    expect(platformImageIssue("111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5", WHERE)).to.equal(undefined);
    expect(platformImageIssue(`111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5@sha256:${"a".repeat(64)}`, WHERE)).to.equal(undefined);
  });

  it("refuses another account, region, service or registry, and a digest without a tag", () => {
    const refused = [
      "222222222222.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5",
      "111111111111.dkr.ecr.me-central-1.amazonaws.com/tila/checkout:1.7.5",
      "111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/cart:1.7.5",
      "ghcr.io/tila/checkout:1.7.5",
      "checkout:1.7.5",
    ];
    for (const image of refused) expect(platformImageIssue(image, WHERE), image).to.match(/is not in the platform repository of checkout: images come from 111111111111\.dkr\.ecr\.me-south-1\.amazonaws\.com\/tila\/checkout:<tag>/);
    expect(platformImageIssue(`111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout@sha256:${"a".repeat(64)}`, WHERE)).to.match(/names no tag/);
  });

  it("reads an image's tag", () => {
    expect(imageTag("111111111111.dkr.ecr.me-south-1.amazonaws.com/tila/checkout:1.7.5")).to.equal("1.7.5");
    expect(imageTag("tila/checkout")).to.equal(undefined);
  });
});
