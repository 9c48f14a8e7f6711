import { expect } from "chai";
import { wafWebAclLoggingConfigured as rule } from "../../../../policy/rules/edge/wafLogging";
import { UNKNOWN, checkStack } from "../../../../policy/testing";
import { ACL_ARN, LOGGING, WEB_ACL } from "./fixtures";

const logging = (resourceArn: string) => ({ resourceArn, logDestinationConfigs: ["arn:aws:logs:me-south-1:444444444444:log-group:aws-waf-logs-prod"] });

describe("waf-web-acl-logging-configured", () => {
  it("accepts a web ACL with a logging configuration", () => {
    expect(checkStack(rule, [{ type: WEB_ACL, name: "waf", props: { arn: ACL_ARN } }, { type: LOGGING, name: "waf-logging", props: logging(ACL_ARN) }])).to.deep.equal([]);
  });

  it("rejects a web ACL without one, naming the web ACL", () => {
    const out = checkStack(rule, [
      { type: WEB_ACL, name: "waf", props: { arn: ACL_ARN } },
      { type: LOGGING, name: "other-logging", props: logging("arn:aws:wafv2:me-south-1:444444444444:regional/webacl/other/2") },
    ]);
    expect(out).to.have.length(1);
    expect(out[0].urn).to.match(/::waf$/);
  });

  it("joins through the dependency graph when the ARN is unknown during preview", () => {
    const acl = { type: WEB_ACL, name: "waf", props: { arn: UNKNOWN } };
    expect(checkStack(rule, [acl, { type: LOGGING, name: "waf-logging", props: logging(UNKNOWN), dependencies: ["waf"] }])).to.deep.equal([]);
    expect(checkStack(rule, [acl, { type: LOGGING, name: "waf-logging", props: logging(UNKNOWN) }])).to.have.length(1);
  });
});
