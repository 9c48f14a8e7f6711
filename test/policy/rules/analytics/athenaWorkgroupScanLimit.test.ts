import { expect } from "chai";
import { athenaWorkgroupScanLimit as rule } from "../../../../policy/rules/analytics/athenaWorkgroupScanLimit";
import { UNKNOWN, checkResource } from "../../../../policy/testing";
import { stackRuleConfig } from "../../../../policy/stackRuleConfig";
import { GIB, WORKGROUP, workgroupProps } from "./fixtures";

const check = (cutoff: unknown, config?: Record<string, unknown>) => {
  const props = workgroupProps({ bytesScannedCutoffPerQuery: cutoff });
  if (cutoff === undefined) delete (props.configuration as Record<string, unknown>).bytesScannedCutoffPerQuery;
  return checkResource(rule, WORKGROUP, props, config ? { config } : {});
};

describe("athena-workgroup-scan-limit", () => {
  it("accepts a cutoff between Athena's floor and the stack's bound", () => {
    expect(check(100 * GIB, { maxBytesScannedCutoffPerQuery: 100 * GIB })).to.deep.equal([]);
    expect(check(10_485_760)).to.deep.equal([]);
  });

  it("refuses a workgroup with no cutoff", () => {
    expect(check(undefined)).to.deep.equal(["workgroup tila-prod-analysts: configuration.bytesScannedCutoffPerQuery is not set, so a query may scan the whole lake"]);
  });

  it("refuses a cutoff below the provider's floor and above the stack's bound", () => {
    expect(check(1_000_000)[0]).to.include("below Athena's floor of 10485760 bytes");
    expect(check(101 * GIB, { maxBytesScannedCutoffPerQuery: 100 * GIB })[0]).to.include(`exceeds the stack's bound of ${100 * GIB} bytes`);
    expect(check(2 * 1024 * GIB)[0]).to.include("exceeds the stack's bound of 1099511627776 bytes");
  });

  it("does not judge a cutoff unknown during preview", () => {
    expect(check(UNKNOWN)).to.deep.equal([]);
  });

  it("takes the bound from the environment stacks' analytics config (100 GiB by default), none in management", () => {
    expect(stackRuleConfig("prod")["athena-workgroup-scan-limit"]).to.deep.equal({ maxBytesScannedCutoffPerQuery: 100 * GIB });
    expect(stackRuleConfig("management")["athena-workgroup-scan-limit"]).to.equal(undefined);
  });
});
