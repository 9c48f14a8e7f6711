import { expect } from "chai";
import { logGroupRetentionSet as rule } from "../../../../policy/rules/logging/log-group-retention-set";
import { UNKNOWN, checkResource, checkResourceDetailed } from "../../../../policy/testing";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const group = (environment: string, retentionInDays?: unknown) => ({ retentionInDays, tags: { Environment: environment } });

describe("log-group-retention-set", () => {
  it("accepts the retention the real stacks use (prod 90/365, management 90, dev 7)", () => {
    expect(checkResource(rule, LOG_GROUP, group("prod", 90))).to.deep.equal([]);
    expect(checkResource(rule, LOG_GROUP, group("prod", 365))).to.deep.equal([]);
    expect(checkResource(rule, LOG_GROUP, group("management", 90))).to.deep.equal([]);
    expect(checkResource(rule, LOG_GROUP, group("dev", 7))).to.deep.equal([]);
  });

  it("refuses a group that never expires", () => {
    expect(checkResource(rule, LOG_GROUP, group("dev"), { name: "lg" })).to.deep.equal(["log group lg never expires its events; set retentionInDays"]);
    expect(checkResource(rule, LOG_GROUP, group("dev", 0))).to.have.length(1);
  });

  it("refuses a period CloudWatch does not accept", () => {
    expect(checkResource(rule, LOG_GROUP, group("dev", 45))[0]).to.match(/retentionInDays 45, which CloudWatch does not accept/);
  });

  it("holds prod and management to 90 days", () => {
    expect(checkResource(rule, LOG_GROUP, group("prod", 30), { name: "lg" })).to.deep.equal(["log group lg keeps prod logs 30 days; prod requires at least 90"]);
    expect(checkResource(rule, LOG_GROUP, group("management", 60))).to.have.length(1);
    expect(checkResource(rule, LOG_GROUP, group("preprod", 30))).to.deep.equal([]);
  });

  it("takes per-environment minimums from config", () => {
    expect(checkResource(rule, LOG_GROUP, group("preprod", 30), { config: { minimumDaysByEnvironment: { preprod: 60 } } })).to.have.length(1);
    expect(() => checkResource(rule, LOG_GROUP, group("prod", 90), { config: { minimumDaysByEnvironment: { prod: 0 } } })).to.throw(/minimumDaysByEnvironment/);
  });

  it("leaves an unknown retention to a preview note", () => {
    const out = checkResourceDetailed(rule, LOG_GROUP, group("prod", UNKNOWN));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.have.length(1);
  });
});
