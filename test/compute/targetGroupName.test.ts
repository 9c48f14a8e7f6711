/** Target group names: within Elastic Load Balancing's rule, stable, unique per environment and service. */
import { expect } from "chai";
import * as fc from "fast-check";
import { SERVICE_NAME } from "../../components/compute/computeChecks";
import { TARGET_GROUP_NAME_MAX, TargetGroupIdentity, targetGroupName } from "../../components/compute/targetGroupName";
import { ENVIRONMENTS } from "../../config/schema";
import { NAME_RULES, ruleProblems } from "../../offline/aws/nameRules";

const TG_RULE = NAME_RULES["aws:lb/targetGroup:TargetGroup"][0];
const http = (environment: string, service: string): TargetGroupIdentity => ({ environment, service, port: 8080, protocol: "HTTP", protocolVersion: "HTTP1", targetType: "ip" });
const serviceName = fc.stringMatching(SERVICE_NAME);

describe("targetGroupName", () => {
  it("fits preprod's recommendations service in 32 characters (the auto-name was 34)", () => {
    const name = targetGroupName(http("preprod", "recommendations"));
    expect(name).to.match(/^preprod-recommendations-[0-9a-f]{5}$/);
    expect(ruleProblems(TG_RULE, name)).to.deep.equal([]);
  });

  it("cuts the longest allowed service name without leaving a hyphen before the hash", () => {
    expect(targetGroupName(http("preprod", "a".repeat(25)))).to.have.length(TARGET_GROUP_NAME_MAX);
    // `preprod-` + 17 letters reaches the cut exactly at the service name's hyphen.
    const atHyphen = targetGroupName(http("preprod", "a".repeat(17) + "-" + "b".repeat(7)));
    expect(atHyphen).to.match(/^preprod-a{17}-[0-9a-f]{5}$/);
  });

  it("stays the same across runs and changes only with what replaces a target group", () => {
    const base = http("prod", "cart");
    expect(targetGroupName(base)).to.equal(targetGroupName({ ...base }));
    expect(targetGroupName({ ...base, port: 9090 })).to.not.equal(targetGroupName(base));
    expect(targetGroupName({ ...base, targetType: "instance" })).to.not.equal(targetGroupName(base));
  });

  it("always satisfies AWS's target group rule, for any environment and any service name the config accepts", () => {
    fc.assert(fc.property(fc.constantFrom(...ENVIRONMENTS), serviceName, fc.integer({ min: 1, max: 65535 }), (env, service, port) => {
      const name = targetGroupName({ ...http(env, service), port });
      expect(ruleProblems(TG_RULE, name), name).to.deep.equal([]);
    }), { numRuns: 500 });
  });

  it("is unique across environments and services, even when long names are cut to the same stem", () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(fc.constantFrom(...ENVIRONMENTS), serviceName), { minLength: 2, maxLength: 40, selector: ([e, s]) => `${e}/${s}` }), (pairs) => {
      const names = pairs.map(([env, service]) => targetGroupName(http(env, service)));
      expect(new Set(names).size).to.equal(names.length);
    }));
    const cut = (suffix: string): string => targetGroupName(http("preprod", `recommendations-engine-${suffix}`));
    expect(cut("aa")).to.not.equal(cut("ab"));
  });
});
