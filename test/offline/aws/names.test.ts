/** The name-limit check over hand-built captured resources: explicit, prefixed and auto names. */
import { expect } from "chai";
import { nameLimitCheck as check } from "../../../offline/aws/names";
import type { AwsContext } from "../../../offline/aws/rules";
import { resource } from "./support";

const ctx: AwsContext = { stack: "preprod", region: "me-south-1", accountId: "333333333333" };
const TG = "aws:lb/targetGroup:TargetGroup";

describe("name-limit check", () => {
  it("reports an auto-named target group over 32 characters as the preview error Pulumi would raise, naming resource, name, length and rule", () => {
    const findings = check([resource(TG, "preprod-recommendations-tg", { port: 8080 })], ctx);
    expect(findings.map((f) => [f.check, f.name, f.type])).to.deep.equal([["name-limit", "preprod-recommendations-tg", TG]]);
    expect(findings[0].message).to.match(
      /^target group name "preprod-recommendations-tg-[0-9a-f]{7}" would be 34 characters; AWS allows at most 32 \(Elastic Load Balancing CreateTargetGroup\), and Pulumi fails the preview/,
    );
    expect(findings[0].message).to.contain("plus 7 random chars is longer than maximum length 32").and.contain("Set name explicitly");
  });

  it("accepts an explicit target group name within the rule", () => {
    expect(check([resource(TG, "preprod-recommendations-tg", { name: "preprod-recommendations-2f9c1" })], ctx)).to.deep.equal([]);
  });

  it("reports an explicit name over AWS's limit with its length and source", () => {
    const findings = check([resource("aws:opensearch/domain:Domain", "search", { domainName: "preprod-product-search-domain" })], ctx);
    expect(findings.map((f) => f.message)).to.deep.equal([
      'OpenSearch domain name "preprod-product-search-domain" is 29 characters; AWS allows at most 28 (Amazon OpenSearch Service CreateDomain)',
    ]);
  });

  it("reports an auto-name the provider accepts but AWS refuses (load balancers: provider limit 255, AWS 32)", () => {
    const findings = check([resource("aws:lb/loadBalancer:LoadBalancer", "preprod-internal-services-alb", {})], ctx);
    expect(findings).to.have.length(1);
    expect(findings[0].message).to.match(/^load balancer name "preprod-internal-services-alb-[0-9a-f]{7}" is 37 characters; AWS allows at most 32 .*Pulumi's auto-name for "preprod-internal-services-alb"; set name explicitly/);
  });

  it("counts a namePrefix with the provider's 26-character suffix", () => {
    const longPrefix = `preprod/data/${"x".repeat(480)}-`;
    const findings = check([resource("aws:secretsmanager/secret:Secret", "db", { namePrefix: longPrefix })], ctx);
    expect(findings).to.have.length(1);
    expect(findings[0].message).to.contain(`is ${longPrefix.length + 26} characters; AWS allows at most 512`).and.contain("namePrefix");
    expect(check([resource("aws:secretsmanager/secret:Secret", "db", { namePrefix: "preprod/data/orders-" })], ctx)).to.deep.equal([]);
  });

  it("checks every named field of a type (RDS identifier and final snapshot identifier) and ignores types without a rule and reads", () => {
    const rds = resource("aws:rds/instance:Instance", "orders", { identifier: "preprod-orders", finalSnapshotIdentifier: "preprod--final" });
    expect(check([rds], ctx).map((f) => f.message)).to.deep.equal([
      'final snapshot identifier "preprod--final" must not end with a hyphen or contain two consecutive hyphens (Amazon RDS CreateDBSnapshot)',
    ]);
    expect(check([resource("aws:ec2/vpc:Vpc", "a".repeat(80), {})], ctx)).to.deep.equal([]);
    expect(check([resource(TG, "x".repeat(40), {}, { read: true })], ctx)).to.deep.equal([]);
  });
});
