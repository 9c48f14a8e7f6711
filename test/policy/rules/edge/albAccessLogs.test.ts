import { expect } from "chai";
import { albAccessLogsEnabled as rule } from "../../../../policy/rules/edge/albAccessLogs";
import { UNKNOWN, checkResourceDetailed, checkResource } from "../../../../policy/testing";
import { ALB, LB, loadBalancer } from "./fixtures";

describe("alb-access-logs-enabled", () => {
  it("accepts an ALB writing access logs to a bucket", () => {
    expect(checkResource(rule, LB, loadBalancer())).to.deep.equal([]);
  });

  it("rejects missing, disabled or bucket-less access logs", () => {
    expect(checkResource(rule, LB, loadBalancer({ accessLogs: undefined }))).to.deep.equal(["accessLogs is not configured"]);
    expect(checkResource(rule, ALB, loadBalancer({ accessLogs: { bucket: "b", enabled: false } }))).to.deep.equal(["accessLogs.enabled is not true"]);
    expect(checkResource(rule, ALB, loadBalancer({ accessLogs: { enabled: true } }))).to.deep.equal(["accessLogs has no bucket"]);
  });

  it("accepts a bucket name that is unknown during preview", () => {
    const out = checkResourceDetailed(rule, LB, loadBalancer({ accessLogs: { bucket: UNKNOWN, enabled: true } }));
    expect(out.violations).to.deep.equal([]);
    expect(out.previewNotes).to.deep.equal([]);
  });
});
