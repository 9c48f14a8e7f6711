import { expect } from "chai";
import { logGroupKmsKeyIsArn as rule } from "../../../../policy/rules/logging/log-group-kms-key-is-arn";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY_ARN = "arn:aws:kms:me-south-1:444444444444:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("log-group-kms-key-is-arn", () => {
  it("accepts a group without a key, and one with a key ARN", () => {
    expect(checkResource(rule, LOG_GROUP, { retentionInDays: 90 })).to.deep.equal([]);
    expect(checkResource(rule, LOG_GROUP, { retentionInDays: 90, kmsKeyId: KEY_ARN })).to.deep.equal([]);
  });

  it("refuses a key id, an alias or an alias ARN", () => {
    expect(checkResource(rule, LOG_GROUP, { kmsKeyId: "1234abcd-12ab-34cd-56ef-1234567890ab" }, { name: "lg" })).to.deep.equal([
      'log group lg has kmsKeyId "1234abcd-12ab-34cd-56ef-1234567890ab"; use the key\'s ARN (arn:aws:kms:<region>:<account>:key/<id>)',
    ]);
    expect(checkResource(rule, LOG_GROUP, { kmsKeyId: "alias/logs" })).to.have.length(1);
    expect(checkResource(rule, LOG_GROUP, { kmsKeyId: "arn:aws:kms:me-south-1:444444444444:alias/logs" })).to.have.length(1);
  });

  it("leaves a key ARN unknown during preview to a preview note", () => {
    const out = checkResourceDetailed(rule, LOG_GROUP, { kmsKeyId: UNKNOWN });
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
