import { expect } from "chai";
import { snsTopicCmkEncrypted as rule } from "../../../../policy/rules/logging/sns-topic-cmk-encrypted";
import { checkResource, checkResourceDetailed } from "../../../../policy/testing";

const TOPIC = "aws:sns/topic:Topic";
const KEY = "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("sns-topic-cmk-encrypted", () => {
  it("accepts a topic encrypted with a customer-managed key", () => {
    expect(checkResource(rule, TOPIC, { name: "tila-prod-alerts-critical", kmsMasterKeyId: KEY })).to.deep.equal([]);
  });

  it("refuses a topic without a key", () => {
    expect(checkResource(rule, TOPIC, { name: "t" }, { name: "alerts" })).to.deep.equal(["topic alerts is not encrypted; set kmsMasterKeyId to a customer-managed KMS key"]);
  });

  it("refuses the AWS-managed SNS key, by alias or alias ARN", () => {
    expect(checkResource(rule, TOPIC, { kmsMasterKeyId: "alias/aws/sns" })).to.have.length(1);
    expect(checkResource(rule, TOPIC, { kmsMasterKeyId: "arn:aws:kms:me-south-1:444444444444:alias/aws/sns" })).to.have.length(1);
  });

  it("is not applicable to other types", () => {
    expect(checkResourceDetailed(rule, "aws:sqs/queue:Queue", {}).notApplicable).to.have.length(1);
  });
});
