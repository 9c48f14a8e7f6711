import { expect } from "chai";
import { WebAcl, WebAclArgs } from "../../components/edge/WebAcl";
import { CaptureResult, CapturedResource } from "../../offline/types";
import { T, captureError, expectParentedAndTagged, only, run, tagsFor } from "./edgeHarness";

const COMPONENT = "tila:edge:WebAcl";
const ALB_ARN = "arn:aws:elasticloadbalancing:me-south-1:444444444444:loadbalancer/app/prod-public/0123456789abcdef";

type Rule = Record<string, unknown> & { name: string; priority: number; statement: Record<string, unknown>; visibilityConfig: Record<string, unknown> };

function build(name: string, args: WebAclArgs): () => Record<string, unknown> {
  return () => {
    const acl = new WebAcl(name, args);
    return { webAclArn: acl.webAclArn, capacity: acl.capacity, logGroupName: acl.logGroupName };
  };
}

function rulesOf(result: CaptureResult): Rule[] {
  return only(result, T.WEB_ACL).inputs.rules as Rule[];
}

describe("WebAcl", () => {
  describe("in prod, with a country block list", () => {
    let result: CaptureResult;
    let acl: CapturedResource;

    before(async () => {
      result = await run(build("prod-edge", {
        environment: "prod", resourceArn: ALB_ARN, rateLimit: { limit: 2000, windowSeconds: 300 }, geo: { blockCountries: ["KP", "IR"] },
        logRetentionDays: 365, tags: tagsFor("prod"),
      }));
      acl = only(result, T.WEB_ACL);
    });

    it("is a regional web ACL that allows what no rule blocks", () => {
      expect(acl.inputs).to.deep.include({ scope: "REGIONAL", defaultAction: { allow: {} } });
      expect(acl.inputs.visibilityConfig).to.deep.equal({ cloudwatchMetricsEnabled: true, metricName: "prod-edge", sampledRequestsEnabled: true });
    });

    it("runs geo, the per-IP rate limit, then the four managed groups, in that order", () => {
      expect(rulesOf(result).map((r) => [r.priority, r.name])).to.deep.equal([
        [0, "geo-block"], [10, "rate-limit-per-ip"], [20, "AWSManagedRulesAmazonIpReputationList"], [30, "AWSManagedRulesCommonRuleSet"],
        [40, "AWSManagedRulesKnownBadInputsRuleSet"], [50, "AWSManagedRulesSQLiRuleSet"],
      ]);
    });

    it("blocks the listed countries", () => {
      const geo = rulesOf(result)[0];
      expect(geo.action).to.deep.equal({ block: {} });
      expect(geo.statement).to.deep.equal({ geoMatchStatement: { countryCodes: ["KP", "IR"] } });
    });

    it("blocks an IP above the configured limit in the configured window", () => {
      const rate = rulesOf(result)[1];
      expect(rate.action).to.deep.equal({ block: {} });
      expect(rate.statement).to.deep.equal({ rateBasedStatement: { limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" } });
    });

    it("uses the AWS managed groups with their own actions (override none)", () => {
      for (const rule of rulesOf(result).slice(2)) {
        expect(rule.statement, rule.name).to.deep.equal({ managedRuleGroupStatement: { vendorName: "AWS", name: rule.name } });
        expect(rule.overrideAction, rule.name).to.deep.equal({ none: {} });
        expect(rule.action, rule.name).to.equal(undefined);
      }
    });

    it("publishes metrics and samples for every rule, each under its own name", () => {
      for (const rule of rulesOf(result)) {
        expect(rule.visibilityConfig, rule.name).to.deep.equal({ cloudwatchMetricsEnabled: true, metricName: `prod-edge-${rule.name}`, sampledRequestsEnabled: true });
      }
    });

    it("is associated with the public load balancer", () => {
      expect(only(result, T.WEB_ACL_ASSOCIATION).inputs).to.deep.equal({ resourceArn: ALB_ARN, webAclArn: acl.outputs.arn });
    });

    it("logs to an aws-waf-logs- group kept for the configured days, without authorization or cookie headers", () => {
      const group = only(result, T.LOG_GROUP);
      expect(group.inputs).to.include({ name: "aws-waf-logs-prod-prod-edge", retentionInDays: 365 });
      expect(String(group.inputs.name)).to.match(/^aws-waf-logs-/);
      expect(only(result, T.WEB_ACL_LOGGING).inputs).to.deep.equal({
        resourceArn: acl.outputs.arn,
        logDestinationConfigs: [group.outputs.arn],
        redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
      });
    });

    it("outputs the ACL, its capacity within the 1500 WCU budget and the log group", () => {
      expect(result.outputs).to.deep.equal({ webAclArn: acl.outputs.arn, capacity: 1128, logGroupName: "aws-waf-logs-prod-prod-edge" });
      expect(result.outputs.capacity as number).to.be.at.most(1500);
    });

    it("parents every resource to the component and tags it", () => {
      expectParentedAndTagged(result, COMPONENT, "prod-edge");
    });
  });

  describe("in dev, without geo rules", () => {
    let result: CaptureResult;

    before(async () => {
      result = await run(build("dev-edge", {
        environment: "dev", resourceArn: ALB_ARN, rateLimit: { limit: 1000, windowSeconds: 60 }, logRetentionDays: 30, tags: tagsFor("dev"),
      }), "dev");
    });

    it("has no geo rule and keeps the other priorities", () => {
      expect(rulesOf(result).map((r) => [r.priority, r.name])).to.deep.equal([
        [10, "rate-limit-per-ip"], [20, "AWSManagedRulesAmazonIpReputationList"], [30, "AWSManagedRulesCommonRuleSet"],
        [40, "AWSManagedRulesKnownBadInputsRuleSet"], [50, "AWSManagedRulesSQLiRuleSet"],
      ]);
      expect(result.outputs.capacity).to.equal(1127);
    });

    it("takes its rate limit and window from the arguments", () => {
      expect(rulesOf(result)[0].statement).to.deep.equal({ rateBasedStatement: { limit: 1000, evaluationWindowSec: 60, aggregateKeyType: "IP" } });
    });
  });

  it("blocks every country outside an allow list with a NOT geo match", async () => {
    const result = await run(build("prod-sa-only", {
      environment: "prod", resourceArn: ALB_ARN, rateLimit: { limit: 500, windowSeconds: 120 }, geo: { allowOnlyCountries: ["SA", "AE"] }, logRetentionDays: 90, tags: tagsFor("prod"),
    }));
    const [geo] = rulesOf(result);
    expect(geo).to.deep.include({ name: "geo-allow-only", priority: 0, action: { block: {} } });
    expect(geo.statement).to.deep.equal({ notStatement: { statement: { geoMatchStatement: { countryCodes: ["SA", "AE"] } } } });
  });

  it("refuses a rate limit below 10, an unknown window, bad country codes and a bad retention, all at once", async () => {
    const err = await captureError(build("prod-edge", {
      environment: "prod", resourceArn: ALB_ARN, rateLimit: { limit: 5, windowSeconds: 30 as never }, geo: { blockCountries: ["kp"] }, logRetentionDays: 45, tags: tagsFor("prod"),
    }));
    expect(err.message).to.include('WebAcl "prod-edge"');
    for (const field of ["rateLimit.limit", "rateLimit.windowSeconds", "geo.blockCountries[0]", "logRetentionDays"]) expect(err.message).to.include(`${field}:`);
  });

  it("refuses rules beyond the capacity budget", async () => {
    const err = await captureError(build("prod-edge", {
      environment: "prod", resourceArn: ALB_ARN, rateLimit: { limit: 2000, windowSeconds: 300 }, logRetentionDays: 365, capacityBudget: 1000, tags: tagsFor("prod"),
    }));
    expect(err.message).to.include("rules: need 1127 WCU, more than the budget of 1000");
  });
});
