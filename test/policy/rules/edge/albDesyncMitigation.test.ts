import { expect } from "chai";
import { albDesyncMitigationDefensiveOrStrictest as rule } from "../../../../policy/rules/edge/albDesyncMitigation";
import { checkResource } from "../../../../policy/testing";
import { ALB, LB, loadBalancer } from "./fixtures";

describe("alb-desync-mitigation-defensive-or-strictest", () => {
  it("accepts strictest, defensive and the unset default (defensive)", () => {
    expect(checkResource(rule, LB, loadBalancer())).to.deep.equal([]);
    expect(checkResource(rule, ALB, loadBalancer({ desyncMitigationMode: "defensive" }))).to.deep.equal([]);
    expect(checkResource(rule, LB, loadBalancer({ desyncMitigationMode: undefined }))).to.deep.equal([]);
  });

  it("rejects monitor mode", () => {
    expect(checkResource(rule, ALB, loadBalancer({ desyncMitigationMode: "monitor" }))).to.deep.equal(['desyncMitigationMode is "monitor"; use "defensive" or "strictest"']);
  });
});
