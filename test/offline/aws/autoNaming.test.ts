/** Pulumi's AWS auto-naming as the mocks emulate it: per-type field, length, charset, transforms. */
import { expect } from "chai";
import * as fc from "fast-check";
import { AUTO_NAMING, AUTO_NAMED_TYPES, NAME_PREFIX_SUFFIX_LENGTH, autoName, nameSeed, resolveName } from "../../../offline/aws/autoNaming";
import { physicalName } from "../../../offline/mockValues";

const TG = "aws:lb/targetGroup:TargetGroup";
const acct = { stack: "preprod", region: "me-south-1", accountId: "333333333333" };
const seed = (type: string, name: string): string => nameSeed("preprod", type, name);

describe("Pulumi auto-naming emulation", () => {
  it("appends a separator and 7 lower-case hex characters to the logical name (the bridge's AutoName default)", () => {
    const n = autoName(AUTO_NAMING["aws:iam/role:Role"], seed("aws:iam/role:Role", "api-task-role"), "api-task-role");
    expect(n.value).to.match(/^api-task-role-[0-9a-f]{7}$/);
    expect(n.providerError).to.equal(undefined);
  });

  it("is deterministic per (stack, type, logical name) and differs when any of them changes", () => {
    const role = AUTO_NAMING["aws:iam/role:Role"];
    const a = autoName(role, nameSeed("dev", "aws:iam/role:Role", "x"), "x").value;
    expect(autoName(role, nameSeed("dev", "aws:iam/role:Role", "x"), "x").value).to.equal(a);
    expect(autoName(role, nameSeed("prod", "aws:iam/role:Role", "x"), "x").value).to.not.equal(a);
    expect(autoName(role, nameSeed("dev", "aws:iam/instanceProfile:InstanceProfile", "x"), "x").value).to.not.equal(a);
  });

  it("reports the provider's preview error instead of truncating when prefix + random part exceeds the type's limit", () => {
    const n = autoName(AUTO_NAMING[TG], seed(TG, "preprod-recommendations-tg"), "preprod-recommendations-tg");
    expect(n.value).to.have.length(34);
    expect(n.providerError).to.equal("name 'preprod-recommendations-tg-' plus 7 random chars is longer than maximum length 32");
    const fits = autoName(AUTO_NAMING[TG], seed(TG, "dev-cart-tg"), "dev-cart-tg");
    expect(fits.providerError).to.equal(undefined);
  });

  it("applies the per-type rules: S3 and ElastiCache lower-case, RDS without a separator, KMS alias prefix, FIFO suffix", () => {
    expect(autoName(AUTO_NAMING["aws:s3/bucket:Bucket"], "s", "Access-Logs").value).to.match(/^access-logs-[0-9a-f]{7}$/);
    expect(autoName(AUTO_NAMING["aws:elasticache/replicationGroup:ReplicationGroup"], "s", "Cache").value).to.match(/^cache-[0-9a-f]{7}$/);
    expect(autoName(AUTO_NAMING["aws:rds/instance:Instance"], "s", "orders").value).to.match(/^orders[0-9a-f]{7}$/);
    expect(autoName(AUTO_NAMING["aws:kms/alias:Alias"], "s", "data").value).to.match(/^alias\/data-[0-9a-f]{7}$/);
    expect(autoName(AUTO_NAMING["aws:sqs/queue:Queue"], "s", "jobs", { fifoQueue: true }).value).to.match(/^jobs-[0-9a-f]{7}\.fifo$/);
    expect(AUTO_NAMING["aws:opensearch/domain:Domain"]).to.include({ field: "domainName", maxLength: 255 });
  });

  it("uses the explicit input first, then namePrefix plus the provider's 26-character suffix", () => {
    const secret = AUTO_NAMING["aws:secretsmanager/secret:Secret"];
    expect(resolveName(secret, "s", "db", { name: "prod/db" })).to.deep.equal({ value: "prod/db", source: "explicit" });
    const prefixed = resolveName(secret, "s", "db", { namePrefix: "prod/data/db-" });
    expect(prefixed.source).to.equal("prefix");
    expect(prefixed.value).to.match(new RegExp(`^prod/data/db-[0-9]{${NAME_PREFIX_SUFFIX_LENGTH}}$`));
  });

  it("is what the mocks report as the physical name of an auto-named resource", () => {
    expect(physicalName(acct, TG, "preprod-cart-tg", {})).to.equal(autoName(AUTO_NAMING[TG], seed(TG, "preprod-cart-tg"), "preprod-cart-tg").value);
    expect(physicalName(acct, TG, "preprod-cart-tg", { name: "fixed" })).to.equal("fixed");
    expect(AUTO_NAMED_TYPES.has(TG)).to.equal(true);
  });

  it("always yields logical name + separator + exactly randomLength hex characters, for every type in the table", () => {
    fc.assert(fc.property(fc.constantFrom(...Object.keys(AUTO_NAMING)), fc.stringMatching(/^[a-z][a-z0-9-]{0,40}$/), (type, logical) => {
      const naming = AUTO_NAMING[type];
      const n = autoName(naming, seed(type, logical), logical);
      const body = n.value.replace(naming.prefix ?? "", "");
      expect(body.startsWith(logical + naming.separator)).to.equal(true);
      expect(body.slice(logical.length + naming.separator.length)).to.match(new RegExp(`^[0-9a-f]{${naming.randomLength}}$`));
      expect(n.providerError !== undefined).to.equal(logical.length + naming.separator.length + naming.randomLength > naming.maxLength);
    }));
  });
});
