import { expect } from "chai";
import { checkStack, UNKNOWN } from "../../../../policy/testing";
import { secretCustomerManagedKey as rule } from "../../../../policy/rules/data/secret-customer-managed-key";

const KEY = "aws:kms/key:Key";
const SECRET = "aws:secretsmanager/secret:Secret";
const KEY_ARN = "arn:aws:kms:me-south-1:444444444444:key/k";
const key = { type: KEY, name: "data-key", props: { arn: KEY_ARN, enableKeyRotation: true } };
const secret = (name: string, props: Record<string, unknown>) => ({ type: SECRET, name, props: { arn: `arn:aws:secretsmanager:me-south-1:444444444444:secret:${name}`, ...props } });

describe("secret-customer-managed-key", () => {
  it("accepts secrets encrypted with a customer key when the stack has one", () => {
    expect(checkStack(rule, [key, secret("db", { kmsKeyId: KEY_ARN }), secret("redis", { kmsKeyId: "alias/tila/prod/data" })])).to.deep.equal([]);
  });

  it("rejects a secret left on the AWS managed key, on the secret's URN", () => {
    const out = checkStack(rule, [key, secret("db", { kmsKeyId: KEY_ARN }), secret("admin", {})]);
    expect(out.map((v) => v.message)).to.deep.equal(["secret admin uses the AWS managed key: set kmsKeyId to the stack's customer key"]);
    expect(out[0].urn).to.match(/::admin$/);
    expect(checkStack(rule, [key, secret("admin", { kmsKeyId: "alias/aws/secretsmanager" })])).to.have.length(1);
  });

  it("does not judge a stack that creates no customer key", () => {
    expect(checkStack(rule, [secret("admin", {})])).to.deep.equal([]);
  });

  it("does not report a key unknown during preview", () => {
    expect(checkStack(rule, [key, secret("db", { kmsKeyId: UNKNOWN })])).to.deep.equal([]);
  });
});
